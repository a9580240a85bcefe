// What test/gateway/sim.test.ts runs in a private network namespace (devtools' ports are fixed): a
// simulated board with the default firmware (the event publisher and subscriber samples baked in),
// `wasmlet serve --sim` in front of it as its own process, and HTTP through the gateway as a user's
// tools would send it: the devices, the apps, an SSE event of the baked publisher, an app installed
// by upload that answers a request with typed JSON, a request the app does not answer (504),
// an unknown app (404), an uninstall; then a second board joins the link and is served too. Each step prints "step NAME {json}"; the test judges them. Exit 0 when all ran.
//
//   tsx test/gateway/sim-run.ts DIR WASM_OF_ECHO
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT, startGroup, stopGroup } from "../../scripts/lib/devs"

const BIN = join(ROOT, "host/bin/wasmlet.mjs")
const [dir, echoWasm] = process.argv.slice(2)
const t0 = Date.now()
const step = (name: string, data: unknown) => console.log(`step ${name} ${JSON.stringify({ ms: Date.now() - t0, ...(data as object) })}`)

function startUntil(args: string[], re: RegExp, timeoutMs: number): Promise<{ pid: number; match: RegExpMatchArray; lines: string[] }> {
    return new Promise((resolve, reject) => {
        const lines: string[] = []
        let done = false
        const child = startGroup(process.execPath, [BIN, ...args], {
            cwd: dir,
            onLine: l => {
                lines.push(l)
                if (process.env.SIM_RUN_VERBOSE) console.log(`  ${args[0]}> ${l}`)
                const m = l.match(re)
                if (m && !done) {
                    done = true
                    resolve({ pid: child.pid!, match: m, lines })
                }
            },
        })
        child.on("exit", c => !done && reject(new Error(`wasmlet ${args.join(" ")} exited (${c}) before ${re}:\n${lines.join("\n")}`)))
        setTimeout(() => !done && reject(new Error(`wasmlet ${args.join(" ")}: no ${re} within ${timeoutMs} ms:\n${lines.join("\n")}`)), timeoutMs)
    })
}

/** The first `n` SSE messages of a stream (comments skipped). */
async function sse(url: string, n: number, timeoutMs: number): Promise<{ event: string; data: any }[]> {
    const ctl = new AbortController()
    const timer = setTimeout(() => ctl.abort(), timeoutMs)
    const out: { event: string; data: any }[] = []
    try {
        const res = await fetch(url, { signal: ctl.signal })
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${await res.text()}`)
        let text = ""
        for await (const chunk of res.body as any) {
            text += Buffer.from(chunk).toString("utf8")
            let cut: number
            while ((cut = text.indexOf("\n\n")) >= 0) {
                const lines = text.slice(0, cut).split("\n").filter(l => !l.startsWith(":"))
                text = text.slice(cut + 2)
                if (!lines.length) continue
                out.push({ event: lines.find(l => l.startsWith("event: "))!.slice(7), data: JSON.parse(lines.find(l => l.startsWith("data: "))!.slice(6)) })
                if (out.length >= n) return out
            }
        }
    } catch (e: any) {
        if (e.name !== "AbortError") throw e
    } finally {
        clearTimeout(timer)
        ctl.abort()
    }
    return out
}

async function main(): Promise<void> {
    const pids: number[] = []
    try {
        const sim = await startUntil(["sim", "--clear", "--no-sensors"], /\[start\] ready:/, 120_000)
        pids.push(sim.pid)
        step("sim", {})
        const gw = await startUntil(["serve", "--sim", "--listen", "127.0.0.1:0", "--timeout", "5000"], /listening on (http:\/\/\S+)\//, 60_000)
        pids.push(gw.pid)
        const base = gw.match[1]
        step("serve", { url: base, lines: gw.lines })

        const devices = await (await fetch(`${base}/devices`)).json()
        step("devices", { devices })
        const dev = devices[0].shortId
        step("apps", { apps: await (await fetch(`${base}/devices/${dev}/apps`)).json() })

        const events = await sse(`${base}/devices/${dev}/events?url=alert/overheat`, 1, 20_000)
        step("event", { events })

        const t1 = Date.now()
        const inst = await fetch(`${base}/devices/${dev}/apps/echo`, { method: "POST", body: readFileSync(echoWasm) })
        step("install", { status: inst.status, body: await inst.json(), ms: Date.now() - t1 })

        const times: number[] = []
        let last: any
        const put = async (i: number) => {
            const r = await fetch(`${base}/devices/${dev}/app/echo/conf`, { method: "PUT", headers: { "content-type": "application/json" }, body: JSON.stringify({ n: i, x: 2.5, on: true, s: "sim", b: { base64: "3q2+7w==" } }) })
            return { status: r.status, coap: r.headers.get("x-wasmlet-status"), body: await r.json() }
        }
        const count = Number(process.env.GW_BENCH_REQUESTS ?? 5) // bench/gateway.ts asks for more
        for (let i = 0; i < count; i++) {
            const t = performance.now()
            last = await put(i)
            times.push(Math.round((performance.now() - t) * 10) / 10)
        }
        step("request", { ...last, n: count - 1, times })
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
            step("throughput", { rps1: await rps(1), rps4: await rps(4) })
        }

        // WAMR's app library does not answer a url no handler serves: the gateway's 504 after ?timeout
        const t2 = Date.now()
        const miss = await fetch(`${base}/devices/${dev}/app/event_publisher/nothing?timeout=1500`)
        step("no-answer", { status: miss.status, body: await miss.json(), ms: Date.now() - t2 })
        const ghost = await fetch(`${base}/devices/${dev}/app/ghost/x`)
        step("ghost", { status: ghost.status, body: await ghost.json() })

        const del = await fetch(`${base}/devices/${dev}/apps/echo`, { method: "DELETE" })
        step("uninstall", { status: del.status, apps: (await (await fetch(`${base}/devices/${dev}/apps`)).json()).map((a: any) => a.name) })

        // a second simulated board joins the link: the gateway serves it too once it announces
        if (!process.env.GW_BENCH_REQUESTS) {
            const second = await startUntil(["sim", "--name", "second", "--clear", "--no-sensors"], /\[start\] ready:/, 120_000)
            pids.push(second.pid)
            let list: any[] = []
            for (let i = 0; i < 50 && list.length < 2; i++) {
                await new Promise(r => setTimeout(r, 200))
                list = await (await fetch(`${base}/devices`)).json()
            }
            const other = list.find((d: any) => d.shortId !== dev)
            const apps = other ? await (await fetch(`${base}/devices/${other.id}/apps`)).json() : null
            step("second", { devices: list.map((d: any) => d.shortId), apps: apps?.map((a: any) => a.name) })
        }
    } finally {
        for (const pid of pids.reverse()) await stopGroup(pid)
    }
}

main().then(
    () => process.exit(0),
    e => {
        console.log(`error ${e.stack ?? e}`)
        process.exit(1)
    }
)
