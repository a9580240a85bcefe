// Runs a WASI command program (its _start) on the Node-hosted engine.

import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { Execution, ExternKind, instantiate, loadImage, RunState, run, startCall, Trap } from "../../interpreter/index"
import type { Instance } from "../../interpreter/index"
import { Wasi, WasiOptions } from "./wasi"

export interface RunResult {
    /** proc_exit's code, 0 when _start returned, 1 on a trap. */
    exitCode: number
    /** The trap message when the program trapped. */
    trap?: string
    compileMs: number
    runMs: number
}

export interface RunProgramOptions extends WasiOptions {
    /** Export to call instead of _start, without arguments (its results are returned in `values`, as text). */
    invoke?: string
}

/** A result slot as text: integers unsigned decimal (as the benchmark tables give them), floats as numbers. */
export function showValue(type: number, S: Buffer, at: number): string {
    if (type === 0x7f) return String(S.readUInt32LE(at))
    if (type === 0x7e) return String(S.readBigUInt64LE(at))
    if (type === 0x7d) return String(S.readFloatLE(at))
    if (type === 0x7c) return String(S.readDoubleLE(at))
    const r = S.readUInt32LE(at)
    return r === 0 ? "null" : `ref ${r}`
}

export function runWasiProgram(wasm: Uint8Array, opts: RunProgramOptions = {}): RunResult & { values?: string[] } {
    const t0 = performance.now()
    const image = compileToImage(wasm)
    const mod = loadImage(Buffer.from(image))
    const t1 = performance.now()
    const wasi = new Wasi(opts)
    const ex = new Execution(1 << 20, 10000)
    const result = (exitCode: number, trap?: string, values?: string[]) => ({ exitCode, trap, values, compileMs: t1 - t0, runMs: performance.now() - t1 })
    let inst: Instance
    try {
        inst = instantiate(mod, wasi.resolve, undefined, ex)
        const name = opts.invoke ?? "_start"
        const f = mod.findExport(name, ExternKind.FUNC)
        if (f < 0) throw new Error(`the module exports no function "${name}"`)
        startCall(ex, inst, f)
        while (run(ex, 1_000_000_000) === RunState.SUSPENDED) {}
        const sig = mod.sig(mod.funcType(f))
        const np = mod.image[sig]
        const nres = mod.image[sig + 1]
        const values: string[] = []
        for (let i = 0; i < nres; i++) values.push(showValue(mod.image[sig + 2 + np + i], ex.stack, i * 8))
        return result(0, undefined, values)
    } catch (e) {
        // proc_exit unwinds by throwing; the engine hands it back as a trap.
        if (wasi.exitCode !== undefined) return result(wasi.exitCode)
        if (e instanceof Trap) return result(1, e.message)
        throw e
    } finally {
        if (inst) inst.dispose()
    }
}
