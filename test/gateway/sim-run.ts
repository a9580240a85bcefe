// What test/gateway/sim.test.ts runs in a private network namespace (devtools' ports are fixed): one
// simulated board with the default firmware (the event publisher and subscriber samples baked in)
// and, as their own processes in front of it, `wasmlet serve --sim` on loopback (A) and a second
// one on 0.0.0.0 (B: not loopback, so it generates a token; --read-only, --max-body 64). Through A,
// as a user's tools would: the devices, the apps, an SSE event of the baked publisher, an app
// installed by upload that answers requests with typed JSON, a url no handler serves (504), an
// unknown app (404), an upload over the default limit (413, nothing installed). Through B: every
// route without, with a wrong and with the token (./sim-guards.ts). Then A's dashboard in headless
// chromium (./sim-dashboard.ts), an uninstall over HTTP, an install and uninstall through the
// page, and a second board joining the link, served too. Each step prints "step NAME {json}"
// (test/host/sim-steps.ts); "done" when all ran.
//
//   tsx test/gateway/sim-run.ts DIR WASM_OF_ECHO
// GW_BENCH_REQUESTS=N [GW_BENCH_SECONDS=S] (bench/gateway.ts): N timed requests (and S seconds of
// throughput), without B, the browser or the second board.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { Browser } from "puppeteer-core"
import { ROOT } from "../../scripts/lib/devs"
import { runMain, stepTimer, stopAll, wasmletUntil } from "../host/sim-steps"
import { readStream } from "./sim-sse"
import { guardChecks } from "./sim-guards"
import { launch } from "./dashboard-browser"
import { dashboardInstall, dashboardLive } from "./sim-dashboard"

const [dir, echoWasm] = process.argv.slice(2)
const bench = !!process.env.GW_BENCH_REQUESTS
const LISTENING = /listening on http:\/\/(\S+?):(\d+)\//
const t = stepTimer()
const pids: number[] = []
let browser: Browser | undefined

async function main(): Promise<void> {
    const sim = await wasmletUntil(["sim", "--clear", "--no-sensors"], /\[start\] ready:/, 120_000, { cwd: dir })
    pids.push(sim.pid)
    t.step("sim")
    // the two gateways and the browser start together (each takes a few seconds)
    const [gw, locked] = await Promise.all([
        wasmletUntil(["serve", "--sim", "--listen", "127.0.0.1:0", "--timeout", "5000"], LISTENING, 60_000, { cwd: dir }).then(s => (pids.push(s.pid), s)),
        bench ? undefined : wasmletUntil(["serve", "--sim", "--listen", "0.0.0.0:0", "--read-only", "--max-body", "64", "--timeout", "5000"], LISTENING, 60_000, { cwd: dir }).then(s => (pids.push(s.pid), s)),
        bench ? undefined : launch().then(b => (browser = b)),
    ])
    const base = `http://127.0.0.1:${gw.match[2]}`
    t.step("serve", { url: base, lines: gw.lines })

    const devices = await (await fetch(`${base}/devices`)).json()
    t.step("devices", { devices })
    const dev = devices[0].shortId
    t.step("apps", { apps: await (await fetch(`${base}/devices/${dev}/apps`)).json() })

    const events = await readStream(`${base}/devices/${dev}/events?url=alert/overheat`, 1, 20_000)
    t.step("event", { events: events.messages })

    const t1 = Date.now()
    const inst = await fetch(`${base}/devices/${dev}/apps/echo`, { method: "POST", body: readFileSync(echoWasm) })
    t.step("install", { status: inst.status, body: await inst.json(), ms: Date.now() - t1 })

    const times: number[] = []
    let last: any
    const put = async (i: number) => {
        const r = await fetch(`${base}/devices/${dev}/app/echo/conf`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: i, x: 2.5, on: true, s: "sim", b: { base64: "3q2+7w==" } }) })
        return { status: r.status, coap: r.headers.get("x-wasmlet-status"), body: await r.json() }
    }
    const count = Number(process.env.GW_BENCH_REQUESTS ?? 5) // bench/gateway.ts asks for more
    for (let i = 0; i < count; i++) {
        const t0 = performance.now()
        last = await put(i)
        times.push(Math.round((performance.now() - t0) * 10) / 10)
    }
    t.step("request", { ...last, n: count - 1, times })
    if (process.env.GW_BENCH_SECONDS) {
        const seconds = Number(process.env.GW_BENCH_SECONDS)
        const rps = async (c: number) => {
            const end = Date.now() + seconds * 1000
            let done = 0
            await Promise.all(Array.from({ length: c }, async () => {
                while (Date.now() < end) if ((await put(done)).status === 200) done++
            }))
            return done / seconds
        }
        t.step("throughput", { rps1: await rps(1), rps4: await rps(4) })
    }

    // WAMR's app library does not answer a url no handler serves: the gateway's 504 after ?timeout
    const t2 = Date.now()
    const miss = await fetch(`${base}/devices/${dev}/app/event_publisher/nothing?timeout=1500`)
    t.step("no-answer", { status: miss.status, body: await miss.json(), ms: Date.now() - t2 })
    const ghost = await fetch(`${base}/devices/${dev}/app/ghost/x`)
    t.step("ghost", { status: ghost.status, body: await ghost.json() })

    if (!bench) {
        // an upload over the default --max-upload (256 KB): refused as it arrives, nothing installed
        const huge = Buffer.alloc(262_145)
        readFileSync(echoWasm).copy(huge)
        const over = await fetch(`${base}/devices/${dev}/apps/huge`, { method: "POST", body: huge })
        t.step("too-large", { status: over.status, body: await over.json(), apps: (await (await fetch(`${base}/devices/${dev}/apps`)).json()).map((a: any) => a.name) })

        // B: off loopback, so a generated token is required everywhere; read-only; small bodies
        const token = locked!.lines.map(l => /token \(generated[^)]*\): (\S+)/.exec(l)?.[1]).find(Boolean)
        if (!token) throw new Error(`no generated token printed:\n${locked!.lines.join("\n")}`)
        const lockedBase = `http://127.0.0.1:${locked!.match[2]}`
        t.step("locked", { listen: locked!.match[1], tokenChars: token.length, ...(await guardChecks(lockedBase, token, dev, "echo", readFileSync(echoWasm))) })

        const page = await browser!.newPage()
        t.step("dashboard", await dashboardLive(page, base, dev, "echo"))

        const del = await fetch(`${base}/devices/${dev}/apps/echo`, { method: "DELETE" })
        t.step("uninstall", { status: del.status, apps: (await (await fetch(`${base}/devices/${dev}/apps`)).json()).map((a: any) => a.name) })

        const picked = await dashboardInstall(page, join(ROOT, "apps/samples/timer/timer.wasm"), "timer", /\[timer\] Timer update \d+/)
        t.step("dashboard-install", { ...picked, apps: (await (await fetch(`${base}/devices/${dev}/apps`)).json()).map((a: any) => a.name) })
        await browser!.close()
        browser = undefined

        // a second simulated board joins the link: the gateway serves it too once it announces
        const second = await wasmletUntil(["sim", "--name", "second", "--clear", "--no-sensors"], /\[start\] ready:/, 120_000, { cwd: dir })
        pids.push(second.pid)
        let list: any[] = []
        for (let i = 0; i < 50 && list.length < 2; i++) {
            await new Promise(r => setTimeout(r, 200))
            list = await (await fetch(`${base}/devices`)).json()
        }
        const other = list.find((d: any) => d.shortId !== dev)
        const apps = other ? await (await fetch(`${base}/devices/${other.id}/apps`)).json() : null
        t.step("second", { devices: list.map((d: any) => d.shortId), apps: apps?.map((a: any) => a.name) })
    } else {
        const del = await fetch(`${base}/devices/${dev}/apps/echo`, { method: "DELETE" })
        t.step("uninstall", { status: del.status, apps: (await (await fetch(`${base}/devices/${dev}/apps`)).json()).map((a: any) => a.name) })
    }
}

runMain(main, async () => {
    await browser?.close()
    await stopAll(pids)
})
