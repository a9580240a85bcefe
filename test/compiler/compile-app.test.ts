// compileApp: the kind of an app, its own memory turned into env.memory for WAMR-style apps (the
// transformed module must behave exactly like the original: data segments, exports,
// memory.size/grow, loads and stores), and clear refusals of what the framework cannot link.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileApp, compileToImage, AppCompileError, WasmValidationError } from "../../compiler/index"
import { loadImage, instantiate, Execution, callSync, ExternKind, Trap, Instance, HostFunc, Memory, Arena, ARENA_PAGE } from "../../interpreter/index"
import { Hdr, Sec, ImportRec, MemRec } from "../../interpreter/image-format"
import { wat } from "./helpers"

// A WAMR-style app with its own memory (2 pages, at most 4): active and passive data segments,
// an exported memory, growth, and loads/stores of every width.
const APP = `(module
  (import "env" "wasm_get_sys_tick_ms" (func $tick (result i32)))
  (memory (export "memory") 2 4)
  (data (i32.const 100) "\\01\\02\\03\\04\\05\\06\\07\\08")
  (data (i32.const 65530) "edge!!!!!!")
  (data $p "passive")
  (func (export "sum8") (result i32) (local i32 i32)
    (block (loop (br_if 1 (i32.ge_u (local.get 0) (i32.const 8)))
      (local.set 1 (i32.add (local.get 1) (i32.load8_u offset=100 (local.get 0))))
      (local.set 0 (i32.add (local.get 0) (i32.const 1))) (br 0)))
    (local.get 1))
  (func (export "size") (result i32) (memory.size))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "poke") (param i32) (result i32)
    (i64.store (local.get 0) (i64.const 0x1122334455667788))
    (i32.store16 offset=8 (local.get 0) (i32.const -2))
    (f32.store offset=12 (local.get 0) (f32.const 1.5))
    (i32.add (i32.load offset=4 (local.get 0)) (i32.load16_s offset=8 (local.get 0))))
  (func (export "edge") (result i32) (i32.load (i32.const 65532)))
  (func (export "init") (param i32) (result i32) (memory.init $p (local.get 0) (i32.const 0) (i32.const 7)) (i32.load8_u offset=6 (local.get 0)))
  (func (export "last") (result i32) (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4))))
  (func (export "tick") (result i32) (call $tick)))`

const CALLS: [string, number[]][] = [
    ["sum8", []], ["size", []], ["edge", []], ["poke", [200]], ["poke", [131068]], ["last", []], ["grow", [1]], ["size", []],
    ["poke", [131072 + 100]], ["last", []], ["grow", [2]], ["size", []], ["init", [300]], ["init", [262140]], ["tick", []], ["grow", [0]],
]

const resolveNatives = (module: string, name: string) => (name === "wasm_get_sys_tick_ms" ? new HostFunc("", "i", (S, at) => S.writeInt32LE(1234, at)) : null)

/** Each call's i32 result or trap message, in order (state carries over from call to call). */
function transcript(inst: Instance): (number | string)[] {
    const ex = new Execution(4096, 32)
    return CALLS.map(([name, args]) => {
        args.forEach((a, i) => ex.stack.writeInt32LE(a, i * 8))
        try {
            callSync(ex, inst, inst.module.findExport(name, ExternKind.FUNC))
            return ex.stack.readInt32LE(0)
        } catch (e) {
            if (e instanceof Trap) return e.message
            throw e
        }
    })
}

/** Bytes [from, to) of an instance's memory. */
function bytesOf(mem: Memory, from: number, to: number): number[] {
    const out: number[] = []
    for (let a = from; a < to; a++) out.push(mem.load(a, 1) & 0xff)
    return out
}

describe("compileApp", () => {
    it("tells the kind of an app", async () => {
        expect(compileApp(await wat(APP)).kind).toBe("wamr")
        const wasi = compileApp(await wat(`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (memory (export "memory") 1) (func (export "_start")))`))
        expect(wasi.kind).toBe("wasi")
        // its memory becomes env.memory, shared with the runtime's WASI adapter
        expect(wasi.memory).toEqual({ min: 1, imported: true })
        expect(wasi.stack.callDepth).toBe(1)
        expect(compileApp(await wat(`(module (func (export "f")))`)).kind).toBe("plain")
        expect(compileApp(await wat(`(module (import "spectest" "print" (func)) (func (export "f") (call 0)))`)).kind).toBe("plain")
        // env and WASI together: a WAMR-style app
        expect(compileApp(await wat(`(module (import "wasi_snapshot_preview1" "proc_exit" (func (param i32))) (import "env" "abort" (func)))`)).kind).toBe("wamr")
    })

    it("turns a WAMR app's own memory into env.memory with the same limits; it behaves the same on a Memory made by the host", async () => {
        const wasm = await wat(APP)
        const app = compileApp(wasm)
        expect(app.kind).toBe("wamr")
        expect(app.memory).toEqual({ min: 2, max: 4, imported: true })
        const img = Buffer.from(app.image)
        // the image: no defined memory, an import env.memory 2..4
        expect(img.readUInt32LE(Hdr.SECTIONS + Sec.MEMORIES * 8 + 4)).toBe(0)
        const mod = loadImage(img)
        const imports = img.readUInt32LE(Hdr.SECTIONS + Sec.IMPORTS * 8)
        const memImport = [0, 1].map(i => imports + i * ImportRec.SIZE).find(r => img[r + ImportRec.KIND] === ExternKind.MEMORY)!
        expect(mod.str(img.readUInt32LE(memImport + ImportRec.MODULE))).toBe("env")
        expect(mod.str(img.readUInt32LE(memImport + ImportRec.NAME))).toBe("memory")
        expect([img.readUInt32LE(memImport + ImportRec.MIN), img.readUInt32LE(memImport + ImportRec.MAX)]).toEqual([2, 4])
        // the untransformed module, on its own memory
        const plainMod = loadImage(Buffer.from(compileToImage(wasm)))
        expect(Buffer.from(compileToImage(wasm)).readUInt32LE(Hdr.SECTIONS + Sec.MEMORIES * 8 + 4)).toBe(1)
        const original = instantiate(plainMod, resolveNatives)
        // the transformed one, on a memory the test makes in an arena account (as the framework does)
        const arena = new Arena(64 * ARENA_PAGE)
        const memory = new Memory(2, 4, arena.account("app", 64 * ARENA_PAGE))
        memory.declaredMax = 4 // (what the import declares: linking checks it)
        const asked: string[] = []
        const shared = instantiate(mod, (m, n, kind) => {
            asked.push(`${m}.${n}:${kind}`)
            return n === "memory" ? memory : resolveNatives(m, n)
        })
        expect(asked).toContain(`env.memory:${ExternKind.MEMORY}`)
        expect(shared.memory).toBe(memory)
        expect(shared.getExport("memory")).toBe(memory)
        // data segments landed in the host's memory at instantiation, exactly as in the original
        expect(bytesOf(memory, 96, 112)).toEqual(bytesOf(original.memory, 96, 112))
        expect(bytesOf(memory, 65528, 65540)).toEqual(bytesOf(original.memory, 65528, 65540))
        expect(bytesOf(memory, 100, 108)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
        const want = transcript(original)
        expect(want).toContain("out of bounds memory access") // the sequence does reach the edges
        expect(want).toContain(-1) // and a refused grow
        expect(transcript(shared)).toEqual(want)
        expect(memory.byteLength).toBe(original.memory.byteLength)
        expect(memory.byteLength).toBe(3 * 65536) // 2, grown by 1; growing by 2 more was refused
        expect(bytesOf(memory, 0, 400)).toEqual(bytesOf(original.memory, 0, 400))
        expect(bytesOf(memory, 131068, 131188)).toEqual(bytesOf(original.memory, 131068, 131188))
    })

    it("the memory export re-exports the imported memory", async () => {
        const app = compileApp(await wat(APP))
        const mod = loadImage(Buffer.from(app.image))
        expect(mod.findExport("memory", ExternKind.MEMORY)).toBe(0)
        const memory = new Memory(2, 4, new Arena(8 * ARENA_PAGE).account("a", 8 * ARENA_PAGE))
        memory.declaredMax = 4
        const inst = instantiate(mod, (m, n) => (n === "memory" ? memory : resolveNatives(m, n)))
        // a second module importing the first one's exported memory sees the same bytes
        const other = compileApp(await wat(`(module (import "env" "memory" (memory 1)) (func (export "at100") (result i32) (i32.load8_u (i32.const 103))))`))
        expect(other.memory).toEqual({ min: 1, imported: true })
        const exported = inst.getExport("memory")
        expect(exported).toBe(memory)
        const reader = instantiate(loadImage(Buffer.from(other.image)), () => exported)
        const ex = new Execution(256, 4)
        callSync(ex, reader, reader.module.findExport("at100", ExternKind.FUNC))
        expect(ex.stack.readInt32LE(0)).toBe(4)
    })

    it("leaves a WAMR app that already imports env.memory, and one without memory, as they are", async () => {
        const imported = compileApp(await wat(`(module (import "env" "memory" (memory 3)) (import "env" "puts" (func (param i32) (result i32))))`))
        expect(imported.memory).toEqual({ min: 3, imported: true })
        const none = compileApp(await wat(`(module (import "env" "abort" (func)) (func (export "on_init")))`))
        expect(none.memory).toBeNull()
        expect(none.stack.callDepth).toBe(1)
    })

    it("refuses what the framework cannot run, saying why", async () => {
        const refusal = async (src: string) => {
            try {
                compileApp(await wat(src))
            } catch (e) {
                return e
            }
            return "compiled"
        }
        const foreign = await refusal(`(module (import "js" "mem" (memory 1)) (import "env" "abort" (func)))`)
        expect(foreign).toBeInstanceOf(AppCompileError)
        expect((foreign as Error).message).toBe("cannot run this app: a WAMR app's memory can only be env.memory, not js.mem")
        expect(String(await refusal(`(module (import "env" "mem" (memory 1)))`))).toMatch(/memory can only be env.memory, not env.mem/)
        expect(String(await refusal(`(module (import "env" "__stack_pointer" (global (mut i32))))`))).toMatch(/functions and env.memory only, not the global env.__stack_pointer/)
        expect(String(await refusal(`(module (import "env" "t" (table 1 funcref)))`))).toMatch(/not the table env.t/)
        expect(String(await refusal(`(module (import "wasi_snapshot_preview1" "memory" (memory 1)))`))).toMatch(/a WASI module keeps its own memory; it imports wasi_snapshot_preview1.memory/)
        expect(String(await refusal(`(module (import "wasi_snapshot_preview1" "g" (global i32)))`))).toMatch(/provides functions only/)
        // two memories: not valid Wasm 2.0 at all
        expect(await refusal(`(module (import "env" "memory" (memory 1)) (memory 1))`)).toBeInstanceOf(WasmValidationError)
    })
})
