// Wasm i64 integer semantics, exact, without BigInt.
//
// Slot layout (see README in this folder): an i64 lives at byte offset p of the
// value-stack Buffer S as two signed int32 words, low word at p, high word at p+4.
// Every binary op reads all of its operands before writing, so d may equal a or b.
// No function here allocates: multi-word results go through module-level variables.
import { trap, TRAP_DIV_ZERO, TRAP_INT_OVERFLOW } from "../trap"
import { i32Clz, i32Ctz, i32Popcnt } from "./i32"

const SIGN = -2147483648 // 0x80000000 as an int32
const TWO32 = 4294967296

// Results of the internal helpers (quotient / product in qlo,qhi; remainder in rlo,rhi).
let qlo = 0
let qhi = 0
let rlo = 0
let rhi = 0

/** Writes two int32 words (an i64, or f64 bits) at d. */
export function put(S: Buffer, d: number, lo: number, hi: number): void {
    S.setAt(d, "i32", lo | 0)
    S.setAt(d + 4, "i32", hi | 0)
}

// ---------------------------------------------------------------- i64 arithmetic

export function i64Add(S: Buffer, d: number, a: number, b: number): void {
    const al = S.getAt(a, "i32")
    const lo = (al + S.getAt(b, "i32")) | 0
    const hi = S.getAt(a + 4, "i32") + S.getAt(b + 4, "i32") + +((lo ^ SIGN) < (al ^ SIGN))
    S.setAt(d, "i32", lo)
    S.setAt(d + 4, "i32", hi | 0)
}

export function i64Sub(S: Buffer, d: number, a: number, b: number): void {
    const al = S.getAt(a, "i32")
    const bl = S.getAt(b, "i32")
    const hi = S.getAt(a + 4, "i32") - S.getAt(b + 4, "i32") - +((al ^ SIGN) < (bl ^ SIGN))
    S.setAt(d, "i32", (al - bl) | 0)
    S.setAt(d + 4, "i32", hi | 0)
}

/** Low 64 bits of (ah:al) * (bh:bl) into qlo, qhi. */
function mul64(al: number, ah: number, bl: number, bh: number): void {
    const a0 = al & 0xffff
    const a1 = al >>> 16
    const b0 = bl & 0xffff
    const b1 = bl >>> 16
    const p01 = a0 * b1
    const p10 = a1 * b0
    const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff)
    const hiu = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)
    qlo = Math.imul(al, bl)
    qhi = (hiu + Math.imul(al, bh) + Math.imul(ah, bl)) | 0
}

export function i64Mul(S: Buffer, d: number, a: number, b: number): void {
    mul64(S.getAt(a, "i32"), S.getAt(a + 4, "i32"), S.getAt(b, "i32"), S.getAt(b + 4, "i32"))
    S.setAt(d, "i32", qlo)
    S.setAt(d + 4, "i32", qhi)
}

/**
 * Unsigned 64-bit division, divisor nonzero: quotient into qlo,qhi, remainder into rlo,rhi.
 */
function divU(al: number, ah: number, bl: number, bh: number): void {
    const ahu = ah >>> 0
    const bu = bl >>> 0
    if (bh === 0) {
        let r = 0
        if (ahu < 0x100000) {
            // both below 2^52: floor of the double quotient is exact
            const A = ahu * TWO32 + (al >>> 0)
            const q = Math.floor(A / bu)
            r = A - q * bu
            qhi = Math.floor(q / TWO32)
            qlo = (q - qhi * TWO32) | 0
        } else {
            // long division by 32 + 16 + 16 bit digits; every partial value < 2^48
            const q2 = Math.floor(ahu / bu)
            r = ahu - q2 * bu
            let cur = r * 65536 + (al >>> 16)
            const q1 = Math.floor(cur / bu)
            r = cur - q1 * bu
            cur = r * 65536 + (al & 0xffff)
            const q0 = Math.floor(cur / bu)
            r = cur - q0 * bu
            qhi = q2 | 0
            qlo = (q1 * 65536 + q0) | 0
        }
        rlo = r | 0
        rhi = 0
        return
    }
    // divisor >= 2^32, so the quotient is < 2^32. The double estimate is within 1 of it;
    // step one below, so that q*B <= A, then correct upwards (at most twice).
    const bhu = bh >>> 0
    let q = Math.floor((ahu * TWO32 + (al >>> 0)) / (bhu * TWO32 + bu))
    if (q > 0) q = q - 1
    mul64(q | 0, 0, bl, bh)
    let lo = (al - qlo) | 0
    let hi = (ah - qhi - +((al ^ SIGN) < (qlo ^ SIGN))) | 0
    // while r >= B (unsigned)
    while ((hi ^ SIGN) > (bh ^ SIGN) || (hi === bh && (lo ^ SIGN) >= (bl ^ SIGN))) {
        const nlo = (lo - bl) | 0
        hi = (hi - bh - +((lo ^ SIGN) < (bl ^ SIGN))) | 0
        lo = nlo
        q = q + 1
    }
    qlo = q | 0
    qhi = 0
    rlo = lo
    rhi = hi
}

/**
 * i64 div_s/div_u/rem_s/rem_u (rare ops: one function for all four). Signed operands whose
 * magnitudes are below 2^52 take the double path; otherwise divU divides the magnitudes and
 * the signs are applied to the quotient or remainder it left.
 */
function divRem(S: Buffer, d: number, a: number, b: number, signed: boolean, rem: boolean): void {
    let al = S.getAt(a, "i32")
    let ah = S.getAt(a + 4, "i32")
    let bl = S.getAt(b, "i32")
    let bh = S.getAt(b + 4, "i32")
    if ((bl | bh) === 0) trap(TRAP_DIV_ZERO)
    if (signed && ah >= -0x100000 && ah < 0x100000 && bh >= -0x100000 && bh < 0x100000) {
        const A = ah * TWO32 + (al >>> 0)
        const B = bh * TWO32 + (bl >>> 0)
        const q = A / B
        let t = q < 0 ? Math.ceil(q) : Math.floor(q)
        if (rem) t = A - t * B
        const th = Math.floor(t / TWO32)
        put(S, d, t - th * TWO32, th)
        return
    }
    const negA = signed && ah < 0
    const negB = signed && bh < 0
    if (signed && !rem && ah === SIGN && al === 0 && (bl & bh) === -1) trap(TRAP_INT_OVERFLOW) // -2^63 / -1
    if (negA) {
        ah = (~ah + +(al === 0)) | 0
        al = -al | 0
    }
    if (negB) {
        bh = (~bh + +(bl === 0)) | 0
        bl = -bl | 0
    }
    divU(al, ah, bl, bh)
    let lo = rem ? rlo : qlo
    let hi = rem ? rhi : qhi
    if (rem ? negA : negA !== negB) {
        hi = ~hi + +(lo === 0)
        lo = -lo
    }
    put(S, d, lo, hi)
}

export function i64DivS(S: Buffer, d: number, a: number, b: number): void {
    divRem(S, d, a, b, true, false)
}
export function i64DivU(S: Buffer, d: number, a: number, b: number): void {
    divRem(S, d, a, b, false, false)
}
export function i64RemS(S: Buffer, d: number, a: number, b: number): void {
    divRem(S, d, a, b, true, true)
}
export function i64RemU(S: Buffer, d: number, a: number, b: number): void {
    divRem(S, d, a, b, false, true)
}

// ---------------------------------------------------------------- bitwise

export function i64And(S: Buffer, d: number, a: number, b: number): void {
    const lo = S.getAt(a, "i32") & S.getAt(b, "i32")
    S.setAt(d + 4, "i32", S.getAt(a + 4, "i32") & S.getAt(b + 4, "i32"))
    S.setAt(d, "i32", lo)
}

export function i64Or(S: Buffer, d: number, a: number, b: number): void {
    const lo = S.getAt(a, "i32") | S.getAt(b, "i32")
    S.setAt(d + 4, "i32", S.getAt(a + 4, "i32") | S.getAt(b + 4, "i32"))
    S.setAt(d, "i32", lo)
}

export function i64Xor(S: Buffer, d: number, a: number, b: number): void {
    const lo = S.getAt(a, "i32") ^ S.getAt(b, "i32")
    S.setAt(d + 4, "i32", S.getAt(a + 4, "i32") ^ S.getAt(b + 4, "i32"))
    S.setAt(d, "i32", lo)
}

// Shifts (i64 shl and shr_u are frequent): one pair of stores, no call. A shift count in
// 1..31 moves bits across the words; 32..63 moves one word into the other.
export function i64Shl(S: Buffer, d: number, a: number, b: number): void {
    const k = S.getAt(b, "i32") & 63
    let lo = S.getAt(a, "i32")
    let hi = S.getAt(a + 4, "i32")
    if (k >= 32) {
        hi = lo << (k - 32)
        lo = 0
    } else if (k !== 0) {
        hi = (hi << k) | (lo >>> (32 - k))
        lo = lo << k
    }
    S.setAt(d, "i32", lo)
    S.setAt(d + 4, "i32", hi)
}

export function i64ShrS(S: Buffer, d: number, a: number, b: number): void {
    const k = S.getAt(b, "i32") & 63
    let lo = S.getAt(a, "i32")
    let hi = S.getAt(a + 4, "i32")
    if (k >= 32) {
        lo = hi >> (k - 32)
        hi = hi >> 31
    } else if (k !== 0) {
        lo = (lo >>> k) | (hi << (32 - k))
        hi = hi >> k
    }
    S.setAt(d, "i32", lo)
    S.setAt(d + 4, "i32", hi)
}

export function i64ShrU(S: Buffer, d: number, a: number, b: number): void {
    const k = S.getAt(b, "i32") & 63
    let lo = S.getAt(a, "i32")
    let hi = S.getAt(a + 4, "i32")
    if (k >= 32) {
        lo = hi >>> (k - 32)
        hi = 0
    } else if (k !== 0) {
        lo = (lo >>> k) | (hi << (32 - k))
        hi = hi >>> k
    }
    S.setAt(d, "i32", lo | 0) // (x >>> n is a double at 2^31 and above, and setAt "i32" would saturate it)
    S.setAt(d + 4, "i32", hi | 0)
}

/** Rotates the i64 at a left by k (0..63) into d (i64.rotl is frequent: stores without a call). */
function rotl(S: Buffer, d: number, a: number, k: number): void {
    let lo = S.getAt(a, "i32")
    let hi = S.getAt(a + 4, "i32")
    if (k >= 32) {
        const t = lo
        lo = hi
        hi = t
        k = k - 32
    }
    if (k !== 0) {
        const t = lo
        lo = (lo << k) | (hi >>> (32 - k))
        hi = (hi << k) | (t >>> (32 - k))
    }
    S.setAt(d, "i32", lo)
    S.setAt(d + 4, "i32", hi)
}

export function i64Rotl(S: Buffer, d: number, a: number, b: number): void {
    rotl(S, d, a, S.getAt(b, "i32") & 63)
}

export function i64Rotr(S: Buffer, d: number, a: number, b: number): void {
    rotl(S, d, a, (64 - (S.getAt(b, "i32") & 63)) & 63)
}

export function i64Clz(S: Buffer, d: number, a: number): void {
    const hi = S.getAt(a + 4, "i32")
    put(S, d, hi !== 0 ? i32Clz(hi) : 32 + i32Clz(S.getAt(a, "i32")), 0)
}

export function i64Ctz(S: Buffer, d: number, a: number): void {
    const lo = S.getAt(a, "i32")
    put(S, d, lo !== 0 ? i32Ctz(lo) : 32 + i32Ctz(S.getAt(a + 4, "i32")), 0)
}

export function i64Popcnt(S: Buffer, d: number, a: number): void {
    put(S, d, i32Popcnt(S.getAt(a, "i32")) + i32Popcnt(S.getAt(a + 4, "i32")), 0)
}

// ---------------------------------------------------------------- extension

export function i64Extend8S(S: Buffer, d: number, a: number): void {
    const lo = (S.getAt(a, "i32") << 24) >> 24
    put(S, d, lo, lo >> 31)
}

export function i64Extend16S(S: Buffer, d: number, a: number): void {
    const lo = (S.getAt(a, "i32") << 16) >> 16
    put(S, d, lo, lo >> 31)
}

/** i64.extend32_s, and i64.extend_i32_s too (the low word of the source is the i32). */
export function i64Extend32S(S: Buffer, d: number, a: number): void {
    const lo = S.getAt(a, "i32")
    put(S, d, lo, lo >> 31)
}

export function i64ExtendI32U(S: Buffer, d: number, a: number): void {
    put(S, d, S.getAt(a, "i32"), 0)
}

// ---------------------------------------------------------------- tests and comparisons
// Each writes its 0/1 as an i32 at d. `+(x < y)` is the number 1 or 0.

export function i64Eqz(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", +((S.getAt(a, "i32") | S.getAt(a + 4, "i32")) === 0))
}

export function i64Eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") === S.getAt(b, "i32") && S.getAt(a + 4, "i32") === S.getAt(b + 4, "i32")))
}

export function i64Ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") !== S.getAt(b, "i32") || S.getAt(a + 4, "i32") !== S.getAt(b + 4, "i32")))
}

/**
 * Writes (a < b) ^ flip at d: signed when u is 0, unsigned when u is SIGN (the high words
 * are compared with their sign bits flipped; the low words are compared as u32).
 */
function lt64(S: Buffer, d: number, a: number, b: number, u: number, flip: number): void {
    const ah = S.getAt(a + 4, "i32") ^ u
    const bh = S.getAt(b + 4, "i32") ^ u
    S.setAt(d, "i32", +(ah !== bh ? ah < bh : S.getAt(a, "u32") < S.getAt(b, "u32")) ^ flip)
}

export function i64LtS(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, a, b, 0, 0)
}
export function i64LtU(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, a, b, SIGN, 0)
}
export function i64GtS(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, b, a, 0, 0)
}
export function i64GtU(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, b, a, SIGN, 0)
}
export function i64LeS(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, b, a, 0, 1)
}
export function i64LeU(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, b, a, SIGN, 1)
}
export function i64GeS(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, a, b, 0, 1)
}
export function i64GeU(S: Buffer, d: number, a: number, b: number): void {
    lt64(S, d, a, b, SIGN, 1)
}
