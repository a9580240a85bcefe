// Runs a WASI command program (its _start) on the JIT: the counterpart of host/wasi/run.ts.

import { Trap } from "../../interpreter/trap"
import { ProcExit, Wasi } from "../wasi/wasi"
import { RunProgramOptions, RunResult, showValue } from "../wasi/run"
import { compileJit, instantiateJit, JitInstance } from "./instance"
import { shapeOf } from "./module-source"
import { resultList, toBits } from "./slots"
import { asTrap } from "./traps"
import { wasiResolver } from "./wasi"

export function runWasiProgramJit(wasm: Uint8Array, opts: RunProgramOptions = {}): RunResult & { values?: string[] } {
    const t0 = performance.now()
    const mod = compileJit(wasm)
    const t1 = performance.now()
    const wasi = new Wasi(opts)
    const result = (exitCode: number, trap?: string, values?: string[]) => ({ exitCode, trap, values, compileMs: t1 - t0, runMs: performance.now() - t1 })
    let inst: JitInstance = null
    try {
        inst = instantiateJit(mod, wasiResolver(wasi, () => inst.memory))
        const name = opts.invoke ?? "_start"
        const f = inst.func(name)
        if (f === undefined) throw new Error(`the module exports no function "${name}"`)
        const index = mod.module.exports.find(e => e.kind === "func" && e.name === name).index
        const types = shapeOf(mod.module).funcTypes[index].results
        const r = resultList(inst.call(name), types.length)
        const S = Buffer.alloc(8)
        const values = types.map((t, i) => {
            S.writeBigUInt64LE(toBits(t, r[i]))
            return showValue(t, S, 0)
        })
        return result(0, undefined, values)
    } catch (e) {
        // proc_exit unwinds by throwing ProcExit through the generated code.
        if (e instanceof ProcExit || wasi.exitCode !== undefined) return result(wasi.exitCode ?? 1)
        const t = asTrap(e)
        if (t instanceof Trap) return result(1, t.message)
        throw e
    }
}
