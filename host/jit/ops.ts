// The JavaScript form of each plain Wasm instruction (numeric, conversion, memory access):
// a template over its operand expressions. Operands and results use the JIT's value
// representation (i32: int32 number, i64: signed BigInt, f32/f64: numbers, see float-bits.ts).
// Names in the templates (i32DivS, dv, ...) are bound by the module prelude (module-source.ts).

type Un = (a: string) => string
type Bin = (a: string, b: string) => string

const asI64 = (e: string) => `BigInt.asIntN(64, ${e})`
const u64 = (e: string) => `BigInt.asUintN(64, ${e})`
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
    0x50: a => `${a} === 0n`,
    0x51: (a, b) => `${a} === ${b}`,
    0x52: (a, b) => `${a} !== ${b}`,
    0x53: (a, b) => `${a} < ${b}`,
    // Unsigned order without allocating BigInts: signed order when the signs agree, else reversed.
    0x54: (a, b) => `((${a} < 0n) === (${b} < 0n) ? ${a} < ${b} : ${a} > ${b})`,
    0x55: (a, b) => `${a} > ${b}`,
    0x56: (a, b) => `((${a} < 0n) === (${b} < 0n) ? ${a} > ${b} : ${a} < ${b})`,
    0x57: (a, b) => `${a} <= ${b}`,
    0x58: (a, b) => `((${a} < 0n) === (${b} < 0n) ? ${a} <= ${b} : ${a} > ${b})`,
    0x59: (a, b) => `${a} >= ${b}`,
    0x5a: (a, b) => `((${a} < 0n) === (${b} < 0n) ? ${a} >= ${b} : ${a} < ${b})`,
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
    0x79: a => `i64Clz(${a})`,
    0x7a: a => `i64Ctz(${a})`,
    0x7b: a => `i64Popcnt(${a})`,
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
    0xa7: a => `Number(BigInt.asIntN(32, ${a}))`,
    0xa8: a => `i32TruncS(${a})`,
    0xa9: a => `i32TruncU(${a})`,
    0xaa: a => `i32TruncS(${a})`,
    0xab: a => `i32TruncU(${a})`,
    0xac: a => `BigInt(${a})`,
    0xad: a => `BigInt(${a} >>> 0)`,
    0xae: a => `i64TruncS(${a})`,
    0xaf: a => `i64TruncU(${a})`,
    0xb0: a => `i64TruncS(${a})`,
    0xb1: a => `i64TruncU(${a})`,
    0xb2: a => f32(a),
    0xb3: a => f32(`${a} >>> 0`),
    0xb4: a => `f32FromI64(${a})`,
    0xb5: a => `f32FromU64(${u64(a)})`,
    0xb6: a => f32(a),
    0xb7: a => a,
    0xb8: a => `(${a} >>> 0)`,
    0xb9: a => `Number(${a})`,
    0xba: a => `Number(${u64(a)})`,
    0xbb: a => `(${a} === ${a} ? ${a} : NaN)`, // promote: NaNs become arithmetic (quiet) NaNs
    0xbc: a => `f32Bits(${a})`,
    0xbd: a => `f64Bits(${a})`,
    0xbe: a => `f32FromBits(${a})`,
    0xbf: a => `f64FromBits(${a})`,
    0xc0: a => `(${a} << 24 >> 24)`,
    0xc1: a => `(${a} << 16 >> 16)`,
    0xc2: a => `BigInt.asIntN(8, ${a})`,
    0xc3: a => `BigInt.asIntN(16, ${a})`,
    0xc4: a => `BigInt.asIntN(32, ${a})`,
    0xfc00: a => `i32TruncSatS(${a})`,
    0xfc01: a => `i32TruncSatU(${a})`,
    0xfc02: a => `i32TruncSatS(${a})`,
    0xfc03: a => `i32TruncSatU(${a})`,
    0xfc04: a => `i64TruncSatS(${a})`,
    0xfc05: a => `i64TruncSatU(${a})`,
    0xfc06: a => `i64TruncSatS(${a})`,
    0xfc07: a => `i64TruncSatU(${a})`,
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
    0x7c: (a, b) => asI64(`${a} + ${b}`),
    0x7d: (a, b) => asI64(`${a} - ${b}`),
    0x7e: (a, b) => asI64(`${a} * ${b}`),
    0x7f: (a, b) => `i64DivS(${a}, ${b})`,
    0x80: (a, b) => `i64DivU(${a}, ${b})`,
    0x81: (a, b) => `i64RemS(${a}, ${b})`,
    0x82: (a, b) => `i64RemU(${a}, ${b})`,
    0x83: (a, b) => `${a} & ${b}`,
    0x84: (a, b) => `${a} | ${b}`,
    0x85: (a, b) => `${a} ^ ${b}`,
    0x86: (a, b) => asI64(`${a} << (${b} & 63n)`),
    0x87: (a, b) => `${a} >> (${b} & 63n)`,
    0x88: (a, b) => asI64(`${u64(a)} >> (${b} & 63n)`),
    0x89: (a, b) => `i64Rotl(${a}, ${b})`,
    0x8a: (a, b) => `i64Rotr(${a}, ${b})`,
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
    0x29: ea => `dv.getBigInt64(${ea}, true)`,
    0x2a: ea => `f32FromBits(dv.getInt32(${ea}, true))`,
    0x2b: ea => `dv.getFloat64(${ea}, true)`,
    0x2c: ea => `dv.getInt8(${ea})`,
    0x2d: ea => `dv.getUint8(${ea})`,
    0x2e: ea => `dv.getInt16(${ea}, true)`,
    0x2f: ea => `dv.getUint16(${ea}, true)`,
    0x30: ea => `BigInt(dv.getInt8(${ea}))`,
    0x31: ea => `BigInt(dv.getUint8(${ea}))`,
    0x32: ea => `BigInt(dv.getInt16(${ea}, true))`,
    0x33: ea => `BigInt(dv.getUint16(${ea}, true))`,
    0x34: ea => `BigInt(dv.getInt32(${ea}, true))`,
    0x35: ea => `BigInt(dv.getUint32(${ea}, true))`,
}

/** Stores 0x36..0x3e, given the effective-address and value expressions (a statement). */
export const STORES: Record<number, Bin> = {
    0x36: (ea, v) => `dv.setInt32(${ea}, ${v}, true)`,
    0x37: (ea, v) => `dv.setBigInt64(${ea}, ${v}, true)`,
    0x38: (ea, v) => `dv.setInt32(${ea}, f32Bits(${v}), true)`,
    0x39: (ea, v) => `dv.setFloat64(${ea}, ${v}, true)`,
    0x3a: (ea, v) => `dv.setInt8(${ea}, ${v})`,
    0x3b: (ea, v) => `dv.setInt16(${ea}, ${v}, true)`,
    0x3c: (ea, v) => `dv.setInt8(${ea}, Number(BigInt.asIntN(8, ${v})))`,
    0x3d: (ea, v) => `dv.setInt16(${ea}, Number(BigInt.asIntN(16, ${v})), true)`,
    0x3e: (ea, v) => `dv.setInt32(${ea}, Number(BigInt.asIntN(32, ${v})), true)`,
}

/**
 * i64 shifts and rotates by a constant count c (0..63), when the count is an i64.const just
 * before: fewer BigInt operations (each one allocates) than the general forms above.
 */
export const I64_CONST_SHIFTS: Record<number, (a: string, c: number) => string> = {
    0x86: (a, c) => (c === 0 ? a : asI64(`${a} << ${c}n`)),
    0x87: (a, c) => (c === 0 ? a : `${a} >> ${c}n`),
    // The arithmetic shift's high bits are masked off: the result is non-negative and in range.
    0x88: (a, c) => (c === 0 ? a : `(${a} >> ${c}n) & ${(1n << BigInt(64 - c)) - 1n}n`),
    0x89: (a, c) => rotl64(a, c),
    0x8a: (a, c) => rotl64(a, (64 - c) & 63),
}

function rotl64(a: string, c: number): string {
    if (c === 0) return a
    return asI64(`(${a} << ${c}n) | ((${a} >> ${64 - c}n) & ${(1n << BigInt(c)) - 1n}n)`)
}
