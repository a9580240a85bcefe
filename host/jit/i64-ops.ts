// The JavaScript form of i64 instructions inside a function, where an i64 is two int32
// variables (lo, hi): statements that update the first operand's pair in place, or boolean
// conditions. `tl` is a scratch variable of every generated function; helpers that produce an
// i64 (pairs.ts) return the low half and leave the high half in H.hi.

/** An i64 operand: the names (or int literals) of its halves. */
export interface Pair {
    lo: string
    hi: string
}

const u = (x: string) => `(${x} >>> 0)`
const viaHelper = (f: string) => (a: Pair, b: Pair) => `${a.lo} = ${f}(${a.lo}, ${a.hi}, ${b.lo}, ${b.hi}); ${a.hi} = H.hi;`
const shiftHelper = (f: string) => (a: Pair, b: Pair) => `${a.lo} = ${f}(${a.lo}, ${a.hi}, ${b.lo}); ${a.hi} = H.hi;`
const bitwise = (o: string) => (a: Pair, b: Pair) => `${a.lo} = ${a.lo} ${o} ${b.lo}; ${a.hi} = ${a.hi} ${o} ${b.hi};`

/** a < b, signed or unsigned: the high halves decide unless equal. */
const less = (a: Pair, b: Pair, signed: boolean) => {
    const hiLess = signed ? `${a.hi} < ${b.hi}` : `${u(a.hi)} < ${u(b.hi)}`
    return `(${hiLess} || (${a.hi} === ${b.hi} && ${u(a.lo)} < ${u(b.lo)}))`
}

/** Binary operators: a = a op b. */
export const I64_BINARY: Record<number, (a: Pair, b: Pair) => string> = {
    0x7c: (a, b) => `tl = (${a.lo} + ${b.lo}) | 0; ${a.hi} = (${a.hi} + ${b.hi} + (${u("tl")} < ${u(a.lo)} ? 1 : 0)) | 0; ${a.lo} = tl;`,
    0x7d: (a, b) => `tl = (${a.lo} - ${b.lo}) | 0; ${a.hi} = (${a.hi} - ${b.hi} - (${u(a.lo)} < ${u(b.lo)} ? 1 : 0)) | 0; ${a.lo} = tl;`,
    0x7e: viaHelper("mul64"),
    0x7f: viaHelper("divS64"),
    0x80: viaHelper("divU64"),
    0x81: viaHelper("remS64"),
    0x82: viaHelper("remU64"),
    0x83: bitwise("&"),
    0x84: bitwise("|"),
    0x85: bitwise("^"),
    0x86: shiftHelper("shl64"),
    0x87: shiftHelper("shrS64"),
    0x88: shiftHelper("shrU64"),
    0x89: shiftHelper("rotl64"),
    0x8a: shiftHelper("rotr64"),
}

/** Shifts by a constant count c (1..63), inline. */
export const I64_CONST_SHIFT: Record<number, (a: Pair, c: number) => string> = {
    0x86: (a, c) =>
        c < 32 ? `${a.hi} = (${a.hi} << ${c}) | (${a.lo} >>> ${32 - c}); ${a.lo} = ${a.lo} << ${c};` : `${a.hi} = ${a.lo} << ${c - 32}; ${a.lo} = 0;`,
    0x87: (a, c) =>
        c < 32 ? `${a.lo} = (${a.lo} >>> ${c}) | (${a.hi} << ${32 - c}); ${a.hi} = ${a.hi} >> ${c};` : `${a.lo} = ${a.hi} >> ${c - 32}; ${a.hi} = ${a.hi} >> 31;`,
    0x88: (a, c) =>
        c < 32 ? `${a.lo} = (${a.lo} >>> ${c}) | (${a.hi} << ${32 - c}); ${a.hi} = (${a.hi} >>> ${c}) | 0;` : `${a.lo} = (${a.hi} >>> ${c - 32}) | 0; ${a.hi} = 0;`,
    0x89: (a, c) => rotate(a, c),
    0x8a: (a, c) => rotate(a, 64 - c),
}

function rotate(a: Pair, c: number): string {
    if (c === 32) return `tl = ${a.lo}; ${a.lo} = ${a.hi}; ${a.hi} = tl;`
    const [lo, hi] = c < 32 ? [a.lo, a.hi] : [a.hi, a.lo]
    const n = c & 31
    return `tl = (${lo} << ${n}) | (${hi} >>> ${32 - n}); ${a.hi} = (${hi} << ${n}) | (${lo} >>> ${32 - n}); ${a.lo} = tl;`
}

/** Comparisons and eqz: JS boolean expressions. */
export const I64_CONDITIONS: Record<number, (a: Pair, b?: Pair) => string> = {
    0x50: a => `(${a.lo} | ${a.hi}) === 0`,
    0x51: (a, b) => `(${a.lo} === ${b.lo} && ${a.hi} === ${b.hi})`,
    0x52: (a, b) => `(${a.lo} !== ${b.lo} || ${a.hi} !== ${b.hi})`,
    0x53: (a, b) => less(a, b, true),
    0x54: (a, b) => less(a, b, false),
    0x55: (a, b) => less(b, a, true),
    0x56: (a, b) => less(b, a, false),
    0x57: (a, b) => `!${less(b, a, true)}`,
    0x58: (a, b) => `!${less(b, a, false)}`,
    0x59: (a, b) => `!${less(a, b, true)}`,
    0x5a: (a, b) => `!${less(a, b, false)}`,
}

/** i64 -> i64 operators, in place. */
export const I64_UNARY: Record<number, (a: Pair) => string> = {
    0x79: a => `${a.lo} = ${a.hi} !== 0 ? Math.clz32(${a.hi}) : 32 + Math.clz32(${a.lo}); ${a.hi} = 0;`,
    0x7a: a => `${a.lo} = ${a.lo} !== 0 ? i32Ctz(${a.lo}) : 32 + i32Ctz(${a.hi}); ${a.hi} = 0;`,
    0x7b: a => `${a.lo} = i32Popcnt(${a.lo}) + i32Popcnt(${a.hi}); ${a.hi} = 0;`,
    0xc2: a => `${a.lo} = ${a.lo} << 24 >> 24; ${a.hi} = ${a.lo} >> 31;`,
    0xc3: a => `${a.lo} = ${a.lo} << 16 >> 16; ${a.hi} = ${a.lo} >> 31;`,
    0xc4: a => `${a.hi} = ${a.lo} >> 31;`,
}

/**
 * Conversions with an i64 on one side, in place in the operand's slot: `x` is the slot's single
 * variable (its value, or the low half), `p` its pair.
 */
export const I64_CONVERSIONS: Record<number, (x: string, p: Pair) => string> = {
    0xa7: () => "", // i32.wrap_i64: the low half
    0xac: (x, p) => `${p.hi} = ${x} >> 31;`,
    0xad: (x, p) => `${p.hi} = 0;`,
    0xae: (x, p) => `${p.lo} = truncS64(${x}); ${p.hi} = H.hi;`,
    0xaf: (x, p) => `${p.lo} = truncU64(${x}); ${p.hi} = H.hi;`,
    0xb0: (x, p) => `${p.lo} = truncS64(${x}); ${p.hi} = H.hi;`,
    0xb1: (x, p) => `${p.lo} = truncU64(${x}); ${p.hi} = H.hi;`,
    0xb4: (x, p) => `${x} = f32FromPair(${p.lo}, ${p.hi});`,
    0xb5: (x, p) => `${x} = f32FromPairU(${p.lo}, ${p.hi});`,
    // One rounding: hi * 2^32 is exact, adding the unsigned low half rounds once.
    0xb9: (x, p) => `${x} = ${p.hi} * 4294967296 + ${u(p.lo)};`,
    0xba: (x, p) => `${x} = ${u(p.hi)} * 4294967296 + ${u(p.lo)};`,
    0xbd: (x, p) => `${p.lo} = f64BitsPair(${x}); ${p.hi} = H.hi;`,
    0xbf: (x, p) => `${x} = f64FromHalves(${p.lo}, ${p.hi});`,
    0xfc04: (x, p) => `${p.lo} = truncSatS64(${x}); ${p.hi} = H.hi;`,
    0xfc05: (x, p) => `${p.lo} = truncSatU64(${x}); ${p.hi} = H.hi;`,
    0xfc06: (x, p) => `${p.lo} = truncSatS64(${x}); ${p.hi} = H.hi;`,
    0xfc07: (x, p) => `${p.lo} = truncSatU64(${x}); ${p.hi} = H.hi;`,
}

/** i64 loads (0x29, 0x30..0x35) into a pair, given an effective-address variable. */
export const I64_LOADS: Record<number, (ea: string, p: Pair) => string> = {
    0x29: (ea, p) => `${p.lo} = dv.getInt32(${ea}, true); ${p.hi} = dv.getInt32(${ea} + 4, true);`,
    0x30: (ea, p) => `${p.lo} = dv.getInt8(${ea}); ${p.hi} = ${p.lo} >> 31;`,
    0x31: (ea, p) => `${p.lo} = dv.getUint8(${ea}); ${p.hi} = 0;`,
    0x32: (ea, p) => `${p.lo} = dv.getInt16(${ea}, true); ${p.hi} = ${p.lo} >> 31;`,
    0x33: (ea, p) => `${p.lo} = dv.getUint16(${ea}, true); ${p.hi} = 0;`,
    0x34: (ea, p) => `${p.lo} = dv.getInt32(${ea}, true); ${p.hi} = ${p.lo} >> 31;`,
    0x35: (ea, p) => `${p.lo} = dv.getInt32(${ea}, true); ${p.hi} = 0;`,
}

/** i64 stores (0x37, 0x3c..0x3e). The high word first: if it is out of bounds nothing is written. */
export const I64_STORES: Record<number, (ea: string, p: Pair) => string> = {
    0x37: (ea, p) => `dv.setInt32(${ea} + 4, ${p.hi}, true); dv.setInt32(${ea}, ${p.lo}, true);`,
    0x3c: (ea, p) => `dv.setInt8(${ea}, ${p.lo});`,
    0x3d: (ea, p) => `dv.setInt16(${ea}, ${p.lo}, true);`,
    0x3e: (ea, p) => `dv.setInt32(${ea}, ${p.lo}, true);`,
}
