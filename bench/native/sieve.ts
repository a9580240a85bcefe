// Native baseline for ../shared/bench/device/sieve.c. Long loops are cut into blocks of 2048
// iterations with a yield between them (DeviceScript's InfiniteLoop guard: 128K VM steps).
import * as ds from "@devicescript/core"

const LIMIT = 8192
const BLOCK = 2048

export async function run(): Promise<number[]> {
    const flags = Buffer.alloc(LIMIT + 1)
    let acc = 0
    for (let r = 0; r < 8; r++) {
        for (let base = 0; base <= LIMIT; base += BLOCK) {
            const end = Math.min(base + BLOCK, LIMIT + 1)
            for (let i = base; i < end; i++) flags[i] = 1
            await ds.sleep(0)
        }
        flags[0] = 0
        flags[1] = 0
        for (let i = 2; i * i <= LIMIT; i++) {
            if (flags[i] !== 0) for (let j = i * i; j <= LIMIT; j += i) flags[j] = 0
            await ds.sleep(0)
        }
        let count = 0
        for (let base = 0; base <= LIMIT; base += BLOCK) {
            const end = Math.min(base + BLOCK, LIMIT + 1)
            for (let i = base; i < end; i++) count += flags[i]
            await ds.sleep(0)
        }
        acc = (Math.imul(acc, 31) + (count ^ r)) | 0
    }
    return [acc, 0]
}
