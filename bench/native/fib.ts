// Native baseline for ../shared/bench/device/fib.c: recursive fib(24), cut into subtrees so the
// DeviceScript scheduler gets a turn (no more than 128K VM steps between yields).
import * as ds from "@devicescript/core"

function fib(n: number): number {
    return n < 2 ? n : (fib(n - 1) + fib(n - 2)) | 0
}

async function fibYielding(n: number): Promise<number> {
    if (n <= 14) {
        await ds.sleep(0)
        return fib(n)
    }
    const a = await fibYielding(n - 1)
    const b = await fibYielding(n - 2)
    return (a + b) | 0
}

/** Checksum as [lo, hi] int32 words. */
export async function run(): Promise<number[]> {
    return [await fibYielding(24), 0]
}
