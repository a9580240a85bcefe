// The numeric op tables: BINARY[op - Op.BIN_BASE] and UNARY[op - Op.UN_BASE].
// Their order is the order of BINARY_WASM_OPS / UNARY_WASM_OPS in ../numeric-order.ts
// (test/engine checks every entry). Each entry reads its operands from the value stack S at
// byte offsets and writes its result there (comparisons a 0/1 i32); see ../numeric for the
// semantics. Entries are the library functions themselves, with no adapters between: every
// DeviceScript function costs a 16-byte descriptor, and a call ~600 ns. The run loop passes
// every entry its opcode as the last argument, so that a family of rare ops (the comparisons,
// roundings, truncations, conversions...) is one function that the opcode steers.

import { countOp, eqz, extendOp, i32DivS, i32DivU, i32RemS, i32RemU, i32Rot } from "../numeric/i32"
import { i64AddSub, i64Bitwise, i64DivRem, i64Mul, i64Rot, i64Shl, i64ShrS, i64ShrU } from "../numeric/i64"
import { f32AddSubMul, f32DemoteF64, f32Div, f32MinMax, f32Round, f32Sqrt } from "../numeric/f32"
import { f64AddSub, f64Div, f64MinMax, f64MulDiv, f64PromoteF32, f64Round, f64Sqrt } from "../numeric/f64"
import { absNeg, copysign, truncOp } from "../numeric/float-bits"
import { compare } from "../numeric/compare"
import { convertOp } from "../numeric/convert"

/** Operands and result at byte offsets of S; op is the entry's own opcode. */
export type BinaryOp = (S: Buffer, d: number, a: number, b: number, op: number) => void
export type UnaryOp = (S: Buffer, d: number, a: number, op: number) => void

export const BINARY: BinaryOp[] = [
    // i32 comparisons (eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u), i64, f32 (eq ne lt gt le ge), f64
    compare, compare, compare, compare, compare, compare, compare, compare, compare, compare,
    compare, compare, compare, compare, compare, compare, compare, compare, compare, compare,
    compare, compare, compare, compare, compare, compare,
    compare, compare, compare, compare, compare, compare,
    i32DivS, // i32.DivS
    i32DivU, // i32.DivU
    i32RemS, // i32.RemS
    i32RemU, // i32.RemU
    i32Rot, // i32.Rotl
    i32Rot, // i32.Rotr
    i64AddSub, // i64.Add
    i64AddSub, // i64.Sub
    i64Mul, // i64.Mul
    i64DivRem, // i64.DivS
    i64DivRem, // i64.DivU
    i64DivRem, // i64.RemS
    i64DivRem, // i64.RemU
    i64Bitwise, // i64.And
    i64Bitwise, // i64.Or
    i64Bitwise, // i64.Xor
    i64Shl, // i64.Shl
    i64ShrS, // i64.ShrS
    i64ShrU, // i64.ShrU
    i64Rot, // i64.Rotl
    i64Rot, // i64.Rotr
    f32AddSubMul, // f32.Add
    f32AddSubMul, // f32.Sub
    f32AddSubMul, // f32.Mul
    f32Div, // f32.Div
    f32MinMax, // f32.Min
    f32MinMax, // f32.Max
    copysign, // f32.Copysign
    f64AddSub, // f64.Add
    f64AddSub, // f64.Sub
    f64MulDiv, // f64.Mul
    f64Div, // f64.Div
    f64MinMax, // f64.Min
    f64MinMax, // f64.Max
    copysign, // f64.Copysign
]

export const UNARY: UnaryOp[] = [
    eqz, // i32.eqz
    eqz, // i64.eqz
    countOp, // i32.clz
    countOp, // i32.ctz
    countOp, // i32.popcnt
    countOp, // i64.clz
    countOp, // i64.ctz
    countOp, // i64.popcnt
    absNeg, // f32.Abs
    absNeg, // f32.Neg
    f32Round, // f32.Ceil
    f32Round, // f32.Floor
    f32Round, // f32.Trunc
    f32Round, // f32.Nearest
    f32Sqrt, // f32.Sqrt
    absNeg, // f64.Abs
    absNeg, // f64.Neg
    f64Round, // f64.Ceil
    f64Round, // f64.Floor
    f64Round, // f64.Trunc
    f64Round, // f64.Nearest
    f64Sqrt, // f64.Sqrt
    truncOp, // i32TruncF32S
    truncOp, // i32TruncF32U
    truncOp, // i32TruncF64S
    truncOp, // i32TruncF64U
    extendOp, // i64ExtendI32S
    extendOp, // i64ExtendI32U
    truncOp, // i64TruncF32S
    truncOp, // i64TruncF32U
    truncOp, // i64TruncF64S
    truncOp, // i64TruncF64U
    convertOp, // f32ConvertI32S
    convertOp, // f32ConvertI32U
    convertOp, // f32ConvertI64S
    convertOp, // f32ConvertI64U
    f32DemoteF64, // f32DemoteF64
    convertOp, // f64ConvertI32S
    convertOp, // f64ConvertI32U
    convertOp, // f64ConvertI64S
    convertOp, // f64ConvertI64U
    f64PromoteF32, // f64PromoteF32
    extendOp, // i32.extend8_s
    extendOp, // i32.extend16_s
    extendOp, // i64.extend8_s
    extendOp, // i64.extend16_s
    extendOp, // i64.extend32_s
    truncOp, // i32TruncSatF32S
    truncOp, // i32TruncSatF32U
    truncOp, // i32TruncSatF64S
    truncOp, // i32TruncSatF64U
    truncOp, // i64TruncSatF32S
    truncOp, // i64TruncSatF32U
    truncOp, // i64TruncSatF64S
    truncOp, // i64TruncSatF64U
]
