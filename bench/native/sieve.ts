// Native baseline for ../shared/bench/device/sieve.c.
import * as ds from "@devicescript/core"

const LIMIT = 8192

export async function run(): Promise<number[]> {
    const flags = Buffer.alloc(LIMIT + 1)
    let acc = 0
    for (let r = 0; r < 8; r++) {
        for (let i = 0; i <= LIMIT; i++) flags[i] = 1
        flags[0] = 0
        flags[1] = 0
        await ds.sleep(0)
        for (let i = 2; i * i <= LIMIT; i++) {
            if (flags[i] !== 0) for (let j = i * i; j <= LIMIT; j += i) flags[j] = 0
            if ((i & 15) === 0) await ds.sleep(0)
        }
        await ds.sleep(0)
        let count = 0
        for (let i = 0; i <= LIMIT; i++) count += flags[i]
        acc = (Math.imul(acc, 31) + (count ^ r)) | 0
        await ds.sleep(0)
    }
    return [acc, 0]
}
