// Shared helpers for the f32/f64 code: a scratch Buffer for bit <-> number moves,
// integral rounding, and float -> integer truncation with Wasm's traps.
//
// DeviceScript numbers cannot hold -0, NaN payloads or f64 subnormals, so every
// helper here only ever produces or consumes normal doubles (or +0 / Inf / NaN),
// and the callers take care of signs of zero and subnormals on the bits.

import { trap, TRAP_INT_OVERFLOW, TRAP_INVALID_CONVERSION } from "../trap"

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
export function truncI32(S: Buffer, d: number, x: number, signed: boolean, sat: boolean): void {
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
export function truncI64(S: Buffer, d: number, x: number, signed: boolean, sat: boolean): void {
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
