// The table of numeric ops under test, shared by the Node suite (test/numeric) and the
// DeviceScript suite (test/devs/numeric.test.ts). Index i of OPS, KINDS and NAMES is
// the op id used in the generated vectors (test/devs/numeric-vectors.ts).
// The functions are the engine's table entries (interpreter/ops/numeric-table.ts): each reads
// its operands from slots of S and writes its result (a comparison's 0/1 as an i32) at d.
// Kinds: 0 binary (S,d,a,b), 1 unary (S,d,a).
import {
    i32ClzOp, i32CtzOp, i32PopcntOp, i32DivS, i32DivU, i32RemS, i32RemU, i32Rotl, i32Rotr,
    i32LtU, i32GtU, i32LeU, i32GeU,
} from "../../interpreter/numeric/i32"
import {
    i64Add, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU, i64And, i64Or, i64Xor,
    i64Shl, i64ShrS, i64ShrU, i64Rotl, i64Rotr, i64Clz, i64Ctz, i64Popcnt,
    i64Extend8S, i64Extend16S, i64Extend32S, i64ExtendI32U,
    i64Eqz, i64Eq, i64Ne, i64LtS, i64LtU, i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU,
} from "../../interpreter/numeric/i64"
import {
    f32Add, f32Sub, f32Mul, f32Div, f32Min, f32Max, f32Copysign, f32Abs, f32Neg, f32Sqrt,
    f32Ceil, f32Floor, f32Trunc, f32Nearest, f32Eq, f32Ne, f32Lt, f32Gt, f32Le, f32Ge,
    f32DemoteF64, f32ConvertI32S, f32ConvertI32U, f32ConvertI64S, f32ConvertI64U,
    i32TruncF32S, i32TruncF32U, i32TruncSatF32S, i32TruncSatF32U,
    i64TruncF32S, i64TruncF32U, i64TruncSatF32S, i64TruncSatF32U,
} from "../../interpreter/numeric/f32"
import {
    f64Add, f64Sub, f64Mul, f64Div, f64Min, f64Max, f64Copysign, f64Abs, f64Neg, f64Sqrt,
    f64Ceil, f64Floor, f64Trunc, f64Nearest, f64Eq, f64Ne, f64Lt, f64Gt, f64Le, f64Ge,
    f64PromoteF32, f64ConvertI32S, f64ConvertI32U, f64ConvertI64S, f64ConvertI64U,
    i32TruncF64S, i32TruncF64U, i32TruncSatF64S, i32TruncSatF64U,
    i64TruncF64S, i64TruncF64U, i64TruncSatF64S, i64TruncSatF64U,
} from "../../interpreter/numeric/f64"

export const OPS: any[] = [
    i32ClzOp, i32CtzOp, i32PopcntOp, i32DivS, i32DivU, i32RemS, i32RemU, i32Rotl, i32Rotr,
    i32LtU, i32GtU, i32LeU, i32GeU,
    i64Add, i64Sub, i64Mul, i64DivS, i64DivU, i64RemS, i64RemU, i64And, i64Or, i64Xor,
    i64Shl, i64ShrS, i64ShrU, i64Rotl, i64Rotr, i64Clz, i64Ctz, i64Popcnt,
    i64Extend8S, i64Extend16S, i64Extend32S, i64Extend32S /* i64.extend_i32_s */, i64ExtendI32U,
    i64Eqz, i64Eq, i64Ne, i64LtS, i64LtU, i64GtS, i64GtU, i64LeS, i64LeU, i64GeS, i64GeU,
    f32Add, f32Sub, f32Mul, f32Div, f32Min, f32Max, f32Copysign, f32Abs, f32Neg, f32Sqrt,
    f32Ceil, f32Floor, f32Trunc, f32Nearest, f32Eq, f32Ne, f32Lt, f32Gt, f32Le, f32Ge,
    f32DemoteF64, f32ConvertI32S, f32ConvertI32U, f32ConvertI64S, f32ConvertI64U,
    i32TruncF32S, i32TruncF32U, i32TruncSatF32S, i32TruncSatF32U,
    i64TruncF32S, i64TruncF32U, i64TruncSatF32S, i64TruncSatF32U,
    f64Add, f64Sub, f64Mul, f64Div, f64Min, f64Max, f64Copysign, f64Abs, f64Neg, f64Sqrt,
    f64Ceil, f64Floor, f64Trunc, f64Nearest, f64Eq, f64Ne, f64Lt, f64Gt, f64Le, f64Ge,
    f64PromoteF32, f64ConvertI32S, f64ConvertI32U, f64ConvertI64S, f64ConvertI64U,
    i32TruncF64S, i32TruncF64U, i32TruncSatF64S, i32TruncSatF64U,
    i64TruncF64S, i64TruncF64U, i64TruncSatF64S, i64TruncSatF64U,
]

// Per-op kind, one hex digit each, in OPS order.
export const KINDS = "1110000000000" + "000000000000000" + "11111111" + "1" + "0000000000" +
    "0000000" + "1111111" + "000000" + "11111" + "11111111" +
    "0000000" + "1111111" + "000000" + "11111" + "11111111"

export const NAMES = [
    "i32.clz", "i32.ctz", "i32.popcnt", "i32.div_s", "i32.div_u", "i32.rem_s", "i32.rem_u", "i32.rotl", "i32.rotr",
    "i32.lt_u", "i32.gt_u", "i32.le_u", "i32.ge_u",
    "i64.add", "i64.sub", "i64.mul", "i64.div_s", "i64.div_u", "i64.rem_s", "i64.rem_u", "i64.and", "i64.or", "i64.xor",
    "i64.shl", "i64.shr_s", "i64.shr_u", "i64.rotl", "i64.rotr", "i64.clz", "i64.ctz", "i64.popcnt",
    "i64.extend8_s", "i64.extend16_s", "i64.extend32_s", "i64.extend_i32_s", "i64.extend_i32_u",
    "i64.eqz", "i64.eq", "i64.ne", "i64.lt_s", "i64.lt_u", "i64.gt_s", "i64.gt_u", "i64.le_s", "i64.le_u", "i64.ge_s", "i64.ge_u",
    "f32.add", "f32.sub", "f32.mul", "f32.div", "f32.min", "f32.max", "f32.copysign", "f32.abs", "f32.neg", "f32.sqrt",
    "f32.ceil", "f32.floor", "f32.trunc", "f32.nearest", "f32.eq", "f32.ne", "f32.lt", "f32.gt", "f32.le", "f32.ge",
    "f32.demote_f64", "f32.convert_i32_s", "f32.convert_i32_u", "f32.convert_i64_s", "f32.convert_i64_u",
    "i32.trunc_f32_s", "i32.trunc_f32_u", "i32.trunc_sat_f32_s", "i32.trunc_sat_f32_u",
    "i64.trunc_f32_s", "i64.trunc_f32_u", "i64.trunc_sat_f32_s", "i64.trunc_sat_f32_u",
    "f64.add", "f64.sub", "f64.mul", "f64.div", "f64.min", "f64.max", "f64.copysign", "f64.abs", "f64.neg", "f64.sqrt",
    "f64.ceil", "f64.floor", "f64.trunc", "f64.nearest", "f64.eq", "f64.ne", "f64.lt", "f64.gt", "f64.le", "f64.ge",
    "f64.promote_f32", "f64.convert_i32_s", "f64.convert_i32_u", "f64.convert_i64_s", "f64.convert_i64_u",
    "i32.trunc_f64_s", "i32.trunc_f64_u", "i32.trunc_sat_f64_s", "i32.trunc_sat_f64_u",
    "i64.trunc_f64_s", "i64.trunc_f64_u", "i64.trunc_sat_f64_s", "i64.trunc_sat_f64_u",
]

/** Runs op `op` on the slots of S: operands at byte offsets a and b, result at d. */
export function runOp(S: Buffer, op: number, d: number, a: number, b: number): void {
    if (KINDS.charCodeAt(op) === 48) OPS[op](S, d, a, b)
    else OPS[op](S, d, a)
}
