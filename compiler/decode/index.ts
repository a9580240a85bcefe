// Wasm 2.0 (no SIMD) binary decoder: bytes -> WasmModule. Throws WasmDecodeError for malformed input.
// Validation (type checking, index spaces) is compiler/validate's job; the few validity problems that
// the WasmModule shape cannot represent (non-constant instructions in constant expressions, typed
// select with several types) are recorded and reported by validateModule.

import {
    ConstExpr,
    DataSegment,
    ElemMode,
    ElemSegment,
    Export,
    FuncBody,
    FuncType,
    GlobalType,
    Import,
    Instr,
    Limits,
    TableType,
    ValType,
    WasmDecodeError,
    WasmModule,
    WasmValidationError,
} from "../wasm-types"
import { Reader } from "./reader"
import { decodeExpr, ExprContext, readRefType, readValType } from "./instrs"
import { DecodePositions, setSideInfo } from "./side-info"

export { Reader } from "./reader"

/** Implementation limit on the declared locals of one function (the spec allows up to 2^32-1). */
export const MAX_LOCALS = 50000

export const SECTION_NAMES = [
    "custom",
    "type",
    "import",
    "function",
    "table",
    "memory",
    "global",
    "export",
    "start",
    "element",
    "code",
    "data",
    "datacount",
]

// Position of each non-custom section id in the required order (datacount sits between element and code).
const SECTION_ORDER = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 10]

const enum Kind {
    Func = 0,
    Table = 1,
    Memory = 2,
    Global = 3,
}
const KIND_NAMES = ["func", "table", "memory", "global"] as const

function limits(r: Reader): Limits {
    const flag = r.u1()
    const min = r.u32()
    return flag ? { min, max: r.u32() } : { min }
}

function tableType(r: Reader): TableType {
    const elem = readRefType(r)
    return { elem, limits: limits(r) }
}

function globalType(r: Reader): GlobalType {
    const type = readValType(r)
    const at = r.pos
    const m = r.u8()
    if (m > 1) r.fail("malformed mutability", at)
    return { type, mutable: m === 1 }
}

function funcType(r: Reader): FuncType {
    const at = r.pos
    if (r.sN(7) !== -0x20) r.fail("malformed function type", at)
    const params: ValType[] = []
    for (let n = r.u32(); n > 0; n--) params.push(readValType(r))
    const results: ValType[] = []
    for (let n = r.u32(); n > 0; n--) results.push(readValType(r))
    return { params, results }
}

class ModuleDecoder {
    readonly r: Reader
    readonly m: WasmModule = {
        types: [],
        imports: [],
        funcs: [],
        tables: [],
        memories: [],
        globals: [],
        exports: [],
        elems: [],
        datas: [],
        bodies: [],
    }
    readonly positions: DecodePositions = {
        imports: [],
        funcs: [],
        tables: [],
        memories: [],
        globals: [],
        exports: [],
        elems: [],
        datas: [],
        constExprs: new WeakMap(),
    }
    readonly deferred: WasmValidationError[] = []
    readonly ctx: ExprContext
    numImportedFuncs = 0

    constructor(bytes: Uint8Array) {
        this.r = new Reader(bytes)
        this.ctx = { types: this.m.types, usesDataIndex: false, deferred: this.deferred }
    }

    decode(): WasmModule {
        const r = this.r
        if (r.bytes.length < 4) r.fail("unexpected end", r.bytes.length)
        if (r.fixed32() !== 0x6d736100) r.fail("magic header not detected", 0)
        if (r.bytes.length < 8) r.fail("unexpected end", r.bytes.length)
        if (r.fixed32() !== 1) r.fail("unknown binary version", 4)

        let lastOrder = 0
        let codeSeen = false
        while (r.pos < r.bytes.length) {
            const idPos = r.pos
            const id = r.u8()
            if (id > 12) r.fail("malformed section id", idPos)
            if (id !== 0) {
                const order = SECTION_ORDER[id]
                if (order <= lastOrder) r.fail("unexpected content after last section", idPos)
                lastOrder = order
            }
            r.section = SECTION_NAMES[id]
            const size = r.len()
            const start = r.pos
            const end = start + size
            // Reads inside a section are bounded by the module end only (this gives the error reasons the
            // spec testsuite expects, e.g. an over-long LEB crossing the section end); the section
            // size is checked once the section has been decoded.
            switch (id) {
                case 0:
                    this.customSection(end)
                    break
                case 1:
                    for (let n = r.u32(); n > 0; n--) this.m.types.push(funcType(r))
                    break
                case 2:
                    this.importSection()
                    break
                case 3:
                    for (let n = r.u32(); n > 0; n--) {
                        this.positions.funcs.push(r.pos)
                        this.m.funcs.push(r.u32())
                    }
                    break
                case 4:
                    for (let n = r.u32(); n > 0; n--) {
                        this.positions.tables.push(r.pos)
                        this.m.tables.push(tableType(r))
                    }
                    break
                case 5:
                    for (let n = r.u32(); n > 0; n--) {
                        this.positions.memories.push(r.pos)
                        this.m.memories.push(limits(r))
                    }
                    break
                case 6:
                    for (let n = r.u32(); n > 0; n--) {
                        this.positions.globals.push(r.pos)
                        const type = globalType(r)
                        this.m.globals.push({ type, init: this.constExpr() })
                    }
                    break
                case 7:
                    this.exportSection()
                    break
                case 8:
                    this.positions.start = r.pos
                    this.m.start = r.u32()
                    break
                case 9:
                    for (let n = r.u32(); n > 0; n--) this.elemSegment()
                    break
                case 10:
                    codeSeen = true
                    this.codeSection()
                    break
                case 11:
                    for (let n = r.u32(); n > 0; n--) this.dataSegment()
                    break
                case 12:
                    this.m.dataCount = r.u32()
                    break
            }
            if (r.pos !== end) r.fail("section size mismatch", r.pos)
            r.section = undefined
        }

        const len = r.bytes.length
        if (this.m.funcs.length !== this.m.bodies.length)
            throw new WasmDecodeError("function and code section have inconsistent lengths", len, codeSeen ? "code" : "function")
        if (this.m.dataCount !== undefined && this.m.dataCount !== this.m.datas.length)
            throw new WasmDecodeError("data count and data section have inconsistent lengths", len, "data")
        // memory.init / data.drop need a datacount section. Exception: with no data segments at all
        // the instruction's index is out of range anyway; then the validator reports the more helpful
        // "unknown data segment" (some producers, e.g. wabt, omit datacount when there is no data).
        if (this.m.dataCount === undefined && this.ctx.usesDataIndex && this.m.datas.length > 0)
            throw new WasmDecodeError("data count section required", len, "code")

        setSideInfo(this.m, { positions: this.positions, deferred: this.deferred })
        return this.m
    }

    importSection(): void {
        const r = this.r
        for (let n = r.u32(); n > 0; n--) {
            this.positions.imports.push(r.pos)
            const module = r.name()
            const name = r.name()
            const at = r.pos
            const kind = r.u8()
            let imp: Import
            switch (kind) {
                case Kind.Func:
                    imp = { module, name, desc: { kind: "func", typeIndex: r.u32() } }
                    this.numImportedFuncs++
                    break
                case Kind.Table:
                    imp = { module, name, desc: { kind: "table", table: tableType(r) } }
                    break
                case Kind.Memory:
                    imp = { module, name, desc: { kind: "memory", limits: limits(r) } }
                    break
                case Kind.Global:
                    imp = { module, name, desc: { kind: "global", global: globalType(r) } }
                    break
                default:
                    return r.fail("malformed import kind", at)
            }
            this.m.imports.push(imp)
        }
    }

    exportSection(): void {
        const r = this.r
        for (let n = r.u32(); n > 0; n--) {
            this.positions.exports.push(r.pos)
            const name = r.name()
            const at = r.pos
            const kind = r.u8()
            if (kind > 3) r.fail("malformed export kind", at)
            const ex: Export = { name, kind: KIND_NAMES[kind], index: r.u32() }
            this.m.exports.push(ex)
        }
    }

    /** A constant expression, terminated by `end`. */
    constExpr(): ConstExpr {
        const r = this.r
        const pos = r.pos
        const saveFunc = this.ctx.funcIndex
        this.ctx.funcIndex = undefined
        const instrs = decodeExpr(r, this.ctx, false)
        this.ctx.funcIndex = saveFunc
        let e: ConstExpr | undefined
        let problem: string | undefined
        for (let i = 0; i < instrs.length - 1; i++) {
            const ins = instrs[i]
            if (![0x41, 0x42, 0x43, 0x44, 0xd0, 0xd2, 0x23].includes(ins.op)) {
                problem = "constant expression required"
                break
            }
        }
        if (!problem && instrs.length !== 2) problem = "type mismatch"
        if (!problem) {
            const ins = instrs[0]
            switch (ins.op) {
                case 0x41:
                    e = { op: "i32.const", value: ins.value! }
                    break
                case 0x42:
                    e = { op: "i64.const", lo: ins.lo!, hi: ins.hi! }
                    break
                case 0x43:
                    e = { op: "f32.const", bits: ins.value! }
                    break
                case 0x44:
                    e = { op: "f64.const", lo: ins.lo!, hi: ins.hi! }
                    break
                case 0xd0:
                    e = { op: "ref.null", type: ins.type! }
                    break
                case 0xd2:
                    e = { op: "ref.func", funcIndex: ins.index! }
                    break
                case 0x23:
                    e = { op: "global.get", globalIndex: ins.index! }
                    break
            }
        }
        if (!e) {
            this.deferred.push(new WasmValidationError(problem!, pos))
            // Placeholder. validateModule reports the recorded error; should the side information be
            // lost (e.g. the module was cloned), this index can never be valid, so validation still fails.
            e = { op: "global.get", globalIndex: 0xffffffff }
        }
        this.positions.constExprs.set(e, pos)
        return e
    }

    elemSegment(): void {
        const r = this.r
        this.positions.elems.push(r.pos)
        const kindAt = r.pos
        const kind = r.u32()
        if (kind > 7) r.fail("malformed elements segment kind", kindAt)
        const passiveOrDeclarative = (kind & 1) !== 0
        const explicitTable = (kind & 2) !== 0
        const exprs = (kind & 4) !== 0
        let mode: ElemMode
        if (passiveOrDeclarative) {
            mode = explicitTable ? { kind: "declarative" } : { kind: "passive" }
        } else {
            const table = explicitTable ? r.u32() : 0
            mode = { kind: "active", table, offset: this.constExpr() }
        }
        let type = ValType.FuncRef
        if (kind & 3) {
            // explicit element kind (funcidx lists) or reference type (expression lists)
            if (exprs) type = readRefType(r)
            else {
                const at = r.pos
                if (r.u8() !== 0x00) r.fail("malformed element kind", at)
            }
        }
        const items: ConstExpr[] = []
        for (let n = r.u32(); n > 0; n--) {
            if (exprs) items.push(this.constExpr())
            else {
                const at = r.pos
                const e: ConstExpr = { op: "ref.func", funcIndex: r.u32() }
                this.positions.constExprs.set(e, at)
                items.push(e)
            }
        }
        const seg: ElemSegment = { type, items, mode }
        this.m.elems.push(seg)
    }

    dataSegment(): void {
        const r = this.r
        this.positions.datas.push(r.pos)
        const kindAt = r.pos
        const kind = r.u32()
        let seg: DataSegment
        switch (kind) {
            case 0: {
                const offset = this.constExpr()
                seg = { bytes: r.take(r.u32()).slice(), mode: { kind: "active", memory: 0, offset } }
                break
            }
            case 1:
                seg = { bytes: r.take(r.u32()).slice(), mode: { kind: "passive" } }
                break
            case 2: {
                const memory = r.u32()
                const offset = this.constExpr()
                seg = { bytes: r.take(r.u32()).slice(), mode: { kind: "active", memory, offset } }
                break
            }
            default:
                return r.fail("malformed data segment kind", kindAt)
        }
        this.m.datas.push(seg)
    }

    codeSection(): void {
        const r = this.r
        const count = r.u32()
        for (let i = 0; i < count; i++) {
            const size = r.len()
            const pos = r.pos
            const bodyEnd = pos + size
            this.ctx.funcIndex = this.numImportedFuncs + i
            const localsAt = r.pos
            const groups: [number, ValType][] = []
            let total = 0
            for (let n = r.u32(); n > 0; n--) {
                const c = r.u32()
                groups.push([c, readValType(r)])
                total += c
            }
            if (total > 0xffffffff) r.fail("too many locals", localsAt)
            if (total > MAX_LOCALS) r.fail(`too many locals (implementation limit is ${MAX_LOCALS})`, localsAt)
            const locals: ValType[] = []
            for (const [c, t] of groups) for (let k = 0; k < c; k++) locals.push(t)
            const instrs: Instr[] = decodeExpr(r, this.ctx, true)
            if (r.pos !== bodyEnd) r.fail("section size mismatch", r.pos)
            const body: FuncBody = { locals, instrs, pos }
            this.m.bodies.push(body)
        }
        this.ctx.funcIndex = undefined
    }

    customSection(end: number): void {
        const r = this.r
        const name = r.name()
        if (r.pos > end) r.fail("unexpected end of section or function", end)
        if (name === "name") {
            const names = parseFunctionNames(r.bytes, r.pos, end)
            if (names) this.m.funcNames = names
        }
        r.pos = end
    }
}

/** Function names from a "name" custom section's payload; undefined if absent or malformed. */
function parseFunctionNames(bytes: Uint8Array, start: number, end: number): Map<number, string> | undefined {
    const r = new Reader(bytes, start, end)
    r.section = "name"
    let result: Map<number, string> | undefined
    try {
        let lastId = -1
        while (!r.atEnd()) {
            const id = r.u8()
            if (id <= lastId) return undefined
            lastId = id
            const size = r.u32()
            const subEnd = r.pos + size
            if (subEnd > end) return undefined
            if (id === 1) {
                const sub = new Reader(bytes, r.pos, subEnd)
                const map = new Map<number, string>()
                let prev = -1
                for (let n = sub.u32(); n > 0; n--) {
                    const idx = sub.u32()
                    if (idx <= prev) return undefined // must be sorted and unique
                    prev = idx
                    map.set(idx, sub.name())
                }
                if (!sub.atEnd()) return undefined
                result = map
            }
            r.pos = subEnd
        }
    } catch (e) {
        if (e instanceof WasmDecodeError) return undefined
        throw e
    }
    return result
}

/** Decodes a Wasm 2.0 binary (SIMD excluded). Throws WasmDecodeError if the bytes are malformed. */
export function decodeModule(bytes: Uint8Array): WasmModule {
    return new ModuleDecoder(bytes).decode()
}
