// The decoded, validated form of a Wasm module: what compiler/decode + compiler/validate
// hand to compiler/emit (which turns it into a device image). Host side only (Node).

export const enum ValType {
    I32 = 0x7f,
    I64 = 0x7e,
    F32 = 0x7d,
    F64 = 0x7c,
    V128 = 0x7b,
    FuncRef = 0x70,
    ExternRef = 0x6f,
}

export interface FuncType {
    params: ValType[]
    results: ValType[]
}

export interface Limits {
    min: number
    max?: number
}

export interface TableType {
    elem: ValType // FuncRef or ExternRef
    limits: Limits
}

export interface GlobalType {
    type: ValType
    mutable: boolean
}

export type ImportDesc =
    | { kind: "func"; typeIndex: number }
    | { kind: "table"; table: TableType }
    | { kind: "memory"; limits: Limits }
    | { kind: "global"; global: GlobalType }

export interface Import {
    module: string
    name: string
    desc: ImportDesc
}

export interface Export {
    name: string
    kind: "func" | "table" | "memory" | "global"
    index: number
}

/**
 * A constant expression (global initialisers, segment offsets, element items), already validated.
 * Exactly one instruction before `end` in Wasm 2.0.
 */
export type ConstExpr =
    | { op: "i32.const"; value: number } // signed int32
    | { op: "i64.const"; lo: number; hi: number } // two's complement halves, each a signed int32
    | { op: "f32.const"; bits: number } // raw IEEE bits as a signed int32
    | { op: "f64.const"; lo: number; hi: number } // raw IEEE bits
    | { op: "ref.null"; type: ValType }
    | { op: "ref.func"; funcIndex: number }
    | { op: "global.get"; globalIndex: number }

export interface Global {
    type: GlobalType
    init: ConstExpr
}

export type ElemMode =
    | { kind: "active"; table: number; offset: ConstExpr }
    | { kind: "passive" }
    | { kind: "declarative" }

export interface ElemSegment {
    type: ValType // FuncRef or ExternRef
    items: ConstExpr[] // each ref.func / ref.null / global.get
    mode: ElemMode
}

export type DataMode = { kind: "active"; memory: number; offset: ConstExpr } | { kind: "passive" }

export interface DataSegment {
    bytes: Uint8Array
    mode: DataMode
}

/**
 * One decoded instruction. `op` is the Wasm opcode byte; prefixed ones are (prefix << 8) | subopcode,
 * e.g. memory.fill = 0xfc0b, i32.trunc_sat_f32_s = 0xfc00.
 * Immediates, by instruction:
 *  - block/loop/if: `block` (its resolved signature)
 *  - br/br_if: `index` = label depth; br_table: `labels` (targets, the default LAST)
 *  - call: `index` = func; call_indirect: `index` = type, `index2` = table
 *  - local.*, global.*: `index`; table.get/set/size/grow/fill: `index` = table
 *  - table.copy: `index` = destination table, `index2` = source table
 *  - table.init: `index` = elem segment, `index2` = table; elem.drop: `index` = segment
 *  - memory.init / data.drop: `index` = data segment
 *  - loads/stores: `offset` (u32 as a non-negative number), `align` (log2)
 *  - i32.const: `value` (signed int32); f32.const: `value` = raw bits (signed int32)
 *  - i64.const, f64.const: `lo`, `hi` (signed int32 halves of the two's complement / raw bits)
 *  - ref.null: `type`; ref.func: `index`
 *  - drop, select (typed or not): `type` = the operand type, resolved by the validator
 *    (undefined only in unreachable code, where any type is allowed)
 * `pos` is the byte offset of the opcode in the module (for error messages).
 * The function body's own final `end` is included.
 */
export interface Instr {
    op: number
    pos: number
    index?: number
    index2?: number
    labels?: number[]
    block?: FuncType
    value?: number
    lo?: number
    hi?: number
    offset?: number
    align?: number
    type?: ValType
}

export interface FuncBody {
    locals: ValType[] // declared locals only (parameters not included), expanded
    instrs: Instr[]
    pos: number // byte offset of the body in the module
}

export interface WasmModule {
    types: FuncType[]
    imports: Import[]
    /** Type index of each function defined in this module (imports excluded). */
    funcs: number[]
    tables: TableType[] // defined tables (imports excluded)
    memories: Limits[] // defined memories (imports excluded), in 64 KiB pages
    globals: Global[] // defined globals (imports excluded)
    exports: Export[]
    start?: number
    elems: ElemSegment[]
    datas: DataSegment[]
    dataCount?: number
    bodies: FuncBody[] // one per entry of `funcs`
    /** Custom "name" section function names, when present (func index -> name). */
    funcNames?: Map<number, string>
}

/** A byte sequence that is not a Wasm binary (spec: "malformed"). */
export class WasmDecodeError extends Error {
    constructor(message: string, public readonly offset: number, public readonly section?: string) {
        super(`malformed module: ${message} (at byte ${offset}${section ? ", " + section + " section" : ""})`)
        this.name = "WasmDecodeError"
    }
    /** The spec-style message without location, e.g. "unexpected end". */
    get reason(): string {
        return this.message.replace(/^malformed module: /, "").replace(/ \(at byte.*$/, "")
    }
}

/** A well-formed binary that breaks a validation rule (spec: "invalid"). */
export class WasmValidationError extends Error {
    constructor(message: string, public readonly offset: number, public readonly funcIndex?: number) {
        super(`invalid module: ${message} (at byte ${offset}${funcIndex !== undefined ? ", function " + funcIndex : ""})`)
        this.name = "WasmValidationError"
    }
    get reason(): string {
        return this.message.replace(/^invalid module: /, "").replace(/ \(at byte.*$/, "")
    }
}
