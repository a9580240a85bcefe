// Apps that misbehave and apps that end: the watchdog stops an endless callback (on_init or
// on_timer_callback) after limits.watchdogMs while the other apps keep their timers; a trap in
// one app leaves the other alone and its own next message runs; sensors deliver at their
// interval until closed; WASI commands see their args, get errnos, and end with proc_exit's code
// or main's result. Virtual time; the watchdog runs with 1 ms per slice.
import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { AppState } from "../../framework/app"
import { TestSensor, testSensors } from "../../framework/test-sensors"
import { compileAppImage, supportImages } from "../../host/run/app-images"
import { watToWasm } from "../engine/helpers"
import { LOOP_INIT_APP, LOOP_TIMER_APP, MAIN_APP, NO_HEAP_APP, NO_MALLOC_APP, SENSE, SENSOR_APP, TICKER, TICKER_APP, TRAPPER_APP, WASI_APP } from "./apps"
import { appImage, decodeResponse, hostGet, settle, stampLines } from "./fw-helpers"
import { makeRuntime } from "./helpers"

const WATCHDOG_MS = 200

describe("watchdog", () => {
    it("stops an endless on_init and an endless on_timer_callback after watchdogMs; the other app's timers go on", async () => {
        const t = makeRuntime({ msPerSlice: 1, limits: { watchdogMs: WATCHDOG_MS } })
        const stamped = stampLines(t)
        const ticker = await t.rt.install("ticker", await appImage(TICKER_APP), true)
        const loopInit = await t.rt.install("loop_init", await appImage(LOOP_INIT_APP), true)
        const loopTimer = await t.rt.install("loop_timer", await appImage(LOOP_TIMER_APP), true)
        await t.runFor(5000, () => loopInit.state !== AppState.RUNNING)
        const stoppedAt = t.clock.now()
        expect(stoppedAt).toBeGreaterThan(WATCHDOG_MS)
        expect(stoppedAt).toBeLessThanOrEqual(WATCHDOG_MS + 10)
        expect(loopInit.state).toBe(AppState.STOPPED)
        expect(loopInit.lastError).toBe(`watchdog: on_init ran longer than ${WATCHDOG_MS} ms; app stopped`)
        await t.runFor(5000, () => loopTimer.state !== AppState.RUNNING)
        // its timer fired 100 ms after its on_init, then the callback ran for the watchdog's limit;
        // its on_init waited for loop_init's start-up to run its 32 slices ahead (1 ms each here)
        expect(t.clock.now()).toBeGreaterThan(100 + WATCHDOG_MS)
        expect(t.clock.now()).toBeLessThanOrEqual(100 + WATCHDOG_MS + 20 + 32)
        expect(loopTimer.lastError).toBe(`watchdog: on_timer_callback ran longer than ${WATCHDOG_MS} ms; app stopped`)
        await t.runFor(1000)
        const end = t.clock.now()
        // the ticker ticked all along, also while the others looped (about every 50 ms)
        const ticks = stamped.filter(l => l[1].startsWith("ticker: tick ")).map(l => l[0])
        expect(ticks.filter(ms => ms < stoppedAt).length).toBeGreaterThanOrEqual(Math.floor(WATCHDOG_MS / TICKER.PERIOD) - 1)
        expect(ticks.length).toBeGreaterThanOrEqual(Math.floor(end / TICKER.PERIOD) - 3)
        for (let i = 1; i < ticks.length; i++) expect(ticks[i] - ticks[i - 1]).toBeLessThanOrEqual(TICKER.PERIOD + 5)
        expect(ticker.state).toBe(AppState.RUNNING)
        expect(ticker.traps + ticker.dropped).toBe(0)
        // the stopped apps stay installed, say why, run nothing more, and refuse requests
        expect(t.rt.find("loop_init")).toBe(loopInit)
        expect(t.host.notes).toContain(loopTimer.lastError)
        expect(stamped.filter(l => l[1] === "loop_timer: looping").length).toBe(1)
        hostGet(t, "/app/loop_timer/x", 5)
        expect(decodeResponse(t.host.responses[0])).toMatchObject({ mid: 5, status: 163 })
    })

    it("without msPerSlice the loop still yields: other apps run between its slices", async () => {
        // no virtual time passes in slices, so no watchdog: the loop runs on, sliced
        const t = makeRuntime({ limits: { watchdogMs: WATCHDOG_MS } })
        const loop = await t.rt.install("loop_init", await appImage(LOOP_INIT_APP), true)
        const tr = await t.rt.install("trapper", await appImage(TRAPPER_APP), true)
        for (let i = 0; i < 200; i++) await t.rt.turn()
        hostGet(t, "/app/trapper/x", 2)
        for (let i = 0; i < 200; i++) await t.rt.turn()
        expect(t.host.lines).toEqual(["trapper: init", "trapper: request 2"])
        expect(loop.state).toBe(AppState.RUNNING)
        expect(tr.traps).toBe(0)
    })
})

describe("trap isolation", () => {
    it("a trap ends that callback only: the app's next message runs, the other app never notices", async () => {
        const t = makeRuntime()
        const a = await t.rt.install("a", await appImage(TRAPPER_APP), true)
        const b = await t.rt.install("b", await appImage(TRAPPER_APP), true)
        await settle(t, [a, b])
        for (let m = 1; m <= 6; m++) {
            hostGet(t, "/app/a/x", m) // odd mids trap in a
            hostGet(t, "/app/b/x", 2 * m) // b only ever gets even ones
        }
        await settle(t, [a, b])
        expect(a.traps).toBe(3)
        expect(a.lastError).toBe("on_request: out of bounds memory access")
        expect(a.state).toBe(AppState.RUNNING)
        expect(b.traps).toBe(0)
        expect(b.lastError).toBe(null)
        expect(t.host.lines.filter(l => l.startsWith("a: "))).toEqual(["a: init", "a: request 2", "a: request 4", "a: request 6"])
        expect(t.host.lines.filter(l => l.startsWith("b: "))).toEqual(["b: init", ...[2, 4, 6, 8, 10, 12].map(m => `b: request ${m}`)])
        expect(t.host.notes.filter(n => /trapped/.test(n))).toEqual(Array(3).fill("a: on_request trapped: out of bounds memory access"))
    })
})

describe("message buffers", () => {
    it("when the app heap has no room the message is dropped and counted; the app goes on", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("noheap", await appImage(NO_HEAP_APP), true)
        hostGet(t, "/app/noheap/x", 1, Buffer.from("12345"))
        await settle(t, [app])
        expect(app.memory.load(0, 4)).toBe(0) // on_request never ran
        expect(app.dropped).toBe(1)
        expect(app.lastError).toBe("no room in the app heap for a 25-byte message") // 18 + "x\0" + 5
        expect(app.state).toBe(AppState.RUNNING)
        expect(t.host.responses).toEqual([])
    })

    it("an app without an allocator gets no buffers, but its timers still run", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("nomalloc", await appImage(NO_MALLOC_APP), true)
        await settle(t, [app])
        hostGet(t, "/app/nomalloc/x", 1)
        await settle(t, [app])
        expect(app.memory.load(0, 4)).toBe(0)
        expect(app.dropped).toBe(1)
        expect(app.lastError).toBe("the app has no heap for message buffers")
        t.rt.enqueue(app, { kind: 4, arg: 1, data: null }) // a timer expiry carries no buffer
        await settle(t, [app])
        expect(app.memory.load(4, 4)).toBe(1)
    })
})

describe("sensors", () => {
    it("sensor_filter with WAMR's test sensors: sensor_test1 every 1000 ms, sensor_test2 every 5000 ms; none after uninstall", async () => {
        const s = supportImages()
        const t = makeRuntime({ libc: s.libc, wasi: s.wasi, sensors: testSensors() })
        const stamped = stampLines(t)
        const img = Buffer.from(compileAppImage(readFileSync(join(import.meta.dirname, "../../apps/samples/sensor_filter/sensor_filter.wasm"))).image)
        const app = await t.rt.install("sf", img, true)
        await t.runFor(10500)
        const at = (label: string) => stamped.filter(l => l[1] === `sf: ### app get sensor event from ${label}`).map(l => l[0])
        const one = at("sensor1")
        const two = at("sensor2")
        expect(one.length).toBe(10)
        one.forEach((ms, i) => expect(ms - (i + 1) * 1000).toBeGreaterThanOrEqual(0))
        one.forEach((ms, i) => expect(ms - (i + 1) * 1000).toBeLessThanOrEqual(20))
        expect(two.length).toBe(2)
        two.forEach((ms, i) => expect(Math.abs(ms - (i + 1) * 5000)).toBeLessThanOrEqual(20))
        // each reading is dumped: WAMR's test sensor container
        expect(stamped.map(l => l[1]).join("\n")).toContain("read test sensor")
        expect(app.traps + app.dropped).toBe(0)
        const n = stamped.length
        expect(await t.rt.uninstall("sf")).toBe(true)
        expect(t.rt.cApp.filter(a => a !== null)).toEqual([]) // its sensor clients are gone
        await t.runFor(3000)
        expect(stamped.slice(n).filter(l => /sensor event/.test(l[1]))).toEqual([])
    })

    it("an app's own interval, the reading's bytes, and close stops the readings", async () => {
        const t = makeRuntime({ sensors: testSensors() })
        const app = await t.rt.install("sense", await appImage(SENSOR_APP), true)
        app.memory.store(SENSE.CLOSE_AFTER, 4, 5)
        await t.runFor(530)
        const m = app.memory
        expect(m.load(SENSE.OPENED, 4)).toBeGreaterThanOrEqual(0)
        expect(m.load(SENSE.COUNT, 4)).toBe(5) // at 100, 200, ... 500 ms
        expect(m.load(SENSE.LAST_ID, 4)).toBe(m.load(SENSE.OPENED, 4))
        expect(m.load(SENSE.LAST_LEN, 4)).toBe((await new TestSensor("sensor_test1").read()).length)
        expect(m.load(SENSE.CLOSED, 4)).toBe(1)
        await t.runFor(2000)
        expect(m.load(SENSE.COUNT, 4)).toBe(5)
        expect(t.host.lines).toEqual([1, 2, 3, 4, 5].map(i => `sense: reading ${i}`))
    })
})

describe("sensors: several clients", () => {
    it("two apps on one sensor, each at its own interval", async () => {
        let reads = 0
        const counted = { name: "sensor_test1", instance: 0, intervalMs: 1000, read: async () => (reads++, new TestSensor("sensor_test1").read()) }
        const t = makeRuntime({ sensors: [counted] })
        const a = await t.rt.install("a", await appImage(SENSOR_APP), true) // 100 ms
        const b = await t.rt.install("b", await appImage(SENSOR_APP), true)
        await settle(t, [a, b])
        // b's interval becomes 300 ms: its own client only
        const bId = b.memory.load(SENSE.OPENED, 4)
        t.rt.cInterval[bId] = 300
        t.rt.cDue[bId] = t.clock.now() + 300
        await t.runFor(905)
        expect(a.memory.load(SENSE.COUNT, 4)).toBe(9)
        expect(b.memory.load(SENSE.COUNT, 4)).toBe(3)
        // at 300, 600 and 900 ms both were due in the same turn: one read each time
        expect(reads).toBe(9)
    })
})

describe("WASI commands and mains", () => {
    const wasiImage = async () => Buffer.from(compileAppImage(await watToWasm(WASI_APP)).image)
    const withWasi = () => makeRuntime({ wasi: supportImages().wasi })

    it("sees its args, gets WASI's errnos, and exits with proc_exit's code", async () => {
        const t = withWasi()
        const app = await t.rt.install("cmd", await wasiImage(), true, ["cmd", "one", "two words"])
        await t.runFor(1000, () => app.state !== AppState.RUNNING)
        expect(t.host.lines).toEqual(["cmd: cmd", "cmd: one", "cmd: two words", "cmd: errnos 8 70 8 8 0 2"])
        expect(app.state).toBe(AppState.EXITED)
        expect(app.exitCode).toBe(13)
        expect(t.host.notes).toEqual(["cmd: exited with code 13"])
    })

    it("returning from _start is exit 0, a trap in it exit 1 with the reason kept", async () => {
        for (const [arg, code] of [["return", 0], ["trap", 1]] as const) {
            const t = withWasi()
            const app = await t.rt.install("cmd", await wasiImage(), true, ["cmd", arg])
            await t.runFor(1000, () => app.state !== AppState.RUNNING)
            expect(app.exitCode).toBe(code)
            expect(app.lastError).toBe(code === 1 ? "_start: unreachable" : null)
            expect(t.host.lines).toEqual([])
        }
    })

    it("an SDK-style command's main: its result is the exit code", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("main", await appImage(MAIN_APP), true)
        await t.runFor(100, () => app.state !== AppState.RUNNING)
        expect(t.host.lines).toEqual(["main: main"])
        expect(app.exitCode).toBe(42)
        expect(t.host.notes).toEqual(["main: exited with code 42"])
    })
})
