// Native baseline for ../shared/bench/device/crc32.c.
import * as ds from "@devicescript/core"

const N = 2048

export async function run(): Promise<number[]> {
    const table: number[] = []
    for (let i = 0; i < 256; i++) {
        let c = i
        for (let k = 0; k < 8; k++) c = (c & 1) !== 0 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
        table[i] = c | 0
    }
    await ds.sleep(0)
    const buf = Buffer.alloc(N)
    let seed = 7
    for (let i = 0; i < N; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) | 0
        buf[i] = (seed >>> 16) & 0xff
    }
    await ds.sleep(0)
    let acc = 0
    for (let r = 0; r < 6; r++) {
        let crc = ~0 ^ r
        for (let i = 0; i < N; i++) crc = table[(crc ^ buf[i]) & 0xff] ^ (crc >>> 8)
        await ds.sleep(0)
        let crc2 = ~0
        for (let i = 0; i < N / 8; i++) {
            crc2 ^= buf[i]
            for (let k = 0; k < 8; k++) crc2 = (crc2 >>> 1) ^ (0xedb88320 & -(crc2 & 1))
        }
        acc ^= (~crc + (~crc2 << 1)) | 0
        await ds.sleep(0)
    }
    return [acc, 0]
}
