// Device images for the framework, made on the host: the runtime's support modules (the libc in
// sdk/libc, the WASI adapter in sdk/wasi) and apps, compiled with the stack bound that accounts for
// calls into those modules (an app's libc calls run on the app's stacks).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { compileApp, CompiledApp } from "../../compiler/index"
import type { StackNeed } from "../../compiler/stack-bound"

const ROOT = join(import.meta.dirname, "../..")
export const LIBC_WASM = join(ROOT, "sdk/libc/libc.wasm")
export const WASI_WASM = join(ROOT, "sdk/wasi/wasi.wasm")

export interface SupportImages {
    libc: Buffer
    wasi: Buffer
    libcStack: StackNeed
    wasiStack: StackNeed
}

let support: SupportImages = null

/** The libc and WASI adapter images (every import of theirs is a native: a host function). */
export function supportImages(): SupportImages {
    if (support !== null) return support
    const host = () => "host" as const
    const libc = compileApp(readFileSync(LIBC_WASM), { importCost: host })
    const wasi = compileApp(readFileSync(WASI_WASM), { importCost: host })
    const need = (c: CompiledApp): StackNeed => ({ stackBytes: c.stack.stackBytes, depth: c.stack.callDepth })
    support = { libc: Buffer.from(libc.image), wasi: Buffer.from(wasi.image), libcStack: need(libc), wasiStack: need(wasi) }
    return support
}

/** An app's device image; throws the compiler's error (validation, or what the framework cannot link). */
export function compileAppImage(wasm: Uint8Array): CompiledApp {
    const s = supportImages()
    return compileApp(wasm, { importCost: s.libcStack, wasiCost: s.wasiStack })
}
