// The benchmark inputs: ../shared/bench (beside the repo) and the expected results.
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { ROOT } from "../scripts/lib/devs"

export const SHARED_BENCH = resolve(ROOT, "../shared/bench")
export const DEVICE_DIR = join(SHARED_BENCH, "device")
export const HOST_DIR = join(SHARED_BENCH, "host")

export const KERNELS = ["fib", "sieve", "crc32", "i64", "matmul_f32", "nbody_f64", "sha256", "sensor"] as const
export type KernelName = (typeof KERNELS)[number]

export interface Kernel {
    name: string
    wasm: Buffer
    /** Unsigned decimal checksum run() must return. */
    expected: string
    /** Wasm instructions one run() executes. */
    instructions: number
}

export function loadKernels(): Kernel[] {
    const tsv = readFileSync(join(DEVICE_DIR, "expected.tsv"), "utf8").trim().split("\n").slice(1)
    const rows = new Map(tsv.map(l => l.split("\t")).map(c => [c[0], c]))
    return KERNELS.map(name => {
        const row = rows.get(name)
        if (!row) throw new Error(`expected.tsv has no row for ${name}`)
        return { name, wasm: readFileSync(join(DEVICE_DIR, "wasm", name + ".wasm")), expected: row[2], instructions: +row[3] }
    })
}

/** A checksum given as int32 words [lo, hi] → unsigned decimal (hi ignored for 32-bit checksums when 0). */
export function wordsToDecimal(lo: number, hi: number): string {
    return ((BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0)).toString()
}

export function hostPrograms(): string[] {
    const dir = join(HOST_DIR, "wasm")
    if (!existsSync(dir)) return []
    return ["startup", "sensor", "fib", "sieve", "crc32", "i64", "matmul_f32", "nbody_f64", "sha256", "coremark"].filter(n =>
        existsSync(join(dir, n + ".wasm"))
    )
}
