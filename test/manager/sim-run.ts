// The program test/manager/sim.test.ts runs in a private network namespace (devtools' ports are
// fixed): a simulated board with the real firmware (no baked apps: test-entry below) and its app
// manager (the simulator's profile, one app baked: see ENTRY), driven through host/link over the simulator's Jacdac link as `wasmlet --sim` drives it.
// Each step prints "step NAME {json}"; the test judges them. Exit code 0 when every step ran.
//
//   install hello v1 -> list -> request /hello -> subscribe /hello/tick -> the baked asker and hello
//   talk (request/response, pub/sub) -> install v2 over a link that corrupts and drops
//   packets -> install v3 cut halfway (v2 keeps running), then again (it resumes) -> malformed
//   packets -> refused for the store -> reboot (the VM restarts, apps come back) -> uninstall ->
//   refused for the arena
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT, makeBuildDir, stopGroup } from "../../scripts/lib/devs"
import { compileAppImage } from "../../host/run/app-images"
import { connect, Link } from "../../host/link/connect"
import { ManagerClient } from "../../host/link/client"
import type { ManagerChannel } from "../../host/link/channel"
import { bakedAppsSource } from "../../scripts/gen-firmware-images"
import { runMain, startDevsRun, startDevtools, stepTimer, stopAll } from "../host/sim-steps"
import { askerApp, bigApp, helloApp } from "./apps"

const { step } = stepTimer()
const build = makeBuildDir()
/** Every line the board printed, over both boots. */
const device: string[] = []
let devtoolsPid = 0
let devicePid = 0

// The simulator's own profile; the asker app baked into the program image (flash), hello installed
// next to it: two of these C apps with their images in RAM would not fit the 20 KB arena.
const ENTRY = "manager-test-entry.ts"
writeFileSync(
    join(build.dir, ENTRY),
    [
        'import { profile } from "./boards/simulator"',
        'import { BakedApp } from "./firmware/src/baked-app"',
        'import { bootFirmware, idleForever } from "./firmware/src/firmware"',
        'import { LIBC_IMAGE } from "./firmware/src/libc-image"',
        "await bootFirmware(profile, [",
        bakedAppsSource([{ name: "asker", image: compileAppImage(askerApp()).image }]),
        "], LIBC_IMAGE, null)",
        "await idleForever()",
        "",
    ].join("\n"),
)

async function bootDevice(): Promise<void> {
    const board = await startDevsRun(build.dir, ENTRY, l => device.push(l))
    devicePid = board.pid
    step("booted", { lines: board.lines.filter(l => l.includes("wasmlet: started")) })
}

/** A channel that spoils chosen commands: fault(n, code) for the n-th send says what to do. */
function faulty(inner: ManagerChannel, fault: (n: number, code: number) => "drop" | "corrupt" | "dead" | undefined): ManagerChannel & { faults: string[] } {
    let n = 0
    const faults: string[] = []
    return {
        label: inner.label + " (faulty)",
        faults,
        onReport: l => inner.onReport(l),
        async send(code: number, payload: Uint8Array) {
            const f = fault(++n, code)
            if (f) faults.push(`${f} ${code.toString(16)}`)
            if (f === "drop" || f === "dead") return
            if (f === "corrupt") {
                const p = Uint8Array.from(payload)
                p[p.length - 1] ^= 0x5a
                return inner.send(code, p)
            }
            return inner.send(code, payload)
        },
    }
}

const textOf = (p: Uint8Array) => Buffer.from(p).toString().replace(/\0.*$/, "")

async function until(what: () => boolean, ms: number): Promise<boolean> {
    const end = Date.now() + ms
    while (!what() && Date.now() < end) await new Promise(r => setTimeout(r, 100))
    return what()
}

async function errorOf(p: Promise<unknown>): Promise<string> {
    try {
        await p
        return ""
    } catch (e: any) {
        return e.message
    }
}

async function main(): Promise<void> {
    devtoolsPid = (await startDevtools(build.dir)).pid
    await bootDevice()
    let link: Link = await connect({ sim: true, timeoutMs: 20_000 })
    let c = link.client
    const logs: string[] = []
    const listen = (cl: ManagerClient) => cl.onLog(l => logs.push(`${l.app}: ${l.text}`))
    listen(c)
    const channel: ManagerChannel = (c.wire as any).channel

    const v1 = compileAppImage(helloApp("v1")).image
    step("install-v1", await c.install("hello", v1))
    step("list-1", await c.list())
    step("request", { status: (await c.request("GET", "/hello")).status, text: textOf((await c.request("GET", "/hello")).payload) })
    const ticks: string[] = []
    const unsub = await c.subscribe("/hello/tick", e => ticks.push(textOf(e.payload)))
    await until(() => ticks.length >= 2, 5000)
    await unsub()
    step("subscribe", { ticks: ticks.slice(0, 2) })

    // asker (baked) asks the installed hello every second and hears its events
    await until(() => logs.some(l => l.startsWith("asker: asker: got")) && logs.some(l => l.startsWith("asker: asker: event")), 8000)
    step("talk", { got: logs.filter(l => l.startsWith("asker: asker: got")).slice(0, 1), events: logs.filter(l => l.startsWith("asker: asker: event")).length })

    // v2 over a link that corrupts the 2nd chunk put and drops the 4th one
    let puts = 0
    const lossy = faulty(channel, (_n, code) => {
        if (code !== 0x80) return undefined
        puts++
        return puts === 3 ? "corrupt" : puts === 5 ? "drop" : undefined
    })
    const lc = new ManagerClient(lossy, { resendMs: 400 })
    step("install-v2-lossy", { report: await lc.install("hello", compileAppImage(helloApp("v2")).image), faults: lossy.faults })
    lc.close()
    step("request-v2", { text: textOf((await c.request("GET", "/hello")).payload) })

    // v3 cut after 3 chunks: the link goes dead, the client gives up, v2 keeps running
    const v3 = compileAppImage(helloApp("v3")).image
    let dead = false
    const cut = faulty(channel, () => (dead ? "dead" : undefined))
    const cc = new ManagerClient(cut, { resendMs: 200, tries: 3 })
    const cutError = await errorOf(cc.install("hello", v3, { onProgress: p => { if (p.done >= 3) dead = true } }))
    cc.close()
    step("install-v3-cut", { error: cutError, faults: cut.faults.length })
    step("request-after-cut", { text: textOf((await c.request("GET", "/hello")).payload), list: (await c.list()).apps.map(a => a.name + ":" + a.state) })
    step("install-v3-resume", await c.install("hello", v3))
    step("request-v3", { text: textOf((await c.request("GET", "/hello")).payload) })

    // malformed packets: short, unknown, a bad packed request; then the board still answers
    // (0x81 with a key the settings service would answer under another name: it once hung the manager)
    for (const [code, bytes] of [[0x80, [1]], [0x83, []], [0x99, [1, 2, 3]], [0x86, [7, 0, 0, 1, 2, 3, 4, 5]], [0x81, [0xff]], [0x84, [1, 0, 0xff, 0xfe]], [0x81, [9, 0, 0xc3, 0x28, 0x41]]] as [number, number[]][])
        await channel.send(code, Uint8Array.from(bytes))
    await new Promise(r => setTimeout(r, 500))
    step("malformed", { list: (await c.list()).apps.map(a => a.name), crashed: device.some(l => /Exception|PANIC/.test(l)) })

    // refused before anything is written: too large for the store (its 8,000 random bytes do not compress)
    const before = (await c.list()).board.storeUsed
    step("refuse-store", { error: await errorOf(c.install("big", compileAppImage(bigApp()).image)), storeUsed: (await c.list()).board.storeUsed, before })

    // reboot: the VM restarts from its flash; the installed apps come back
    await link.close()
    await stopGroup(devicePid)
    logs.length = 0
    await bootDevice()
    link = await connect({ sim: true, timeoutMs: 20_000 })
    c = link.client
    listen(c)
    await until(() => logs.some(l => l.startsWith("asker: asker: got")), 8000)
    step("after-reboot", { list: (await c.list()).apps.map(a => `${a.name}:${a.state}`), text: textOf((await c.request("GET", "/hello")).payload), asker: logs.filter(l => l.startsWith("asker: asker: got")).slice(0, 1) })

    await c.uninstall("hello")
    const end = await c.list()
    step("uninstalled", { apps: end.apps.map(a => a.name), storeUsed: end.board.storeUsed, crashed: device.some(l => /Exception|PANIC/.test(l)) })

    // refused by the device: request_handler fits the store but needs ~15.6 KB of a 12 KB arena quota
    const handler = compileAppImage(readFileSync(join(ROOT, "apps/samples/request_handler/request_handler.wasm"))).image
    const arenaError = await errorOf(c.install("handler", handler))
    const after = await c.list()
    step("refuse-arena", { error: arenaError, apps: after.apps.map(a => a.name), storeUsed: after.board.storeUsed, crashed: device.some(l => /Exception|PANIC/.test(l)) })
    await link.close()
}

runMain(
    () =>
        main().catch(e => {
            console.log(device.slice(-30).join("\n"))
            throw e
        }),
    async () => {
        await stopAll([devtoolsPid, devicePid])
        build.dispose()
    },
)
