// Linear memory without pages: untouched, uniform and run-length chunks (memory-runs.ts) must
// read exactly like a flat byte array under any mix of fills, copies and stores, cost far less
// than pages, and give everything back on release.
import { describe, it, expect, vi } from "vitest"
import "../../interpreter/platform/node-core"
import * as platform from "../../interpreter/platform/index"
import { compileToImage } from "../../compiler/index"
import { Arena, ARENA_PAGE, Memory, Limits, instantiate, loadImage, callExport } from "../../interpreter/index"
import { watToWasm, seededRandom } from "./helpers"
import { copyWithin } from "../../interpreter/memory"


function memoryWithModel(pages = 1, arenaPages = 128) {
    const arena = new Arena(arenaPages * ARENA_PAGE)
    const account = arena.account("app", arenaPages * ARENA_PAGE)
    const mem = new Memory(pages, pages, account)
    const model = new Uint8Array(pages * 65536)
    const same = () => {
        for (let a = 0; a < model.length; a += 1) if (mem.loadByte(a) !== model[a]) return `byte ${a}: ${mem.loadByte(a)} != ${model[a]}`
        return ""
    }
    return { arena, account, mem, model, same }
}

describe("run-length chunks", () => {
    it("partial fills and copies of filled ranges take no pages (memory_copy.wast's pattern)", () => {
        const { account, mem, model, same } = memoryWithModel()
        const r = seededRandom(1)
        for (let i = 0; i < 40; i++) {
            const at = r(60000)
            const n = 1 + r(3000)
            const v = 1 + r(255)
            mem.fill(at, v, n)
            model.fill(v, at, at + n)
        }
        for (let i = 0; i < 60; i++) {
            const n = 1 + r(3000)
            const src = r(65536 - n)
            const dst = r(65536 - n)
            copyWithin(mem, dst, src, n)
            model.copyWithin(dst, src, src + n)
        }
        expect(same()).toBe("")
        // 64 KiB of content in far fewer bytes than its 64 pages
        expect(mem.chunkCount).toBeLessThan(8)
        expect(account.used).toBeLessThan(16 * ARENA_PAGE)
    })

    it("loads of every width read through runs, across run and chunk edges", () => {
        const { mem, model } = memoryWithModel()
        mem.fill(1000, 0x11, 30)
        mem.fill(1020, 0x22, 10)
        mem.fill(1023, 0x33, 3) // across the chunk edge at 1024
        for (const [a, n, v] of [[1000, 30, 0x11], [1020, 10, 0x22], [1023, 3, 0x33]]) model.fill(v, a, a + n)
        const dv = new DataView(model.buffer)
        for (let a = 990; a < 1040; a++) {
            expect(mem.load(a, 1)).toBe(model[a])
            expect(mem.load(a, 2)).toBe(dv.getUint16(a, true))
            expect(mem.load(a, 4)).toBe(dv.getInt32(a, true))
        }
        expect(mem.chunkCount).toBe(0)
    })

    it("a store into a run-length chunk turns it into a page holding the same bytes", () => {
        const { account, mem, model, same } = memoryWithModel()
        mem.fill(100, 7, 50)
        mem.fill(300, 9, 50)
        model.fill(7, 100, 150)
        model.fill(9, 300, 350)
        expect(mem.chunkCount).toBe(0)
        mem.store(120, 4, 0x01020304)
        new DataView(model.buffer).setInt32(120, 0x01020304, true)
        expect(mem.chunkCount).toBe(1)
        expect(same()).toBe("")
        // the slots went back when the page came: the account holds that page and the
        // small-block page with the chunk table
        expect(account.used).toBe(2 * ARENA_PAGE)
    })

    it("too many runs for a slot make a page; whole-chunk fills make it uniform again", () => {
        const { mem, model, same } = memoryWithModel()
        for (let k = 0; k < 30; k++) {
            mem.fill(2048 + k * 20, k + 1, 10)
            model.fill(k + 1, 2048 + k * 20, 2048 + k * 20 + 10)
        }
        expect(mem.chunkCount).toBe(1)
        expect(same()).toBe("")
        mem.fill(2048, 5, 1024)
        model.fill(5, 2048, 3072)
        expect(mem.chunkCount).toBe(0)
        expect(same()).toBe("")
    })

    it("random fills, copies (both directions, overlapping) and stores read like a flat array", () => {
        for (let seed = 1; seed <= 6; seed++) {
            const { account, mem, model, same } = memoryWithModel(1, 256)
            const dv = new DataView(model.buffer)
            const r = seededRandom(seed * 7919)
            for (let i = 0; i < 400; i++) {
                const what = r(10)
                if (what < 4) {
                    const n = r(2) ? 1 + r(40) : 1 + r(2500)
                    const at = r(65536 - n)
                    const v = r(4) === 0 ? 0 : r(256)
                    mem.fill(at, v, n)
                    model.fill(v, at, at + n)
                } else if (what < 8) {
                    const n = r(2) ? 1 + r(40) : 1 + r(2500)
                    const src = r(65536 - n)
                    const dst = r(3) === 0 ? Math.min(65536 - n, Math.max(0, src + r(64) - 32)) : r(65536 - n)
                    copyWithin(mem, dst, src, n)
                    model.copyWithin(dst, src, src + n)
                } else {
                    const w = [1, 2, 4][r(3)]
                    const at = r(65536 - w)
                    const v = r(0x7fffffff)
                    mem.store(at, w, v)
                    if (w === 1) model[at] = v & 0xff
                    else if (w === 2) dv.setUint16(at, v & 0xffff, true)
                    else dv.setInt32(at, v, true)
                }
                if (i % 100 === 99) expect(same()).toBe("")
            }
            expect(same()).toBe("")
            mem.release()
            expect(account.used).toBe(0)
        }
    })
})

describe("the chunk table", () => {
    it("costs nothing until a write; grows with the highest chunk written, keeping every entry", () => {
        const arena = new Arena(64 * ARENA_PAGE)
        const account = arena.account("app", 64 * ARENA_PAGE)
        const mem = new Memory(1, 1000, account)
        expect(account.used).toBe(0)
        expect(mem.grow(800)).toBe(1) // 801 pages, sparse: still nothing
        expect(account.used).toBe(0)
        expect(mem.load(800 * 65536 + 5, 4)).toBe(0)
        mem.store(10, 4, 0x11223344) // chunk 0: a page and a 64-entry table
        mem.fill(3000, 9, 20) // chunk 2: a run list
        expect(mem.tableChunks).toBe(64)
        mem.store(70 * 1024, 1, 0x55) // chunk 70: the table doubles to 128 entries
        expect(mem.tableChunks).toBe(128)
        mem.store(60 * 65536 + 7, 2, 0xbeef) // chunk 3840: the table covers it (4 B a chunk, 15 KB)
        expect(mem.tableChunks).toBe(3841)
        expect(mem.load(10, 4)).toBe(0x11223344)
        expect(mem.loadByte(3005)).toBe(9)
        expect(mem.loadByte(70 * 1024)).toBe(0x55)
        expect(mem.load(60 * 65536 + 7, 2)).toBe(0xbeef)
        expect(mem.loadByte(69 * 1024)).toBe(0)
        mem.release()
        expect(account.used).toBe(0)
        expect(mem.byteLength).toBe(0)
    })

    it("a table the quota cannot hold traps before anything changes", () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const account = arena.account("app", 2 * ARENA_PAGE)
        const mem = new Memory(100, 100, account)
        mem.store(0, 1, 1) // table (1 page) + chunk (1 page)
        expect(() => mem.store(99 * 65536, 1, 1)).toThrow(/out of arena memory for linear memory's chunk table/)
        expect(account.used).toBe(2 * ARENA_PAGE)
        expect(mem.loadByte(0)).toBe(1)
        expect(mem.loadByte(99 * 65536)).toBe(0)
    })
})

describe("a long memory.copy over run lists", () => {
    it("is done in parts across slices, and the memory ends as V8's", async () => {
        const wat = `(module (memory (export "mem") 1)
          (func (export "prep") (local $k i32)
            (loop $l
              (memory.fill (local.get $k) (i32.add (i32.and (i32.shr_u (local.get $k) (i32.const 4)) (i32.const 127)) (i32.const 1)) (i32.const 40))
              (local.set $k (i32.add (local.get $k) (i32.const 150)))
              (br_if $l (i32.lt_u (local.get $k) (i32.const 65400)))))
          (func (export "up") (memory.copy (i32.const 1) (i32.const 0) (i32.const 65535)))
          (func (export "down") (memory.copy (i32.const 0) (i32.const 3) (i32.const 65533))))`
        const wasm = await watToWasm(wat)
        const v8 = ((await WebAssembly.instantiate(wasm as BufferSource)) as any).instance.exports
        v8.prep()
        v8.up()
        v8.down()
        const want = new Uint8Array(v8.mem.buffer)
        const arena = new Arena(64 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("app", 64 * ARENA_PAGE)
        const inst = instantiate(loadImage(Buffer.from(compileToImage(wasm))), null, limits)
        let yields = 0
        const spy = vi.spyOn(platform, "yieldSlice").mockImplementation(async () => void yields++)
        try {
            await callExport(inst, "prep", [])
            const before = yields
            await callExport(inst, "up", [])
            expect(yields - before).toBeGreaterThan(10) // one instruction, many slices
            await callExport(inst, "down", [])
        } finally {
            spy.mockRestore()
        }
        for (let a = 0; a < 65536; a++) if (inst.memory.loadByte(a) !== want[a]) throw new Error(`byte ${a}: ${inst.memory.loadByte(a)} != ${want[a]}`)
        expect(inst.memory.chunkCount).toBe(0) // all of it still run lists
    })
})
