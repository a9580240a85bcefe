// What the framework does to keep the DeviceScript heap from running out (framework/README.md
// "Heap"; running out is an uncatchable panic that restarts the board). A removed app leaves
// nothing reachable behind: the engine's registers named the last execution and instance, and
// through their host functions the whole runtime (4.9 KB held in the simulator after four apps
// were removed; the next four ran the heap out). The runtime refuses, with a reason, an app the
// heap budget cannot take, a buffer longer than MAX_COPY and queued messages beyond maxQueued
// bytes (per app), and copies console output in pieces.
import { describe, expect, it } from "vitest"
import * as engineState from "../../interpreter/state"
import { AppState } from "../../framework/app"
import { MAX_COPY } from "../../framework/guest"
import { ACTION_EVENT, packRequest } from "../../framework/packets"
import { NATIVES, PROBE, PUBLISHER_APP, probeApp } from "./apps"
import { appImage, decodeResponse, hostGet, settle } from "./fw-helpers"
import { makeRuntime, TestRuntime } from "./helpers"

/** Makes the probe app call native `name` with `args` in its next on_request, runs it: its trap or null. */
async function callNative(t: TestRuntime, name: string, args: number[]): Promise<string | null> {
    const app = t.rt.find("probe")
    app.memory.store(PROBE.SELECT, 4, NATIVES.findIndex(n => n.name === name) + 1)
    for (let k = 0; k < 4; k++) app.memory.store(PROBE.ARGS + 4 * k, 4, args[k] ?? 0)
    const traps = app.traps
    expect(hostGet(t, "/app/probe/call", 1)).toBe(true)
    await settle(t, [app])
    return app.traps > traps ? app.lastError : null
}

describe("heap", () => {
    it("uninstall leaves the engine naming no execution or instance of the app", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("pub", await appImage(PUBLISHER_APP), true)
        await t.runFor(250)
        await settle(t, [app])
        expect(engineState.ex).toBe(app.ex)
        expect(engineState.inst === app.inst || engineState.inst === app.libc).toBe(true)
        expect(await t.rt.uninstall("pub")).toBe(true)
        expect(engineState.ex).toBe(null)
        expect(engineState.inst).toBe(null)
        expect(engineState.mem).toBe(null)
        expect(engineState.S).toBe(null)
    })

    it("install refuses an app the heap budget cannot take, and takes it once another is gone", async () => {
        const t = makeRuntime()
        t.rt.heapBytes = 10000 // two apps' worth
        const img = await appImage(PUBLISHER_APP)
        await t.rt.install("a", img, true)
        await t.rt.install("b", img, true)
        const free = t.arena.freePages
        await expect(t.rt.install("c", img, true)).rejects.toThrow(`no heap for app "c": 10000 B for apps, ~4608 B each`)
        expect(t.rt.apps.map(a => a.name)).toEqual(["a", "b"])
        expect(t.arena.freePages).toBe(free)
        await t.rt.uninstall("a")
        expect((await t.rt.install("c", img, true)).name).toBe("c")
    })

    it("a buffer larger than MAX_COPY traps its callback instead of being copied; one of MAX_COPY goes", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("probe", await appImage(probeApp()), true)
        await settle(t, [app])
        t.rt.hostSubscribe("ev")
        const header = packRequest(ACTION_EVENT, "ev", 0, 9, 0, null).length
        const big = packRequest(ACTION_EVENT, "ev", 0, 9, 0, Buffer.alloc(MAX_COPY - header + 1, 7))
        app.memory.writeBytes(PROBE.DATA, big, 0, big.length)
        expect(await callNative(t, "wasm_post_request", [PROBE.DATA, big.length])).toBe(`on_request: a message of ${MAX_COPY + 1} B: at most ${MAX_COPY} B`)
        expect(t.host.events.length).toBe(0)
        const fits = packRequest(ACTION_EVENT, "ev", 0, 10, 0, Buffer.alloc(MAX_COPY - header, 7))
        app.memory.writeBytes(PROBE.DATA, fits, 0, fits.length)
        expect(await callNative(t, "wasm_post_request", [PROBE.DATA, fits.length])).toBe(null)
        expect(t.host.events.length).toBe(1)
        // responses and connection data too; the app keeps running
        expect(await callNative(t, "wasm_response_send", [PROBE.DATA, MAX_COPY + 1])).toMatch(/at most/)
        expect(await callNative(t, "wasm_send_on_connection", [0, PROBE.DATA, MAX_COPY + 1])).toMatch(/at most/)
        expect(app.state).toBe(AppState.RUNNING)
    })

    it("a queue holds at most maxQueued message bytes; the rest are answered 5.03", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("probe", await appImage(probeApp()), true)
        await settle(t, [app])
        const payload = Buffer.alloc(300, 1)
        for (let mid = 1; mid <= 4; mid++) t.rt.hostRequest(packRequest(1, "/app/probe/x", 0, mid, 0, payload))
        // delivered as "x": 18 B of header, "x\0", 300 B: 3 x 320 B fit in 1024, the 4th does not
        expect(app.queue.length).toBe(3)
        expect(app.lastError).toBe("queue full (8 messages or 1024 B): 1 dropped")
        expect(decodeResponse(t.host.responses[0])).toMatchObject({ status: 163, mid: 4 })
        await settle(t, [app])
        // one larger than maxQueued is taken when the queue is empty (it is in the heap already)
        t.rt.hostRequest(packRequest(1, "/app/probe/x", 0, 13, 0, Buffer.alloc(1500)))
        expect(app.queue.length).toBe(1)
        await settle(t, [app])
        // messages without data are counted by number only
        for (let mid = 5; mid <= 12; mid++) t.rt.hostRequest(packRequest(1, "/app/probe/x", 0, mid, 0, null))
        expect(app.queue.length).toBe(8)
    })

    it("console output of any length arrives whole, copied in pieces", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("probe", await appImage(probeApp()), true)
        await settle(t, [app])
        const text = "0123456789".repeat(300) + "\n"
        app.memory.writeBytes(4096, Buffer.from(text), 0, text.length) // above the test apps' layout
        expect(await callNative(t, "console_write", [4096, text.length])).toBe(null)
        expect(t.host.lines.map(l => l.slice("probe: ".length)).join("")).toBe(text.slice(0, -1))
        expect(t.host.lines.length).toBeGreaterThan(1)
    })
})
