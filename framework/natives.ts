// The native side of WAMR's app interface (../shared/wamr-app-abi.md §2): base (resources,
// requests, responses, events, timers, tick), sensor and connection, plus what the runtime's libc
// leaves to the host (console output, exit, abort, clocks). Each native acts for the app that is
// running (rt.running) and checks every pointer against that app's memory (guest.ts).
import { Trap } from "../interpreter/index"
import { App } from "./app"
import { arg, checked, readCString, readGuest, setI64 } from "./guest"
import { PEER_AT, requestValid, responseValid, setU32BE } from "./packets"
import type { Runtime } from "./runtime"
import { MAX_URL } from "./runtime"
import { defineWasi } from "./wasi"

const E = "env."

function timerSlot(app: App, id: number): number {
    const t = id - 1
    return t >= 0 && t < app.tInterval.length && app.tInterval[t] >= 0 ? t : -1
}

function sensorClient(rt: Runtime, app: App, id: number): number {
    return id >= 0 && id < rt.cApp.length && rt.cApp[id] === app ? id : -1
}

function ret(S: Buffer, at: number, v: number): void {
    S.setAt(at, "i32", v)
}

export function defineNatives(rt: Runtime): void {
    // ---- requests, responses, events
    rt.def(E + "wasm_register_resource", "i", "", (S, at, app) => rt.registerResource(app, readCString(app.memory, arg(S, at, 0), MAX_URL)))
    rt.def(E + "wasm_post_request", "ii", "", (S, at, app) => {
        const b = readGuest(app.memory, arg(S, at, 0), arg(S, at, 1))
        if (!requestValid(b)) return
        setU32BE(b, PEER_AT, app.id)
        rt.route(b)
    })
    rt.def(E + "wasm_response_send", "ii", "i", (S, at, app) => {
        const b = readGuest(app.memory, arg(S, at, 0), arg(S, at, 1))
        const ok = responseValid(b)
        if (ok) rt.respond(b)
        ret(S, at, ok ? 1 : 0)
    })
    rt.def(E + "wasm_sub_event", "i", "", (S, at, app) => rt.subscribe(app, readCString(app.memory, arg(S, at, 0), MAX_URL)))

    // ---- timers: ids are slot + 1; a free slot has interval -1
    rt.def(E + "wasm_create_timer", "iii", "i", (S, at, app) => {
        let t = app.tInterval.indexOf(-1)
        if (t < 0) {
            if (app.tInterval.length >= rt.limits.timersPerApp) {
                ret(S, at, -1)
                return
            }
            t = app.tInterval.length
            app.tInterval.push(0)
            app.tDue.push(-1)
            app.tPeriodic.push(false)
        }
        const iv = arg(S, at, 0)
        app.tInterval[t] = iv < 0 ? 0 : iv
        app.tPeriodic[t] = arg(S, at, 1) !== 0
        app.tDue[t] = arg(S, at, 2) !== 0 ? rt.clock.now() + app.tInterval[t] : -1
        ret(S, at, t + 1)
    })
    rt.def(E + "wasm_timer_restart", "ii", "", (S, at, app) => {
        const t = timerSlot(app, arg(S, at, 0))
        if (t < 0) return
        const iv = arg(S, at, 1)
        app.tInterval[t] = iv < 0 ? 0 : iv
        app.tDue[t] = rt.clock.now() + app.tInterval[t]
    })
    rt.def(E + "wasm_timer_cancel", "i", "", (S, at, app) => {
        const t = timerSlot(app, arg(S, at, 0))
        if (t >= 0) app.tDue[t] = -1
    })
    rt.def(E + "wasm_timer_destroy", "i", "", (S, at, app) => {
        const t = timerSlot(app, arg(S, at, 0))
        if (t < 0) return
        app.tDue[t] = -1
        app.tInterval[t] = -1
    })
    rt.def(E + "wasm_get_sys_tick_ms", "", "i", (S, at) => ret(S, at, rt.clock.now() | 0))

    // ---- sensors: ids index the runtime's client table
    rt.def(E + "wasm_sensor_open", "ii", "i", (S, at, app) => {
        const name = readCString(app.memory, arg(S, at, 0), MAX_URL)
        const inst = arg(S, at, 1)
        let s = -1
        for (let k = 0; k < rt.sensors.length; k++) if (rt.sensors[k].name === name && rt.sensors[k].instance === inst) s = k
        for (let c = 0; c < rt.cApp.length && s >= 0; c++) if (rt.cApp[c] === app && rt.cSrc[c] === s) s = -1
        if (s < 0) {
            ret(S, at, -1)
            return
        }
        let c = rt.cApp.indexOf(null)
        if (c < 0) {
            c = rt.cApp.length
            rt.cApp.push(null)
            rt.cSrc.push(0)
            rt.cInterval.push(0)
        }
        rt.cApp[c] = app
        rt.cSrc[c] = s
        rt.cInterval[c] = rt.sensors[s].intervalMs
        if (rt.srcDue[s] < rt.clock.now()) rt.srcDue[s] = rt.clock.now() + rt.sensors[s].intervalMs
        ret(S, at, c)
    })
    rt.def(E + "wasm_sensor_config", "iiii", "i", (S, at, app) => {
        const c = sensorClient(rt, app, arg(S, at, 0))
        if (c >= 0) {
            const iv = arg(S, at, 1)
            rt.cInterval[c] = iv < 0 ? 0 : iv
            rt.srcDue[rt.cSrc[c]] = rt.clock.now() + rt.cInterval[c]
        }
        ret(S, at, c >= 0 ? 1 : 0)
    })
    rt.def(E + "wasm_sensor_config_with_attr_container", "iii", "i", (S, at, app) => {
        checked(app.memory, arg(S, at, 1), arg(S, at, 2))
        ret(S, at, sensorClient(rt, app, arg(S, at, 0)) >= 0 ? 1 : 0)
    })
    rt.def(E + "wasm_sensor_close", "i", "i", (S, at, app) => {
        const c = sensorClient(rt, app, arg(S, at, 0))
        if (c >= 0) rt.cApp[c] = null
        ret(S, at, c >= 0 ? 1 : 0)
    })

    // ---- connections: no network stack is wired to apps yet, so every open fails and says why
    rt.def(E + "wasm_open_connection", "iii", "i", (S, at, app) => {
        const name = readCString(app.memory, arg(S, at, 0), MAX_URL)
        checked(app.memory, arg(S, at, 1), arg(S, at, 2))
        rt.write(app, `wasmlet: connection ${name}: not available on this board\n`)
        ret(S, at, -1)
    })
    rt.def(E + "wasm_close_connection", "i", "", () => {})
    rt.def(E + "wasm_send_on_connection", "iii", "i", (S, at, app) => {
        checked(app.memory, arg(S, at, 1), arg(S, at, 2))
        ret(S, at, -1)
    })
    rt.def(E + "wasm_config_connection", "iii", "i", (S, at, app) => {
        checked(app.memory, arg(S, at, 1), arg(S, at, 2))
        ret(S, at, 0)
    })

    // ---- what the libc leaves to the runtime
    rt.def("wasmlet.console_write", "ii", "", (S, at, app) => rt.write(app, readGuest(app.memory, arg(S, at, 0), arg(S, at, 1)).toString()))
    rt.def(E + "exit", "i", "", (S, at) => {
        throw new Trap(`env.exit(${arg(S, at, 0)})`)
    })
    rt.def(E + "abort", "i", "", (S, at) => {
        throw new Trap(`env.abort(${arg(S, at, 0)})`)
    })
    // clock(): microseconds of uptime (CLOCKS_PER_SEC 1000000), an i64
    rt.def(E + "clock", "", "I", (S, at) => {
        const us = rt.clock.now() * 1000
        const hi = Math.floor(us / 4294967296)
        S.setAt(at, "i32", (us - hi * 4294967296) | 0)
        S.setAt(at + 4, "i32", hi)
    })
    // clock_gettime(clk, ts): struct { i64 tv_sec; i32 tv_nsec }
    rt.def(E + "clock_gettime", "ii", "i", (S, at, app) => {
        const ms = rt.clock.now()
        const ts = arg(S, at, 1)
        setI64(app.memory, ts, Math.floor(ms / 1000), 0)
        app.memory.store(checked(app.memory, ts + 8, 4), 4, (ms % 1000) * 1000000)
        ret(S, at, 0)
    })

    defineWasi(rt)
}
