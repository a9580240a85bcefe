// WASI for JIT instances: host/wasi/wasi.ts's functions, which work on raw 8-byte slots, adapted
// to the JIT's calling convention (arguments in, result out) through one scratch slot buffer.

import { Wasi, WASI_MODULE, WasiMemory } from "../wasi/wasi"
import { WasmFunction } from "./bulk"
import { JitResolver } from "./instance"
import { fromBits, sigTypes, toBits } from "./slots"

/** Resolves wasi_snapshot_preview1 imports; `memory()` gives the instance's memory at call time. */
export function wasiResolver(wasi: Wasi, memory: () => WasiMemory): JitResolver {
    const S = Buffer.alloc(8 * 16)
    return (module: string, name: string) => {
        if (module !== WASI_MODULE) return null
        const w = wasi.func(name)
        if (w === undefined) return null
        const sig = `${w.params}:${w.results}`
        const { params, results } = sigTypes(sig)
        const result = results[0]
        const f = ((...args: unknown[]) => {
            for (let i = 0; i < params.length; i++) S.writeBigUInt64LE(toBits(params[i], args[i]), i * 8)
            w.call(S, 0, memory())
            return result === undefined ? undefined : fromBits(result, S.readBigUInt64LE(0))
        }) as WasmFunction
        f.sig = sig
        return f
    }
}
