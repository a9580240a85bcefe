// The JavaScript form of each plain Wasm instruction on i32, f32 and f64 (numeric, conversion,
// memory access): a template over its operand expressions. Values: i32 an int32 number, f32/f64
// numbers (see float-bits.ts). Instructions with an i64 operand or result are in i64-ops.ts.
// Names in the templates (i32DivS, dv, ...) are bound by the module prelude (module-source.ts).

import { ValType } from "../../compiler/wasm-types"

type Un = (a: string) => string
type Bin = (a: string, b: string) => string

const f32 = (e: string) => `Math.fround(${e})`

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
    0x5b: (a, b) => `${a} === ${b}`,
    0x5c: (a, b) => `${a} !== ${b}`,
    0x5d: (a, b) => `${a} < ${b}`,
    0x5e: (a, b) => `${a} > ${b}`,
    0x5f: (a, b) => `${a} <= ${b}`,
    0x60: (a, b) => `${a} >= ${b}`,
    0x61: (a, b) => `${a} === ${b}`,
    0x62: (a, b) => `${a} !== ${b}`,
    0x63: (a, b) => `${a} < ${b}`,
    0x64: (a, b) => `${a} > ${b}`,
    0x65: (a, b) => `${a} <= ${b}`,
    0x66: (a, b) => `${a} >= ${b}`,
    0xd1: a => `${a} === null`, // ref.is_null
}

/** Unary operators: one operand, one result. */
export const UNARY: Record<number, Un> = {
    0x67: a => `Math.clz32(${a})`,
    0x68: a => `i32Ctz(${a})`,
    0x69: a => `i32Popcnt(${a})`,
    0x8b: a => `fabs(${a})`,
    0x8c: a => `fneg(${a})`,
    0x8d: a => `fceil(${a})`,
    0x8e: a => `ffloor(${a})`,
    0x8f: a => `ftrunc(${a})`,
    0x90: a => `fnearest(${a})`,
    0x91: a => f32(`Math.sqrt(${a})`),
    0x99: a => `fabs(${a})`,
    0x9a: a => `fneg(${a})`,
    0x9b: a => `fceil(${a})`,
    0x9c: a => `ffloor(${a})`,
    0x9d: a => `ftrunc(${a})`,
    0x9e: a => `fnearest(${a})`,
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
    0x96: (a, b) => `fmin(${a}, ${b})`,
    0x97: (a, b) => `fmax(${a}, ${b})`,
    0x98: (a, b) => `fcopysign(${a}, ${b})`,
    0xa0: (a, b) => `${a} + ${b}`,
    0xa1: (a, b) => `${a} - ${b}`,
    0xa2: (a, b) => `${a} * ${b}`,
    0xa3: (a, b) => `${a} / ${b}`,
    0xa4: (a, b) => `fmin(${a}, ${b})`,
    0xa5: (a, b) => `fmax(${a}, ${b})`,
    0xa6: (a, b) => `fcopysign(${a}, ${b})`,
}

/** Loads 0x28..0x35, given the effective-address expression. */
export const LOADS: Record<number, Un> = {
    0x28: ea => `dv.getInt32(${ea}, true)`,
    0x2a: ea => `f32FromBits(dv.getInt32(${ea}, true))`,
    0x2b: ea => `dv.getFloat64(${ea}, true)`,
    0x2c: ea => `dv.getInt8(${ea})`,
    0x2d: ea => `dv.getUint8(${ea})`,
    0x2e: ea => `dv.getInt16(${ea}, true)`,
    0x2f: ea => `dv.getUint16(${ea}, true)`,
}

/** Stores 0x36..0x3e, given the effective-address and value expressions (a statement). */
export const STORES: Record<number, Bin> = {
    0x36: (ea, v) => `dv.setInt32(${ea}, ${v}, true)`,
    0x38: (ea, v) => `dv.setInt32(${ea}, f32Bits(${v}), true)`,
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
