// Wasm i32 ops that the run loop does not do inline, on value-stack slots: the table entries
// themselves (ops/numeric-table.ts), so that one Wasm op is one DeviceScript call.
//
// Written for DeviceScript's bytecode size as much as for speed (every function costs a 16-byte
// descriptor, see scripts/firmware-metrics.ts): a comparison's 0/1 is `+(x < y)` (the same number
// as `x < y ? 1 : 0`, 20 bytes shorter), and an unsigned comparison reads its operands as "u32".
import { trap, TRAP_DIV_ZERO, TRAP_INT_OVERFLOW } from "../trap"
import { F } from "./float-bits"

const SIGN = -2147483648

export function i32Eq(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") === S.getAt(b, "i32")))
}
export function i32Ne(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") !== S.getAt(b, "i32")))
}
export function i32LtS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") < S.getAt(b, "i32")))
}
export function i32LtU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "u32") < S.getAt(b, "u32")))
}
export function i32GtS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") > S.getAt(b, "i32")))
}
export function i32GtU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "u32") > S.getAt(b, "u32")))
}
export function i32LeS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") <= S.getAt(b, "i32")))
}
export function i32LeU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "u32") <= S.getAt(b, "u32")))
}
export function i32GeS(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") >= S.getAt(b, "i32")))
}
export function i32GeU(S: Buffer, d: number, a: number, b: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "u32") >= S.getAt(b, "u32")))
}

export function i32Eqz(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", +(S.getAt(a, "i32") === 0))
}

// Division: the double quotient of two 32-bit integers is never off by enough to cross an
// integer, and `| 0` truncates it toward zero (and wraps 2^31 / -1 to -2^31, trapped first).
export function i32DivS(S: Buffer, d: number, a: number, b: number): void {
    const x = S.getAt(a, "i32")
    const y = S.getAt(b, "i32")
    if (y === 0) trap(TRAP_DIV_ZERO)
    if (y === -1 && x === SIGN) trap(TRAP_INT_OVERFLOW)
    S.setAt(d, "i32", (x / y) | 0)
}
export function i32DivU(S: Buffer, d: number, a: number, b: number): void {
    const y = S.getAt(b, "u32")
    if (y === 0) trap(TRAP_DIV_ZERO)
    S.setAt(d, "i32", (S.getAt(a, "u32") / y) | 0)
}
/** x - trunc(x / y) * y; for -2^31 rem -1 the wrapped quotient still gives 0. */
export function i32RemS(S: Buffer, d: number, a: number, b: number): void {
    const x = S.getAt(a, "i32")
    const y = S.getAt(b, "i32")
    if (y === 0) trap(TRAP_DIV_ZERO)
    S.setAt(d, "i32", (x - Math.imul((x / y) | 0, y)) | 0)
}
export function i32RemU(S: Buffer, d: number, a: number, b: number): void {
    const x = S.getAt(a, "u32")
    const y = S.getAt(b, "u32")
    if (y === 0) trap(TRAP_DIV_ZERO)
    S.setAt(d, "i32", (x - Math.imul((x / y) | 0, y)) | 0)
}

// Rotations (the run loop does these inline; shift counts are taken mod 32, so k = 0 works).
export function i32Rotl(S: Buffer, d: number, a: number, b: number): void {
    const x = S.getAt(a, "i32")
    const k = S.getAt(b, "i32")
    S.setAt(d, "i32", (x << k) | (x >>> (32 - k)))
}
export function i32Rotr(S: Buffer, d: number, a: number, b: number): void {
    const x = S.getAt(a, "i32")
    const k = S.getAt(b, "i32")
    S.setAt(d, "i32", (x >>> k) | (x << (32 - k)))
}

/** Leading zeros of an int32: from the exponent of x as an (exact) double. */
export function i32Clz(x: number): number {
    if (x === 0) return 32
    F.setAt(0, "f64", x >>> 0)
    return 1054 - (F.getAt(4, "i32") >> 20) // 31 - (biased exponent - 1023)
}

export function i32Ctz(x: number): number {
    if (x === 0) return 32
    return 31 - i32Clz(x & -x)
}

export function i32Popcnt(x: number): number {
    x = x - ((x >>> 1) & 0x55555555)
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
    x = (x + (x >>> 4)) & 0x0f0f0f0f
    return Math.imul(x, 0x01010101) >>> 24
}

export function i32ClzOp(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i32Clz(S.getAt(a, "i32")))
}
export function i32CtzOp(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i32Ctz(S.getAt(a, "i32")))
}
export function i32PopcntOp(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", i32Popcnt(S.getAt(a, "i32")))
}

export function i32Extend8S(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", (S.getAt(a, "i32") << 24) >> 24)
}
export function i32Extend16S(S: Buffer, d: number, a: number): void {
    S.setAt(d, "i32", (S.getAt(a, "i32") << 16) >> 16)
}
