// The stack bound the host records in an image: for call chains the bound is exact (the call
// succeeds with stacks of exactly that size and traps "call stack exhausted" with one value
// slot or one frame less); a call_indirect through tables the module keeps to itself costs its
// worst possible target; the bound is unknown (0) when recursion is reachable, a call_indirect
// could reach anything, or an import's cost is not known.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileToImage, compileApp } from "../../compiler/index"
import type { ImageStats, ImportCostFn, StackNeed } from "../../compiler/index"
import { loadImage, instantiate, Execution, callSync, ExternKind, Trap, Instance, FuncRef, HostFunc } from "../../interpreter/index"
import type { ImportResolver } from "../../interpreter/index"
import { wat } from "./helpers"

/** Runs export `name` with i32 argument `arg` on fresh stacks of the given size: its result, or the trap. */
function runWith(inst: Instance, name: string, need: StackNeed, arg = 0): number | string {
    const ex = new Execution(need.stackBytes, need.depth)
    ex.stack.writeInt32LE(arg, 0)
    try {
        callSync(ex, inst, inst.module.findExport(name, ExternKind.FUNC))
    } catch (e) {
        if (e instanceof Trap) return e.message
        throw e
    }
    return ex.stack.readInt32LE(0)
}

/** The bound is exact for export `name`: enough, and one slot or one frame less is not. */
function expectExact(inst: Instance, name: string, need: StackNeed, result: number, arg = 0): void {
    expect(need.depth).toBeGreaterThan(0)
    expect(runWith(inst, name, need, arg)).toBe(result)
    expect(runWith(inst, name, { stackBytes: need.stackBytes - 8, depth: need.depth }, arg)).toBe("call stack exhausted")
    expect(runWith(inst, name, { stackBytes: need.stackBytes, depth: need.depth - 1 }, arg)).toBe("call stack exhausted")
}

// d has the biggest frame (many locals), reached through a chain of four calls; "wide" needs
// more bytes with fewer frames; "shallow" is a single frame.
const CHAIN = `(module
  (func $d (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 1 (i64.extend_i32_s (local.get 0)))
    (i32.wrap_i64 (i64.add (local.get 1) (i64.const 1))))
  (func $c (param i32) (result i32) (local i32 i32)
    (local.set 1 (i32.const 10)) (local.set 2 (i32.const 20))
    (i32.add (i32.add (local.get 1) (local.get 2)) (call $d (local.get 0))))
  (func $b (param i32) (result i32)
    (i32.add (i32.const 100) (i32.add (i32.const 1) (i32.mul (i32.const 2) (call $c (local.get 0))))))
  (func $a (export "chain") (param i32) (result i32)
    (call $b (i32.add (local.get 0) (i32.const 1))))
  (func $big (param i32) (result i32) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (local.set 20 (i64.const 5)) (i32.add (local.get 0) (i32.wrap_i64 (local.get 20))))
  (func (export "wide") (param i32) (result i32) (local i32 i32 i32)
    (i32.add (local.get 1) (i32.add (local.get 2) (i32.add (local.get 3) (call $big (local.get 0))))))
  (func (export "shallow") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))`

describe("stack bound of an image", () => {
    it("a call chain gets exactly the bound, per export and over all exports in the header", async () => {
        const stats: ImageStats = { codeBytes: 0, functions: [] }
        const image = compileToImage(await wat(CHAIN), stats)
        const b = stats.stack!
        const mod = loadImage(Buffer.from(image))
        const inst = instantiate(mod, null)
        const chain = b.exports.get("chain")!
        const wide = b.exports.get("wide")!
        const shallow = b.exports.get("shallow")!
        expect(chain.depth).toBe(4)
        expect(wide.depth).toBe(2)
        expect(shallow).toEqual({ stackBytes: b.frameBytes[6], depth: 1 })
        expectExact(inst, "chain", chain, 100 + 1 + 2 * (30 + 7), 5)
        expectExact(inst, "wide", wide, 12, 7)
        expectExact(inst, "shallow", shallow, 21, 7)
        // the header: the worst of each over all exports
        expect(mod.stackBytesNeeded).toBe(Math.max(chain.stackBytes, wide.stackBytes, shallow.stackBytes))
        expect(mod.callDepthNeeded).toBe(4)
        expect(b.stackBytes).toBe(mod.stackBytesNeeded)
        expect(b.unknownBecause).toBe("")
        // "wide" needs more value stack than "chain" with half the frames: the two maxima come from different exports
        expect(wide.stackBytes).toBeGreaterThan(chain.stackBytes)
        expect(runWith(inst, "chain", { stackBytes: mod.stackBytesNeeded, depth: mod.callDepthNeeded }, 5)).toBe(175)
    })

    it("the start function counts like an export", async () => {
        const stats: ImageStats = { codeBytes: 0, functions: [] }
        const image = compileToImage(await wat(`(module (global $g (mut i32) (i32.const 0))
          (func $leaf (param i32) (result i32) (local i64 i64 i64 i64) (i32.add (local.get 0) (i32.const 1)))
          (func $mid (param i32) (result i32) (call $leaf (call $leaf (local.get 0))))
          (func $init (global.set $g (call $mid (i32.const 1))))
          (start $init)
          (func (export "get") (result i32) (global.get $g)))`), stats)
        expect(stats.stack!.start).toEqual({ stackBytes: stats.stack!.start!.stackBytes, depth: 3 })
        const mod = loadImage(Buffer.from(image))
        expect(mod.callDepthNeeded).toBe(3)
        expect(mod.stackBytesNeeded).toBe(stats.stack!.start!.stackBytes)
        // instantiation runs the start function on stacks of exactly that size, then not quite
        const exact = new Execution(mod.stackBytesNeeded, mod.callDepthNeeded)
        expect(runWith(instantiate(mod, null, undefined, exact), "get", { stackBytes: 8, depth: 1 })).toBe(3)
        expect(() => instantiate(mod, null, undefined, new Execution(mod.stackBytesNeeded - 8, 3))).toThrow("call stack exhausted")
        expect(() => instantiate(mod, null, undefined, new Execution(mod.stackBytesNeeded, 2))).toThrow("call stack exhausted")
    })

    it("reachable recursion (direct or through call_indirect) makes the bound unknown (0); unreachable recursion does not", async () => {
        const bound = async (src: string) => {
            const stats: ImageStats = { codeBytes: 0, functions: [] }
            const mod = loadImage(Buffer.from(compileToImage(await wat(src), stats)))
            return { mod, b: stats.stack! }
        }
        const rec = await bound(`(module
          (func $f (export "f") (param i32) (result i32) (if (result i32) (local.get 0) (then (call $g (local.get 0))) (else (i32.const 0))))
          (func $g (param i32) (result i32) (call $f (i32.sub (local.get 0) (i32.const 1))))
          (func (export "ok") (result i32) (i32.const 1)))`)
        expect([rec.mod.stackBytesNeeded, rec.mod.callDepthNeeded]).toEqual([0, 0])
        expect(rec.b.exports.get("f")).toEqual({ stackBytes: 0, depth: 0 })
        expect(rec.b.exports.get("ok")!.depth).toBe(1)
        expect(rec.b.unknownBecause).toMatch(/recursion through function/)

        // call_indirect through a table the module keeps to itself, with a reference to a recursive function
        const indRec = await bound(`(module (type $t (func (param i32) (result i32))) (table 1 funcref) (elem (i32.const 0) $r)
          (func $r (type $t) (call_indirect (type $t) (local.get 0) (i32.const 0)))
          (func (export "f") (param i32) (result i32) (call_indirect (type $t) (local.get 0) (i32.const 0))))`)
        expect([indRec.mod.stackBytesNeeded, indRec.mod.callDepthNeeded]).toEqual([0, 0])
        expect(indRec.b.unknownBecause).toMatch(/recursion through function 0/)

        const unreachable = await bound(`(module
          (func $r (param i32) (result i32) (call $r (local.get 0)))
          (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`)
        expect(unreachable.mod.callDepthNeeded).toBe(1)
        expect(unreachable.mod.stackBytesNeeded).toBe(unreachable.b.frameBytes[1])
    })

    it("call_indirect through closed tables: the worst function of the call's type that the module ever references", async () => {
        // $small and $large have the call's type, $huge does not (and is in the table all the same)
        const src = (extra: string) => `(module (type $t (func (param i32) (result i32))) ${extra}
          (table 3 funcref) (elem (i32.const 0) $small $large $huge)
          (func $small (type $t) (i32.add (local.get 0) (i32.const 1)))
          (func $leaf (param i32) (result i32) (local i64 i64 i64 i64 i64) (i32.mul (local.get 0) (i32.const 2)))
          (func $large (type $t) (local i64 i64 i64) (call $leaf (local.get 0)))
          (func $huge (param i64) (result i64) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (local.get 0))
          (func $unlisted (type $t) (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (local.get 0))
          (func (export "pick") (param i32) (result i32) (call_indirect (type $t) (i32.const 21) (local.get 0))))`
        const stats: ImageStats = { codeBytes: 0, functions: [] }
        const mod = loadImage(Buffer.from(compileToImage(await wat(src("")), stats)))
        const pick = stats.stack!.exports.get("pick")!
        expect(pick.depth).toBe(3) // pick -> $large -> $leaf
        const frames = stats.stack!.frameBytes
        expect(pick.stackBytes).toBeLessThan(frames[3]) // $huge's frame (another type) does not count
        expect(pick.stackBytes).toBeLessThan(frames[4]) // nor does $unlisted's (never referenced)
        const inst = instantiate(mod, null)
        expectExact(inst, "pick", pick, 42, 1)
        expect(runWith(inst, "pick", pick, 0)).toBe(22)
        expect(runWith(inst, "pick", pick, 2)).toBe("indirect call type mismatch")
        // tables that are not closed: anything could be in them
        for (const [extra, why] of [
            [`(export "tab" (table 0))`, /an exported table \(tab\)/],
            [`(func (export "take") (param funcref))`, /an exported function taking a function reference \(take\)/],
            [`(import "m" "g" (global funcref))`, /an imported function reference \(m.g\)/],
            [`(import "m" "f" (func (result funcref)))`, /an imported function returning a function reference \(m.f\)/],
            [`(global (export "g") (mut funcref) (ref.null func))`, /an exported mutable function reference \(g\)/],
        ] as const) {
            const s2: ImageStats = { codeBytes: 0, functions: [] }
            compileToImage(await wat(src(extra)), s2, () => "host")
            expect(s2.stack!.callDepth).toBe(0)
            expect(s2.stack!.unknownBecause).toMatch(why)
        }
        // an imported table
        const s3: ImageStats = { codeBytes: 0, functions: [] }
        compileToImage(await wat(`(module (import "m" "t" (table 1 funcref)) (func (export "f") (call_indirect (i32.const 0))))`), s3)
        expect(s3.stack!.unknownBecause).toBe("call_indirect in function 0 with an imported table (m.t)")
        // a function referenced only by ref.func in code can still end up in the table
        const s4: ImageStats = { codeBytes: 0, functions: [] }
        const refd = loadImage(Buffer.from(compileToImage(await wat(`(module (type $t (func (result i32))) (table 1 funcref) (elem declare func $deep)
          (func $leaf (result i32) (local i64 i64 i64 i64 i64 i64) (i32.const 5))
          (func $deep (type $t) (call $leaf))
          (func (export "f") (param i32) (result i32)
            (if (local.get 0) (then (table.set (i32.const 0) (ref.func $deep))))
            (call_indirect (type $t) (i32.const 0))))`), s4)))
        const f = s4.stack!.exports.get("f")!
        expect(f.depth).toBe(3)
        expectExact(instantiate(refd, null), "f", f, 5, 1)
    })

    it("imports: a host function runs on the caller's frame; another instance's function costs its own bound", async () => {
        // the "libc": its exported function has a two-frame bound of its own
        const lib = compileApp(await wat(`(module (memory (import "env" "memory") 1)
          (func $inner (param i32) (result i32) (local i64 i64 i64) (i32.load (local.get 0)))
          (func (export "peek") (param i32) (result i32) (i32.add (i32.const 1) (call $inner (local.get 0)))))`), { importCost: () => "host" })
        const peek = lib.stack.exports.get("peek")!
        expect(peek.depth).toBe(2)
        const appWasm = await wat(`(module
          (import "env" "peek" (func $peek (param i32) (result i32)))
          (import "env" "wasm_get_sys_tick_ms" (func $tick (result i32)))
          (memory (export "memory") 1) (data (i32.const 16) "\\2a")
          (func $twice (param i32) (result i32) (i32.add (call $tick) (call $peek (local.get 0))))
          (func (export "run") (param i32) (result i32) (local i32 i32) (i32.add (i32.const 1000) (call $twice (local.get 0)))))`)
        // without the libc's cost the bound is unknown; with it, exact
        expect(compileApp(appWasm).stack.callDepth).toBe(0)
        expect(compileApp(appWasm).stack.unknownBecause).toBe("import env.peek of unknown cost")
        const costs: ImportCostFn = (module, name) => (name === "peek" ? peek : "host")
        const app = compileApp(appWasm, { importCost: costs })
        const run = app.stack.exports.get("run")!
        expect(run.depth).toBe(2 + peek.depth)
        // the object form charges the libc's cost to every env import but the natives: the same here
        expect(compileApp(appWasm, { importCost: peek }).stack.exports.get("run")).toEqual(run)

        const { Memory, defaultAccount } = await import("../../interpreter/index")
        const memory = new Memory(1, 1, defaultAccount())
        const libInst = instantiate(loadImage(Buffer.from(lib.image)), (m, n) => (n === "memory" ? memory : null))
        const resolve: ImportResolver = (m, n, kind) => {
            if (n === "memory") return memory
            if (n === "peek") return new FuncRef(libInst, libInst.module.findExport("peek", ExternKind.FUNC))
            return new HostFunc("", "i", (S, at) => S.writeInt32LE(7, at))
        }
        const inst = instantiate(loadImage(Buffer.from(app.image)), resolve)
        expectExact(inst, "run", run, 1000 + 7 + 1 + 42, 16)
        expect(app.stack.stackBytes).toBe(run.stackBytes)
    })
})

describe("Limits.fitStacks", () => {
    it("takes the largest bound of the modules, or keeps the defaults when one is unknown", async () => {
        const { Limits, DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH } = await import("../../interpreter/index")
        const known = loadImage(Buffer.from(compileToImage(await wat(CHAIN))))
        const one = loadImage(Buffer.from(compileToImage(await wat(`(module (func (export "f") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)))`))))
        const rec = loadImage(Buffer.from(compileToImage(await wat(`(module (func $f (export "f") (call $f)))`))))
        expect(one.stackBytesNeeded).toBeGreaterThan(known.stackBytesNeeded)
        const lim = new Limits()
        expect(lim.fitStacks([known, one])).toBe(true)
        expect([lim.stackBytes, lim.callDepth]).toEqual([one.stackBytesNeeded, known.callDepthNeeded])
        const lim2 = new Limits()
        expect(lim2.fitStacks([known, rec])).toBe(false)
        expect([lim2.stackBytes, lim2.callDepth]).toEqual([DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH])
    })
})
