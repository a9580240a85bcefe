// Wasm f32 semantics on raw bits. An f32 slot holds the IEEE-754 bits as an "i32".
//
// f32 values are normal doubles (even f32 subnormals), so the arithmetic goes through
// doubles and is rounded to f32 by setAt(…, "f32", …): double rounding is harmless for
// + - * / sqrt (53 >= 2*24+2). A double product/quotient of f32 values never under- or
// overflows, so a zero double result is an exact zero, whose sign comes from the bits.
// A tiny nonzero double that rounds to zero in f32 keeps its sign through the store.
// NaN results are the canonical NaN 0x7fc00000 (what setAt writes for NaN).
import { SIGN, roundInt, truncI32, truncI64 } from "./float-bits"

const NAN = 0x7fc00000

export function f32Add(S: Buffer, d: number, a: number, b: number): void {
    const r = S.getAt(a, "f32") + S.getAt(b, "f32")
    if (r !== 0) S.setAt(d, "f32", r)
    else S.setAt(d, "i32", S.getAt(a, "i32") & S.getAt(b, "i32") & SIGN)
}

export function f32Sub(S: Buffer, d: number, a: number, b: number): void {
    const r = S.getAt(a, "f32") - S.getAt(b, "f32")
    if (r !== 0) S.setAt(d, "f32", r)
    else S.setAt(d, "i32", S.getAt(a, "i32") & ~S.getAt(b, "i32") & SIGN)
}

export function f32Mul(S: Buffer, d: number, a: number, b: number): void {
    const r = S.getAt(a, "f32") * S.getAt(b, "f32")
    if (r !== 0) S.setAt(d, "f32", r)
    else S.setAt(d, "i32", (S.getAt(a, "i32") ^ S.getAt(b, "i32")) & SIGN)
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

/** f32.min, or f32.max when max: NaN if either is NaN; of two zeros min takes -0, max +0. */
function minMax(S: Buffer, d: number, a: number, b: number, max: boolean): void {
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

export function f32Min(S: Buffer, d: number, a: number, b: number): void {
    minMax(S, d, a, b, false)
}

export function f32Max(S: Buffer, d: number, a: number, b: number): void {
    minMax(S, d, a, b, true)
}

export function f32Copysign(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", (S.getAt(a, "i32") & 0x7fffffff) | (S.getAt(b, "i32") & SIGN))
}

export function f32Abs(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") & 0x7fffffff)
}

export function f32Neg(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", S.getAt(a, "i32") ^ SIGN)
}

export function f32Sqrt(S: Buffer, d: number, a: number): void {
    const x = S.getAt(a, "f32")
    // Math.sqrt is pow(x, 0.5) on DeviceScript: any error below 1 ulp of a double is
    // harmless here, since sqrt of an f32 is never within 2^-51 (relative) of an f32 tie.
    if (x > 0) S.setAt(d, "f32", Math.sqrt(x))
    else if (x === 0) S.setAt(d, "i32", S.getAt(a, "i32")) // ±0
    else S.setAt(d, "i32", NAN) // negative (also -Inf) or NaN
}

function round32(S: Buffer, d: number, a: number, mode: number): void {
    const x = S.getAt(a, "f32")
    if (x !== 0 && x > -8388608 && x < 8388608) {
        const r = roundInt(x, mode)
        if (r !== 0) S.setAt(d, "f32", r)
        else S.setAt(d, "i32", S.getAt(a, "i32") & SIGN)
    } else if (x !== x) S.setAt(d, "i32", NAN)
    else S.setAt(d, "i32", S.getAt(a, "i32")) // ±0, ±Inf, or already integral
}

export function f32Ceil(S: Buffer, d: number, a: number): void {
    round32(S, d, a, 0)
}
export function f32Floor(S: Buffer, d: number, a: number): void {
    round32(S, d, a, 1)
}
export function f32Trunc(S: Buffer, d: number, a: number): void {
    round32(S, d, a, 2)
}
export function f32Nearest(S: Buffer, d: number, a: number): void {
    round32(S, d, a, 3)
}

// Comparisons write their 0/1 as an i32 at d. f32 values read exactly as numbers (-0 reads
// as +0, which compares equal anyway); `+(x < y)` is the number 1 or 0.
export function f32Eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "f32") === S.getAt(b, "f32")))
}
export function f32Ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "f32") !== S.getAt(b, "f32")))
}
export function f32Lt(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "f32") < S.getAt(b, "f32")))
}
export function f32Gt(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "f32") > S.getAt(b, "f32")))
}
export function f32Le(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "f32") <= S.getAt(b, "f32")))
}
export function f32Ge(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "f32") >= S.getAt(b, "f32")))
}

// ---------------------------------------------------------------- conversions

export function f32DemoteF64(S: Buffer, d: number, a: number): void {
    const x = S.getAt(a, "f64")
    // f64 zeros and subnormals read as 0; both become a zero of the same sign.
    if (x !== 0) S.setAt(d, "f32", x)
    else S.setAt(d, "i32", S.getAt(a + 4, "i32") & SIGN)
}

export function f32ConvertI32S(S: Buffer, d: number, a: number): void {
    S.setAt(d, "f32", S.getAt(a, "i32"))
}

export function f32ConvertI32U(S: Buffer, d: number, a: number): void {
    S.setAt(d, "f32", S.getAt(a, "i32") >>> 0)
}

function i64ToF32(S: Buffer, d: number, a: number, signed: boolean): void {
    let lo = S.getAt(a, "i32")
    let hi = S.getAt(a + 4, "i32")
    const neg = signed && hi < 0
    if (neg) {
        hi = (~hi + +(lo === 0)) | 0
        lo = -lo | 0
    }
    const hu = hi >>> 0
    // At 2^53 and above, bits 0..28 lie below f32's rounding bit: fold them into a
    // sticky bit 28, so that the double below is exact and only setAt rounds (once).
    if (hu >= 0x200000) lo = (lo & -536870912) | ((lo & 0x1fffffff) !== 0 ? 0x10000000 : 0)
    const v = hu * 4294967296 + (lo >>> 0)
    S.setAt(d, "f32", neg ? -v : v)
}

export function f32ConvertI64S(S: Buffer, d: number, a: number): void {
    i64ToF32(S, d, a, true)
}

export function f32ConvertI64U(S: Buffer, d: number, a: number): void {
    i64ToF32(S, d, a, false)
}

// ---------------------------------------------------------------- f32 -> integer

export function i32TruncF32S(S: Buffer, d: number, a: number): void {
    truncI32(S, d, S.getAt(a, "f32"), true, false)
}
export function i32TruncF32U(S: Buffer, d: number, a: number): void {
    truncI32(S, d, S.getAt(a, "f32"), false, false)
}
export function i32TruncSatF32S(S: Buffer, d: number, a: number): void {
    truncI32(S, d, S.getAt(a, "f32"), true, true)
}
export function i32TruncSatF32U(S: Buffer, d: number, a: number): void {
    truncI32(S, d, S.getAt(a, "f32"), false, true)
}
export function i64TruncF32S(S: Buffer, d: number, a: number): void {
    truncI64(S, d, S.getAt(a, "f32"), true, false)
}
export function i64TruncF32U(S: Buffer, d: number, a: number): void {
    truncI64(S, d, S.getAt(a, "f32"), false, false)
}
export function i64TruncSatF32S(S: Buffer, d: number, a: number): void {
    truncI64(S, d, S.getAt(a, "f32"), true, true)
}
export function i64TruncSatF32U(S: Buffer, d: number, a: number): void {
    truncI64(S, d, S.getAt(a, "f32"), false, true)
}
