// Wasm i64 integer semantics, exact, without BigInt.
//
// Slot layout (see README in this folder): an i64 lives at byte offset p of the
// value-stack Buffer S as two signed int32 words, low word at p, high word at p+4.
// Every binary op reads all of its operands before writing, so d may equal a or b.
// No function here allocates: multi-word results go through module-level variables.
// Rare ops of one family are one function that the op table hands its opcode (div/rem, the
// rotations, and those the run loop does inline: add/sub, and/or/xor); comparisons, eqz,
// counts and extensions are shared with i32 (compare.ts, i32.ts).
import { trap, TRAP_DIV_ZERO, TRAP_INT_OVERFLOW } from "../trap"
import { Op } from "../opcodes"

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

/** i64.add and i64.sub (sub adds the two's complement of b; the run loop does add inline). */
export function i64AddSub(S: Buffer, d: number, a: number, b: number, op: number): void {
    const al = S.getAt(a, "i32")
    let bl = S.getAt(b, "i32")
    let bh = S.getAt(b + 4, "i32")
    if (op === Op.BIN_I64_SUB) {
        bh = ~bh + +(bl === 0)
        bl = -bl | 0
    }
    const lo = (al + bl) | 0
    const hi = S.getAt(a + 4, "i32") + bh + +((lo ^ SIGN) < (al ^ SIGN))
    S.setAt(d, "i32", lo)
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
export function i64DivRem(S: Buffer, d: number, a: number, b: number, op: number): void {
    const signed = ((op - Op.BIN_I64_DIV_S) & 1) === 0
    const rem = op - Op.BIN_I64_DIV_S >= 2
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

// ---------------------------------------------------------------- bitwise

/** i64.and, or, xor (the run loop does these inline). */
export function i64Bitwise(S: Buffer, d: number, a: number, b: number, op: number): void {
    let lo = S.getAt(a, "i32")
    let hi = S.getAt(a + 4, "i32")
    const bl = S.getAt(b, "i32")
    const bh = S.getAt(b + 4, "i32")
    if (op === Op.BIN_I64_AND) {
        lo &= bl
        hi &= bh
    } else if (op === Op.BIN_I64_OR) {
        lo |= bl
        hi |= bh
    } else {
        lo ^= bl
        hi ^= bh
    }
    S.setAt(d, "i32", lo)
    S.setAt(d + 4, "i32", hi)
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

/** i64.rotl / i64.rotr: the i64 at a rotated left by k (0..63; rotr by n is rotl by 64 - n). */
export function i64Rot(S: Buffer, d: number, a: number, b: number, op: number): void {
    let k = S.getAt(b, "i32") & 63
    if (op === Op.BIN_I64_ROTR) k = (64 - k) & 63
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
