import { describe, expect, it } from "vitest"
import { decodeModule } from "../../compiler/decode/index"
import { loadModule } from "../../compiler/load-module"
import { validateModule } from "../../compiler/validate/index"
import { ValType, WasmModule, WasmValidationError } from "../../compiler/wasm-types"
import { codeOne, FUNC_ONE, funcModule, module, section, str, TYPE_VOID, validationErrorOf, wat } from "./helpers"

async function load(src: string): Promise<WasmModule> {
    return loadModule(await wat(src))
}

async function invalid(src: string): Promise<string> {
    const bytes = await wat(src)
    const m = decodeModule(bytes) // must be well-formed
    return validationErrorOf(() => validateModule(m)).reason
}

describe("validateModule: valid modules", () => {
    it("accepts a typical module and fills in drop/select types", async () => {
        const m = await load(`(module
          (func (param i32 i64 f32 f64 externref) (result i32)
            local.get 1 drop
            local.get 2 drop
            local.get 3 drop
            local.get 4 drop
            (select (local.get 3) (f64.const 1) (i32.const 1)) drop
            (select (result externref) (local.get 4) (ref.null extern) (i32.const 0)) drop
            local.get 0))`)
        const is = m.bodies[0].instrs
        const drops = is.filter((i) => i.op === 0x1a).map((i) => i.type)
        expect(drops).toEqual([ValType.I64, ValType.F32, ValType.F64, ValType.ExternRef, ValType.F64, ValType.ExternRef])
        expect(is.find((i) => i.op === 0x1b)!.type).toBe(ValType.F64)
        expect(is.find((i) => i.op === 0x1c)!.type).toBe(ValType.ExternRef)
    })

    it("leaves drop/select untyped only in unreachable code", async () => {
        const m = await load(`(module
          (func (result i32)
            unreachable
            drop
            select
            drop
            unreachable
            select
            drop
            unreachable
            i64.const 3
            i32.const 0
            select
            drop
            i32.const 0))`)
        const is = m.bodies[0].instrs
        const drops = is.filter((i) => i.op === 0x1a)
        const sels = is.filter((i) => i.op === 0x1b)
        expect(drops[0].type).toBeUndefined()
        expect(drops[1].type).toBeUndefined()
        expect(sels[0].type).toBeUndefined()
        expect(sels[1].type).toBeUndefined() // all operands from the polymorphic stack
        expect(sels[2].type).toBe(ValType.I64) // one operand known
        expect(drops[2].type).toBeUndefined()
        expect(drops[3].type).toBe(ValType.I64)
    })

    it("accepts multi-value blocks, loops with params, br_table, call_indirect, bulk and table ops", async () => {
        await load(`(module
          (type $sig (func (param i32) (result i32)))
          (memory 1)
          (table $t 2 funcref)
          (table $x 2 externref)
          (elem $e func $f)
          (data $d "hi")
          (global $g (mut i64) (i64.const 0))
          (func $f (export "f") (param i32) (result i32) local.get 0)
          (func (param i32) (result i32 i64)
            (local.get 0)
            (loop $l (param i32) (result i32)
              (br_if $l (local.get 0))
            )
            (block $a (result i32)
              (block $b (result i32)
                (br_table $a $b $a (i32.const 7) (local.get 0))))
            (call_indirect $t (type $sig))
            drop
            (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
            (data.drop $d)
            (memory.copy (i32.const 0) (i32.const 1) (i32.const 1))
            (memory.fill (i32.const 0) (i32.const 1) (i32.const 1))
            (table.init $t $e (i32.const 0) (i32.const 0) (i32.const 1))
            (elem.drop $e)
            (table.copy $t $t (i32.const 0) (i32.const 1) (i32.const 1))
            (drop (table.grow $x (ref.null extern) (i32.const 1)))
            (table.fill $x (i32.const 0) (ref.null extern) (i32.const 1))
            (table.set $t (i32.const 0) (ref.func $f))
            (drop (ref.is_null (table.get $t (i32.const 0))))
            (drop (table.size $x))
            (global.set $g (i64.const 5))
            (drop (i32.trunc_sat_f32_s (f32.const 1)))
            (drop (i64.extend32_s (i64.const 1)))
            (i32.const 1) (global.get $g)))`)
    })

    it("treats the stack as polymorphic after br, return and unreachable", async () => {
        await load(`(module
          (func (result i32) (block (br 0) (i32.add) drop) (return (i32.const 1)) (i32.add))
          (func (result f32) (unreachable) (i32.eqz) drop (f32.const 0))
          (func (block (result f32) (block (result f64) (unreachable) (br_table 0 1 1 (i32.const 1))) drop (f32.const 0)) drop))`)
    })

    it("accepts an if without else when params equal results", async () => {
        await load(`(module (func (param i32) (result i32) (local.get 0) (if (param i32) (result i32) (i32.const 1) (then))))`)
    })
})

describe("validateModule: invalid function bodies", () => {
    it("type mismatches", async () => {
        expect(await invalid(`(module (func (result i32) (i64.const 1)))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func (i32.add (i32.const 1) (f32.const 1)) drop))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func i32.const 1))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func (result i32) (block (result i32))))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func (param i32) (result i32) (if (result i32) (local.get 0) (then (i32.const 1)))))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func (param externref) (drop (select (local.get 0) (local.get 0) (i32.const 1)))))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func (drop (select (i32.const 1) (i64.const 1) (i32.const 1)))))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func (drop (ref.is_null (i32.const 1)))))`)).toMatch(/^type mismatch/)
        // br_table targets with different arities
        expect(await invalid(`(module (func (block (result i32) (block (br_table 0 1 (i32.const 0) (i32.const 0)))) drop))`)).toMatch(/^type mismatch/)
        // after unreachable the stack is polymorphic but values pushed afterwards still count
        expect(await invalid(`(module (func (result i32) unreachable (f32.const 0)))`)).toMatch(/^type mismatch/)
    })

    it("unknown indices", async () => {
        expect(await invalid(`(module (func local.get 0 drop))`)).toBe("unknown local 0")
        expect(await invalid(`(module (func global.get 3 drop))`)).toBe("unknown global 3")
        expect(await invalid(`(module (func call 7))`)).toBe("unknown function 7")
        expect(await invalid(`(module (func br 1))`)).toBe("unknown label")
        expect(await invalid(`(module (func (drop (i32.load (i32.const 0)))))`)).toBe("unknown memory 0")
        expect(await invalid(`(module (func (drop (memory.size))))`)).toBe("unknown memory 0")
        expect(await invalid(`(module (table 1 funcref) (func (drop (table.get 1 (i32.const 0)))))`)).toBe("unknown table 1")
        expect(await invalid(`(module (table 1 funcref) (func (elem.drop 0)))`)).toBe("unknown elem segment 0")
        expect(await invalid(`(module (type (func)) (table 1 funcref) (func (call_indirect (type 5) (i32.const 0))))`)).toBe("unknown type 5")
        // data segment index with a datacount section present
        const bytes = module(TYPE_VOID, FUNC_ONE, section(5, [1, 0, 1]), section(12, [0]), codeOne([0xfc, 0x09, 0x00]))
        expect(validationErrorOf(() => loadModule(bytes)).reason).toBe("unknown data segment 0")
        // block type index out of range
        expect(validationErrorOf(() => loadModule(funcModule([0x02, 0x05, 0x0b]))).reason).toBe("unknown type 5")
    })

    it("other body rules", async () => {
        expect(await invalid(`(module (global i32 (i32.const 0)) (func (global.set 0 (i32.const 1))))`)).toBe("global is immutable")
        expect(await invalid(`(module (memory 1) (func (drop (i32.load align=8 (i32.const 0)))))`)).toBe("alignment must not be larger than natural")
        expect(await invalid(`(module (memory 1) (func (i64.store16 align=4 (i32.const 0) (i64.const 0))))`)).toBe("alignment must not be larger than natural")
        expect(await invalid(`(module (func $f) (func (drop (ref.func $f))))`)).toBe("undeclared function reference")
        expect(await invalid(`(module (type (func)) (table 1 externref) (func (call_indirect (type 0) (i32.const 0))))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (table 1 funcref) (table 1 externref) (func (table.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 0))))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (table 1 externref) (elem func 0) (func (table.init 0 0 (i32.const 0) (i32.const 0) (i32.const 0))))`)).toMatch(/^type mismatch/)
        // typed select with two types (hand-encoded: wabt cannot write it)
        const sel2 = funcModule([0x41, 0, 0x41, 0, 0x41, 0, 0x1c, 0x02, 0x7f, 0x7f, 0x1a])
        expect(validationErrorOf(() => loadModule(sel2)).reason).toBe("invalid result arity")
    })

    it("ref.func is allowed for functions referenced by exports, elements and globals", async () => {
        await load(`(module (func $a (export "a")) (func (drop (ref.func $a))))`)
        await load(`(module (func $a) (elem declare func $a) (func (drop (ref.func $a))))`)
        await load(`(module (func $a) (global funcref (ref.func $a)) (func (drop (ref.func $a))))`)
    })

    it("reports the function index and the byte offset of the instruction", async () => {
        const bytes = await wat(`(module (import "e" "f" (func)) (func) (func (drop (i64.add (i32.const 1) (i64.const 2)))))`)
        const e = validationErrorOf(() => loadModule(bytes))
        expect(e).toBeInstanceOf(WasmValidationError)
        expect(e.funcIndex).toBe(2)
        expect(bytes[e.offset]).toBe(0x7c) // i64.add
        expect(e.message).toMatch(/^invalid module: type mismatch: expected i64, got i32 \(at byte \d+, function 2\)$/)
        expect(e.reason).toBe("type mismatch: expected i64, got i32")
    })
})

describe("validateModule: module-level rules", () => {
    it("limits", async () => {
        expect(await invalid(`(module (memory 65537))`)).toBe("memory size must be at most 65536 pages (4GiB)")
        expect(await invalid(`(module (memory 1 65537))`)).toBe("memory size must be at most 65536 pages (4GiB)")
        expect(await invalid(`(module (memory 2 1))`)).toBe("size minimum must not be greater than maximum")
        expect(await invalid(`(module (table 2 1 funcref))`)).toBe("size minimum must not be greater than maximum")
        await load(`(module (memory 65536 65536))`)
    })

    it("multiple memories", () => {
        const twoDefined = module(section(5, [0x02, 0x00, 0x01, 0x00, 0x01]))
        expect(validationErrorOf(() => loadModule(twoDefined)).reason).toBe("multiple memories")
        const importedAndDefined = module(section(2, [0x01, ...str("m"), ...str("m"), 0x02, 0x00, 0x01]), section(5, [0x01, 0x00, 0x01]))
        expect(validationErrorOf(() => loadModule(importedAndDefined)).reason).toBe("multiple memories")
    })

    it("constant expressions", async () => {
        expect(await invalid(`(module (global i32 (i32.add (i32.const 1) (i32.const 2))))`)).toBe("constant expression required")
        expect(await invalid(`(module (global i32 (nop) (i32.const 1)))`)).toBe("constant expression required")
        expect(await invalid(`(module (global i32 (i64.const 1)))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (global i32 (i32.const 1) (i32.const 2)))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (global i32))`.replace("i32)", "i32 )"))).toMatch(/^type mismatch/) // empty init
        // global.get: only imported, immutable globals (Wasm 2.0)
        expect(await invalid(`(module (global i32 (i32.const 0)) (global i32 (global.get 0)))`)).toBe("unknown global 0")
        expect(await invalid(`(module (import "e" "g" (global (mut i32))) (global i32 (global.get 0)))`)).toBe("constant expression required")
        await load(`(module (import "e" "g" (global i32)) (global i32 (global.get 0)) (memory 1) (data (global.get 0) "x"))`)
        expect(await invalid(`(module (memory 1) (data (i64.const 0) "x"))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (table 1 funcref) (elem (i32.const 0) externref (ref.null extern)))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (table 1 funcref) (elem (i32.const 0) funcref (ref.null extern)))`)).toMatch(/^type mismatch/)
        expect(await invalid(`(module (func) (elem funcref (ref.func 3)))`)).toBe("unknown function 3")
        expect(await invalid(`(module (func) (elem (i32.const 0) func 0))`)).toBe("unknown table 0")
        expect(await invalid(`(module (data (i32.const 0) "x"))`)).toBe("unknown memory 0")
        expect(await invalid(`(module (memory 1) (data (i32.add (i32.const 0) (i32.const 1)) "x"))`)).toBe("constant expression required")
        expect(await invalid(`(module (table 1 funcref) (func) (elem (offset (i32.const 0) (drop (i32.const 0)) (i32.const 0)) func 0))`)).toBe(
            "constant expression required",
        )
        // element expression with two instructions (hand-encoded: kind 5, passive, funcref)
        const twoItems = module(TYPE_VOID, FUNC_ONE, section(9, [0x01, 0x05, 0x70, 0x01, 0xd2, 0x00, 0xd2, 0x00, 0x0b]), codeOne([]))
        expect(validationErrorOf(() => loadModule(twoItems)).reason).toMatch(/^type mismatch/)
    })

    it("exports, start and imports", async () => {
        expect(await invalid(`(module (func (export "a")) (func (export "a")))`)).toBe("duplicate export name")
        expect(await invalid(`(module (func $f (param i32)) (start $f))`)).toBe("start function")
        expect(await invalid(`(module (func $f (result i32) (i32.const 0)) (start $f))`)).toBe("start function")
        const exportBad = module(section(7, [0x01, ...str("g"), 0x03, 0x02]))
        expect(validationErrorOf(() => loadModule(exportBad)).reason).toBe("unknown global 2")
        const startBad = module(section(8, [0x04]))
        expect(validationErrorOf(() => loadModule(startBad)).reason).toBe("unknown function 4")
        const importBad = module(section(2, [0x01, ...str("m"), ...str("f"), 0x00, 0x03]))
        expect(validationErrorOf(() => loadModule(importBad)).reason).toBe("unknown type 3")
        const funcBad = module(section(3, [0x01, 0x00]), codeOne([]))
        expect(validationErrorOf(() => loadModule(funcBad)).reason).toBe("unknown type 0")
        // module-level errors point at the offending entry
        const dup = module(TYPE_VOID, FUNC_ONE, section(7, [0x02, ...str("a"), 0x00, 0x00, ...str("a"), 0x00, 0x00]), codeOne([]))
        const e = validationErrorOf(() => loadModule(dup))
        expect(e.reason).toBe("duplicate export name")
        expect(e.funcIndex).toBeUndefined()
        expect([...dup.subarray(e.offset, e.offset + 4)]).toEqual([0x01, 0x61, 0x00, 0x00]) // the second export
        // Wasm 2.0 allows importing and exporting mutable globals
        await load(`(module (import "e" "g" (global (mut i32))) (global $h (mut i32) (i32.const 0)) (export "g" (global 0)) (export "h" (global $h)))`)
    })
})

describe("validateModule: decoder side information", () => {
    it("still rejects a non-constant initialiser when the module was cloned after decoding", async () => {
        const m = decodeModule(await wat(`(module (global i32 (i32.add (i32.const 1) (i32.const 2))))`))
        expect(validationErrorOf(() => validateModule(m)).reason).toBe("constant expression required")
        const clone = structuredClone(m)
        expect(() => validateModule(clone)).toThrow(WasmValidationError)
    })
})
