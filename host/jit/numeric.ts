// Numeric helpers called by generated code where one JS operator is not the Wasm instruction:
// traps (division, truncation), rounding and NaN results, and the rare i64 operations that
// pairs.ts hands to BigInt (kept signed: BigInt.asIntN(64, ·)). V8 inlines the small ones into
// the hot code that calls them.

import { trap, TRAP_DIV_ZERO, TRAP_INT_OVERFLOW, TRAP_INVALID_CONVERSION } from "../../interpreter/trap"

// --- i32 ---

export function i32DivS(a: number, b: number): number {
    if (b === 0) trap(TRAP_DIV_ZERO)
    if (a === -0x80000000 && b === -1) trap(TRAP_INT_OVERFLOW)
    return (a / b) | 0
}
export function i32DivU(a: number, b: number): number {
    if (b === 0) trap(TRAP_DIV_ZERO)
    return ((a >>> 0) / (b >>> 0)) | 0
}
export function i32RemS(a: number, b: number): number {
    if (b === 0) trap(TRAP_DIV_ZERO)
    return a % b | 0
}
export function i32RemU(a: number, b: number): number {
    if (b === 0) trap(TRAP_DIV_ZERO)
    return ((a >>> 0) % (b >>> 0)) | 0
}
export function i32Rotl(a: number, b: number): number {
    return (a << b) | (a >>> (32 - b))
}
export function i32Rotr(a: number, b: number): number {
    return (a >>> b) | (a << (32 - b))
}
export function i32Ctz(a: number): number {
    return a === 0 ? 32 : 31 - Math.clz32(a & -a)
}
export function i32Popcnt(a: number): number {
    a = a - ((a >>> 1) & 0x55555555)
    a = (a & 0x33333333) + ((a >>> 2) & 0x33333333)
    return (Math.imul((a + (a >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0
}

// --- i64 (signed BigInt) ---

const I64_MIN = -(1n << 63n)

export function i64DivS(a: bigint, b: bigint): bigint {
    if (b === 0n) trap(TRAP_DIV_ZERO)
    if (a === I64_MIN && b === -1n) trap(TRAP_INT_OVERFLOW)
    return a / b
}
export function i64DivU(a: bigint, b: bigint): bigint {
    if (b === 0n) trap(TRAP_DIV_ZERO)
    return BigInt.asIntN(64, BigInt.asUintN(64, a) / BigInt.asUintN(64, b))
}
export function i64RemS(a: bigint, b: bigint): bigint {
    if (b === 0n) trap(TRAP_DIV_ZERO)
    return a % b
}
export function i64RemU(a: bigint, b: bigint): bigint {
    if (b === 0n) trap(TRAP_DIV_ZERO)
    return BigInt.asIntN(64, BigInt.asUintN(64, a) % BigInt.asUintN(64, b))
}
// --- floats ---

/** Round half to even (f32.nearest, f64.nearest). */
export function fnearest(x: number): number {
    if (x !== x) return NaN
    if (x === 0 || !isFinite(x)) return x
    const r = Math.round(x) // ties go up: move them down to the even neighbour
    const n = r - x === 0.5 && r % 2 !== 0 ? r - 1 : r
    return n === 0 && x < 0 ? -0 : n
}
export function fceil(x: number): number {
    return x === x ? Math.ceil(x) : NaN
}
export function ffloor(x: number): number {
    return x === x ? Math.floor(x) : NaN
}
export function ftrunc(x: number): number {
    return x === x ? Math.trunc(x) : NaN
}
export function fmin(a: number, b: number): number {
    return a !== a || b !== b ? NaN : Math.min(a, b)
}
export function fmax(a: number, b: number): number {
    return a !== a || b !== b ? NaN : Math.max(a, b)
}

/** An i64 as the nearest f32 (one rounding: BigInt -> double would round twice). */
export function f32FromI64(a: bigint): number {
    if (a >= -(1n << 53n) && a <= 1n << 53n) return Math.fround(Number(a))
    return a < 0n ? -f32FromU64(-a) : f32FromU64(a)
}
/** The same for an unsigned 64-bit value (a non-negative BigInt below 2^64). */
export function f32FromU64(u: bigint): number {
    if (u <= 1n << 53n) return Math.fround(Number(u))
    // Keep 40 significant bits and fold the rest into a sticky bit: exact as a double, and
    // rounding that to f32 gives the correctly rounded result.
    const shift = BigInt(u.toString(2).length - 40)
    let v = u >> shift
    if ((u & ((1n << shift) - 1n)) !== 0n) v |= 1n
    return Math.fround(Number(v) * 2 ** Number(shift))
}

// --- float -> integer ---

export function i32TruncS(x: number): number {
    if (x !== x) trap(TRAP_INVALID_CONVERSION)
    if (!(x > -2147483649 && x < 2147483648)) trap(TRAP_INT_OVERFLOW)
    return x | 0
}
export function i32TruncU(x: number): number {
    if (x !== x) trap(TRAP_INVALID_CONVERSION)
    if (!(x > -1 && x < 4294967296)) trap(TRAP_INT_OVERFLOW)
    return Math.trunc(x) | 0
}
export function i64TruncS(x: number): bigint {
    if (x !== x) trap(TRAP_INVALID_CONVERSION)
    if (!(x >= -9223372036854775808 && x < 9223372036854775808)) trap(TRAP_INT_OVERFLOW)
    return BigInt(Math.trunc(x))
}
export function i64TruncU(x: number): bigint {
    if (x !== x) trap(TRAP_INVALID_CONVERSION)
    if (!(x > -1 && x < 18446744073709551616)) trap(TRAP_INT_OVERFLOW)
    return BigInt.asIntN(64, BigInt(Math.trunc(x)))
}
export function i32TruncSatS(x: number): number {
    if (x !== x) return 0
    if (x <= -2147483648) return -2147483648
    if (x >= 2147483647) return 2147483647
    return x | 0
}
export function i32TruncSatU(x: number): number {
    if (x !== x || x <= 0) return 0
    if (x >= 4294967295) return -1
    return Math.trunc(x) | 0
}
export function i64TruncSatS(x: number): bigint {
    if (x !== x) return 0n
    if (x <= -9223372036854775808) return I64_MIN
    if (x >= 9223372036854775808) return (1n << 63n) - 1n
    return BigInt(Math.trunc(x))
}
export function i64TruncSatU(x: number): bigint {
    if (x !== x || x <= 0) return 0n
    if (x >= 18446744073709551616) return -1n
    return BigInt.asIntN(64, BigInt(Math.trunc(x)))
}
