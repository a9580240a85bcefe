// Runtime helpers for i64 values held as two int32s (lo, hi) inside generated functions
// (function-source.ts): BigInt arithmetic allocates on every operation, int32 pairs do not.
// A helper that yields an i64 returns its low half and leaves the high half in H.hi.
// Across function boundaries (parameters, results, globals, the host) an i64 is a BigInt:
// big() and split() convert.

import {
    f32FromI64,
    f32FromU64,
    i64DivS,
    i64DivU,
    i64RemS,
    i64RemU,
    i64TruncS,
    i64TruncSatS,
    i64TruncSatU,
    i64TruncU,
} from "./numeric"

/** The high half of the last i64 a helper produced. */
export const H = { hi: 0 }

export function big(lo: number, hi: number): bigint {
    return (BigInt(hi) << 32n) | BigInt(lo >>> 0)
}

/** The low half of a BigInt i64 (signed or unsigned form); the high half goes to H.hi. */
export function split(x: bigint): number {
    H.hi = Number(BigInt.asIntN(32, x >> 32n))
    return Number(BigInt.asIntN(32, x))
}

/** Low 32 bits of a 64-bit product; the high half (also mod 2^32) to H.hi. */
export function mul64(al: number, ah: number, bl: number, bh: number): number {
    // The unsigned 64-bit product of the low halves, from 16-bit pieces (each partial product < 2^32, exact in a double).
    const a0 = al & 0xffff
    const a1 = al >>> 16
    const b0 = bl & 0xffff
    const b1 = bl >>> 16
    const p00 = a0 * b0
    const mid = a1 * b0 + (p00 >>> 16) // < 2^32
    const mid2 = a0 * b1 + (mid & 0xffff) // < 2^32
    const hiLow = a1 * b1 + Math.floor(mid / 65536) + Math.floor(mid2 / 65536)
    H.hi = (hiLow + Math.imul(al, bh) + Math.imul(ah, bl)) | 0
    return ((mid2 << 16) | (p00 & 0xffff)) | 0
}

export function shl64(lo: number, hi: number, n: number): number {
    n &= 63
    if (n === 0) H.hi = hi
    else if (n < 32) {
        H.hi = (hi << n) | (lo >>> (32 - n))
        return lo << n
    } else {
        H.hi = lo << (n - 32)
        return 0
    }
    return lo
}

export function shrS64(lo: number, hi: number, n: number): number {
    n &= 63
    if (n === 0) H.hi = hi
    else if (n < 32) {
        H.hi = hi >> n
        return (lo >>> n) | (hi << (32 - n))
    } else {
        H.hi = hi >> 31
        return hi >> (n - 32)
    }
    return lo
}

export function shrU64(lo: number, hi: number, n: number): number {
    n &= 63
    if (n === 0) H.hi = hi
    else if (n < 32) {
        H.hi = (hi >>> n) | 0
        return (lo >>> n) | (hi << (32 - n))
    } else {
        H.hi = 0
        return (hi >>> (n - 32)) | 0
    }
    return lo
}

export function rotl64(lo: number, hi: number, n: number): number {
    n &= 63
    if (n >= 32) {
        const t = lo
        lo = hi
        hi = t
        n -= 32
    }
    if (n === 0) {
        H.hi = hi
        return lo
    }
    H.hi = (hi << n) | (lo >>> (32 - n))
    return (lo << n) | (hi >>> (32 - n))
}

export function rotr64(lo: number, hi: number, n: number): number {
    return rotl64(lo, hi, (64 - (n & 63)) & 63)
}

// Rare operations go through BigInt.
export const divS64 = (al: number, ah: number, bl: number, bh: number) => split(i64DivS(big(al, ah), big(bl, bh)))
export const divU64 = (al: number, ah: number, bl: number, bh: number) => split(i64DivU(big(al, ah), big(bl, bh)))
export const remS64 = (al: number, ah: number, bl: number, bh: number) => split(i64RemS(big(al, ah), big(bl, bh)))
export const remU64 = (al: number, ah: number, bl: number, bh: number) => split(i64RemU(big(al, ah), big(bl, bh)))
export const truncS64 = (x: number) => split(i64TruncS(x))
export const truncU64 = (x: number) => split(i64TruncU(x))
export const truncSatS64 = (x: number) => split(i64TruncSatS(x))
export const truncSatU64 = (x: number) => split(i64TruncSatU(x))
export const f32FromPair = (lo: number, hi: number) => f32FromI64(big(lo, hi))
export const f32FromPairU = (lo: number, hi: number) => f32FromU64(BigInt.asUintN(64, big(lo, hi)))

const scratch = new DataView(new ArrayBuffer(8))
/** i64.reinterpret_f64: the low half of x's bits; the high half to H.hi. */
export function f64BitsPair(x: number): number {
    scratch.setFloat64(0, x, true)
    H.hi = scratch.getInt32(4, true)
    return scratch.getInt32(0, true)
}
