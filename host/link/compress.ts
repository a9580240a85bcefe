// The host half of manager/lzss.ts: compresses a device image into the stored form the board
// keeps in its settings store. Greedy with one step of lookahead (a match is put off by a byte when
// the next position has a longer one), over hash chains of 3-byte prefixes.
import { LZ_MAX_MATCH, LZ_MIN_MATCH, LZ_WINDOW } from "../../manager/lzss"

/** Candidates tried per position (enough for images of tens of KB to compress in milliseconds). */
const CHAIN_LIMIT = 256

export function lzssCompress(src: Uint8Array): Buffer {
    const n = src.length
    const head = new Int32Array(1 << 16).fill(-1)
    const prev = new Int32Array(n).fill(-1)
    const hash = (i: number) => ((src[i] << 8) ^ (src[i + 1] << 4) ^ src[i + 2]) & 0xffff
    let inserted = 0
    const insertUpTo = (end: number) => {
        for (; inserted < end && inserted + 2 < n; inserted++) {
            const h = hash(inserted)
            prev[inserted] = head[h]
            head[h] = inserted
        }
    }
    const longest = (i: number): [number, number] => {
        insertUpTo(i)
        if (i + LZ_MIN_MATCH > n) return [0, 0]
        let best = 0
        let bestOff = 0
        let tries = CHAIN_LIMIT
        for (let j = head[hash(i)]; j >= 0 && i - j <= LZ_WINDOW && tries-- > 0; j = prev[j]) {
            let l = 0
            while (l < LZ_MAX_MATCH && i + l < n && src[j + l] === src[i + l]) l++
            if (l > best) {
                best = l
                bestOff = i - j
                if (l === LZ_MAX_MATCH) break
            }
        }
        return best >= LZ_MIN_MATCH ? [best, bestOff] : [0, 0]
    }

    const out: number[] = []
    let flagAt = -1
    let items = 8
    const item = (isMatch: boolean, ...bytes: number[]) => {
        if (items === 8) {
            flagAt = out.length
            out.push(0)
            items = 0
        }
        if (isMatch) out[flagAt] |= 1 << items
        items++
        out.push(...bytes)
    }
    let i = 0
    while (i < n) {
        const [len, off] = longest(i)
        if (len > 0 && len < LZ_MAX_MATCH && i + 1 < n) {
            const [len2] = longest(i + 1)
            if (len2 > len + 1) {
                item(false, src[i])
                i++
                continue
            }
        }
        if (len === 0) {
            item(false, src[i])
            i++
        } else {
            const d = off - 1
            item(true, d & 0xff, ((d >> 8) << 4) | (len - LZ_MIN_MATCH))
            i += len
        }
    }
    return Buffer.from(out)
}
