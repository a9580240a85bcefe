// Native baseline for ../shared/bench/device/i64.c: 64-bit values as (hi, lo) int32 pairs.
import * as ds from "@devicescript/core"

const TWO32 = 4294967296
const P = 1000003
const TWO32_MOD_P = TWO32 - Math.floor(TWO32 / P) * P

// High 32 bits of the unsigned 64-bit product a*b (a, b int32 bit patterns), from 16-bit halves.
function mulhiU(a: number, b: number): number {
    const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16
    const p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0
    const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff)
    return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0
}

export async function run(): Promise<number[]> {
    let xh = 0x9e3779b9 | 0, xl = 0x7f4a7c15 | 0
    let ah = 0, al = 0
    let s = -123456789012345 // int64 that stays well inside 2^53: kept as a double
    const ch = 0x2545f491, cl = 0x4f6cdd1d
    for (let i = 0; i < 20000; i++) {
        // x ^= x << 13; x ^= x >> 7; x ^= x << 17
        xh ^= (xh << 13) | (xl >>> 19)
        xl ^= xl << 13
        xl ^= (xl >>> 7) | (xh << 25)
        xh ^= xh >>> 7
        xh ^= (xh << 17) | (xl >>> 15)
        xl ^= xl << 17
        // m = x * C
        const ml = Math.imul(xl, cl)
        const mh = (mulhiU(xl, cl) + Math.imul(xl, ch) + Math.imul(xh, cl)) | 0
        // acc += m ^ (m >> 29)
        const tl = ml ^ ((ml >>> 29) | (mh << 3))
        const th = mh ^ (mh >>> 29)
        let sum = (al >>> 0) + (tl >>> 0)
        al = sum | 0
        ah = (ah + th + (sum >= TWO32 ? 1 : 0)) | 0
        // acc = rotl(acc, 5)
        const rh = (ah << 5) | (al >>> 27)
        al = (al << 5) | (ah >>> 27)
        ah = rh
        if ((i & 15) === 0) {
            const q = s / 7
            // m % 1000003 from the two words; DeviceScript's % is wrong on doubles >= 2^31, so floor-divide
            const hu = mh >>> 0
            const v = (hu - Math.floor(hu / P) * P) * TWO32_MOD_P + (ml >>> 0)
            const mod = v - Math.floor(v / P) * P
            s = (q < 0 ? -Math.floor(-q) : Math.floor(q)) + mod
            const sh = Math.floor(s / TWO32)
            al ^= (s - sh * TWO32) | 0
            ah ^= sh | 0
        }
        if (mh < 0) {
            sum = (al >>> 0) + 1
            al = sum | 0
            ah = (ah + (sum >= TWO32 ? 1 : 0)) | 0
        }
        if ((i & 255) === 255) await ds.sleep(0)
    }
    return [al, ah]
}
