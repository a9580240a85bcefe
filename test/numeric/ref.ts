// Independent reference semantics for the numeric ops, on raw bits, using BigInt for
// integers and Node's DataView / Math.fround for floats (Node keeps -0, subnormals, NaN).
// Values are BigInt bit patterns of the slot: i32/f32 in the low 32 bits, i64/f64 in 64.

export type Ty = "i32" | "i64" | "f32" | "f64"
export type Expect =
    | { kind: "bits"; width: 32 | 64; bits: bigint }
    | { kind: "nan"; width: 32 | 64 } // any NaN whose payload is exactly the quiet bit
    | { kind: "trap"; msg: string }

export const TRAP_DIV = "integer divide by zero"
export const TRAP_OVF = "integer overflow"
export const TRAP_INV = "invalid conversion to integer"

const dv = new DataView(new ArrayBuffer(8))
export function f64Of(bits: bigint): number {
    dv.setBigUint64(0, BigInt.asUintN(64, bits), true)
    return dv.getFloat64(0, true)
}
export function bitsOfF64(x: number): bigint {
    dv.setFloat64(0, x, true)
    return dv.getBigUint64(0, true)
}
export function f32Of(bits: bigint): number {
    dv.setUint32(0, Number(BigInt.asUintN(32, bits)), true)
    return dv.getFloat32(0, true)
}
export function bitsOfF32(x: number): bigint {
    dv.setFloat32(0, x, true)
    return BigInt(dv.getUint32(0, true))
}

const u32 = (x: bigint) => BigInt.asUintN(32, x)
const s32 = (x: bigint) => BigInt.asIntN(32, x)
const u64 = (x: bigint) => BigInt.asUintN(64, x)
const s64 = (x: bigint) => BigInt.asIntN(64, x)
const bits32 = (x: bigint): Expect => ({ kind: "bits", width: 32, bits: u32(x) })
const bits64 = (x: bigint): Expect => ({ kind: "bits", width: 64, bits: u64(x) })
const bool = (c: boolean): Expect => bits32(c ? 1n : 0n)
const trapE = (msg: string): Expect => ({ kind: "trap", msg })
function f32E(x: number): Expect {
    return x !== x ? { kind: "nan", width: 32 } : bits32(bitsOfF32(x))
}
function f64E(x: number): Expect {
    return x !== x ? { kind: "nan", width: 64 } : bits64(bitsOfF64(x))
}

function clz(x: bigint, w: number): bigint {
    let n = 0n
    for (let i = w - 1; i >= 0 && ((x >> BigInt(i)) & 1n) === 0n; i--) n++
    return n
}
function ctz(x: bigint, w: number): bigint {
    let n = 0n
    for (let i = 0; i < w && ((x >> BigInt(i)) & 1n) === 0n; i++) n++
    return n
}
function popcnt(x: bigint): bigint {
    let n = 0n
    for (; x !== 0n; x >>= 1n) n += x & 1n
    return n
}
function rotl(x: bigint, k: bigint, w: number): bigint {
    const W = BigInt(w)
    k = k % W
    const m = (1n << W) - 1n
    return ((x << k) | (x >> ((W - k) % W))) & m
}
// Truncating division on signed BigInts is exactly Wasm's div_s/rem_s.

/** Exact ties-to-even rounding of a double to an integral double (the 2^52 trick). */
function nearest(x: number): number {
    if (!isFinite(x) || Math.abs(x) >= 2 ** 52 || x === 0) return x
    const r = x > 0 ? x + 2 ** 52 - 2 ** 52 : -(-x + 2 ** 52 - 2 ** 52)
    return r === 0 ? (x < 0 ? -0 : 0) : r
}

/** Correctly rounded BigInt -> f32, independent of Number(): explicit round-half-even. */
function bigToF32Exact(v: bigint): number {
    const neg = v < 0n
    const m = neg ? -v : v
    if (m === 0n) return 0
    const len = m.toString(2).length
    if (len <= 24) return neg ? -Number(m) : Number(m)
    const shift = BigInt(len - 24)
    let q = m >> shift
    const rem = m - (q << shift)
    const half = 1n << (shift - 1n)
    if (rem > half || (rem === half && (q & 1n) === 1n)) q++
    const r = Number(q) * 2 ** Number(shift)
    return neg ? -r : r
}

function truncTo(x: number, signed: boolean, w: 32 | 64, sat: boolean): Expect {
    const W = BigInt(w)
    const lo = signed ? -(1n << (W - 1n)) : 0n
    const hi = signed ? (1n << (W - 1n)) - 1n : (1n << W) - 1n
    const mk = (v: bigint) => (w === 32 ? bits32(v) : bits64(v))
    if (x !== x) return sat ? mk(0n) : trapE(TRAP_INV)
    if (x === Infinity || x === -Infinity) return sat ? mk(x > 0 ? hi : lo) : trapE(TRAP_OVF)
    const t = BigInt(Math.trunc(x))
    if (t < lo || t > hi) return sat ? mk(t < lo ? lo : hi) : trapE(TRAP_OVF)
    return mk(t)
}

export interface OpRef {
    ins: Ty[]
    fn: (a: bigint, b: bigint) => Expect
}

const F = (x: bigint) => f32Of(x)
const D = (x: bigint) => f64Of(x)
const fr = Math.fround

export const REF: Record<string, OpRef> = {
    "i32.clz": { ins: ["i32"], fn: a => bits32(clz(u32(a), 32)) },
    "i32.ctz": { ins: ["i32"], fn: a => bits32(ctz(u32(a), 32)) },
    "i32.popcnt": { ins: ["i32"], fn: a => bits32(popcnt(u32(a))) },
    "i32.div_s": { ins: ["i32", "i32"], fn: (a, b) => s32(b) === 0n ? trapE(TRAP_DIV) : s32(a) === -(2n ** 31n) && s32(b) === -1n ? trapE(TRAP_OVF) : bits32(s32(a) / s32(b)) },
    "i32.div_u": { ins: ["i32", "i32"], fn: (a, b) => u32(b) === 0n ? trapE(TRAP_DIV) : bits32(u32(a) / u32(b)) },
    "i32.rem_s": { ins: ["i32", "i32"], fn: (a, b) => s32(b) === 0n ? trapE(TRAP_DIV) : bits32(s32(a) % s32(b)) },
    "i32.rem_u": { ins: ["i32", "i32"], fn: (a, b) => u32(b) === 0n ? trapE(TRAP_DIV) : bits32(u32(a) % u32(b)) },
    "i32.rotl": { ins: ["i32", "i32"], fn: (a, b) => bits32(rotl(u32(a), u32(b) % 32n, 32)) },
    "i32.rotr": { ins: ["i32", "i32"], fn: (a, b) => bits32(rotl(u32(a), (32n - (u32(b) % 32n)) % 32n, 32)) },
    "i32.lt_u": { ins: ["i32", "i32"], fn: (a, b) => bool(u32(a) < u32(b)) },
    "i32.gt_u": { ins: ["i32", "i32"], fn: (a, b) => bool(u32(a) > u32(b)) },
    "i32.le_u": { ins: ["i32", "i32"], fn: (a, b) => bool(u32(a) <= u32(b)) },
    "i32.ge_u": { ins: ["i32", "i32"], fn: (a, b) => bool(u32(a) >= u32(b)) },

    "i64.add": { ins: ["i64", "i64"], fn: (a, b) => bits64(a + b) },
    "i64.sub": { ins: ["i64", "i64"], fn: (a, b) => bits64(a - b) },
    "i64.mul": { ins: ["i64", "i64"], fn: (a, b) => bits64(a * b) },
    "i64.div_s": { ins: ["i64", "i64"], fn: (a, b) => s64(b) === 0n ? trapE(TRAP_DIV) : s64(a) === -(2n ** 63n) && s64(b) === -1n ? trapE(TRAP_OVF) : bits64(s64(a) / s64(b)) },
    "i64.div_u": { ins: ["i64", "i64"], fn: (a, b) => u64(b) === 0n ? trapE(TRAP_DIV) : bits64(u64(a) / u64(b)) },
    "i64.rem_s": { ins: ["i64", "i64"], fn: (a, b) => s64(b) === 0n ? trapE(TRAP_DIV) : bits64(s64(a) % s64(b)) },
    "i64.rem_u": { ins: ["i64", "i64"], fn: (a, b) => u64(b) === 0n ? trapE(TRAP_DIV) : bits64(u64(a) % u64(b)) },
    "i64.and": { ins: ["i64", "i64"], fn: (a, b) => bits64(a & b) },
    "i64.or": { ins: ["i64", "i64"], fn: (a, b) => bits64(a | b) },
    "i64.xor": { ins: ["i64", "i64"], fn: (a, b) => bits64(a ^ b) },
    "i64.shl": { ins: ["i64", "i64"], fn: (a, b) => bits64(u64(a) << (u64(b) % 64n)) },
    "i64.shr_s": { ins: ["i64", "i64"], fn: (a, b) => bits64(s64(a) >> (u64(b) % 64n)) },
    "i64.shr_u": { ins: ["i64", "i64"], fn: (a, b) => bits64(u64(a) >> (u64(b) % 64n)) },
    "i64.rotl": { ins: ["i64", "i64"], fn: (a, b) => bits64(rotl(u64(a), u64(b) % 64n, 64)) },
    "i64.rotr": { ins: ["i64", "i64"], fn: (a, b) => bits64(rotl(u64(a), (64n - (u64(b) % 64n)) % 64n, 64)) },
    "i64.clz": { ins: ["i64"], fn: a => bits64(clz(u64(a), 64)) },
    "i64.ctz": { ins: ["i64"], fn: a => bits64(ctz(u64(a), 64)) },
    "i64.popcnt": { ins: ["i64"], fn: a => bits64(popcnt(u64(a))) },
    "i64.extend8_s": { ins: ["i64"], fn: a => bits64(BigInt.asIntN(8, a)) },
    "i64.extend16_s": { ins: ["i64"], fn: a => bits64(BigInt.asIntN(16, a)) },
    "i64.extend32_s": { ins: ["i64"], fn: a => bits64(BigInt.asIntN(32, a)) },
    "i64.extend_i32_s": { ins: ["i32"], fn: a => bits64(s32(a)) },
    "i64.extend_i32_u": { ins: ["i32"], fn: a => bits64(u32(a)) },
    "i64.eqz": { ins: ["i64"], fn: a => bool(u64(a) === 0n) },
    "i64.eq": { ins: ["i64", "i64"], fn: (a, b) => bool(u64(a) === u64(b)) },
    "i64.ne": { ins: ["i64", "i64"], fn: (a, b) => bool(u64(a) !== u64(b)) },
    "i64.lt_s": { ins: ["i64", "i64"], fn: (a, b) => bool(s64(a) < s64(b)) },
    "i64.lt_u": { ins: ["i64", "i64"], fn: (a, b) => bool(u64(a) < u64(b)) },
    "i64.gt_s": { ins: ["i64", "i64"], fn: (a, b) => bool(s64(a) > s64(b)) },
    "i64.gt_u": { ins: ["i64", "i64"], fn: (a, b) => bool(u64(a) > u64(b)) },
    "i64.le_s": { ins: ["i64", "i64"], fn: (a, b) => bool(s64(a) <= s64(b)) },
    "i64.le_u": { ins: ["i64", "i64"], fn: (a, b) => bool(u64(a) <= u64(b)) },
    "i64.ge_s": { ins: ["i64", "i64"], fn: (a, b) => bool(s64(a) >= s64(b)) },
    "i64.ge_u": { ins: ["i64", "i64"], fn: (a, b) => bool(u64(a) >= u64(b)) },

    "f32.add": { ins: ["f32", "f32"], fn: (a, b) => f32E(fr(F(a) + F(b))) },
    "f32.sub": { ins: ["f32", "f32"], fn: (a, b) => f32E(fr(F(a) - F(b))) },
    "f32.mul": { ins: ["f32", "f32"], fn: (a, b) => f32E(fr(F(a) * F(b))) },
    "f32.div": { ins: ["f32", "f32"], fn: (a, b) => f32E(fr(F(a) / F(b))) },
    "f32.min": { ins: ["f32", "f32"], fn: (a, b) => f32E(Math.min(F(a), F(b))) },
    "f32.max": { ins: ["f32", "f32"], fn: (a, b) => f32E(Math.max(F(a), F(b))) },
    "f32.copysign": { ins: ["f32", "f32"], fn: (a, b) => bits32((u32(a) & 0x7fffffffn) | (u32(b) & 0x80000000n)) },
    "f32.abs": { ins: ["f32"], fn: a => bits32(u32(a) & 0x7fffffffn) },
    "f32.neg": { ins: ["f32"], fn: a => bits32(u32(a) ^ 0x80000000n) },
    "f32.sqrt": { ins: ["f32"], fn: a => f32E(fr(Math.sqrt(F(a)))) },
    "f32.ceil": { ins: ["f32"], fn: a => f32E(Math.ceil(F(a))) },
    "f32.floor": { ins: ["f32"], fn: a => f32E(Math.floor(F(a))) },
    "f32.trunc": { ins: ["f32"], fn: a => f32E(Math.trunc(F(a))) },
    "f32.nearest": { ins: ["f32"], fn: a => f32E(nearest(F(a))) },
    "f32.eq": { ins: ["f32", "f32"], fn: (a, b) => bool(F(a) === F(b)) },
    "f32.ne": { ins: ["f32", "f32"], fn: (a, b) => bool(F(a) !== F(b)) },
    "f32.lt": { ins: ["f32", "f32"], fn: (a, b) => bool(F(a) < F(b)) },
    "f32.gt": { ins: ["f32", "f32"], fn: (a, b) => bool(F(a) > F(b)) },
    "f32.le": { ins: ["f32", "f32"], fn: (a, b) => bool(F(a) <= F(b)) },
    "f32.ge": { ins: ["f32", "f32"], fn: (a, b) => bool(F(a) >= F(b)) },
    "f32.demote_f64": { ins: ["f64"], fn: a => f32E(fr(D(a))) },
    "f32.convert_i32_s": { ins: ["i32"], fn: a => f32E(bigToF32Exact(s32(a))) },
    "f32.convert_i32_u": { ins: ["i32"], fn: a => f32E(bigToF32Exact(u32(a))) },
    "f32.convert_i64_s": { ins: ["i64"], fn: a => f32E(bigToF32Exact(s64(a))) },
    "f32.convert_i64_u": { ins: ["i64"], fn: a => f32E(bigToF32Exact(u64(a))) },
    "i32.trunc_f32_s": { ins: ["f32"], fn: a => truncTo(F(a), true, 32, false) },
    "i32.trunc_f32_u": { ins: ["f32"], fn: a => truncTo(F(a), false, 32, false) },
    "i32.trunc_sat_f32_s": { ins: ["f32"], fn: a => truncTo(F(a), true, 32, true) },
    "i32.trunc_sat_f32_u": { ins: ["f32"], fn: a => truncTo(F(a), false, 32, true) },
    "i64.trunc_f32_s": { ins: ["f32"], fn: a => truncTo(F(a), true, 64, false) },
    "i64.trunc_f32_u": { ins: ["f32"], fn: a => truncTo(F(a), false, 64, false) },
    "i64.trunc_sat_f32_s": { ins: ["f32"], fn: a => truncTo(F(a), true, 64, true) },
    "i64.trunc_sat_f32_u": { ins: ["f32"], fn: a => truncTo(F(a), false, 64, true) },

    "f64.add": { ins: ["f64", "f64"], fn: (a, b) => f64E(D(a) + D(b)) },
    "f64.sub": { ins: ["f64", "f64"], fn: (a, b) => f64E(D(a) - D(b)) },
    "f64.mul": { ins: ["f64", "f64"], fn: (a, b) => f64E(D(a) * D(b)) },
    "f64.div": { ins: ["f64", "f64"], fn: (a, b) => f64E(D(a) / D(b)) },
    "f64.min": { ins: ["f64", "f64"], fn: (a, b) => f64E(Math.min(D(a), D(b))) },
    "f64.max": { ins: ["f64", "f64"], fn: (a, b) => f64E(Math.max(D(a), D(b))) },
    "f64.copysign": { ins: ["f64", "f64"], fn: (a, b) => bits64((u64(a) & 0x7fffffffffffffffn) | (u64(b) & 0x8000000000000000n)) },
    "f64.abs": { ins: ["f64"], fn: a => bits64(u64(a) & 0x7fffffffffffffffn) },
    "f64.neg": { ins: ["f64"], fn: a => bits64(u64(a) ^ 0x8000000000000000n) },
    "f64.sqrt": { ins: ["f64"], fn: a => f64E(Math.sqrt(D(a))) },
    "f64.ceil": { ins: ["f64"], fn: a => f64E(Math.ceil(D(a))) },
    "f64.floor": { ins: ["f64"], fn: a => f64E(Math.floor(D(a))) },
    "f64.trunc": { ins: ["f64"], fn: a => f64E(Math.trunc(D(a))) },
    "f64.nearest": { ins: ["f64"], fn: a => f64E(nearest(D(a))) },
    "f64.eq": { ins: ["f64", "f64"], fn: (a, b) => bool(D(a) === D(b)) },
    "f64.ne": { ins: ["f64", "f64"], fn: (a, b) => bool(D(a) !== D(b)) },
    "f64.lt": { ins: ["f64", "f64"], fn: (a, b) => bool(D(a) < D(b)) },
    "f64.gt": { ins: ["f64", "f64"], fn: (a, b) => bool(D(a) > D(b)) },
    "f64.le": { ins: ["f64", "f64"], fn: (a, b) => bool(D(a) <= D(b)) },
    "f64.ge": { ins: ["f64", "f64"], fn: (a, b) => bool(D(a) >= D(b)) },
    "f64.promote_f32": { ins: ["f32"], fn: a => f64E(F(a)) },
    "f64.convert_i32_s": { ins: ["i32"], fn: a => f64E(Number(s32(a))) },
    "f64.convert_i32_u": { ins: ["i32"], fn: a => f64E(Number(u32(a))) },
    "f64.convert_i64_s": { ins: ["i64"], fn: a => f64E(Number(s64(a))) },
    "f64.convert_i64_u": { ins: ["i64"], fn: a => f64E(Number(u64(a))) },
    "i32.trunc_f64_s": { ins: ["f64"], fn: a => truncTo(D(a), true, 32, false) },
    "i32.trunc_f64_u": { ins: ["f64"], fn: a => truncTo(D(a), false, 32, false) },
    "i32.trunc_sat_f64_s": { ins: ["f64"], fn: a => truncTo(D(a), true, 32, true) },
    "i32.trunc_sat_f64_u": { ins: ["f64"], fn: a => truncTo(D(a), false, 32, true) },
    "i64.trunc_f64_s": { ins: ["f64"], fn: a => truncTo(D(a), true, 64, false) },
    "i64.trunc_f64_u": { ins: ["f64"], fn: a => truncTo(D(a), false, 64, false) },
    "i64.trunc_sat_f64_s": { ins: ["f64"], fn: a => truncTo(D(a), true, 64, true) },
    "i64.trunc_sat_f64_u": { ins: ["f64"], fn: a => truncTo(D(a), false, 64, true) },
}
