// DeviceScript's Math.sqrt is pow(x, 0.5), which need not be correctly rounded.
// f64.sqrt corrects its estimate exactly (Tuckerman test); f32.sqrt relies on any
// estimate within 1 ulp of a double rounding correctly to f32. Check both with a
// deliberately perturbed Math.sqrt.
import "../../interpreter/platform/node-core"
import { afterEach, describe, expect, test } from "vitest"
import { f64Sqrt } from "../../interpreter/numeric/f64"
import { f32Sqrt } from "../../interpreter/numeric/f32"
import { makeRng } from "./vectors"
import { bitsOfF64, f64Of } from "./ref"

const realSqrt = Math.sqrt
afterEach(() => {
    Math.sqrt = realSqrt
})

function perturb(ulps: number) {
    let i = 0
    Math.sqrt = (x: number) => {
        const s = realSqrt(x)
        if (!(s > 0) || !isFinite(s)) return s
        const k = BigInt(((i++ % (2 * ulps + 1)) - ulps))
        return f64Of(bitsOfF64(s) + k)
    }
}

describe("sqrt is correctly rounded from an inexact Math.sqrt", () => {
    for (const ulps of [1, 2]) {
        test(`f64.sqrt, estimate off by up to ${ulps} ulp`, () => {
            const r = makeRng(77 + ulps)
            const S = Buffer.alloc(16)
            perturb(ulps)
            let n = 0
            for (let i = 0; i < 20000; i++) {
                const bits = (BigInt(r.int(2047)) << 52n) | (r.u64() & 0xfffffffffffffn) // positive finite
                S.writeBigUInt64LE(bits, 8)
                f64Sqrt(S, 0, 8)
                const want = bitsOfF64(realSqrt(f64Of(bits)))
                expect(S.readBigUInt64LE(0).toString(16), bits.toString(16)).toBe(want.toString(16))
                n++
            }
            expect(n).toBe(20000)
        })
    }
    test("f32.sqrt, estimate off by 1 ulp of a double", () => {
        const r = makeRng(5)
        const S = Buffer.alloc(16)
        perturb(1)
        for (let i = 0; i < 20000; i++) {
            const bits = r.u32() & 0x7fffffff
            if (bits >= 0x7f800000) continue
            S.writeUInt32LE(bits, 8)
            f32Sqrt(S, 0, 8)
            const want = new Float32Array([realSqrt(new Float32Array(new Uint32Array([bits]).buffer)[0])])
            expect(S.readUInt32LE(0)).toBe(new Uint32Array(want.buffer)[0])
        }
    })
    test("the perturbation is real (guards the tests above)", () => {
        perturb(1)
        const s = [Math.sqrt(2), Math.sqrt(2), Math.sqrt(2)]
        expect(new Set(s).size).toBe(3)
    })
})
