// Wasm i32 ops that the run loop does not do inline, on value-stack slots: the table entries
// themselves (ops/numeric-table.ts), so that one Wasm op is one DeviceScript call.
//
// Written for DeviceScript's bytecode size as much as for speed (every function costs a 16-byte
// descriptor, see scripts/firmware-metrics.ts): a 0/1 is `+(x === 0)` (the same number as
// `x === 0 ? 1 : 0`, 20 bytes shorter), and a family of rare ops is one function that the op
// table hands its opcode (the comparisons are in compare.ts).
import { trap, TRAP_DIV_ZERO, TRAP_INT_OVERFLOW } from "../trap"
import { Op } from "../opcodes"
import { F } from "./float-bits"

const SIGN = -2147483648

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

/** i32.rotl / i32.rotr (the run loop does these inline; shift counts are taken mod 32, so k = 0 works). */
export function i32Rot(S: Buffer, d: number, a: number, b: number, op: number): void {
    const x = S.getAt(a, "i32")
    let k = S.getAt(b, "i32") & 31
    if (op === Op.BIN_I32_ROTR) k = 32 - k
    S.setAt(d, "i32", (x << k) | (x >>> (32 - k)))
}

/** i32.eqz and i64.eqz. */
export function eqz(S: Buffer, d: number, a: number, op: number): void {
    S.setAt(d, "i32", +((S.getAt(a, "i32") | (op === Op.UN_I64_EQZ ? S.getAt(a + 4, "i32") : 0)) === 0))
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

/** i32 clz ctz popcnt, then i64 clz ctz popcnt (an i64 result's high word is 0). */
export function countOp(S: Buffer, d: number, a: number, op: number): void {
    let k = op - Op.UN_I32_CLZ
    const wide = k >= 3
    if (wide) k -= 3
    const lo = S.getAt(a, "i32")
    const hi = wide ? S.getAt(a + 4, "i32") : 0
    let r: number
    if (k === 0) r = hi !== 0 ? i32Clz(hi) : wide ? 32 + i32Clz(lo) : i32Clz(lo)
    else if (k === 1) r = lo !== 0 || !wide ? i32Ctz(lo) : 32 + i32Ctz(hi)
    else r = i32Popcnt(lo) + i32Popcnt(hi)
    S.setAt(d, "i32", r)
    if (wide) S.setAt(d + 4, "i32", 0)
}

/**
 * Sign and zero extensions on slots: i32.extend8_s/16_s, i64.extend8_s/16_s/32_s and
 * i64.extend_i32_s/u (extend_i32_s is extend32_s: the low word of the source is the i32).
 */
export function extendOp(S: Buffer, d: number, a: number, op: number): void {
    let x = S.getAt(a, "i32")
    if (op === Op.UN_I32_EXTEND8_S || op === Op.UN_I64_EXTEND8_S) x = (x << 24) >> 24
    else if (op === Op.UN_I32_EXTEND8_S + 1 || op === Op.UN_I64_EXTEND8_S + 1) x = (x << 16) >> 16
    S.setAt(d, "i32", x)
    if (op < Op.UN_I32_EXTEND8_S || op >= Op.UN_I64_EXTEND8_S) S.setAt(d + 4, "i32", op === Op.UN_I64_EXTEND_I32_U ? 0 : x >> 31)
}
