// The 32 Wasm comparisons (i32, i64, f32, f64) as one op-table entry: the table hands it the
// opcode, which picks the operand width and the relation, so that 32 DeviceScript functions
// (16 bytes of descriptor each, plus code) are one. The run loop does the i32 ones inline.
// Each writes its 0/1 as an i32 at d; `+(x < y)` is the number 1 or 0.
import { Op } from "../opcodes"
import { SIGN } from "./float-bits"
import { smallKey } from "./f64"

/**
 * Relations, after the width: 0 eq, 1 ne, 2 lt, 4 gt, 6 le, 8 ge (the integer order eq ne lt_s
 * lt_u gt_s gt_u le_s le_u ge_s ge_u with the unsigned ones folded onto the signed ones).
 * Unsigned integers compare signed with their sign bits flipped; an i64 compares its high
 * words, and its low words as unsigned when those are equal. Floats read exactly as numbers
 * (NaN compares unequal; -0 reads as +0, equal anyway), except two f64 operands that both
 * read 0, zeros or subnormals, whose order keys come from their bits.
 */
export function compare(S: Buffer, d: number, a: number, b: number, op: number): void {
    let k = op - Op.BIN_I32_EQ
    let x: number
    let y: number
    if (k < Op.BIN_F32_EQ - Op.BIN_I32_EQ) {
        const wide = k >= Op.BIN_I64_EQ - Op.BIN_I32_EQ
        if (wide) k -= Op.BIN_I64_EQ - Op.BIN_I32_EQ
        const u = k > 2 && (k & 1) !== 0 ? SIGN : 0
        if (k > 2) k &= 14
        if (wide) {
            x = S.getAt(a + 4, "i32") ^ u
            y = S.getAt(b + 4, "i32") ^ u
            if (x === y) {
                x = S.getAt(a, "i32") ^ SIGN
                y = S.getAt(b, "i32") ^ SIGN
            }
        } else {
            x = S.getAt(a, "i32") ^ u
            y = S.getAt(b, "i32") ^ u
        }
    } else {
        const f64 = op >= Op.BIN_F64_EQ
        k = op - (f64 ? Op.BIN_F64_EQ : Op.BIN_F32_EQ) // eq ne lt gt le ge
        if (k > 1) k = 2 * k - 2
        if (f64) {
            x = S.getAt(a, "f64")
            y = S.getAt(b, "f64")
            if (x === 0 && y === 0) {
                x = smallKey(S, a, 0)
                y = smallKey(S, b, 0)
            }
        } else {
            x = S.getAt(a, "f32")
            y = S.getAt(b, "f32")
        }
    }
    S.setAt(d, "i32", +(k === 0 ? x === y : k === 1 ? x !== y : k === 2 ? x < y : k === 4 ? x > y : k === 6 ? x <= y : x >= y))
}
