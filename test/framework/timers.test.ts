// Timers through the framework's natives: periods, one-shot, cancel/restart/destroy, the per-app
// limit, and that every timer of an app is gone when it is uninstalled. Virtual time: exact.
import { describe, expect, it } from "vitest"
import { makeRuntime, watImage } from "./helpers"

// on_init creates the timers the test asks for through exported globals; each callback records
// (id, tick) pairs at 8*n in memory.
const TIMER_APP = `(module
  (import "env" "memory" (memory 1))
  (import "env" "wasm_create_timer" (func $create (param i32 i32 i32) (result i32)))
  (import "env" "wasm_timer_cancel" (func $cancel (param i32)))
  (import "env" "wasm_timer_restart" (func $restart (param i32 i32)))
  (import "env" "wasm_timer_destroy" (func $destroy (param i32)))
  (import "env" "wasm_get_sys_tick_ms" (func $tick (result i32)))
  (global $n (mut i32) (i32.const 0))
  (func (export "create") (param i32 i32 i32) (result i32) (call $create (local.get 0) (local.get 1) (local.get 2)))
  (func (export "cancel") (param i32) (call $cancel (local.get 0)))
  (func (export "restart") (param i32 i32) (call $restart (local.get 0) (local.get 1)))
  (func (export "destroy") (param i32) (call $destroy (local.get 0)))
  (func (export "on_init") (drop (call $create (i32.const 100) (i32.const 1) (i32.const 1))) (drop (call $create (i32.const 250) (i32.const 0) (i32.const 1))))
  (func (export "on_timer_callback") (param $id i32)
    (i32.store (i32.mul (global.get $n) (i32.const 8)) (local.get $id))
    (i32.store (i32.add (i32.mul (global.get $n) (i32.const 8)) (i32.const 4)) (call $tick))
    (global.set $n (i32.add (global.get $n) (i32.const 1))))
  (func (export "count") (result i32) (global.get $n)))`

function fired(rt: any, name: string): [number, number][] {
    const app = rt.find(name)
    const n = countOf(app)
    const out: [number, number][] = []
    for (let i = 0; i < n; i++) out.push([app.memory.load(i * 8, 4), app.memory.load(i * 8 + 4, 4)])
    return out
}
function countOf(app: any): number {
    // records end at the first id 0 (memory starts zeroed)
    let n = 0
    while (app.memory.load(n * 8, 4) !== 0) n++
    return n
}

describe("framework timers", () => {
    it("fire periodically and once, at exact virtual times, in order", async () => {
        const t = makeRuntime()
        await t.rt.install("tm", await watImage(TIMER_APP), true)
        await t.runFor(1050)
        const f = fired(t.rt, "tm")
        // timer 1 every 100 ms, timer 2 once at 250 ms
        const one = f.filter(x => x[0] === 1).map(x => x[1])
        const two = f.filter(x => x[0] === 2).map(x => x[1])
        expect(one).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
        expect(two).toEqual([250])
        // callbacks are delivered in time order
        const ticks = f.map(x => x[1])
        expect([...ticks].sort((a, b) => a - b)).toEqual(ticks)
    })

    it("cancel, restart, destroy and the per-app limit", async () => {
        const t = makeRuntime({ limits: { timersPerApp: 3 } })
        const app = await t.rt.install("tm", await watImage(TIMER_APP), true)
        await t.runFor(1) // on_init: timers 1 and 2
        // drive the natives through the app's own exports, with arguments, as the app would
        const { Execution, callSync, ExternKind } = await import("../../interpreter/index")
        const ex = new Execution(4096, 16)
        const run = (name: string, ...args: number[]) => {
            args.forEach((a, i) => ex.stack.setAt(i * 8, "i32", a))
            t.rt.running = app
            callSync(ex, app.inst, app.inst.module.findExport(name, ExternKind.FUNC))
            t.rt.running = null
            return ex.stack.getAt(0, "i32")
        }
        expect(run("create", 50, 0, 0)).toBe(3) // idle until restarted
        expect(run("create", 50, 0, 0)).toBe(-1) // limit 3
        run("cancel", 1) // the periodic one
        run("destroy", 2) // the one-shot, before it fires
        expect(run("create", 70, 0, 1)).toBe(2) // slot 2 is free again
        const t0 = t.clock.now()
        run("restart", 3, 30)
        await t.runFor(200)
        const f = fired(t.rt, "tm")
        expect(f.filter(x => x[0] === 1)).toEqual([])
        expect(f.filter(x => x[0] === 3).map(x => x[1])).toEqual([t0 + 30])
        expect(f.filter(x => x[0] === 2).map(x => x[1])).toEqual([t0 + 70])
        run("restart", 1, 10) // a cancelled timer can be restarted: periodic again
        const t1 = t.clock.now()
        await t.runFor(35)
        expect(fired(t.rt, "tm").filter(x => x[0] === 1).map(x => x[1])).toEqual([t1 + 10, t1 + 20, t1 + 30])
        // invalid ids are ignored, not trapped
        run("cancel", 99)
        run("restart", -5, 10)
        expect(app.traps).toBe(0)
    })

    it("an uninstalled app's timers stop and its arena pages come back", async () => {
        const t = makeRuntime()
        const free0 = t.arena.freePages
        await t.rt.install("tm", await watImage(TIMER_APP), false)
        await t.runFor(150)
        expect(t.arena.freePages).toBeLessThan(free0)
        expect(await t.rt.uninstall("tm")).toBe(true)
        expect(t.arena.freePages).toBe(free0)
        expect(t.rt.find("tm")).toBe(null)
        await t.runFor(500) // nothing left to fire
        expect(t.rt.apps.length).toBe(0)
    })
})
