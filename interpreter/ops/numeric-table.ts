// The numeric op tables: BINARY[op - Op.BIN_BASE] and UNARY[op - Op.UN_BASE].
// Their order is the order of BINARY_WASM_OPS / UNARY_WASM_OPS in ../numeric-order.ts
// (test/engine checks every entry). Each entry reads its operands from the value stack S at
// byte offsets and writes its result there (comparisons a 0/1 i32); see ../numeric for the
// semantics. Entries are the library functions themselves, with no adapters between: every
// DeviceScript function costs a 16-byte descriptor, and a call ~600 ns.

import {
    i32ClzOp,
    i32CtzOp,
    i32DivS,
    i32DivU,
    i32Eq,
    i32Eqz,
    i32Extend16S,
    i32Extend8S,
    i32GeS,
    i32GeU,
    i32GtS,
    i32GtU,
    i32LeS,
    i32LeU,
    i32LtS,
    i32LtU,
    i32Ne,
    i32PopcntOp,
    i32RemS,
    i32RemU,
    i32Rotl,
    i32Rotr,
} from "../numeric/i32"
import {
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

export const BINARY: BinaryOp[] = [
    i32Eq, // i32.eq
    i32Ne, // i32.ne
    i32LtS, // i32.lt_s
    i32LtU, // i32.lt_u
    i32GtS, // i32.gt_s
    i32GtU, // i32.gt_u
    i32LeS, // i32.le_s
    i32LeU, // i32.le_u
    i32GeS, // i32.ge_s
    i32GeU, // i32.ge_u
    i64Eq, // i64.Eq
    i64Ne, // i64.Ne
    i64LtS, // i64.LtS
    i64LtU, // i64.LtU
    i64GtS, // i64.GtS
    i64GtU, // i64.GtU
    i64LeS, // i64.LeS
    i64LeU, // i64.LeU
    i64GeS, // i64.GeS
    i64GeU, // i64.GeU
    f32Eq, // f32.Eq
    f32Ne, // f32.Ne
    f32Lt, // f32.Lt
    f32Gt, // f32.Gt
    f32Le, // f32.Le
    f32Ge, // f32.Ge
    f64Eq, // f64.Eq
    f64Ne, // f64.Ne
    f64Lt, // f64.Lt
    f64Gt, // f64.Gt
    f64Le, // f64.Le
    f64Ge, // f64.Ge
    i32DivS, // i32.DivS
    i32DivU, // i32.DivU
    i32RemS, // i32.RemS
    i32RemU, // i32.RemU
    i32Rotl, // i32.Rotl
    i32Rotr, // i32.Rotr
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
    i32Eqz, // i32.eqz
    i64Eqz, // i64.eqz
    i32ClzOp, // i32.clz
    i32CtzOp, // i32.ctz
    i32PopcntOp, // i32.popcnt
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
    i64Extend32S, // i64ExtendI32S (the same op on slots)
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
    i32Extend8S, // i32.extend8_s
    i32Extend16S, // i32.extend16_s
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
