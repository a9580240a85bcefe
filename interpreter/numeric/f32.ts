// Wasm f32 semantics on raw bits. An f32 slot holds the IEEE-754 bits as an "i32".
//
// f32 values are normal doubles (even f32 subnormals), so the arithmetic goes through
// doubles and is rounded to f32 by setAt(…, "f32", …): double rounding is harmless for
// + - * / sqrt (53 >= 2*24+2). A double product/quotient of f32 values never under- or
// overflows, so a zero double result is an exact zero, whose sign comes from the bits.
// A tiny nonzero double that rounds to zero in f32 keeps its sign through the store.
// NaN results are the canonical NaN 0x7fc00000 (what setAt writes for NaN).
// A family of rare ops is one function that the op table hands its opcode; comparisons,
// conversions and truncations are shared with f64 (compare.ts, convert.ts, float-bits.ts).
import { Op } from "../opcodes"
import { SIGN, roundInt } from "./float-bits"

const NAN = 0x7fc00000

/**
 * f32.add, sub and mul: the run loop does them inline and calls this for a zero result,
 * whose sign is only in the bits (a zero sum is -0 only when both are -0).
 */
export function f32AddSubMul(S: Buffer, d: number, a: number, b: number, op: number): void {
    const x = S.getAt(a, "f32")
    const y = S.getAt(b, "f32")
    const r = op === Op.BIN_F32_MUL ? x * y : op === Op.BIN_F32_ADD ? x + y : x - y
    if (r !== 0) S.setAt(d, "f32", r)
    else {
        const p = S.getAt(a, "i32")
        const q = S.getAt(b, "i32")
        S.setAt(d, "i32", (op === Op.BIN_F32_MUL ? p ^ q : op === Op.BIN_F32_ADD ? p & q : p & ~q) & SIGN)
    }
}

export function f32Div(S: Buffer, d: number, a: number, b: number): void {
    const x = S.getAt(a, "f32")
    const y = S.getAt(b, "f32")
    if (y === 0) {
        // x / ±0: the zero's sign is only in the bits
        if (x === 0 || x !== x) S.setAt(d, "i32", NAN)
        else S.setAt(d, "i32", ((S.getAt(a, "i32") ^ S.getAt(b, "i32")) & SIGN) | 0x7f800000)
        return
    }
    const r = x / y
    if (r !== 0) S.setAt(d, "f32", r)
    else S.setAt(d, "i32", (S.getAt(a, "i32") ^ S.getAt(b, "i32")) & SIGN)
}

/** f32.min and f32.max: NaN if either is NaN; of two zeros min takes -0, max +0. */
export function f32MinMax(S: Buffer, d: number, a: number, b: number, op: number): void {
    const max = op === Op.BIN_F32_MAX
    const x = S.getAt(a, "f32")
    const y = S.getAt(b, "f32")
    if (x !== x || y !== y) S.setAt(d, "i32", NAN)
    else if (x !== y) S.setAt(d, "i32", S.getAt(x < y !== max ? a : b, "i32"))
    else {
        // equal: the same bits, or zeros of either sign (OR keeps a sign bit, AND drops it)
        const p = S.getAt(a, "i32")
        const q = S.getAt(b, "i32")
        S.setAt(d, "i32", max ? p & q : p | q)
    }
}

export function f32Sqrt(S: Buffer, d: number, a: number): void {
    const x = S.getAt(a, "f32")
    // Math.sqrt is pow(x, 0.5) on DeviceScript: any error below 1 ulp of a double is
    // harmless here, since sqrt of an f32 is never within 2^-51 (relative) of an f32 tie.
    if (x > 0) S.setAt(d, "f32", Math.sqrt(x))
    else if (x === 0) S.setAt(d, "i32", S.getAt(a, "i32")) // ±0
    else S.setAt(d, "i32", NAN) // negative (also -Inf) or NaN
}

/** f32.ceil, floor, trunc and nearest. */
export function f32Round(S: Buffer, d: number, a: number, op: number): void {
    const x = S.getAt(a, "f32")
    if (x !== 0 && x > -8388608 && x < 8388608) {
        const r = roundInt(x, op - Op.UN_F32_CEIL)
        if (r !== 0) S.setAt(d, "f32", r)
        else S.setAt(d, "i32", S.getAt(a, "i32") & SIGN)
    } else if (x !== x) S.setAt(d, "i32", NAN)
    else S.setAt(d, "i32", S.getAt(a, "i32")) // ±0, ±Inf, or already integral
}

// ---------------------------------------------------------------- conversions

export function f32DemoteF64(S: Buffer, d: number, a: number): void {
    const x = S.getAt(a, "f64")
    // f64 zeros and subnormals read as 0; both become a zero of the same sign.
    if (x !== 0) S.setAt(d, "f32", x)
    else S.setAt(d, "i32", S.getAt(a + 4, "i32") & SIGN)
}
