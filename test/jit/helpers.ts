// Test helpers for the JIT (host/jit): WAT -> JIT instance.
import { watToWasm } from "../engine/helpers"
import { compileJit, instantiateJit, JitInstance, JitResolver } from "../../host/jit/instance"

export async function instantiateJitWat(src: string, resolve: JitResolver = null): Promise<JitInstance> {
    return instantiateJit(compileJit(await watToWasm(src)), resolve)
}

/** The message of the trap (or other error) `f` throws. */
export function thrown(f: () => unknown): string {
    try {
        f()
    } catch (e) {
        return (e as Error).message
    }
    return "no trap"
}
