// The table of numeric ops under test, shared by the Node suite (test/numeric) and the
// DeviceScript suite (test/devs/numeric.test.ts). Index i of OPS, KINDS and NAMES is
// the op id used in the generated vectors (test/devs/numeric-vectors.ts).
// Each op runs through the engine's own table entry (interpreter/ops/numeric-table.ts), handed
// its opcode as the run loop hands it: it reads its operands from slots of S and writes its
// result (a comparison's 0/1 as an i32) at d. Kinds: 0 binary (S,d,a,b), 1 unary (S,d,a).
import { Op } from "../../interpreter/opcodes"
import { BINARY, UNARY } from "../../interpreter/ops/numeric-table"
import { BINARY_WASM_OPS, UNARY_WASM_OPS } from "../../interpreter/numeric-order"

// The Wasm opcode of each op, in NAMES order (trunc_sat: 0xfc00 + n); its table entry is found
// through numeric-order.ts as the compiler finds it.
export const OPS: number[] = [
    0x67, 0x68, 0x69, 0x6d, 0x6e, 0x6f, 0x70, 0x77, 0x78,
    0x49, 0x4b, 0x4d, 0x4f,
    0x7c, 0x7d, 0x7e, 0x7f, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85,
    0x86, 0x87, 0x88, 0x89, 0x8a, 0x79, 0x7a, 0x7b,
    0xc2, 0xc3, 0xc4, 0xac, 0xad,
    0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a,
    0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x8b, 0x8c, 0x91,
    0x8d, 0x8e, 0x8f, 0x90, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60,
    0xb6, 0xb2, 0xb3, 0xb4, 0xb5,
    0xa8, 0xa9, 0xfc00, 0xfc01,
    0xae, 0xaf, 0xfc04, 0xfc05,
    0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0x99, 0x9a, 0x9f,
    0x9b, 0x9c, 0x9d, 0x9e, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66,
    0xbb, 0xb7, 0xb8, 0xb9, 0xba,
    0xaa, 0xab, 0xfc02, 0xfc03,
    0xb0, 0xb1, 0xfc06, 0xfc07,
]

// Per-op kind, one hex digit each, in NAMES order.
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

/** The device opcode of op i (an index into NAMES): found as the compiler finds it. */
export function irOp(i: number): number {
    return KINDS.charCodeAt(i) === 48 ? Op.BIN_BASE + BINARY_WASM_OPS.indexOf(OPS[i]) : Op.UN_BASE + UNARY_WASM_OPS.indexOf(OPS[i])
}

/** Runs op `op` (an index into NAMES) through the engine's table entry: operands at byte offsets a and b, result at d. */
export function runOp(S: Buffer, op: number, d: number, a: number, b: number): void {
    const ir = irOp(op)
    if (ir < Op.UN_BASE) BINARY[ir - Op.BIN_BASE](S, d, a, b, ir)
    else UNARY[ir - Op.UN_BASE](S, d, a, ir)
}
