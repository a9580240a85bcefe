// The numeric op tables: BINARY[op - Op.BIN_BASE] and UNARY[op - Op.UN_BASE].
// Their order is the order of BINARY_WASM_OPS / UNARY_WASM_OPS in ../numeric-order.ts
// (test/engine checks every entry). Each entry reads its operands from the value stack S at
// byte offsets and writes its result there; see ../numeric for the semantics.

import {
    i32Clz,
    i32Ctz,
    i32DivS,
    i32DivU,
    i32GeU,
    i32GtU,
    i32LeU,
    i32LtU,
    i32Popcnt,
    i32RemS,
    i32RemU,
    i32Rotl,
    i32Rotr,
    i64Add,
    i64And,
    i64Clz,
    i64Ctz,
    i64DivS,
    i64DivU,
    i64Eq,
    i64Eqz,
    i64Extend16S,
    i64Extend32S,
    i64Extend8S,
    i64ExtendI32S,
    i64ExtendI32U,
    i64GeS,
    i64GeU,
    i64GtS,
    i64GtU,
    i64LeS,
    i64LeU,
    i64LtS,
    i64LtU,
    i64Mul,
    i64Ne,
    i64Or,
    i64Popcnt,
    i64RemS,
    i64RemU,
    i64Rotl,
    i64Rotr,
    i64Shl,
    i64ShrS,
    i64ShrU,
    i64Sub,
    i64Xor,
} from "../numeric/i64"
import {
    f32Abs,
    f32Add,
    f32Ceil,
    f32ConvertI32S,
    f32ConvertI32U,
    f32ConvertI64S,
    f32ConvertI64U,
    f32Copysign,
    f32DemoteF64,
    f32Div,
    f32Eq,
    f32Floor,
    f32Ge,
    f32Gt,
    f32Le,
    f32Lt,
    f32Max,
    f32Min,
    f32Mul,
    f32Ne,
    f32Nearest,
    f32Neg,
    f32Sqrt,
    f32Sub,
    f32Trunc,
    i32TruncF32S,
    i32TruncF32U,
    i32TruncSatF32S,
    i32TruncSatF32U,
    i64TruncF32S,
    i64TruncF32U,
    i64TruncSatF32S,
    i64TruncSatF32U,
} from "../numeric/f32"
import {
    f64Abs,
    f64Add,
    f64Ceil,
    f64ConvertI32S,
    f64ConvertI32U,
    f64ConvertI64S,
    f64ConvertI64U,
    f64Copysign,
    f64Div,
    f64Eq,
    f64Floor,
    f64Ge,
    f64Gt,
    f64Le,
    f64Lt,
    f64Max,
    f64Min,
    f64Mul,
    f64Ne,
    f64Nearest,
    f64Neg,
    f64PromoteF32,
    f64Sqrt,
    f64Sub,
    f64Trunc,
    i32TruncF64S,
    i32TruncF64U,
    i32TruncSatF64S,
    i32TruncSatF64U,
    i64TruncF64S,
    i64TruncF64U,
    i64TruncSatF64S,
    i64TruncSatF64U,
} from "../numeric/f64"

export type BinaryOp = (S: Buffer, d: number, a: number, b: number) => void
export type UnaryOp = (S: Buffer, d: number, a: number) => void

// Adapters for library functions that take or return plain numbers.
function w_i32_eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") === S.getAt(b, "i32") ? 1 : 0)
}

function w_i32_ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") !== S.getAt(b, "i32") ? 1 : 0)
}

function w_i32_lt_s(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") < S.getAt(b, "i32") ? 1 : 0)
}

function w_i32_lt_u(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32LtU(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32_gt_s(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") > S.getAt(b, "i32") ? 1 : 0)
}

function w_i32_gt_u(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32GtU(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32_le_s(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") <= S.getAt(b, "i32") ? 1 : 0)
}

function w_i32_le_u(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32LeU(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32_ge_s(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") >= S.getAt(b, "i32") ? 1 : 0)
}

function w_i32_ge_u(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32GeU(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i64Eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64Eq(S, a, b))
}

function w_i64Ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64Ne(S, a, b))
}

function w_i64LtS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64LtS(S, a, b))
}

function w_i64LtU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64LtU(S, a, b))
}

function w_i64GtS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64GtS(S, a, b))
}

function w_i64GtU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64GtU(S, a, b))
}

function w_i64LeS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64LeS(S, a, b))
}

function w_i64LeU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64LeU(S, a, b))
}

function w_i64GeS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64GeS(S, a, b))
}

function w_i64GeU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i64GeU(S, a, b))
}

function w_f32Eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f32Eq(S, a, b))
}

function w_f32Ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f32Ne(S, a, b))
}

function w_f32Lt(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f32Lt(S, a, b))
}

function w_f32Gt(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f32Gt(S, a, b))
}

function w_f32Le(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f32Le(S, a, b))
}

function w_f32Ge(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f32Ge(S, a, b))
}

function w_f64Eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f64Eq(S, a, b))
}

function w_f64Ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f64Ne(S, a, b))
}

function w_f64Lt(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f64Lt(S, a, b))
}

function w_f64Gt(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f64Gt(S, a, b))
}

function w_f64Le(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f64Le(S, a, b))
}

function w_f64Ge(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", f64Ge(S, a, b))
}

function w_i32DivS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32DivS(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32DivU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32DivU(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32RemS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32RemS(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32RemU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32RemU(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32Rotl(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32Rotl(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32Rotr(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", i32Rotr(S.getAt(a, "i32"), S.getAt(b, "i32")))
}

function w_i32_eqz(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") === 0 ? 1 : 0)
}

function w_i64Eqz(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i64Eqz(S, a))
}

function w_i32Clz(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i32Clz(S.getAt(a, "i32")))
}

function w_i32Ctz(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i32Ctz(S.getAt(a, "i32")))
}

function w_i32Popcnt(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i32Popcnt(S.getAt(a, "i32")))
}

function w_i32_extend8_s(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", (S.getAt(a, "i32") << 24) >> 24)
}

function w_i32_extend16_s(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", (S.getAt(a, "i32") << 16) >> 16)
}

export const BINARY: BinaryOp[] = [
    w_i32_eq, // i32.eq
    w_i32_ne, // i32.ne
    w_i32_lt_s, // i32.lt_s
    w_i32_lt_u, // i32.lt_u
    w_i32_gt_s, // i32.gt_s
    w_i32_gt_u, // i32.gt_u
    w_i32_le_s, // i32.le_s
    w_i32_le_u, // i32.le_u
    w_i32_ge_s, // i32.ge_s
    w_i32_ge_u, // i32.ge_u
    w_i64Eq, // i64.Eq
    w_i64Ne, // i64.Ne
    w_i64LtS, // i64.LtS
    w_i64LtU, // i64.LtU
    w_i64GtS, // i64.GtS
    w_i64GtU, // i64.GtU
    w_i64LeS, // i64.LeS
    w_i64LeU, // i64.LeU
    w_i64GeS, // i64.GeS
    w_i64GeU, // i64.GeU
    w_f32Eq, // f32.Eq
    w_f32Ne, // f32.Ne
    w_f32Lt, // f32.Lt
    w_f32Gt, // f32.Gt
    w_f32Le, // f32.Le
    w_f32Ge, // f32.Ge
    w_f64Eq, // f64.Eq
    w_f64Ne, // f64.Ne
    w_f64Lt, // f64.Lt
    w_f64Gt, // f64.Gt
    w_f64Le, // f64.Le
    w_f64Ge, // f64.Ge
    w_i32DivS, // i32.DivS
    w_i32DivU, // i32.DivU
    w_i32RemS, // i32.RemS
    w_i32RemU, // i32.RemU
    w_i32Rotl, // i32.Rotl
    w_i32Rotr, // i32.Rotr
    i64Add, // i64.Add
    i64Sub, // i64.Sub
    i64Mul, // i64.Mul
    i64DivS, // i64.DivS
    i64DivU, // i64.DivU
    i64RemS, // i64.RemS
    i64RemU, // i64.RemU
    i64And, // i64.And
    i64Or, // i64.Or
    i64Xor, // i64.Xor
    i64Shl, // i64.Shl
    i64ShrS, // i64.ShrS
    i64ShrU, // i64.ShrU
    i64Rotl, // i64.Rotl
    i64Rotr, // i64.Rotr
    f32Add, // f32.Add
    f32Sub, // f32.Sub
    f32Mul, // f32.Mul
    f32Div, // f32.Div
    f32Min, // f32.Min
    f32Max, // f32.Max
    f32Copysign, // f32.Copysign
    f64Add, // f64.Add
    f64Sub, // f64.Sub
    f64Mul, // f64.Mul
    f64Div, // f64.Div
    f64Min, // f64.Min
    f64Max, // f64.Max
    f64Copysign, // f64.Copysign
]

export const UNARY: UnaryOp[] = [
    w_i32_eqz, // i32.eqz
    w_i64Eqz, // i64.eqz
    w_i32Clz, // i32.clz
    w_i32Ctz, // i32.ctz
    w_i32Popcnt, // i32.popcnt
    i64Clz, // i64.clz
    i64Ctz, // i64.ctz
    i64Popcnt, // i64.popcnt
    f32Abs, // f32.Abs
    f32Neg, // f32.Neg
    f32Ceil, // f32.Ceil
    f32Floor, // f32.Floor
    f32Trunc, // f32.Trunc
    f32Nearest, // f32.Nearest
    f32Sqrt, // f32.Sqrt
    f64Abs, // f64.Abs
    f64Neg, // f64.Neg
    f64Ceil, // f64.Ceil
    f64Floor, // f64.Floor
    f64Trunc, // f64.Trunc
    f64Nearest, // f64.Nearest
    f64Sqrt, // f64.Sqrt
    i32TruncF32S, // i32TruncF32S
    i32TruncF32U, // i32TruncF32U
    i32TruncF64S, // i32TruncF64S
    i32TruncF64U, // i32TruncF64U
    i64ExtendI32S, // i64ExtendI32S
    i64ExtendI32U, // i64ExtendI32U
    i64TruncF32S, // i64TruncF32S
    i64TruncF32U, // i64TruncF32U
    i64TruncF64S, // i64TruncF64S
    i64TruncF64U, // i64TruncF64U
    f32ConvertI32S, // f32ConvertI32S
    f32ConvertI32U, // f32ConvertI32U
    f32ConvertI64S, // f32ConvertI64S
    f32ConvertI64U, // f32ConvertI64U
    f32DemoteF64, // f32DemoteF64
    f64ConvertI32S, // f64ConvertI32S
    f64ConvertI32U, // f64ConvertI32U
    f64ConvertI64S, // f64ConvertI64S
    f64ConvertI64U, // f64ConvertI64U
    f64PromoteF32, // f64PromoteF32
    w_i32_extend8_s, // i32.extend8_s
    w_i32_extend16_s, // i32.extend16_s
    i64Extend8S, // i64.extend8_s
    i64Extend16S, // i64.extend16_s
    i64Extend32S, // i64.extend32_s
    i32TruncSatF32S, // i32TruncSatF32S
    i32TruncSatF32U, // i32TruncSatF32U
    i32TruncSatF64S, // i32TruncSatF64S
    i32TruncSatF64U, // i32TruncSatF64U
    i64TruncSatF32S, // i64TruncSatF32S
    i64TruncSatF32U, // i64TruncSatF32U
    i64TruncSatF64S, // i64TruncSatF64S
    i64TruncSatF64U, // i64TruncSatF64U
]
