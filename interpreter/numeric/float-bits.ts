// Shared helpers for the f32/f64 code: a scratch Buffer for bit <-> number moves,
// integral rounding, and the ops both widths share as one table entry each (the op table
// hands them their opcode): copysign, abs/neg, and float -> integer truncation with Wasm's traps.
//
// DeviceScript numbers cannot hold -0, NaN payloads or f64 subnormals, so every
// helper here only ever produces or consumes normal doubles (or +0 / Inf / NaN),
// and the callers take care of signs of zero and subnormals on the bits.

import { trap, TRAP_INT_OVERFLOW, TRAP_INVALID_CONVERSION } from "../trap"
import { Op } from "../opcodes"

export const SIGN = -2147483648 // sign bit of a word, as an int32
/** Smallest positive normal f64, 2^-1022. */
export const MIN_NORMAL = 2.2250738585072014e-308

/** 8-byte scratch for bit conversions. Never hold a value in it across calls. */
export const F = Buffer.alloc(8)

/** 2^e as a double, for -1022 <= e <= 1023. */
export function pow2(e: number): number {
    F.setAt(0, "i32", 0)
    F.setAt(4, "i32", (e + 1023) << 20)
    return F.getAt(0, "f64")
}

/**
 * Integral rounding of a finite double with |x| < 2^52.
 * mode: 0 ceil, 1 floor, 2 trunc, 3 nearest (ties to even). The sign of a zero
 * result is not kept (the caller restores it from the input's bits).
 */
export function roundInt(x: number, mode: number): number {
    const f = Math.floor(x)
    if (mode === 1 || f === x) return f
    if (mode === 0) return f + 1
    if (mode === 2) return x < 0 ? f + 1 : f
    const diff = x - f
    if (diff > 0.5) return f + 1
    if (diff < 0.5) return f
    return f % 2 === 0 ? f : f + 1
}

/** Truncation toward zero of a finite double. */
export function trunc(x: number): number {
    return x < 0 ? Math.ceil(x) : Math.floor(x)
}

/**
 * i32.trunc_* / i32.trunc_sat_* of a number (f32 values are exact doubles): writes the
 * int32 result at d. Traps on NaN / out of range unless sat.
 */
function truncI32(S: Buffer, d: number, x: number, signed: boolean, sat: boolean): void {
    let r = 0
    if (x !== x) {
        if (!sat) trap(TRAP_INVALID_CONVERSION)
    } else if (signed ? x > -2147483649 && x < 2147483648 : x > -1 && x < 4294967296) r = trunc(x) | 0
    else {
        if (!sat) trap(TRAP_INT_OVERFLOW)
        if (x > 0) r = signed ? 2147483647 : -1
        else if (signed) r = SIGN
    }
    S.setAt(d, "i32", r)
}

/** i64.trunc_* / i64.trunc_sat_*: writes the i64 result at d. */
function truncI64(S: Buffer, d: number, x: number, signed: boolean, sat: boolean): void {
    let lo = 0
    let hi = 0
    if (x !== x) {
        if (!sat) trap(TRAP_INVALID_CONVERSION)
    } else if (signed ? x >= -9223372036854775808 && x < 9223372036854775808 : x > -1 && x < 18446744073709551616) {
        const t = trunc(x)
        hi = Math.floor(t / 4294967296)
        lo = t - hi * 4294967296
    } else {
        if (!sat) trap(TRAP_INT_OVERFLOW)
        if (x > 0) {
            lo = -1
            hi = signed ? 2147483647 : -1
        } else if (signed) hi = SIGN
    }
    S.setAt(d, "i32", lo | 0)
    S.setAt(d + 4, "i32", hi | 0)
}

/** f32.copysign and f64.copysign: a's (high) word with b's sign bit, the rest of a copied. */
export function copysign(S: Buffer, d: number, a: number, b: number, op: number): void {
    let hi = 0
    if (op === Op.BIN_F64_COPYSIGN) {
        hi = 4
        S.setAt(d, "i32", S.getAt(a, "i32")) // (d may be b: its high word is read below, unchanged)
    }
    S.setAt(d + hi, "i32", (S.getAt(a + hi, "i32") & 0x7fffffff) | (S.getAt(b + hi, "i32") & SIGN))
}

/** f32.abs, f32.neg, f64.abs and f64.neg: the sign bit of the (high) word, the rest copied. */
export function absNeg(S: Buffer, d: number, a: number, op: number): void {
    let hi = 0
    if (op >= Op.UN_F64_ABS) {
        hi = 4
        S.setAt(d, "i32", S.getAt(a, "i32"))
    }
    const w = S.getAt(a + hi, "i32")
    S.setAt(d + hi, "i32", op === Op.UN_F32_ABS || op === Op.UN_F64_ABS ? w & 0x7fffffff : w ^ SIGN)
}

/**
 * The 16 float -> integer truncations: i32.trunc_f32_s/u and _f64_s/u, the same for i64, and
 * their trunc_sat forms. k's bits: 1 unsigned, 2 from f64, 4 to i64 (the order of both the
 * trapping and the saturating ops). An f64 subnormal reads as 0 and truncates to 0 either way.
 */
export function truncOp(S: Buffer, d: number, a: number, op: number): void {
    const sat = op >= Op.UN_TRUNC_SAT
    const k = sat ? op - Op.UN_TRUNC_SAT : op < Op.UN_I64_TRUNC_F32_S ? op - Op.UN_I32_TRUNC_F32_S : op - Op.UN_I64_TRUNC_F32_S + 4
    const x = (k & 2) !== 0 ? S.getAt(a, "f64") : S.getAt(a, "f32")
    if ((k & 4) !== 0) truncI64(S, d, x, (k & 1) === 0, sat)
    else truncI32(S, d, x, (k & 1) === 0, sat)
}
