// The fixed arena: apps draw linear-memory pages from their own account; a full quota traps
// that app alone with what it needed, other apps keep running, and removing an app returns
// its pages.
import { describe, it, expect, vi } from "vitest"
import * as platform from "../../interpreter/platform/index"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, instantiate, Arena, Limits, Instance, ARENA_PAGE, Execution, callSync, callExport, ExternKind, DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH, Table } from "../../interpreter/index"
import { instanceUsage } from "../../interpreter/usage"
import { watToWasm, call } from "./helpers"

const APP = `(module (memory 2)
  (func (export "touch") (param i32 i32) (result i32) (local i32)
    ;; writes one byte every 1 KiB from address $0, $1 times; returns how many
    (block (loop
      (br_if 1 (i32.ge_u (local.get 2) (local.get 1)))
      (i32.store8 (i32.add (local.get 0) (i32.shl (local.get 2) (i32.const 10))) (i32.const 1))
      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
      (br 0)))
    (local.get 2))
  (func (export "read") (param i32) (result i32) (i32.load (local.get 0))))`

async function app(arena: Arena, quota: number): Promise<Instance> {
    const limits = new Limits()
    limits.account = arena.account("app", quota)
    return instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(APP)))), null, limits)
}

/** i32 call through the shared test helper. */
function invoke(inst: Instance, name: string, args: number[]): number {
    return call(inst, name, args)[0] as number
}

describe("fixed arena", () => {
    it("memory is sparse: declaring 2 pages costs nothing, touching 3 KB costs 3 pages (and its chunk table)", async () => {
        const arena = new Arena(16 * ARENA_PAGE)
        const inst = await app(arena, 8 * ARENA_PAGE)
        expect(inst.memory.byteLength).toBe(2 * 65536)
        expect(invoke(inst, "read", [5000])).toBe(0) // untouched memory reads as zero, costs nothing
        expect(inst.memory.chunkCount).toBe(0)
        expect(invoke(inst, "touch", [0, 3])).toBe(3)
        expect(inst.memory.chunkCount).toBe(3)
        // 3 chunk pages, and one small-block page holding the chunk table (64 entries x 4 B)
        expect(inst.memory.account.used).toBe(4 * ARENA_PAGE)
        expect(arena.freePages).toBe(12)
        const u = instanceUsage(inst)
        expect(u.memoryPages).toBe(2)
        expect(u.memoryTouchedBytes).toBe(3 * ARENA_PAGE)
        expect(u.imageBytes).toBe(inst.module.length)
        expect(u.imageBytes).toBeGreaterThan(100)
    })

    it("a full quota traps that app alone, saying what it needed; the other app runs on", async () => {
        const arena = new Arena(16 * ARENA_PAGE)
        const greedy = await app(arena, 4 * ARENA_PAGE)
        const modest = await app(arena, 4 * ARENA_PAGE)
        expect(() => invoke(greedy, "touch", [0, 10])).toThrow(/out of arena memory for linear memory: needed 1024 bytes, available 0 of the app's 4096/)
        expect(greedy.memory.account.used).toBe(4 * ARENA_PAGE)
        expect(invoke(modest, "touch", [0, 3])).toBe(3) // (its 4th page holds its chunk table)
        // the trapped app is still usable: reading what it wrote before the trap works
        expect(invoke(greedy, "read", [0])).toBe(1)
    })

    it("an exhausted arena traps with the free byte count; dispose returns the pages", async () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const a = await app(arena, 8 * ARENA_PAGE) // its first write also takes a page for the chunk table
        const b = await app(arena, 8 * ARENA_PAGE)
        expect(invoke(a, "touch", [0, 5])).toBe(5)
        expect(() => invoke(b, "touch", [0, 2])).toThrow(/out of arena memory for linear memory: needed 1024 bytes, the arena has 0 free/)
        a.dispose()
        expect(arena.freePages).toBe(6)
        expect(invoke(b, "touch", [0, 2])).toBe(2)
        // pages come back zeroed
        expect(invoke(b, "read", [3 * 1024])).toBe(0)
    })

    it("memory.fill of whole chunks costs no pages; a later write materialises just one", async () => {
        const arena = new Arena(4 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("fill", 4 * ARENA_PAGE)
        const wasm = await watToWasm(`(module (memory 1)
          (func (export "fill") (param i32 i32 i32) (memory.fill (local.get 0) (local.get 1) (local.get 2)))
          (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
          (func (export "poke") (param i32 i32) (i32.store8 (local.get 0) (local.get 1)))
          (func (export "peek") (param i32) (result i32) (i32.load (local.get 0)))
          (func (export "peek16") (param i32) (result i32) (i32.load16_u (local.get 0))))`)
        const inst = instantiate(loadImage(Buffer.from(compileToImage(wasm))), null, limits)
        expect(limits.account.used).toBe(0) // declared memory costs nothing
        const table = ARENA_PAGE // from the first fill on: the small-block page with the chunk table
        invoke(inst, "fill", [0, 0x55, 0x8000])
        invoke(inst, "fill", [0x8000, 0xaa, 0x8000])
        expect(limits.account.used).toBe(table)
        expect(invoke(inst, "peek", [0x7ffe]) >>> 0).toBe(0xaaaa5555)
        expect(invoke(inst, "peek16", [100])).toBe(0x5555)
        invoke(inst, "copy", [0x9000, 0x1000, 0x2000]) // whole uniform chunks: still no pages
        expect(limits.account.used).toBe(table)
        expect(invoke(inst, "peek", [0x9400]) >>> 0).toBe(0x55555555)
        invoke(inst, "poke", [0x9401, 7])
        expect(limits.account.used).toBe(table + ARENA_PAGE)
        expect(invoke(inst, "peek", [0x9400]) >>> 0).toBe(0x55550755)
        invoke(inst, "fill", [10, 0x11, 5]) // partial fill of a uniform chunk: a run list (64 B, beside the table)
        expect(limits.account.used).toBe(table + ARENA_PAGE)
        expect(invoke(inst, "peek", [10]) >>> 0).toBe(0x11111111)
        expect(invoke(inst, "peek", [12]) >>> 0).toBe(0x55111111)
        expect(invoke(inst, "peek", [14]) >>> 0).toBe(0x55555511)
    })
})

const GLOBALS = `(module
  (global $g (export "g") (mut i32) (i32.const 7))
  (global $h (mut i64) (i64.const 9))
  (table 3 funcref)
  (func (export "bump") (result i32) (global.set $g (i32.add (global.get $g) (i32.const 1))) (global.get $g)))`

describe("stacks, globals and tables in the arena", () => {
    it("an execution's stacks come from the app's account and go back on release", async () => {
        const arena = new Arena(16 * ARENA_PAGE)
        const account = arena.account("app", 8 * ARENA_PAGE)
        const ex = new Execution(DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH, account)
        expect(ex.bytes()).toBe(4 * ARENA_PAGE) // value stack + frame records: four pages exactly
        expect(account.used).toBe(4 * ARENA_PAGE)
        expect(ex.stack).toBe(arena.buf)
        const limits = new Limits()
        limits.account = account
        const inst = instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(APP)))), null, limits)
        ex.stack.writeInt32LE(0, ex.base)
        ex.stack.writeInt32LE(2, ex.base + 8)
        callSync(ex, inst, inst.module.findExport("touch", ExternKind.FUNC))
        expect(ex.stack.readInt32LE(ex.base)).toBe(2)
        expect(account.used).toBe(7 * ARENA_PAGE) // + 2 memory pages touched + the chunk table's page
        expect(instanceUsage(inst).arenaBytes).toBe(7 * ARENA_PAGE)
        ex.release()
        expect(account.used).toBe(3 * ARENA_PAGE)
        expect(instanceUsage(inst).arenaBytes).toBe(3 * ARENA_PAGE)
    })

    it("a deep recursion in arena stacks traps with call stack exhausted, not a crash", async () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const account = arena.account("app", 8 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = account
        const inst = instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(`(module (func $f (export "f") (param i32) (result i32) (call $f (i32.add (local.get 0) (i32.const 1)))))`)))), null, limits)
        const ex = new Execution(1024, 100, account) // the value stack (1 KiB) runs out first
        expect(() => callSync(ex, inst, inst.module.findExport("f", ExternKind.FUNC))).toThrow(/call stack exhausted/)
        expect(account.used).toBe(2 * ARENA_PAGE)
        // and the execution is usable again afterwards
        ex.stack.writeInt32LE(99, ex.base)
        expect(() => callSync(ex, inst, inst.module.findExport("f", ExternKind.FUNC))).toThrow(/call stack exhausted/)
    })

    it("globals and small tables share one page of the app's account; dispose frees it", async () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("app", 8 * ARENA_PAGE)
        const mod = loadImage(Buffer.from(compileToImage(await watToWasm(GLOBALS))))
        const a = instantiate(mod, null, limits)
        const b = instantiate(mod, null, limits)
        expect(limits.account.used).toBe(ARENA_PAGE) // 2 x (12 B of globals + 12 B of table)
        expect(instanceUsage(a).globalBytes).toBe(16)
        expect(call(a, "bump")[0]).toBe(8)
        expect(call(a, "bump")[0]).toBe(9)
        expect(call(b, "bump")[0]).toBe(8) // each instance has its own
        a.dispose()
        expect(limits.account.used).toBe(ARENA_PAGE)
        expect(call(b, "bump")[0]).toBe(9)
        b.dispose()
        expect(limits.account.used).toBe(0)
        expect(arena.freePages).toBe(8)
    })

    it("an imported global outlives its exporter's dispose", async () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("app", 8 * ARENA_PAGE)
        const exporter = instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(GLOBALS)))), null, limits)
        const g = exporter.getExport("g")
        const importer = instantiate(
            loadImage(Buffer.from(compileToImage(await watToWasm(`(module (global $g (import "m" "g") (mut i32)) (func (export "get") (result i32) (global.get $g)))`)))),
            () => g,
            limits,
        )
        call(exporter, "bump")
        exporter.dispose()
        expect(limits.account.used).toBe(ARENA_PAGE) // still held: the importer reads it
        // new allocations must not land on it
        instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(GLOBALS)))), null, limits)
        expect(call(importer, "get")[0]).toBe(8)
    })

    it("an instance stopped by a limit gives back what it had allocated", async () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("app", 8 * ARENA_PAGE)
        limits.maxMemoryPages = 1
        const mod = loadImage(Buffer.from(compileToImage(await watToWasm(`(module (global (mut i32) (i32.const 1)) (table 2 funcref) (memory 2))`))))
        expect(() => instantiate(mod, null, limits)).toThrow(/memory of 2 pages exceeds the limit of 1 pages/)
        expect(limits.account.used).toBe(0)
    })
})

describe("per-app limits (from the board profile)", () => {
    const REC = `(module (func $f (export "f") (param i32) (result i32)
        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1))))))))`
    async function inst(set: (l: Limits) => void): Promise<Instance> {
        const limits = new Limits()
        limits.account = new Arena(16 * ARENA_PAGE).account("app", 8 * ARENA_PAGE)
        set(limits)
        return instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(REC)))), null, limits)
    }
    it("call depth: callExport's execution has the app's depth", async () => {
        const i = await inst(l => (l.callDepth = 6))
        expect(await callExport(i, "f", [5])).toBe(5)
        await expect(callExport(i, "f", [6])).rejects.toThrow(/call stack exhausted/)
        expect(i.account().used).toBe(0) // the temporary stacks went back
    })
    it("stacks count against the app's arena quota", async () => {
        const i = await inst(l => (l.stackBytes = 8 * ARENA_PAGE))
        await expect(callExport(i, "f", [1])).rejects.toThrow(/out of arena memory for stacks: needed 9216 bytes, available 8192/)
    })
    it("fuel per slice: a long call yields more often with less fuel", async () => {
        const loop = `(module (func (export "spin") (param i32) (result i32) (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))) (local.get 0)))`
        const yields = async (fuel: number) => {
            const limits = new Limits()
            limits.sliceFuel = fuel
            const i = instantiate(loadImage(Buffer.from(compileToImage(await watToWasm(loop)))), null, limits)
            let n = 0
            const spy = vi.spyOn(platform, "yieldSlice").mockImplementation(async () => void n++)
            try {
                expect(await callExport(i, "spin", [3000])).toBe(0)
            } finally {
                spy.mockRestore()
            }
            return n
        }
        const few = await yields(20000)
        const many = await yields(200)
        expect(many).toBeGreaterThan(few * 10)
    })
})

describe("table bulk operations (a few Buffer calls, not one per element)", () => {
    const model = (n: number) => Array.from({ length: n }, (_, i) => i + 1)
    it("fill and copy agree with an array model, overlapping copies in both directions included", () => {
        const arena = new Arena(16 * ARENA_PAGE)
        const account = arena.account("t", 16 * ARENA_PAGE)
        for (const size of [1, 7, 64, 1000]) {
            const t = new Table(size, size, 0x70, account)
            const u = new Table(size, size, 0x70, account)
            let want = model(size)
            for (let k = 0; k < size; k++) t.set(k, want[k])
            for (const [d, s, n] of [[0, 0, size], [1, 0, size - 1], [0, 1, size - 1], [3, 1, Math.max(0, size - 3)], [1, 3, Math.max(0, size - 3)], [size >> 1, 0, size - (size >> 1)]] as number[][]) {
                if (n <= 0) continue
                t.copyFrom(t, d, s, n)
                want = [...want.slice(0, d), ...want.slice(s, s + n), ...want.slice(d + n)]
                for (let k = 0; k < size; k++) expect(t.get(k), `copy ${d} ${s} ${n} at ${k}`).toBe(want[k])
            }
            u.copyFrom(t, 0, 0, size)
            for (let k = 0; k < size; k++) expect(u.get(k)).toBe(want[k])
            for (const [i, v, n] of [[0, 9, size], [1, 0, size - 1], [size >> 2, 12345, size - (size >> 2)]]) {
                if (n <= 0) continue
                t.fill(i, v, n)
                for (let k = i; k < i + n; k++) want[k] = v
                for (let k = 0; k < size; k++) expect(t.get(k), `fill ${i} ${v} ${n} at ${k}`).toBe(want[k])
            }
            t.release()
            u.release()
        }
        expect(account.used).toBe(0)
    })
})
