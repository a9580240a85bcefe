// The JavaScript form of each plain Wasm instruction on i32, f32 and f64 (numeric, conversion,
// memory access): a template over its operand expressions. Values: i32 an int32 number, f32/f64
// numbers (see float-bits.ts). Instructions with an i64 operand or result are in i64-ops.ts.
// Names in the templates (i32DivS, dv, ...) are bound by the module prelude (module-source.ts).

import { ValType } from "../../compiler/wasm-types"

type Un = (a: string) => string
type Bin = (a: string, b: string) => string

const f32 = (e: string) => `Math.fround(${e})`

function floatCompares(first: number): Record<number, Bin> {
    const ops = ["===", "!==", "<", ">", "<=", ">="]
    return Object.fromEntries(ops.map((o, i) => [first + i, (a: string, b: string) => `${a} ${o} ${b}`]))
}

/** Consecutive opcodes from `first`, each a call of the named helper. */
function floatHelpers(first: number, names: string[]): Record<number, (...args: string[]) => string> {
    return Object.fromEntries(names.map((f, i) => [first + i, (...args: string[]) => `${f}(${args.join(", ")})`]))
}

/** Comparisons and tests: a JS boolean expression (generated code may branch on it directly). */
export const CONDITIONS: Record<number, (a: string, b?: string) => string> = {
    0x45: a => `${a} === 0`,
    0x46: (a, b) => `${a} === ${b}`,
    0x47: (a, b) => `${a} !== ${b}`,
    0x48: (a, b) => `${a} < ${b}`,
    0x49: (a, b) => `(${a} >>> 0) < (${b} >>> 0)`,
    0x4a: (a, b) => `${a} > ${b}`,
    0x4b: (a, b) => `(${a} >>> 0) > (${b} >>> 0)`,
    0x4c: (a, b) => `${a} <= ${b}`,
    0x4d: (a, b) => `(${a} >>> 0) <= (${b} >>> 0)`,
    0x4e: (a, b) => `${a} >= ${b}`,
    0x4f: (a, b) => `(${a} >>> 0) >= (${b} >>> 0)`,
    // f32 (0x5b..0x60) and f64 (0x61..0x66): eq ne lt gt le ge, IEEE as JS compares
    ...floatCompares(0x5b),
    ...floatCompares(0x61),
    0xd1: a => `${a} === null`, // ref.is_null
}

/** Unary operators: one operand, one result. */
export const UNARY: Record<number, Un> = {
    0x67: a => `Math.clz32(${a})`,
    0x68: a => `i32Ctz(${a})`,
    0x69: a => `i32Popcnt(${a})`,
    // f32 (0x8b..0x90) and f64 (0x99..0x9e): abs neg ceil floor trunc nearest (f32 values stay f32)
    ...floatHelpers(0x8b, ["fabs", "fneg", "fceil", "ffloor", "ftrunc", "fnearest"]),
    ...floatHelpers(0x99, ["fabs", "fneg", "fceil", "ffloor", "ftrunc", "fnearest"]),
    0x91: a => f32(`Math.sqrt(${a})`),
    0x9f: a => `Math.sqrt(${a})`,
    0xa8: a => `i32TruncS(${a})`,
    0xa9: a => `i32TruncU(${a})`,
    0xaa: a => `i32TruncS(${a})`,
    0xab: a => `i32TruncU(${a})`,
    0xb2: a => f32(a),
    0xb3: a => f32(`${a} >>> 0`),
    0xb6: a => f32(a),
    0xb7: a => a,
    0xb8: a => `(${a} >>> 0)`,
    0xbb: a => `(${a} === ${a} ? ${a} : NaN)`, // promote: NaNs become arithmetic (quiet) NaNs
    0xbc: a => `f32Bits(${a})`,
    0xbe: a => `f32FromBits(${a})`,
    0xc0: a => `(${a} << 24 >> 24)`,
    0xc1: a => `(${a} << 16 >> 16)`,
    0xfc00: a => `i32TruncSatS(${a})`,
    0xfc01: a => `i32TruncSatU(${a})`,
    0xfc02: a => `i32TruncSatS(${a})`,
    0xfc03: a => `i32TruncSatU(${a})`,
}

/** Binary operators: two operands, one result. */
export const BINARY: Record<number, Bin> = {
    0x6a: (a, b) => `(${a} + ${b}) | 0`,
    0x6b: (a, b) => `(${a} - ${b}) | 0`,
    0x6c: (a, b) => `Math.imul(${a}, ${b})`,
    0x6d: (a, b) => `i32DivS(${a}, ${b})`,
    0x6e: (a, b) => `i32DivU(${a}, ${b})`,
    0x6f: (a, b) => `i32RemS(${a}, ${b})`,
    0x70: (a, b) => `i32RemU(${a}, ${b})`,
    0x71: (a, b) => `${a} & ${b}`,
    0x72: (a, b) => `${a} | ${b}`,
    0x73: (a, b) => `${a} ^ ${b}`,
    0x74: (a, b) => `${a} << ${b}`,
    0x75: (a, b) => `${a} >> ${b}`,
    0x76: (a, b) => `(${a} >>> ${b}) | 0`,
    0x77: (a, b) => `i32Rotl(${a}, ${b})`,
    0x78: (a, b) => `i32Rotr(${a}, ${b})`,
    0x92: (a, b) => f32(`${a} + ${b}`),
    0x93: (a, b) => f32(`${a} - ${b}`),
    0x94: (a, b) => f32(`${a} * ${b}`),
    0x95: (a, b) => f32(`${a} / ${b}`),
    ...floatHelpers(0x96, ["fmin", "fmax", "fcopysign"]),
    0xa0: (a, b) => `${a} + ${b}`,
    0xa1: (a, b) => `${a} - ${b}`,
    0xa2: (a, b) => `${a} * ${b}`,
    0xa3: (a, b) => `${a} / ${b}`,
    ...floatHelpers(0xa4, ["fmin", "fmax", "fcopysign"]),
}

/** Loads 0x28..0x35, given the effective-address expression. */
export const LOADS: Record<number, Un> = {
    0x28: ea => `dv.getInt32(${ea}, true)`,
    0x2a: ea => `dv.getFloat32(${ea}, true)`, // a NaN is read again as bits (F32_LOAD_NAN)
    0x2b: ea => `dv.getFloat64(${ea}, true)`,
    0x2c: ea => `dv.getInt8(${ea})`,
    0x2d: ea => `dv.getUint8(${ea})`,
    0x2e: ea => `dv.getInt16(${ea}, true)`,
    0x2f: ea => `dv.getUint16(${ea}, true)`,
}

/**
 * After f32.load into slot `x`: DataView's f32 -> f64 conversion quietens a signalling NaN, so a
 * NaN is read again through its bits (float-bits.ts). The fast path is one load and a compare.
 */
export const F32_LOAD_NAN = (x: string, ea: string) => `if (${x} !== ${x}) ${x} = f32FromBits(dv.getInt32(${ea}, true));`

/** Stores 0x36..0x3e, given the effective-address and value expressions (a statement). */
export const STORES: Record<number, Bin> = {
    0x36: (ea, v) => `dv.setInt32(${ea}, ${v}, true)`,
    // Non-NaN f32 values convert exactly; NaNs are written as their bits (payload kept).
    0x38: (ea, v) => `${v} === ${v} ? dv.setFloat32(${ea}, ${v}, true) : dv.setInt32(${ea}, f32Bits(${v}), true)`,
    0x39: (ea, v) => `dv.setFloat64(${ea}, ${v}, true)`,
    0x3a: (ea, v) => `dv.setInt8(${ea}, ${v})`,
    0x3b: (ea, v) => `dv.setInt16(${ea}, ${v}, true)`,
}


/** The result type of a numeric instruction (comparisons, arithmetic, conversions). */
export function resultType(op: number): ValType {
    if (op >= 0x45 && op <= 0x78) return ValType.I32
    if (op >= 0x79 && op <= 0x8a) return ValType.I64
    if (op >= 0x8b && op <= 0x98) return ValType.F32
    if (op >= 0x99 && op <= 0xa6) return ValType.F64
    if (op >= 0xfc00 && op <= 0xfc07) return op <= 0xfc03 ? ValType.I32 : ValType.I64
    if (op === 0xa7 || (op >= 0xa8 && op <= 0xab) || op === 0xbc || op === 0xc0 || op === 0xc1) return ValType.I32
    if ((op >= 0xac && op <= 0xb1) || op === 0xbd || op >= 0xc2) return ValType.I64
    if ((op >= 0xb2 && op <= 0xb6) || op === 0xbe) return ValType.F32
    return ValType.F64
}

/** The value type a load (0x28..0x35) pushes. */
export function loadType(op: number): ValType {
    return op === 0x29 || op >= 0x30 ? ValType.I64 : op === 0x2a ? ValType.F32 : op === 0x2b ? ValType.F64 : ValType.I32
}
