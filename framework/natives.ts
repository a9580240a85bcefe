// The native side of WAMR's app interface (../shared/wamr-app-abi.md §2): base (resources,
// requests, responses, events, timers, tick), sensor and connection, plus what the runtime's libc
// (sdk/libc) and WASI adapter (sdk/wasi) leave to the host: console output, arguments, exit,
// abort and the clock. Each native acts for the app that is running (rt.running) and checks every
// pointer against that app's memory (guest.ts).
//
// Why a table and one dispatcher instead of a function per native: DeviceScript charges 16 B of
// bytecode per function on top of its code, and the firmware's bytecode is nearly full. The
// names and signatures are one string literal (literals cost no bytecode); a HostFunc is made
// only when an app imports that native (each costs heap).
import { HostFunc, Trap } from "../interpreter/index"
import { App } from "./app"
import { MAX_COPY, arg, checked, readCString, readGuest } from "./guest"
import { PEER_AT, requestValid, responseValid, setU32BE } from "./packets"
import type { Runtime } from "./runtime"

/** Longest url an app may register, subscribe or name a sensor with (WAMR: 256). */
export const MAX_URL = 256

// "module.name:params:results", in the order of the N enum below.
const TABLE = [
    "wasmlet.console_write:ii:",
    "env.wasm_post_request:ii:",
    "env.wasm_response_send:ii:i",
    "env.wasm_register_resource:i:",
    "env.wasm_sub_event:i:",
    "env.wasm_create_timer:iii:i",
    "env.wasm_timer_restart:ii:",
    "env.wasm_timer_cancel:i:",
    "env.wasm_timer_destroy:i:",
    "env.wasm_get_sys_tick_ms::i",
    "env.wasm_sensor_open:ii:i",
    "env.wasm_sensor_config:iiii:i",
    "env.wasm_sensor_config_with_attr_container:iii:i",
    "env.wasm_sensor_close:i:i",
    "env.wasm_open_connection:iii:i",
    "env.wasm_close_connection:i:",
    "env.wasm_send_on_connection:iii:i",
    "env.wasm_config_connection:iii:i",
    "env.exit:i:",
    "env.abort:i:",
    "env.clock::I",
    "env.clock_gettime:ii:i",
    "wasmlet.args_count::i",
    "wasmlet.args_copy:ii:i",
    "wasmlet.proc_exit:i:",
]

const enum N {
    CONSOLE_WRITE,
    POST_REQUEST,
    RESPONSE_SEND,
    REGISTER_RESOURCE,
    SUB_EVENT,
    CREATE_TIMER,
    TIMER_RESTART,
    TIMER_CANCEL,
    TIMER_DESTROY,
    TICK,
    SENSOR_OPEN,
    SENSOR_CONFIG,
    SENSOR_CONFIG_ATTR,
    SENSOR_CLOSE,
    OPEN_CONNECTION,
    CLOSE_CONNECTION,
    SEND_ON_CONNECTION,
    CONFIG_CONNECTION,
    EXIT,
    ABORT,
    CLOCK,
    CLOCK_GETTIME,
    ARGS_COUNT,
    ARGS_COPY,
    PROC_EXIT,
}

export class Natives {
    private funcs: HostFunc[] = []

    constructor(private readonly rt: Runtime) {}

    /** The native module.name, or null. */
    find(module: string, name: string): HostFunc {
        const key = module + "." + name + ":"
        for (let i = 0; i < TABLE.length; i++) {
            const e = TABLE[i]
            if (e.indexOf(key) !== 0) continue
            if (this.funcs[i] === undefined || this.funcs[i] === null) {
                const c = e.indexOf(":", key.length)
                this.funcs[i] = this.make(i, e.slice(key.length, c), e.slice(c + 1))
            }
            return this.funcs[i]
        }
        return null
    }

    private make(i: number, params: string, results: string): HostFunc {
        const self = this // DeviceScript: no `this` inside arrow functions
        return new HostFunc(params, results, (S: Buffer, at: number) => self.call(i, S, at, self.rt.running))
    }

    private call(n: number, S: Buffer, at: number, app: App): void {
        const rt = this.rt
        const mem = app.memory
        const a0 = arg(S, at, 0)
        const a1 = arg(S, at, 1)
        let r = 0
        if (n === N.CONSOLE_WRITE) {
            // copied into the heap in pieces, whatever its length
            checked(mem, a0, a1)
            for (let o = 0; o < a1 >>> 0; o += MAX_COPY) rt.write(app, readGuest(mem, a0 + o, Math.min(MAX_COPY, (a1 >>> 0) - o)).toString())
        } else if (n === N.POST_REQUEST) {
            const b = readGuest(mem, a0, a1)
            if (!requestValid(b)) return
            setU32BE(b, PEER_AT, app.id)
            rt.route(b)
        } else if (n === N.RESPONSE_SEND) {
            const b = readGuest(mem, a0, a1)
            if (responseValid(b)) {
                rt.respond(b)
                r = 1
            }
        } else if (n === N.REGISTER_RESOURCE) rt.registerResource(app, readCString(mem, a0, MAX_URL))
        else if (n === N.SUB_EVENT) rt.subscribe(app, readCString(mem, a0, MAX_URL))
        else if (n <= N.TICK) r = this.timer(n, app, a0, a1, arg(S, at, 2))
        else if (n <= N.SENSOR_CLOSE) {
            if (n === N.SENSOR_CONFIG_ATTR) checked(mem, a1, arg(S, at, 2))
            r = this.sensor(n, app, a0, a1)
        }
        else if (n <= N.CONFIG_CONNECTION) {
            // through the runtime's connection provider; without one every open fails and says why
            const cp = rt.connections
            const data = n === N.CLOSE_CONNECTION ? null : readGuest(mem, a1, arg(S, at, 2))
            if (n === N.OPEN_CONNECTION) {
                const name = readCString(mem, a0, MAX_URL)
                r = cp === null ? -1 : cp.open(app, name, data)
                if (cp === null) rt.write(app, `wasmlet: connection ${name}: no network stack for apps on this board\n`)
            } else if (cp === null) r = -1
            else if (n === N.CLOSE_CONNECTION) cp.close(app, a0)
            else if (n === N.SEND_ON_CONNECTION) r = cp.send(app, a0, data)
            else r = cp.config(app, a0, data) ? 1 : 0
        } else if (n === N.EXIT || n === N.ABORT) throw new Trap(`env.${n === N.EXIT ? "exit" : "abort"}(${a0})`)
        else if (n === N.CLOCK) {
            // microseconds of uptime (CLOCKS_PER_SEC 1000000), an i64
            const us = rt.clock.now() * 1000
            const hi = Math.floor(us / 4294967296)
            S.setAt(at + 4, "i32", hi)
            r = (us - hi * 4294967296) | 0
        } else if (n === N.CLOCK_GETTIME) {
            // struct { i64 tv_sec; i32 tv_nsec }
            const ms = rt.clock.now()
            const p = checked(mem, a1, 12)
            mem.store(p, 4, Math.floor(ms / 1000))
            mem.store(p + 4, 4, 0)
            mem.store(p + 8, 4, (ms % 1000) * 1000000)
        } else if (n === N.ARGS_COUNT) r = app.args.length
        else if (n === N.ARGS_COPY) {
            const b = Buffer.from(app.args.length === 0 ? "" : app.args.join("\u0000") + "\u0000")
            if (a1 >>> 0 >= b.length) mem.writeBytes(checked(mem, a0, b.length), b, 0, b.length)
            r = b.length
        } else if (n === N.PROC_EXIT) {
            app.exitCode = a0 >>> 0
            throw new Trap(`proc_exit(${app.exitCode})`)
        }
        S.setAt(at, "i32", r)
    }

    /** Timers: ids are slot + 1; a free slot has interval -1. */
    private timer(n: number, app: App, a0: number, a1: number, a2: number): number {
        const now = this.rt.clock.now()
        if (n === N.TICK) return now | 0
        if (n === N.CREATE_TIMER) {
            let t = app.tInterval.indexOf(-1)
            if (t < 0) {
                if (app.tInterval.length >= this.rt.limits.timersPerApp) return -1
                t = app.tInterval.length
                app.tInterval.push(0)
                app.tDue.push(-1)
                app.tPeriodic.push(false)
            }
            app.tInterval[t] = a0 < 0 ? 0 : a0
            app.tPeriodic[t] = a1 !== 0
            app.tDue[t] = a2 !== 0 ? now + app.tInterval[t] : -1
            return t + 1
        }
        const t = a0 - 1
        if (t < 0 || t >= app.tInterval.length || app.tInterval[t] < 0) return 0
        app.tDue[t] = -1
        if (n === N.TIMER_RESTART) {
            app.tInterval[t] = a1 < 0 ? 0 : a1
            app.tDue[t] = now + app.tInterval[t]
        } else if (n === N.TIMER_DESTROY) app.tInterval[t] = -1
        return 0
    }

    /** Sensors: ids index the runtime's client table; -1 / 0 when the id is not this app's. */
    private sensor(n: number, app: App, a0: number, a1: number): number {
        const rt = this.rt
        const now = rt.clock.now()
        if (n === N.SENSOR_OPEN) {
            const name = readCString(app.memory, a0, MAX_URL)
            let s = -1
            for (let k = 0; k < rt.sensors.length; k++) if (rt.sensors[k].name === name && rt.sensors[k].instance === a1) s = k
            for (let c = 0; c < rt.cApp.length && s >= 0; c++) if (rt.cApp[c] === app && rt.cSrc[c] === s) s = -1
            if (s < 0) return -1
            let c = rt.cApp.indexOf(null)
            if (c < 0) {
                c = rt.cApp.length
                rt.cApp.push(null)
                rt.cSrc.push(0)
                rt.cInterval.push(0)
                rt.cDue.push(0)
            }
            rt.cApp[c] = app
            rt.cSrc[c] = s
            rt.cInterval[c] = rt.sensors[s].intervalMs
            rt.cDue[c] = now + rt.cInterval[c]
            return c
        }
        const c = a0 >= 0 && a0 < rt.cApp.length && rt.cApp[a0] === app ? a0 : -1
        if (c < 0) return 0
        if (n === N.SENSOR_CONFIG) {
            rt.cInterval[c] = a1 < 0 ? 0 : a1
            rt.cDue[c] = now + rt.cInterval[c]
        } else if (n === N.SENSOR_CLOSE) rt.cApp[c] = null
        return 1
    }
}
