// Differential check: every numeric instruction, fed edge values, must give the same bits on our
// engine as on Node's own WebAssembly (V8). Floats travel as raw bits (reinterpret inside the
// module) so nothing is lost at the JS boundary. Where V8 returns a NaN, the spec leaves sign
// and payload open for arithmetic, so only NaN-ness is compared (bit ops like neg/abs/copysign
// never produce a new NaN and are compared exactly).
import { describe, it, expect } from "vitest"
import { watToWasm } from "./helpers"

type T = "i32" | "i64" | "f32" | "f64"
const bitsType = (t: T) => (t === "f32" ? "i32" : t === "f64" ? "i64" : t)

const I32 = [0, 1, -1, 2, 7, -7, 31, 32, 33, 0x7fffffff, -0x80000000, 0x12345678, -0x12345678, 255, 65535, 0x40000000]
const I64 = [0n, 1n, -1n, 2n, 63n, 64n, 0x7fffffffffffffffn, -0x8000000000000000n, 0xffffffffn, 0x100000000n, -0x100000000n, 0x123456789abcdefn, -0x23456789abcdef1n, 1n << 53n, (1n << 53n) + 1n]
const F32 = [0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0xffc00000, 0x00000001, 0x807fffff, 0x7f7fffff, 0x3f000000, 0x3fc00000, 0x40200000, 0x4b800001, 0x4f000000, 0xcf000000, 0x5f000000, 0x4effffff].map(x => x | 0)
const F64 = [0n, 0x8000000000000000n, 0x3ff0000000000000n, 0xbff0000000000000n, 0x7ff0000000000000n, 0xfff0000000000000n, 0x7ff8000000000000n, 0x7ff4000000000001n, 0x0000000000000001n, 0x800fffffffffffffn, 0x0010000000000000n, 0x7fefffffffffffffn, 0x3fe0000000000000n, 0x3ff8000000000000n, 0x4004000000000000n, 0x41dfffffffc00000n, 0x43e0000000000000n, 0xc3e0000000000000n, 0x4340000000000001n, 0x3fb999999999999an].map(x => BigInt.asIntN(64, x))
const values = (t: T): (number | bigint)[] => (t === "i32" ? I32 : t === "i64" ? I64 : t === "f32" ? F32 : F64)

// [name, params, result]
const OPS: [string, T[], T][] = []
const bin = (t: T, names: string[], r: T = t) => names.forEach(n => OPS.push([`${t}.${n}`, [t, t], r]))
const un = (t: T, names: string[], r: T = t) => names.forEach(n => OPS.push([`${t}.${n}`, [t], r]))
bin("i32", ["add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"])
bin("i32", ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"])
un("i32", ["clz", "ctz", "popcnt", "eqz", "extend8_s", "extend16_s"])
bin("i64", ["add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"])
bin("i64", ["eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"], "i32")
un("i64", ["clz", "ctz", "popcnt", "extend8_s", "extend16_s", "extend32_s"])
un("i64", ["eqz"], "i32")
for (const f of ["f32", "f64"] as T[]) {
    bin(f, ["add", "sub", "mul", "div", "min", "max", "copysign"])
    bin(f, ["eq", "ne", "lt", "gt", "le", "ge"], "i32")
    un(f, ["abs", "neg", "ceil", "floor", "trunc", "nearest", "sqrt"])
}
const conv: [string, T, T][] = [
    ["i32.wrap_i64", "i64", "i32"], ["i64.extend_i32_s", "i32", "i64"], ["i64.extend_i32_u", "i32", "i64"],
    ["i32.trunc_f32_s", "f32", "i32"], ["i32.trunc_f32_u", "f32", "i32"], ["i32.trunc_f64_s", "f64", "i32"], ["i32.trunc_f64_u", "f64", "i32"],
    ["i64.trunc_f32_s", "f32", "i64"], ["i64.trunc_f32_u", "f32", "i64"], ["i64.trunc_f64_s", "f64", "i64"], ["i64.trunc_f64_u", "f64", "i64"],
    ["i32.trunc_sat_f32_s", "f32", "i32"], ["i32.trunc_sat_f32_u", "f32", "i32"], ["i32.trunc_sat_f64_s", "f64", "i32"], ["i32.trunc_sat_f64_u", "f64", "i32"],
    ["i64.trunc_sat_f32_s", "f32", "i64"], ["i64.trunc_sat_f32_u", "f32", "i64"], ["i64.trunc_sat_f64_s", "f64", "i64"], ["i64.trunc_sat_f64_u", "f64", "i64"],
    ["f32.convert_i32_s", "i32", "f32"], ["f32.convert_i32_u", "i32", "f32"], ["f32.convert_i64_s", "i64", "f32"], ["f32.convert_i64_u", "i64", "f32"],
    ["f64.convert_i32_s", "i32", "f64"], ["f64.convert_i32_u", "i32", "f64"], ["f64.convert_i64_s", "i64", "f64"], ["f64.convert_i64_u", "i64", "f64"],
    ["f32.demote_f64", "f64", "f32"], ["f64.promote_f32", "f32", "f64"],
    ["i32.reinterpret_f32", "f32", "i32"], ["i64.reinterpret_f64", "f64", "i64"], ["f32.reinterpret_i32", "i32", "f32"], ["f64.reinterpret_i64", "i64", "f64"],
]
for (const [n, p, r] of conv) OPS.push([n, [p], r])

const fname = (op: string) => op.replace(".", "_")

function moduleText(): string {
    const funcs = OPS.map(([op, params, result]) => {
        const ps = params.map((t, i) => `(param ${bitsType(t)})`).join(" ")
        const args = params.map((t, i) => (t === "f32" ? `(f32.reinterpret_i32 (local.get ${i}))` : t === "f64" ? `(f64.reinterpret_i64 (local.get ${i}))` : `(local.get ${i})`)).join(" ")
        let body = `(${op} ${args})`
        if (result === "f32") body = `(i32.reinterpret_f32 ${body})`
        if (result === "f64") body = `(i64.reinterpret_f64 ${body})`
        return `(func (export "${fname(op)}") ${ps} (result ${bitsType(result)}) ${body})`
    })
    return `(module ${funcs.join("\n")})`
}

const isNaNBits = (t: T, v: bigint | number) =>
    t === "f32" ? ((Number(v) >>> 0) & 0x7fffffff) > 0x7f800000 : t === "f64" ? (BigInt.asUintN(64, BigInt(v)) & 0x7fffffffffffffffn) > 0x7ff0000000000000n : false
const BIT_EXACT = /\.(neg|abs|copysign|reinterpret_.*)$/

/** Calls export `name` of the engine under test with integer args; its (integer) result. */
export type BitsCaller = (name: string, args: (number | bigint)[], resultIsI64: boolean) => number | bigint

/** One test per instruction: the engine that `instantiate` builds must agree with V8. */
export function describeAgainstV8(title: string, instantiate: (wasm: Uint8Array) => Promise<BitsCaller>): void {
    describe(title, async () => {
        const wasm = await watToWasm(moduleText())
        const { instance } = await WebAssembly.instantiate(wasm as BufferSource)
        const ours = await instantiate(wasm)
        for (const [op, params, result] of OPS) {
            it(op, () => {
                const lists = params.map(values)
                const combos: (number | bigint)[][] = params.length === 1 ? lists[0].map(v => [v]) : lists[0].flatMap(a => lists[1].map(b => [a, b]))
                const mismatches: string[] = []
                for (const args of combos) {
                    let want: number | bigint | string
                    try {
                        want = (instance.exports[fname(op)] as Function)(...args)
                    } catch (e: any) {
                        want = "trap"
                    }
                    let got: number | bigint | string
                    try {
                        got = ours(fname(op), args, bitsType(result) === "i64")
                    } catch (e: any) {
                        got = "trap"
                    }
                    if (typeof want !== "string" && typeof got !== "string" && isNaNBits(result, want) && !BIT_EXACT.test(op)) {
                        if (!isNaNBits(result, got)) mismatches.push(`${op}(${args.join(", ")}) = ${got}, V8 gave a NaN`)
                    } else if (want !== got) mismatches.push(`${op}(${args.join(", ")}) = ${got}, V8 ${want}`)
                }
                expect(mismatches.slice(0, 10)).toEqual([])
            })
        }
    })
}
