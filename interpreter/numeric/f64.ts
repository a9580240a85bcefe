// Wasm f64 semantics on raw bits. An f64 slot holds the IEEE-754 bits: low word at p,
// high word at p+4 (each an "i32").
//
// DeviceScript numbers hold no -0, no NaN payload and no f64 subnormal (they read as
// +0). So an op first tries a fast path on numbers (normal nonzero operands, normal
// or infinite or NaN result: exactly what the hardware computes; for add, sub and mul the
// run loop does that inline) and otherwise takes a slow path on the bits: operands are
// decoded as M * 2^K with M in [1,2), computed in a scaled range where everything is
// normal, and packed back with correct rounding into the subnormal range (ties to even,
// using the exact remainder of * and / from Veltkamp/Dekker splitting). NaN results are
// the canonical NaN 0x7ff8000000000000.
// A family of rare ops is one function that the op table hands its opcode; comparisons,
// conversions and truncations are shared with f32 (compare.ts, convert.ts, float-bits.ts).
import { Op } from "../opcodes"
import { SIGN, F, pow2, roundInt } from "./float-bits"
import { put } from "./i64"

const TWO32 = 4294967296

function nan(S: Buffer, d: number): void {
    S.setAt(d, "i32", 0)
    S.setAt(d + 4, "i32", 0x7ff80000)
}

function copy(S: Buffer, d: number, a: number): void {
    const lo = S.getAt(a, "i32")
    S.setAt(d + 4, "i32", S.getAt(a + 4, "i32"))
    S.setAt(d, "i32", lo)
}

/** 0 zero, 1 finite nonzero, 2 infinity, 3 NaN. */
function cls(hi: number, lo: number): number {
    const e = hi & 0x7ff00000
    const m = (hi & 0xfffff) | lo
    if (e === 0x7ff00000) return m === 0 ? 2 : 3
    return +(e !== 0 || m !== 0)
}

// decode results: |value| = decM * 2^decK, decM in [1,2)
let decM = 0
let decK = 0

/** Decodes the magnitude of finite nonzero f64 bits (normal or subnormal). */
function decode(hi: number, lo: number): void {
    if ((hi & 0x7ff00000) === 0) {
        // subnormal: integer significand * 2^-1074, renormalized through the scratch
        F.setAt(0, "f64", (hi & 0xfffff) * TWO32 + (lo >>> 0))
        hi = F.getAt(4, "i32")
        lo = F.getAt(0, "i32")
        decK = ((hi >> 20) & 0x7ff) - 1023 - 1074
    } else decK = ((hi >> 20) & 0x7ff) - 1023
    F.setAt(0, "i32", lo)
    F.setAt(4, "i32", (hi & 0xfffff) | 0x3ff00000)
    decM = F.getAt(0, "f64")
}

// twoProd results: a*b === tpP + tpE exactly
let tpP = 0
let tpE = 0

function twoProd(a: number, b: number): void {
    const p = a * b
    let t = 134217729 * a
    const ah = t - (t - a)
    const al = a - ah
    t = 134217729 * b
    const bh = t - (t - b)
    const bl = b - bh
    tpP = p
    tpE = ah * bh - p + ah * bl + al * bh + al * bl
}

/**
 * Writes the f64 nearest to (R + t) * 2^E, negated if neg. R > 0 is a normal double that
 * is already rounded to 53 bits; t (|t| < ulp(R)/2) is only known by its sign tSign,
 * which breaks ties when rounding into the subnormal range.
 */
function pack(S: Buffer, d: number, R: number, tSign: number, E: number, neg: boolean): void {
    F.setAt(0, "f64", R)
    const rh = F.getAt(4, "i32")
    const te = ((rh >> 20) & 0x7ff) - 1023 + E
    const sg = neg ? SIGN : 0
    if (te > 1023) put(S, d, 0, sg | 0x7ff00000)
    else if (te >= -1022) put(S, d, F.getAt(0, "i32"), sg | (rh & 0xfffff) | ((te + 1023) << 20))
    else if (te < -1076) put(S, d, 0, sg)
    else {
        // subnormal: the 53-bit significand shifted right by s = -1022 - te (1..54)
        const mant = ((rh & 0xfffff) + 0x100000) * TWO32 + (F.getAt(0, "i32") >>> 0)
        const v = mant * pow2(1022 + te) // exact; pow2 reuses F, so mant is read first
        let fl = Math.floor(v)
        const fr = v - fl
        if (fr > 0.5 || (fr === 0.5 && (tSign > 0 || (tSign === 0 && fl % 2 !== 0)))) fl = fl + 1
        const hi = Math.floor(fl / TWO32)
        put(S, d, fl - hi * TWO32, sg | hi)
    }
}

// ---------------------------------------------------------------- + - * /

/**
 * f64.add and f64.sub exactly on the bits (any operands). The run loop does their fast path
 * inline and calls this only when it does not apply (a zero or subnormal operand or result),
 * so there is no fast path here to be tested twice.
 */
export function f64AddSub(S: Buffer, d: number, a: number, b: number, op: number): void {
    const flip = op === Op.BIN_F64_SUB ? SIGN : 0
    const al = S.getAt(a, "i32")
    const ah = S.getAt(a + 4, "i32")
    const bl = S.getAt(b, "i32")
    const bh = S.getAt(b + 4, "i32") ^ flip
    const ca = cls(ah, al)
    const cb = cls(bh, bl)
    if (ca >= 2 || cb >= 2) {
        // an infinity or NaN decides alone (a subnormal partner reads as 0, harmlessly)
        const x = S.getAt(a, "f64")
        const y = S.getAt(b, "f64")
        S.setAt(d, "f64", flip === 0 ? x + y : x - y)
        return
    }
    if (ca === 0) {
        if (cb === 0) put(S, d, 0, ah & bh & SIGN)
        else put(S, d, bl, bh)
        return
    }
    if (cb === 0) {
        put(S, d, al, ah)
        return
    }
    decode(ah, al)
    let ma = ah < 0 ? -decM : decM
    let k = decK
    decode(bh, bl)
    let mb = bh < 0 ? -decM : decM
    if (k >= decK) {
        // the smaller operand is below a quarter ulp of the larger one: no effect
        if (k - decK > 60) {
            put(S, d, al, ah)
            return
        }
        mb = mb * pow2(decK - k)
    } else {
        if (decK - k > 60) {
            put(S, d, bl, bh)
            return
        }
        ma = ma * pow2(k - decK)
        k = decK
    }
    // Rounded once if the result is normal; exact if it is subnormal.
    const r = ma + mb
    if (r > 0) pack(S, d, r, 0, k, false)
    else if (r < 0) pack(S, d, -r, 0, k, true)
    else put(S, d, 0, 0)
}

/**
 * f64.mul (the run loop does its fast path inline), and f64.div's slow path: a * b or a / b
 * exactly on the bits (any operands).
 */
export function f64MulDiv(S: Buffer, d: number, a: number, b: number, op: number): void {
    const isDiv = op === Op.BIN_F64_DIV
    const al = S.getAt(a, "i32")
    const ah = S.getAt(a + 4, "i32")
    const bl = S.getAt(b, "i32")
    const bh = S.getAt(b + 4, "i32")
    const ca = cls(ah, al)
    const cb = cls(bh, bl)
    const neg = (ah ^ bh) < 0
    const sg = neg ? SIGN : 0
    // special operands: r = 0 zero, 2 infinity, 3 NaN, 1 finite
    let r = 1
    if (ca === 3 || cb === 3) r = 3
    else if (isDiv) {
        if (ca === 2) r = cb === 2 ? 3 : 2
        else if (cb === 2) r = 0
        else if (cb === 0) r = ca === 0 ? 3 : 2
        else if (ca === 0) r = 0
    } else if (ca === 2 || cb === 2) r = ca === 0 || cb === 0 ? 3 : 2
    else if (ca === 0 || cb === 0) r = 0
    if (r === 3) nan(S, d)
    else if (r === 2) put(S, d, 0, sg | 0x7ff00000)
    else if (r === 0) put(S, d, 0, sg)
    else {
        decode(ah, al)
        const ma = decM
        const ka = decK
        decode(bh, bl)
        if (isDiv) {
            const q = ma / decM
            twoProd(q, decM)
            const rem = ma - tpP - tpE // exact sign of ma - q*mb
            pack(S, d, q, rem > 0 ? 1 : rem < 0 ? -1 : 0, ka - decK, neg)
        } else {
            twoProd(ma, decM)
            pack(S, d, tpP, tpE > 0 ? 1 : tpE < 0 ? -1 : 0, ka + decK, neg)
        }
    }
}

export function f64Div(S: Buffer, d: number, a: number, b: number, op: number): void {
    const x = S.getAt(a, "f64")
    const y = S.getAt(b, "f64")
    if (x !== 0 && y !== 0) {
        const r = x / y
        if (r >= 2.2250738585072014e-308 || r <= -2.2250738585072014e-308 || r !== r) {
            S.setAt(d, "f64", r)
            return
        }
    }
    f64MulDiv(S, d, a, b, op)
}

// ---------------------------------------------------------------- sqrt

/**
 * Correctly rounded sqrt(x) from an estimate s within a few ulps (DeviceScript's
 * Math.sqrt is pow(x, 0.5)). x must lie in [1e-270, 1e270]: the exact residual terms are
 * ~x*2^-106 and must stay normal (DeviceScript flushes subnormals). Tuckerman's test: s is
 * too small iff x > s*(s+ulp), too large iff x <= s*(s-ulp-), products taken exactly.
 */
function sqrtFix(x: number, s: number): number {
    for (let i = 0; i < 4; i++) {
        F.setAt(0, "f64", s)
        const sh = F.getAt(4, "i32")
        const pow2s = (sh & 0xfffff) === 0 && F.getAt(0, "i32") === 0
        const u = pow2(((sh >> 20) & 0x7ff) - 1075)
        twoProd(s, s + u)
        if (x - tpP - tpE > 0) {
            s = s + u
            continue
        }
        const dn = pow2s ? u / 2 : u
        twoProd(s, s - dn)
        if (x - tpP - tpE <= 0) {
            s = s - dn
            continue
        }
        break
    }
    return s
}

export function f64Sqrt(S: Buffer, d: number, a: number): void {
    const x = S.getAt(a, "f64")
    if (x >= 1e-270 && x <= 1e270) {
        S.setAt(d, "f64", sqrtFix(x, Math.sqrt(x)))
        return
    }
    const lo = S.getAt(a, "i32")
    const hi = S.getAt(a + 4, "i32")
    const c = cls(hi, lo)
    if (c === 0 || (c === 2 && hi > 0)) put(S, d, lo, hi) // ±0, +Inf
    else if (c === 3 || hi < 0) nan(S, d)
    else {
        // huge, tiny or subnormal: scale by an even power of two into [1,4)
        decode(hi, lo)
        let m = decM
        let k = decK
        if ((k & 1) !== 0) {
            m = m * 2
            k = k - 1
        }
        pack(S, d, sqrtFix(m, Math.sqrt(m)), 0, k / 2, false)
    }
}

// ---------------------------------------------------------------- min max sign

/** Order key of a zero or subnormal: its value in units of 2^-1074; -0 gets -bias. */
export function smallKey(S: Buffer, p: number, bias: number): number {
    const hi = S.getAt(p + 4, "i32")
    const m = (hi & 0xfffff) * TWO32 + (S.getAt(p, "i32") >>> 0)
    return hi < 0 ? -m - bias : m
}

/** f64.min and f64.max: NaN if either is NaN, and -0 below +0. */
export function f64MinMax(S: Buffer, d: number, a: number, b: number, op: number): void {
    const max = op === Op.BIN_F64_MAX
    const x = S.getAt(a, "f64")
    const y = S.getAt(b, "f64")
    if (x !== x || y !== y) nan(S, d)
    else if (x !== y) copy(S, d, x < y !== max ? a : b)
    else if (x !== 0) copy(S, d, a)
    else copy(S, d, smallKey(S, a, 0.5) < smallKey(S, b, 0.5) !== max ? a : b) // (equal keys: equal bits)
}

// ---------------------------------------------------------------- integral rounding

/** f64.ceil, floor, trunc and nearest. */
export function f64Round(S: Buffer, d: number, a: number, op: number): void {
    const mode = op - Op.UN_F64_CEIL
    const x = S.getAt(a, "f64")
    if (x !== 0 && x > -4503599627370496 && x < 4503599627370496) {
        const r = roundInt(x, mode)
        if (r !== 0) S.setAt(d, "f64", r)
        else put(S, d, 0, S.getAt(a + 4, "i32") & SIGN)
        return
    }
    if (x !== x) {
        nan(S, d)
        return
    }
    const lo = S.getAt(a, "i32")
    const hi = S.getAt(a + 4, "i32")
    if (x === 0 && ((hi & 0x7fffffff) | lo) !== 0) {
        // subnormal: ceil(+) = 1, floor(-) = -1, everything else a zero of the same sign
        if (hi < 0 && mode === 1) S.setAt(d, "f64", -1)
        else if (hi >= 0 && mode === 0) S.setAt(d, "f64", 1)
        else put(S, d, 0, hi & SIGN)
    } else put(S, d, lo, hi) // ±0, ±Inf, or already integral
}

// ---------------------------------------------------------------- conversions

export function f64PromoteF32(S: Buffer, d: number, a: number): void {
    const x = S.getAt(a, "f32")
    if (x !== 0) S.setAt(d, "f64", x) // NaN becomes the canonical NaN
    else put(S, d, 0, S.getAt(a, "i32") & SIGN)
}
