// Deterministic operand generation for the numeric tests: hand-picked edge values plus
// seeded pseudo-random values aimed at each op's interesting regions.
import { Ty, bitsOfF64, bitsOfF32 } from "./ref"

/** mulberry32: a small seeded PRNG (32-bit outputs). */
export function makeRng(seed: number) {
    let s = seed >>> 0
    const next = (): number => {
        s = (s + 0x6d2b79f5) >>> 0
        let t = s
        t = Math.imul(t ^ (t >>> 15), t | 1)
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
        return (t ^ (t >>> 14)) >>> 0
    }
    return {
        u32: next,
        u64: (): bigint => (BigInt(next()) << 32n) | BigInt(next()),
        int: (n: number): number => next() % n,
        pick<T>(xs: T[]): T {
            return xs[next() % xs.length]
        },
    }
}
export type Rng = ReturnType<typeof makeRng>

const M64 = (1n << 64n) - 1n
const u64 = (x: bigint) => x & M64
const f64b = (x: number) => bitsOfF64(x)
const f32b = (x: number) => bitsOfF32(x)

export const EDGE_I32: bigint[] = [
    0, 1, 2, 3, 7, 10, 31, 32, 33, 63, 64, 0xffff, 0x10000, 0x55555555, 0xaaaaaaaa,
    0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0xfffffff9, 0xfffffff6, 0x12345678,
].map(x => BigInt(x))

export const EDGE_I64: bigint[] = [
    0n, 1n, 2n, 3n, 7n, 10n, 63n, 64n, 65n, -1n, -2n, -3n, -7n, -10n,
    2n ** 31n - 1n, 2n ** 31n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 32n + 1n, -(2n ** 31n), -(2n ** 32n),
    2n ** 52n - 1n, 2n ** 52n, -(2n ** 52n), 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n,
    2n ** 62n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 63n + 1n, 0xffffffff00000000n, 0x00000001ffffffffn,
    0x123456789abcdef0n, 0xfedcba9876543210n, 1000000007n * 998244353n, 0x0000000080000000n,
].map(u64)

const f32e = (x: number) => f32b(x)
export const EDGE_F32: bigint[] = [
    0x00000000n, 0x80000000n, 0x7f800000n, 0xff800000n,
    0x7fc00000n, 0xffc00000n, 0x7fa00001n, 0x7f800001n, 0xff812345n,
    0x00000001n, 0x80000001n, 0x007fffffn, 0x807fffffn, 0x00800000n, 0x80800000n, 0x00000003n, 0x00400001n,
    0x7f7fffffn, 0xff7fffffn, 0x3f7fffffn, 0x3f800001n,
    ...[1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -0.49999997, 0.1, -0.1, 2, 3, 4, 10, 1e10, -1e10, 8388607.5,
        8388608, 8388609, -8388609, 16777216, 2 ** 31, -(2 ** 31), 2 ** 31 - 128, -(2 ** 31) - 256, 2 ** 32, 2 ** 32 - 256,
        2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 63 - 2 ** 39, -(2 ** 63) - 2 ** 40, 2 ** 64 - 2 ** 40, -0.99999994, 0.99999994,
        2 ** -126, 2 ** -149 * 5, 1e-40, -1e-40, 3.4e38].map(f32e),
]

export const EDGE_F64: bigint[] = [
    0n, 0x8000000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n,
    0x7ff8000000000000n, 0xfff8000000000000n, 0x7ff4000000000001n, 0x7ff0000000000001n, 0xfff8123456789abcn,
    1n, 0x8000000000000001n, 3n, 0x000fffffffffffffn, 0x800fffffffffffffn, 0x0010000000000000n,
    0x8010000000000000n, 0x0008000000000000n, 0x0008000000000001n, 0x0010000000000001n,
    0x7fefffffffffffffn, 0xffefffffffffffffn, 0x3fefffffffffffffn, 0x3ff0000000000001n,
    ...[1, -1, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 3.5, -0.49999999999999994, 0.49999999999999994, 0.1, -0.1, 2, 3, 10,
        2 ** 52, 2 ** 52 + 1, 2 ** 51 + 0.5, -(2 ** 51) - 0.5, 2 ** 53, 2 ** 31, 2 ** 31 - 1, 2 ** 31 - 0.5, -(2 ** 31),
        -(2 ** 31) - 1, -(2 ** 31) - 0.5, -(2 ** 31) - 0.9999999, 2 ** 32, 2 ** 32 - 0.5, -0.9999999999999999,
        2 ** 63, -(2 ** 63), 2 ** 64, 2 ** 63 - 1024, -(2 ** 63) - 2048, 2 ** 64 - 2048,
        1e-300, -1e-300, 1e300, 1e-310, -1e-310, 2 ** -1022 * 1.5, 2 ** -1000, 2 ** -537, 2 ** 511, 2 ** 1023, 1e308,
        3.4028234663852886e38, 3.4028235677973366e38, 1.401298464324817e-45, 7.006492321624085e-46, 7.006492321624087e-46,
        1.1754942807573643e-38, 1e-40, 16777217, 0.1 + 0.2].map(f64b),
]

export const EDGES: Record<Ty, bigint[]> = { i32: EDGE_I32, i64: EDGE_I64, f32: EDGE_F32, f64: EDGE_F64 }

function randI64(r: Rng): bigint {
    const k = r.int(6)
    if (k === 0) return r.u64()
    if (k === 1) return u64(BigInt.asIntN(32, BigInt(r.u32()))) // sign-extended int32
    if (k === 2) return BigInt(r.u32()) // zero-extended
    // random bit length, random sign: covers every divider branch
    const len = BigInt(r.int(65))
    let v = len === 0n ? 0n : r.u64() & ((1n << len) - 1n)
    if (r.int(2)) v = -v
    return u64(v)
}

function randI32(r: Rng): bigint {
    const k = r.int(4)
    if (k === 0) return BigInt(r.u32() & ((1 << r.int(32)) - 1 || 1))
    if (k === 1) return BigInt((-(r.u32() & 0xffff)) >>> 0)
    return BigInt(r.u32())
}

function randF32(r: Rng): bigint {
    const k = r.int(8)
    const sign = BigInt(r.int(2)) << 31n
    if (k <= 1) return BigInt(r.u32())
    if (k === 2) return sign | BigInt(r.u32() & 0x7fffff) // subnormal
    if (k === 3) return sign | (BigInt(118 + r.int(36)) << 23n) | BigInt(r.u32() & 0x7fffff) // ~[2^-9, 2^27]
    if (k === 4) return f32b((r.int(2) ? -1 : 1) * (r.int(4096) / 4)) // integers and halves
    if (k === 5) return sign | (BigInt(r.int(10)) << 23n) | BigInt(r.u32() & 0x7fffff) // tiny normals
    if (k === 6) return sign | (BigInt(180 + r.int(40)) << 23n) | BigInt(r.u32() & 0x7fffff) // around 2^31..2^64
    return sign | (BigInt(r.int(256)) << 23n) | BigInt(r.u32() & 0x7fffff)
}

function f64Parts(sign: bigint, exp: number, mant: bigint): bigint {
    return (sign << 63n) | (BigInt(exp) << 52n) | (mant & 0xfffffffffffffn)
}

function randF64(r: Rng): bigint {
    const k = r.int(8)
    const sign = BigInt(r.int(2))
    if (k <= 1) return r.u64()
    if (k === 2) return f64Parts(sign, 0, r.u64()) // subnormal
    if (k === 3) return f64Parts(sign, 1023 - 10 + r.int(40), r.u64()) // moderate
    if (k === 4) return f64b((r.int(2) ? -1 : 1) * (r.int(1 << 20) / 4)) // integers and halves
    if (k === 5) return f64Parts(sign, r.int(60), r.u64()) // tiny normals
    if (k === 6) return f64Parts(sign, 1023 + 25 + r.int(45), r.u64()) // around 2^31..2^64
    return f64Parts(sign, r.int(2048), r.u64() & (r.int(2) ? 0xfffffffffffffn : 0xff00000000000n))
}

export function randOf(ty: Ty, r: Rng): bigint {
    if (ty === "i32") return randI32(r)
    if (ty === "i64") return randI64(r)
    if (ty === "f32") return randF32(r)
    return randF64(r)
}

/** Operand pairs steered at the f64 slow paths (subnormal results, ties, cancellation). */
export function craftedF64Pair(op: string, r: Rng): [bigint, bigint] {
    const sign = () => BigInt(r.int(2))
    const k = r.int(4)
    if (op === "f64.mul" || op === "f64.div") {
        if (k === 0) {
            // subnormal times/over a short power-of-two-ish value: exact ties
            const a = f64Parts(sign(), 0, r.u64() & (r.int(2) ? 0xfffffffffffffn : 0xffn))
            const b = f64b([0.5, 0.25, 0.75, 1.5, 2, 4, 0.125, 3][r.int(8)] * (r.int(2) ? -1 : 1))
            return [a, b]
        }
        // exponents chosen so the result lands around the subnormal range
        const target = -1080 + r.int(70)
        const ea = -1074 + r.int(1074 + 1023)
        const eb = op === "f64.mul" ? target - ea : ea - target
        const mk = (e: number): bigint => {
            if (e < -1074 || e > 1023) return f64Parts(sign(), 1023, r.u64())
            if (e < -1022) return f64Parts(sign(), 0, (r.u64() & ((1n << BigInt(e + 1075)) - 1n)) | (1n << BigInt(e + 1074)))
            return f64Parts(sign(), e + 1023, r.int(3) ? r.u64() : r.u64() & 0xff00000000000n)
        }
        return [mk(ea), mk(eb)]
    }
    if (op === "f64.sqrt") return [f64Parts(0n, r.int(2) ? 0 : r.int(2047), r.u64()), 0n]
    // add / sub: small operands and near-cancellation
    if (k === 0) return [f64Parts(sign(), 0, r.u64()), f64Parts(sign(), r.int(3), r.u64())]
    const a = f64Parts(sign(), r.int(60), r.u64())
    const bb = u64(a + BigInt(r.int(2000)) - 1000n)
    const b = op === "f64.add" ? bb ^ (1n << 63n) : bb
    return k === 1 ? [a, b] : [a, f64Parts(sign(), r.int(2047), r.u64())]
}

/** Same idea for f32 (products/quotients that round into or out of the subnormal range). */
export function craftedF32Pair(op: string, r: Rng): [bigint, bigint] {
    const sign = () => BigInt(r.int(2)) << 31n
    const ea = 1 + r.int(253)
    // biased exponents: a product lands near 2^-126..2^-155 when ea + eb ~ 99..134
    const eb0 = op === "f32.mul" ? 99 + r.int(36) - ea : ea + 120 + r.int(36)
    const eb = Math.max(0, Math.min(254, eb0))
    return [sign() | (BigInt(ea) << 23n) | BigInt(r.u32() & 0x7fffff), sign() | (BigInt(eb) << 23n) | BigInt(r.u32() & 0x7fffff)]
}

/** Operands for an op: all edge pairs (or edges), then `nRandom` random ones. */
export function inputsFor(op: string, ins: Ty[], nRandom: number, seed: number): [bigint, bigint][] {
    const r = makeRng(seed)
    const out: [bigint, bigint][] = []
    const e0 = EDGES[ins[0]]
    if (ins.length === 1) for (const a of e0) out.push([a, 0n])
    else for (const a of e0) for (const b of EDGES[ins[1]]) out.push([a, b])
    for (let i = 0; i < nRandom; i++) {
        if (op.startsWith("f64.") && ins[0] === "f64" && r.int(2) === 0) out.push(craftedF64Pair(op, r))
        else if ((op === "f32.mul" || op === "f32.div") && r.int(2) === 0) out.push(craftedF32Pair(op, r))
        else out.push([randOf(ins[0], r), ins.length > 1 ? randOf(ins[1], r) : 0n])
    }
    return out
}
