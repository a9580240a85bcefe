import { describe, expect, it } from "vitest"
import { decodeModule } from "../../compiler/decode/index"
import { loadModule } from "../../compiler/load-module"
import { Instr, ValType, WasmDecodeError } from "../../compiler/wasm-types"
import { codeOne, decodeErrorOf, FUNC_ONE, funcModule, HEADER, module, section, str, TYPE_VOID, uleb, wat } from "./helpers"

const ops = (instrs: Instr[]) => instrs.map((i) => i.op)

describe("decodeModule: structure", () => {
    it("decodes the empty module", () => {
        const m = decodeModule(new Uint8Array(HEADER))
        expect(m).toMatchObject({ types: [], imports: [], funcs: [], tables: [], memories: [], globals: [], exports: [], elems: [], datas: [], bodies: [] })
        expect(m.start).toBeUndefined()
        expect(m.dataCount).toBeUndefined()
    })

    it("decodes types, imports, functions, tables, memories, globals, exports and start", async () => {
        const m = decodeModule(
            await wat(`(module
              (type (func (param i32 i64) (result f32)))
              (import "env" "f" (func (type 0)))
              (import "env" "t" (table 2 10 externref))
              (import "env" "m" (memory 1 2))
              (import "env" "g" (global (mut f64)))
              (func $s)
              (table 3 funcref)
              (global $g i64 (i64.const -2))
              (export "s" (func $s))
              (export "g" (global $g))
              (start $s))`),
        )
        expect(m.types[0]).toEqual({ params: [ValType.I32, ValType.I64], results: [ValType.F32] })
        expect(m.imports).toEqual([
            { module: "env", name: "f", desc: { kind: "func", typeIndex: 0 } },
            { module: "env", name: "t", desc: { kind: "table", table: { elem: ValType.ExternRef, limits: { min: 2, max: 10 } } } },
            { module: "env", name: "m", desc: { kind: "memory", limits: { min: 1, max: 2 } } },
            { module: "env", name: "g", desc: { kind: "global", global: { type: ValType.F64, mutable: true } } },
        ])
        expect(m.funcs).toEqual([1])
        expect(m.tables).toEqual([{ elem: ValType.FuncRef, limits: { min: 3 } }])
        expect(m.globals).toEqual([{ type: { type: ValType.I64, mutable: false }, init: { op: "i64.const", lo: -2, hi: -1 } }])
        expect(m.exports).toEqual([
            { name: "s", kind: "func", index: 1 },
            { name: "g", kind: "global", index: 1 },
        ])
        expect(m.start).toBe(1)
        expect(m.bodies).toHaveLength(1)
        expect(m.bodies[0].instrs.map((i) => i.op)).toEqual([0x0b])
    })

    it("decodes constant expressions of every kind", async () => {
        const m = decodeModule(
            await wat(`(module
              (import "e" "g" (global i32))
              (func $f)
              (global i32 (i32.const -7))
              (global i64 (i64.const 0x1_0000_0002))
              (global f32 (f32.const 1.5))
              (global f64 (f64.const 1))
              (global externref (ref.null extern))
              (global funcref (ref.func $f))
              (global i32 (global.get 0)))`),
        )
        expect(m.globals.map((g) => g.init)).toEqual([
            { op: "i32.const", value: -7 },
            { op: "i64.const", lo: 2, hi: 1 },
            { op: "f32.const", bits: 0x3fc00000 },
            { op: "f64.const", lo: 0, hi: 0x3ff00000 },
            { op: "ref.null", type: ValType.ExternRef },
            { op: "ref.func", funcIndex: 0 },
            { op: "global.get", globalIndex: 0 },
        ])
    })

    it("decodes element segments of all kinds", async () => {
        const m = decodeModule(
            await wat(`(module
              (table $t0 4 funcref)
              (table $t1 4 externref)
              (func $a) (func $b)
              (elem (i32.const 1) $a $b)
              (elem func $b)
              (elem declare func $a)
              (elem (table $t0) (i32.const 2) funcref (ref.func $a) (ref.null func))
              (elem (table $t1) (i32.const 0) externref (ref.null extern))
              (elem externref (ref.null extern)))`),
        )
        const funcA = { op: "ref.func", funcIndex: 0 }
        const funcB = { op: "ref.func", funcIndex: 1 }
        expect(m.elems).toEqual([
            { type: ValType.FuncRef, items: [funcA, funcB], mode: { kind: "active", table: 0, offset: { op: "i32.const", value: 1 } } },
            { type: ValType.FuncRef, items: [funcB], mode: { kind: "passive" } },
            { type: ValType.FuncRef, items: [funcA], mode: { kind: "declarative" } },
            {
                type: ValType.FuncRef,
                items: [funcA, { op: "ref.null", type: ValType.FuncRef }],
                mode: { kind: "active", table: 0, offset: { op: "i32.const", value: 2 } },
            },
            {
                type: ValType.ExternRef,
                items: [{ op: "ref.null", type: ValType.ExternRef }],
                mode: { kind: "active", table: 1, offset: { op: "i32.const", value: 0 } },
            },
            { type: ValType.ExternRef, items: [{ op: "ref.null", type: ValType.ExternRef }], mode: { kind: "passive" } },
        ])
    })

    it("decodes hand-encoded element segment kinds 0-7", () => {
        const refFunc0 = [0xd2, 0x00, 0x0b]
        const off = [0x41, 0x05, 0x0b]
        const elems = [
            [0x00, ...off, 0x01, 0x00], // active table 0, funcidx
            [0x01, 0x00, 0x01, 0x00], // passive, elemkind
            [0x02, 0x00, ...off, 0x00, 0x01, 0x00], // active explicit table, elemkind
            [0x03, 0x00, 0x01, 0x00], // declarative
            [0x04, ...off, 0x01, ...refFunc0], // active table 0, exprs
            [0x05, 0x70, 0x01, ...refFunc0], // passive exprs
            [0x06, 0x00, ...off, 0x70, 0x01, ...refFunc0], // active explicit table, exprs
            [0x07, 0x70, 0x01, ...refFunc0], // declarative exprs
        ]
        const bytes = module(
            TYPE_VOID,
            FUNC_ONE,
            section(4, [0x01, 0x70, 0x00, 0x10]),
            section(9, [elems.length, ...elems.flat()]),
            codeOne([]),
        )
        const m = loadModule(bytes)
        expect(m.elems.map((e) => e.mode.kind)).toEqual(["active", "passive", "active", "declarative", "active", "passive", "active", "declarative"])
        for (const e of m.elems) {
            expect(e.type).toBe(ValType.FuncRef)
            expect(e.items).toEqual([{ op: "ref.func", funcIndex: 0 }])
            if (e.mode.kind === "active") expect(e.mode).toEqual({ kind: "active", table: 0, offset: { op: "i32.const", value: 5 } })
        }
    })

    it("decodes data segments and the datacount section", async () => {
        const m = decodeModule(
            await wat(`(module (memory 1)
              (data (i32.const 16) "abc")
              (data "xy")
              (func (data.drop 1)))`),
        )
        expect(m.dataCount).toBe(2)
        expect(m.datas).toHaveLength(2)
        expect([...m.datas[0].bytes]).toEqual([0x61, 0x62, 0x63])
        expect(m.datas[0].mode).toEqual({ kind: "active", memory: 0, offset: { op: "i32.const", value: 16 } })
        expect([...m.datas[1].bytes]).toEqual([0x78, 0x79])
        expect(m.datas[1].mode).toEqual({ kind: "passive" })
        // hand-encoded kind 2 (explicit memory index)
        const m2 = loadModule(module(section(5, [0x01, 0x00, 0x01]), section(11, [0x01, 0x02, 0x00, 0x41, 0x03, 0x0b, 0x01, 0xaa])))
        expect(m2.datas[0].mode).toEqual({ kind: "active", memory: 0, offset: { op: "i32.const", value: 3 } })
        expect([...m2.datas[0].bytes]).toEqual([0xaa])
    })

    it("reads function names from the name section", async () => {
        const m = decodeModule(await wat(`(module (import "e" "x" (func $imp)) (func $first) (func $second))`, { names: true }))
        expect(m.funcNames).toEqual(
            new Map([
                [0, "imp"],
                [1, "first"],
                [2, "second"],
            ]),
        )
    })

    it("ignores a malformed name section", () => {
        // "name" section whose function-name subsection claims 5 entries but has none
        const bad = section(0, [...str("name"), 0x01, 0x01, 0x05])
        const m = loadModule(module(TYPE_VOID, FUNC_ONE, codeOne([]), bad))
        expect(m.funcNames).toBeUndefined()
        expect(m.bodies).toHaveLength(1)
        // function name that is not UTF-8
        const badUtf8 = section(0, [...str("name"), 0x01, 0x04, 0x01, 0x00, 0x01, 0xff])
        expect(loadModule(module(TYPE_VOID, FUNC_ONE, codeOne([]), badUtf8)).funcNames).toBeUndefined()
        // and custom sections may appear anywhere
        const custom = section(0, [...str("x"), 1, 2, 3])
        expect(() => loadModule(module(custom, TYPE_VOID, custom, FUNC_ONE, custom, codeOne([]), custom))).not.toThrow()
    })
})

describe("decodeModule: instructions", () => {
    it("decodes immediates", async () => {
        const m = decodeModule(
            await wat(`(module
              (type $t (func (param i32) (result i32)))
              (memory 1)
              (table $ta 1 funcref) (table $tb 1 funcref)
              (elem $e func 0)
              (data $d "x")
              (global $g (mut i32) (i32.const 0))
              (func (param i32) (result i32) (local i64 f32)
                i32.const -1 drop
                i64.const -1 drop
                i64.const 0x123456789 drop
                f32.const -0 drop
                f64.const 2 drop
                local.get 0
                i64.load32_u offset=100 align=4 drop
                local.get 0 global.set $g
                local.get 0 local.get 0 (call_indirect $tb (type $t)) drop
                (table.copy $ta $tb (i32.const 0) (i32.const 0) (i32.const 0))
                (table.init $tb $e (i32.const 0) (i32.const 0) (i32.const 0))
                (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
                (elem.drop $e)
                ref.null extern drop
                (block (block (br_table 1 0 1 (local.get 0))))
                local.get 0))`),
        )
        const code = m.bodies[0]
        expect(code.locals).toEqual([ValType.I64, ValType.F32])
        const is = code.instrs
        const find = (op: number) => is.find((i) => i.op === op)!
        expect(find(0x41).value).toBe(-1)
        expect(find(0x42)).toMatchObject({ lo: -1, hi: -1 })
        expect(is.filter((i) => i.op === 0x42)[1]).toMatchObject({ lo: 0x23456789, hi: 1 })
        expect(find(0x43).value).toBe(0x80000000 | 0)
        expect(find(0x44)).toMatchObject({ lo: 0, hi: 0x40000000 })
        expect(find(0x35)).toMatchObject({ offset: 100, align: 2 })
        expect(find(0x24).index).toBe(0)
        expect(find(0x11)).toMatchObject({ index: 0, index2: 1 })
        expect(find(0xfc0e)).toMatchObject({ index: 0, index2: 1 })
        expect(find(0xfc0c)).toMatchObject({ index: 0, index2: 1 })
        expect(find(0xfc08).index).toBe(0)
        expect(find(0xfc0d).index).toBe(0)
        expect(find(0xd0).type).toBe(ValType.ExternRef)
        expect(find(0x0e).labels).toEqual([1, 0, 1])
        expect(is[is.length - 1].op).toBe(0x0b)
        // positions are byte offsets of the opcodes
        const bytes = await wat(`(module (func i32.const 5 drop))`)
        const body = decodeModule(bytes).bodies[0]
        for (const i of body.instrs) expect(bytes[i.pos]).toBe(i.op)
        expect(ops(body.instrs)).toEqual([0x41, 0x1a, 0x0b])
    })

    it("resolves block types: empty, value type, type index", async () => {
        const m = decodeModule(
            await wat(`(module
              (type $bt (func (param i32 i32) (result i64 i32)))
              (func (result i64 i32)
                (block (nop))
                (loop (result f64) (f64.const 1)) drop
                (i32.const 1) (i32.const 2)
                (if (type $bt) (param i32 i32) (result i64 i32) (i32.const 0)
                  (then drop drop (i64.const 1) (i32.const 2))
                  (else drop drop (i64.const 3) (i32.const 4)))))`),
        )
        const is = m.bodies[0].instrs
        expect(is.find((i) => i.op === 0x02)!.block).toEqual({ params: [], results: [] })
        expect(is.find((i) => i.op === 0x03)!.block).toEqual({ params: [], results: [ValType.F64] })
        expect(is.find((i) => i.op === 0x04)!.block).toEqual({ params: [ValType.I32, ValType.I32], results: [ValType.I64, ValType.I32] })
        expect(ops(is)).toContain(0x05)
    })

    it("decodes 0xFC prefixed ops 0-17 as (0xfc << 8) | sub", () => {
        // i32.trunc_sat_f32_s encoded with a 2-byte (non-canonical) LEB sub-opcode
        const m = decodeModule(funcModule([0x43, 0, 0, 0, 0, 0xfc, 0x80, 0x00, 0x1a]))
        expect(ops(m.bodies[0].instrs)).toEqual([0x43, 0xfc00, 0x1a, 0x0b])
        const e = decodeErrorOf(() => decodeModule(funcModule([0xfc, 18])))
        expect(e.reason).toBe("illegal opcode fc 12")
    })

    it("decodes typed select", () => {
        const m = loadModule(funcModule([0x41, 1, 0x41, 2, 0x41, 0, 0x1c, 0x01, 0x7f, 0x1a]))
        const sel = m.bodies[0].instrs.find((i) => i.op === 0x1c)!
        expect(sel.type).toBe(ValType.I32)
    })
})

describe("decodeModule: malformed binaries", () => {
    const reason = (bytes: number[] | Uint8Array) => decodeErrorOf(() => decodeModule(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))).reason

    it("checks magic and version", () => {
        expect(reason([])).toBe("unexpected end")
        expect(reason([0x00, 0x61, 0x73])).toBe("unexpected end")
        expect(reason([0x00, 0x41, 0x53, 0x4d, 1, 0, 0, 0])).toBe("magic header not detected")
        expect(reason([0x00, 0x61, 0x73, 0x6d, 1, 0])).toBe("unexpected end")
        expect(reason([0x00, 0x61, 0x73, 0x6d, 2, 0, 0, 0])).toBe("unknown binary version")
    })

    it("checks section ids, order and sizes", () => {
        expect(reason(module([0x0d, 0x00]))).toBe("malformed section id")
        expect(reason(module(FUNC_ONE, TYPE_VOID))).toBe("unexpected content after last section")
        expect(reason(module(TYPE_VOID, TYPE_VOID))).toBe("unexpected content after last section")
        expect(reason(module(TYPE_VOID, FUNC_ONE, section(8, [0]), section(8, [0]), codeOne([])))).toBe("unexpected content after last section")
        // datacount must come before code
        expect(reason(module(TYPE_VOID, FUNC_ONE, codeOne([]), section(12, [0])))).toBe("unexpected content after last section")
        // type section that says 5 bytes but holds 4
        expect(reason(module([0x01, 0x05, 0x01, 0x60, 0x00, 0x00, 0x00]))).toBe("section size mismatch")
        // section size beyond the end of the module
        expect(reason(module([0x01, 0x20, 0x01]))).toBe("length out of bounds")
        // vector shorter than its count, at the end of the module
        expect(reason(module([0x04, 0x01, 0x01]))).toBe("unexpected end of section or function")
    })

    it("checks LEB128 encodings", () => {
        // function section: type index encoded with 6 bytes
        expect(reason(module(TYPE_VOID, section(3, [0x01, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00])))).toBe("integer representation too long")
        // unused bits set in the last byte of a u32
        expect(reason(module(TYPE_VOID, section(3, [0x01, 0x80, 0x80, 0x80, 0x80, 0x10])))).toBe("integer too large")
        // i32.const with unused sign bits inconsistent
        expect(reason(funcModule([0x41, 0x80, 0x80, 0x80, 0x80, 0x70, 0x1a]))).toBe("integer too large")
        // i64.const with 11 bytes
        const too = [0x42, ...Array(10).fill(0x80), 0x00, 0x1a]
        expect(reason(funcModule(too))).toBe("integer representation too long")
        // valid maximal encodings
        const m = decodeModule(funcModule([0x41, 0xff, 0xff, 0xff, 0xff, 0x07, 0x1a, 0x42, ...Array(9).fill(0xff), 0x7f, 0x1a]))
        expect(m.bodies[0].instrs[0].value).toBe(0x7fffffff)
        expect(m.bodies[0].instrs[2]).toMatchObject({ lo: -1, hi: -1 })
    })

    it("checks names are UTF-8", () => {
        const bad = section(0, [0x02, 0xc0, 0x80]) // overlong encoding of NUL
        expect(reason(module(bad))).toBe("malformed UTF-8 encoding")
        const surrogate = section(7, [0x01, 0x03, 0xed, 0xa0, 0x80, 0x00, 0x00])
        expect(reason(module(surrogate))).toBe("malformed UTF-8 encoding")
        expect(reason(module(section(0, [0x05, 0x61])))).toBe("length out of bounds")
    })

    it("checks limits, mutability, reference types, import/export kinds", () => {
        expect(reason(module(section(5, [0x01, 0x02, 0x00])))).toBe("integer too large")
        expect(reason(module(section(5, [0x01, 0x81, 0x00, 0x00])))).toBe("integer representation too long")
        expect(reason(module(section(6, [0x01, 0x7f, 0x02, 0x41, 0x00, 0x0b])))).toBe("malformed mutability")
        expect(reason(module(section(4, [0x01, 0x7f, 0x00, 0x00])))).toBe("malformed reference type")
        expect(reason(module(section(2, [0x01, ...str("a"), ...str("b"), 0x04, 0x00])))).toBe("malformed import kind")
        expect(reason(module(section(7, [0x01, ...str("a"), 0x04, 0x00])))).toBe("malformed export kind")
        expect(reason(module(section(1, [0x01, 0x61, 0x00, 0x00])))).toBe("malformed function type")
    })

    it("checks function/code and datacount/data consistency", () => {
        expect(reason(module(TYPE_VOID, FUNC_ONE))).toBe("function and code section have inconsistent lengths")
        expect(reason(module(TYPE_VOID, codeOne([])))).toBe("function and code section have inconsistent lengths")
        expect(reason(module(section(12, [0x02]), section(11, [0x01, 0x01, 0x00])))).toBe("data count and data section have inconsistent lengths")
        // data.drop without a datacount section
        const data = section(11, [0x01, 0x01, 0x00])
        expect(reason(module(TYPE_VOID, FUNC_ONE, codeOne([0xfc, 0x09, 0x00]), data))).toBe("data count section required")
        expect(() => decodeModule(module(TYPE_VOID, FUNC_ONE, section(12, [1]), codeOne([0xfc, 0x09, 0x00]), data))).not.toThrow()
    })

    it("checks locals", () => {
        const tooMany = [0x02, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x7f, 0x02, 0x7e]
        expect(reason(module(TYPE_VOID, FUNC_ONE, codeOne([], tooMany)))).toBe("too many locals")
        const many = [0x01, ...uleb(1_000_000), 0x7f]
        expect(reason(module(TYPE_VOID, FUNC_ONE, codeOne([], many)))).toMatch(/^too many locals \(implementation limit/)
        const m = decodeModule(module(TYPE_VOID, FUNC_ONE, codeOne([], [0x03, 0x00, 0x7f, 0x02, 0x7e, 0x01, 0x6f])))
        expect(m.bodies[0].locals).toEqual([ValType.I64, ValType.I64, ValType.ExternRef])
    })

    it("checks opcodes and their encodings", () => {
        expect(reason(funcModule([0x06]))).toBe("illegal opcode 06")
        expect(reason(funcModule([0xff]))).toBe("illegal opcode ff")
        expect(reason(funcModule([0x3f, 0x01, 0x1a], [section(5, [1, 0, 1])]))).toBe("zero byte expected")
        expect(reason(funcModule([0x41, 0x00, 0x40, 0x80, 0x00, 0x1a], [section(5, [1, 0, 1])]))).toBe("zero byte expected")
        expect(reason(funcModule([0xfc, 0x0a, 0x00, 0x01], [section(5, [1, 0, 1])]))).toBe("zero byte expected")
        expect(reason(funcModule([0x41, 0x00, 0x28, 0x20, 0x00, 0x1a], [section(5, [1, 0, 1])]))).toBe("malformed memop flags")
        expect(reason(funcModule([0xd0, 0x7f, 0x1a]))).toBe("malformed reference type")
        // else outside of if; end missing
        expect(reason(funcModule([0x05]))).toBe("END opcode expected")
        expect(reason(funcModule([0x02, 0x40]))).toBe("unexpected end of section or function")
        // body whose size is larger than its content
        expect(reason(module(TYPE_VOID, FUNC_ONE, section(10, [0x01, 0x03, 0x00, 0x0b, 0x01])))).toBe("section size mismatch")
    })

    it("rejects SIMD with a clear message", () => {
        const e = decodeErrorOf(() => decodeModule(funcModule([0xfd, 0x0c, ...Array(16).fill(0), 0x1a])))
        expect(e.reason).toMatch(/^illegal opcode fd.*SIMD/)
        const v128 = decodeErrorOf(() => decodeModule(module(section(1, [0x01, 0x60, 0x01, 0x7b, 0x00]))))
        expect(v128.reason).toMatch(/SIMD/)
    })

    it("checks segment kinds", () => {
        expect(reason(module(section(9, [0x01, 0x08])))).toBe("malformed elements segment kind")
        expect(reason(module(section(9, [0x01, 0x01, 0x01, 0x00])))).toBe("malformed element kind")
        expect(reason(module(section(11, [0x01, 0x03])))).toBe("malformed data segment kind")
    })

    it("reports position and section in the error", () => {
        const e = decodeErrorOf(() => decodeModule(funcModule([0x41, 0x00, 0x06])))
        expect(e).toBeInstanceOf(WasmDecodeError)
        expect(e.section).toBe("code")
        const bytes = funcModule([0x41, 0x00, 0x06])
        expect(bytes[e.offset]).toBe(0x06)
        expect(e.message).toMatch(/^malformed module: illegal opcode 06 \(at byte \d+, code section\)$/)
    })
})
