// Every native of framework/natives.ts called by an app (the probe in apps.ts) from its
// callbacks, with good arguments (the effect is there) and with bad pointers and lengths: past
// the memory, ptr+len wrapping around 2^32, a negative length, an unterminated or overlong string.
// A bad one traps that app only ("out of bounds memory access", lastError names the callback);
// the app stays installed and handles its next message; the other app never notices.
import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { AppState } from "../../framework/app"
import type { App } from "../../framework/app"
import { ACTION_EVENT, HOST_ID, packRequest, packResponse } from "../../framework/packets"
import { testSensors } from "../../framework/test-sensors"
import { NATIVES, PROBE, probeApp } from "./apps"
import { appImage, decodeRequest, decodeResponse, hostGet, settle } from "./fw-helpers"
import { makeRuntime, TestRuntime } from "./helpers"

const OOB = "out of bounds memory access"
const MEM = 65536
const ARGS = ["probe", "a", "bc"]

interface Rig {
    t: TestRuntime
    probe: App
    other: App
    /** Calls native `name` from the probe's on_request; returns the trap (lastError) or null, and the result. */
    call(name: string, args: number[], app?: App): Promise<{ trap: string | null; result: number; hi: number }>
    /** Bytes into the probe's memory. */
    put(at: number, bytes: Buffer | string, app?: App): void
}

async function rig(): Promise<Rig> {
    const t = makeRuntime({ sensors: testSensors() })
    const img = await appImage(probeApp())
    const probe = await t.rt.install("probe", img, true, ARGS)
    const other = await t.rt.install("other", img, true)
    await settle(t, [probe, other])
    let mid = 1
    const put = (at: number, bytes: Buffer | string, app = probe) => {
        const b = typeof bytes === "string" ? Buffer.from(bytes) : bytes
        app.memory.writeBytes(at, b, 0, b.length)
    }
    const call = async (name: string, args: number[], app = probe) => {
        const i = NATIVES.findIndex(n => n.name === name)
        if (i < 0) throw new Error(`no native ${name}`)
        app.memory.store(PROBE.SELECT, 4, i + 1)
        for (let k = 0; k < 4; k++) app.memory.store(PROBE.ARGS + 4 * k, 4, args[k] ?? 0)
        const traps = app.traps
        const entered = app.memory.load(PROBE.ENTERED, 4)
        expect(hostGet(t, `/app/${app.name}/call`, mid++)).toBe(true)
        await settle(t, [probe, other])
        expect(app.memory.load(PROBE.ENTERED, 4)).toBe(entered + 1) // the callback ran
        return { trap: app.traps > traps ? app.lastError : null, result: app.memory.load(PROBE.RESULT, 4) | 0, hi: app.memory.load(PROBE.RESULT_HI, 4) | 0 }
    }
    return { t, probe, other, call, put }
}

const D = PROBE.DATA
/** (ptr, len) pairs that must trap: past the end, running over the end, wrapping around 2^32, negative length. */
const BAD_BUFFERS: [string, number, number][] = [
    ["ptr past memory", MEM, 1],
    ["ptr+len past memory", MEM - 6, 16],
    ["ptr+len wraps around", 0xfffffff0 | 0, 32],
    ["negative len", D, -1],
]
/** Bad string pointers (the setup writes what they point at). */
const BAD_STRINGS: [string, number, (r: Rig) => void][] = [
    ["ptr past memory", MEM, () => {}],
    ["ptr wraps around", -1, () => {}],
    ["unterminated at the end of memory", MEM - 6, r => r.put(MEM - 6, "abcdef")],
    ["longer than 256 bytes", D, r => r.put(D, "x".repeat(300) + "\0")],
]

/** Checks a trapping call, then that the app goes on: its next message runs a native. */
async function expectTrapThenRecover(r: Rig, name: string, args: number[], what: string) {
    const before = r.probe.traps
    const c = await r.call(name, args)
    expect(c.trap, `${name} with ${what}`).toBe(`on_request: ${OOB}`)
    expect(r.probe.traps).toBe(before + 1)
    expect(r.probe.state).toBe(AppState.RUNNING)
    expect(r.t.rt.find("probe")).toBe(r.probe)
    r.put(D + 900, "still here\n")
    const lines = r.t.host.lines.length
    expect((await r.call("console_write", [D + 900, 11])).trap).toBe(null)
    expect(r.t.host.lines.slice(lines)).toEqual(["probe: still here"])
}

describe("framework natives", () => {
    it("the test covers every native in the framework's table", () => {
        const src = readFileSync(join(import.meta.dirname, "../../framework/natives.ts"), "utf8")
        const table = [...src.matchAll(/^\s*"([a-z_]+\.[a-z_]+):([iI]*):([iI]*)",$/gm)].map(m => `${m[1]}:${m[2]}:${m[3]}`)
        expect(table.length).toBeGreaterThan(20)
        expect(NATIVES.map(n => `${n.module}.${n.name}:${n.params}:${n.results}`)).toEqual(table)
    })

    it("console_write: bytes to the console; bad buffers trap", async () => {
        const r = await rig()
        r.put(D, "hello\nwor")
        expect((await r.call("console_write", [D, 9])).trap).toBe(null)
        r.put(D, "ld\n")
        await r.call("console_write", [D, 3])
        expect(r.t.host.lines).toEqual(["probe: hello", "probe: world"])
        for (const [what, p, n] of BAD_BUFFERS) await expectTrapThenRecover(r, "console_write", [p, n], what)
    })

    it("wasm_post_request: sender set to the app; invalid packets ignored; bad buffers trap", async () => {
        const r = await rig()
        r.t.rt.hostSubscribe("ev")
        const ev = packRequest(ACTION_EVENT, "ev", 0, 42, 12345, Buffer.from("data"))
        r.put(D, ev)
        expect((await r.call("wasm_post_request", [D, ev.length])).trap).toBe(null)
        expect(r.t.host.events.map(decodeRequest)).toEqual([{ action: ACTION_EVENT, mid: 42, sender: r.probe.id, url: "ev" }])
        // one byte short: the sizes no longer add up, so it is dropped without a trap
        expect((await r.call("wasm_post_request", [D, ev.length - 1])).trap).toBe(null)
        expect(r.t.host.events.length).toBe(1)
        for (const [what, p, n] of BAD_BUFFERS) await expectTrapThenRecover(r, "wasm_post_request", [p, n], what)
    })

    it("wasm_response_send: 1 and delivered, 0 for an invalid packet; bad buffers trap", async () => {
        const r = await rig()
        const resp = packResponse(69, 0, 7, HOST_ID, Buffer.from("ok"))
        r.put(D, resp)
        expect(await r.call("wasm_response_send", [D, resp.length])).toMatchObject({ trap: null, result: 1 })
        expect(r.t.host.responses.map(decodeResponse)).toEqual([{ status: 69, fmt: 0, mid: 7, receiver: HOST_ID, payload: Buffer.from("ok") }])
        expect(await r.call("wasm_response_send", [D, resp.length + 1])).toMatchObject({ trap: null, result: 0 })
        expect(r.t.host.responses.length).toBe(1)
        for (const [what, p, n] of BAD_BUFFERS) await expectTrapThenRecover(r, "wasm_response_send", [p, n], what)
    })

    it("wasm_register_resource and wasm_sub_event: take effect; bad strings trap", async () => {
        const r = await rig()
        r.put(D, "/res\0ev2\0")
        await r.call("wasm_register_resource", [D])
        await r.call("wasm_sub_event", [D + 5])
        r.probe.memory.store(PROBE.SELECT, 4, 0)
        const entered = () => r.probe.memory.load(PROBE.ENTERED, 4)
        const e0 = entered()
        hostGet(r.t, "/res/x", 100)
        await settle(r.t, [r.probe])
        expect(entered()).toBe(e0 + 1)
        r.t.rt.hostRequest(packRequest(ACTION_EVENT, "ev2", 0, 101, 0, null))
        await settle(r.t, [r.probe])
        expect(entered()).toBe(e0 + 2)
        expect(r.other.memory.load(PROBE.ENTERED, 4)).toBe(1) // only its on_init
        for (const native of ["wasm_register_resource", "wasm_sub_event"]) {
            for (const [what, p, setup] of BAD_STRINGS) {
                setup(r)
                await expectTrapThenRecover(r, native, [p], what)
            }
        }
    })

    it("timers and the tick take no pointers: odd ids are ignored, not trapped", async () => {
        const r = await rig()
        r.t.clock.t = 777
        expect(await r.call("wasm_get_sys_tick_ms", [])).toMatchObject({ trap: null, result: 777 })
        expect(await r.call("wasm_create_timer", [50, 0, 0])).toMatchObject({ trap: null, result: 1 })
        for (const name of ["wasm_timer_restart", "wasm_timer_cancel", "wasm_timer_destroy"]) {
            for (const id of [0, -1, 99, 0x7fffffff]) expect((await r.call(name, [id, 10])).trap).toBe(null)
        }
        expect(r.probe.traps).toBe(0)
    })

    it("sensors: open by name and instance, config, close; bad name strings and buffers trap", async () => {
        const r = await rig()
        r.put(D, "sensor_test1\0nothing\0")
        const open = await r.call("wasm_sensor_open", [D, 0])
        expect(open.result).toBeGreaterThanOrEqual(0)
        const id = open.result
        expect((await r.call("wasm_sensor_open", [D, 0])).result).toBe(-1) // already open
        expect((await r.call("wasm_sensor_open", [D, 1])).result).toBe(-1) // no instance 1
        expect((await r.call("wasm_sensor_open", [D + 13, 0])).result).toBe(-1) // unknown name
        r.put(D, "sensor_test1\0", r.other)
        expect((await r.call("wasm_sensor_open", [D, 0], r.other)).result).toBeGreaterThanOrEqual(0) // another app may
        expect((await r.call("wasm_sensor_config", [id, 100, 0, 0])).result).toBe(1)
        expect((await r.call("wasm_sensor_config", [id + 1, 100, 0, 0])).result).toBe(0) // the other app's
        expect((await r.call("wasm_sensor_config_with_attr_container", [id, D, 4])).result).toBe(1)
        expect((await r.call("wasm_sensor_config_with_attr_container", [-1, D, 4])).result).toBe(0)
        for (const [what, p, setup] of BAD_STRINGS) {
            setup(r)
            await expectTrapThenRecover(r, "wasm_sensor_open", [p, 0], what)
        }
        for (const [what, p, n] of BAD_BUFFERS) await expectTrapThenRecover(r, "wasm_sensor_config_with_attr_container", [id, p, n], what)
        expect((await r.call("wasm_sensor_close", [id])).result).toBe(1)
        expect((await r.call("wasm_sensor_close", [id])).result).toBe(0) // no longer its
        r.put(D, "sensor_test1\0")
        expect((await r.call("wasm_sensor_open", [D, 0])).result).toBeGreaterThanOrEqual(0) // can reopen
    })

    it("connections without a network stack: open fails with -1 and says why; bad pointers trap", async () => {
        const r = await rig()
        r.put(D, "TCP\0args")
        expect(await r.call("wasm_open_connection", [D, D + 4, 4])).toMatchObject({ trap: null, result: -1 })
        expect(r.t.host.lines).toEqual([expect.stringMatching(/^probe: wasmlet: connection TCP: .+/)])
        expect((await r.call("wasm_send_on_connection", [3, D, 4])).result).toBe(-1)
        expect((await r.call("wasm_config_connection", [3, D, 4])).trap).toBe(null)
        expect((await r.call("wasm_close_connection", [3])).trap).toBe(null)
        for (const [what, p, setup] of BAD_STRINGS) {
            setup(r)
            await expectTrapThenRecover(r, "wasm_open_connection", [p, D, 4], what)
        }
        for (const [what, p, n] of BAD_BUFFERS) {
            await expectTrapThenRecover(r, "wasm_open_connection", [D, p, n], what)
            await expectTrapThenRecover(r, "wasm_send_on_connection", [3, p, n], what)
            await expectTrapThenRecover(r, "wasm_config_connection", [3, p, n], what)
        }
    })

    it("connections through a provider: it gets the app, the name and the exact bytes", async () => {
        const r = await rig()
        const seen: string[] = []
        r.t.rt.connections = {
            open: (app, name, args) => (seen.push(`open ${app.name} ${name} ${args.toString()}`), 5),
            send: (app, h, data) => (seen.push(`send ${app.name} ${h} ${data.toString()}`), data.length),
            config: (app, h, args) => (seen.push(`config ${app.name} ${h} ${args.toString()}`), true),
            close: (app, h) => void seen.push(`close ${app.name} ${h}`),
            closeAll: app => void seen.push(`closeAll ${app.name}`),
        }
        r.put(D, "UDP\0port=9\0hello")
        expect((await r.call("wasm_open_connection", [D, D + 4, 6])).result).toBe(5)
        expect((await r.call("wasm_send_on_connection", [5, D + 11, 5])).result).toBe(5)
        expect((await r.call("wasm_config_connection", [5, D + 4, 6])).result).toBe(1)
        await r.call("wasm_close_connection", [5])
        await expectTrapThenRecover(r, "wasm_send_on_connection", [5, MEM - 2, 5], "ptr+len past memory")
        await r.t.rt.uninstall("probe")
        expect(seen).toEqual(["open probe UDP port=9", "send probe 5 hello", "config probe 5 port=9", "close probe 5", "closeAll probe"])
    })

    it("clock is µs as an i64, clock_gettime fills {i64 sec, i32 nsec}; a bad timespec traps", async () => {
        const r = await rig()
        r.t.clock.t = 5_000_123 // 5e9 µs and more: the high word is used
        const c = await r.call("clock", [])
        expect(c.hi * 2 ** 32 + (c.result >>> 0)).toBe(5_000_123_000)
        expect(await r.call("clock_gettime", [0, D])).toMatchObject({ trap: null, result: 0 })
        const m = r.probe.memory
        expect([m.load(D, 4), m.load(D + 4, 4), m.load(D + 8, 4)]).toEqual([5000, 0, 123_000_000])
        await expectTrapThenRecover(r, "clock_gettime", [0, MEM - 8], "12 bytes over the end")
        await expectTrapThenRecover(r, "clock_gettime", [0, -4], "ptr wraps around")
    })

    it("args_count and args_copy: NUL-separated args; a short buffer gets nothing; a bad one traps", async () => {
        const r = await rig()
        expect((await r.call("args_count", [])).result).toBe(3)
        r.put(D, Buffer.alloc(16, 0xee))
        expect((await r.call("args_copy", [D, 10])).result).toBe(11) // too small: only the size
        expect(r.probe.memory.readBytes(D, 11)).toEqual(Buffer.alloc(11, 0xee))
        expect((await r.call("args_copy", [D, 11])).result).toBe(11)
        expect(r.probe.memory.readBytes(D, 12).toString("latin1")).toBe("probe\0a\0bc\0\xee")
        await expectTrapThenRecover(r, "args_copy", [MEM - 4, 64], "ptr+len past memory")
        await expectTrapThenRecover(r, "args_copy", [-2, 64], "ptr wraps around")
    })

    it("exit and abort trap the callback with their code; proc_exit ends the app with its code", async () => {
        const r = await rig()
        expect((await r.call("exit", [3])).trap).toBe("on_request: env.exit(3)")
        expect((await r.call("abort", [5])).trap).toBe("on_request: env.abort(5)")
        expect(r.probe.state).toBe(AppState.RUNNING)
        await r.call("proc_exit", [7])
        expect(r.probe.state).toBe(AppState.EXITED)
        expect(r.probe.exitCode).toBe(7)
        expect(r.t.host.notes).toContain("probe: exited with code 7")
        // an exited app takes no more requests: the host is told so
        hostGet(r.t, "/app/probe/x", 900)
        expect(decodeResponse(r.t.host.responses.at(-1)).status).toBe(163)
    })

    it("the other app is unaffected by all of it, and a trap names the callback it happened in", async () => {
        const r = await rig()
        for (const [, p, n] of BAD_BUFFERS) await r.call("console_write", [p, n])
        expect(r.probe.traps).toBe(BAD_BUFFERS.length)
        // from on_timer_callback: the probe arms a timer, then its callback makes the bad call
        await r.call("wasm_create_timer", [10, 0, 1])
        r.probe.memory.store(PROBE.SELECT, 4, 1) // console_write, bad buffer
        r.probe.memory.store(PROBE.ARGS, 4, MEM)
        r.probe.memory.store(PROBE.ARGS + 4, 4, 4)
        await r.t.runFor(30)
        expect(r.probe.lastError).toBe(`on_timer_callback: ${OOB}`)
        expect(r.t.host.notes).toContain(`probe: on_timer_callback trapped: ${OOB}`)
        r.put(D, "other ok\n", r.other)
        expect((await r.call("console_write", [D, 9], r.other)).trap).toBe(null)
        expect(r.t.host.lines.at(-1)).toBe("other: other ok")
        expect(r.other.traps).toBe(0)
        expect(r.other.lastError).toBe(null)
        expect(r.other.memory.load(PROBE.CALLS, 4)).toBe(1)
    })

    it("a bad pointer in on_init: the app traps there and is stopped (WAMR: on_destroy, then no more callbacks)", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("early", await appImage(probeApp()), true)
        app.memory.store(PROBE.SELECT, 4, 1)
        app.memory.store(PROBE.ARGS, 4, MEM + 100)
        app.memory.store(PROBE.ARGS + 4, 4, 1)
        await settle(t, [app])
        expect(app.lastError).toBe(`on_init: ${OOB}`)
        expect(app.state).toBe(AppState.STOPPED)
        expect(t.rt.find("early")).toBe(app)
        hostGet(t, "/app/early/x", 1)
        expect(decodeResponse(t.host.responses[0]).status).toBe(163)
    })
})
