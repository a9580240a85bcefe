// Node-hosted engine: compile and run the device kernels, and the WASI host programs.
import "../interpreter/platform/node-core"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { compileToImage } from "../compiler/index"
import type { ImageStats } from "../compiler/index"
import { Arena, callSync, DEFAULT_CALL_DEPTH, DEFAULT_STACK_BYTES, Execution, ExternKind, instantiate, Limits, loadImageInto } from "../interpreter/index"
import { CHUNK } from "../interpreter/memory"
import { instanceUsage } from "../interpreter/usage"
import { runWasiProgram } from "../host/wasi/run"
import { runWasiProgramJit } from "../host/jit/run-wasi"
import { HOST_DIR, Kernel, wordsToDecimal } from "./kernels"

export function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b)
    const n = s.length
    return n === 0 ? NaN : n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2
}

export interface NodeKernelResult {
    name: string
    wasmBytes: number
    imageBytes: number
    codeBytes: number
    compileMs: number
    runMs: number
    runsMs: number[]
    instructions: number
    instrPerSec: number
    checksum: string
    expected: string
    ok: boolean
    /** Linear memory really allocated after a run (chunks touched × chunk size). */
    touchedMemoryBytes: number
    /** Arena bytes the kernel's app account held after a run: code, touched memory, globals' page, stacks. */
    arenaBytes: number
    declaredMemoryBytes: number
    stackBytes: number
    framesBytes: number
    globalsBytes: number
}

/** Compile (median of `reps`), then run run() `reps` times on fresh instances; median times. */
export async function benchKernelOnNode(k: Kernel, reps: number): Promise<NodeKernelResult> {
    const compiles: number[] = []
    let image: Uint8Array
    let stats: ImageStats
    for (let i = 0; i < reps; i++) {
        stats = { codeBytes: 0, functions: [] }
        const t0 = performance.now()
        image = compileToImage(new Uint8Array(k.wasm), stats)
        compiles.push(performance.now() - t0)
    }
    const runs: number[] = []
    let checksum = ""
    let touched = 0, declared = 0, globalsBytes = 0, arenaBytes = 0
    // The kernel runs as an installed app would: memory, globals and stacks from its own account.
    const account = new Arena(512 * 1024).account(k.name, 512 * 1024)
    const mod = await loadImageInto(account, Buffer.from(image)) // its code in the account too
    const limits = new Limits()
    limits.account = account
    const ex = new Execution(DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH, account)
    // One untimed warm-up run (V8's JIT), then `reps` timed runs on fresh instances.
    for (let i = -1; i < reps; i++) {
        const inst = instantiate(mod, null, limits)
        const f = mod.findExport("run", ExternKind.FUNC)
        const t0 = performance.now()
        callSync(ex, inst, f)
        if (i >= 0) runs.push(performance.now() - t0)
        const sig = mod.sig(mod.funcType(f))
        const np = mod.image[sig]
        const is64 = mod.image[sig + 2 + np] === 0x7e
        checksum = wordsToDecimal(ex.stack.readInt32LE(ex.base), is64 ? ex.stack.readInt32LE(ex.base + 4) : 0)
        if (inst.memory) {
            touched = inst.memory.chunkCount * CHUNK
            declared = inst.memory.byteLength
        }
        globalsBytes = instanceUsage(inst).globalBytes
        arenaBytes = account.used
        inst.dispose()
    }
    const runMs = median(runs)
    return {
        name: k.name,
        wasmBytes: k.wasm.length,
        imageBytes: image.length,
        codeBytes: stats.codeBytes,
        compileMs: median(compiles),
        runMs,
        runsMs: runs,
        instructions: k.instructions,
        instrPerSec: k.instructions / (runMs / 1000),
        checksum,
        expected: k.expected,
        ok: checksum === k.expected,
        touchedMemoryBytes: touched,
        declaredMemoryBytes: declared,
        stackBytes: ex.end - ex.base,
        framesBytes: ex.bytes() - (ex.end - ex.base),
        globalsBytes,
        arenaBytes,
    }
}

/** wasm3's time per program (s): the README gives 0.6–1.2 s and no per-program figures. */
export const WASM3_REFERENCE_S = 1.0

/** Which engine runs the host programs: the Node-only JIT (host/jit) or the interpreter. */
export type HostEngine = "jit" | "interp"

export interface HostProgramResult {
    name: string
    engine: HostEngine
    compileMs: number
    runMs: number
    wasm3RefMs: number
    ratioVsWasm3: number
    ok: boolean
    note?: string
}

export function benchHostProgram(name: string, engine: HostEngine = "jit"): HostProgramResult {
    const wasm = new Uint8Array(readFileSync(join(HOST_DIR, "wasm", name + ".wasm")))
    let expected: string[] = []
    try {
        expected = readFileSync(join(HOST_DIR, "wasm", name + ".expected"), "utf8").split("\n").filter(l => l.trim())
    } catch {}
    const out: string[] = []
    let pending = ""
    const r = (engine === "jit" ? runWasiProgramJit : runWasiProgram)(wasm, {
        args: [name + ".wasm"],
        stdout: (b: Uint8Array) => {
            pending += Buffer.from(b).toString("utf8")
            let i: number
            while ((i = pending.indexOf("\n")) >= 0) {
                out.push(pending.slice(0, i))
                pending = pending.slice(i + 1)
            }
        },
    } as any)
    if (pending) out.push(pending)
    // CoreMark prints timing lines that vary: compare the crc lines only.
    const keep = (ls: string[]) => (name === "coremark" ? ls.filter(l => /crc/i.test(l)) : ls)
    const ok = r.exitCode === 0 && JSON.stringify(keep(out)) === JSON.stringify(keep(expected))
    const ref = WASM3_REFERENCE_S * 1000
    return {
        name,
        engine,
        compileMs: r.compileMs,
        runMs: r.runMs,
        wasm3RefMs: ref,
        ratioVsWasm3: r.runMs / ref,
        ok,
        note: ok ? undefined : r.trap ? `trap: ${r.trap}` : `exit ${r.exitCode}, output differs`,
    }
}
