// The boundary between host code and generated code: JS errors that are really Wasm traps
// become the spec's traps. Generated code leaves two checks to V8: a DataView access past the
// end of memory throws RangeError (memory.ts), and recursion past V8's stack throws RangeError.

import { Trap, TRAP_MEMORY_OOB, TRAP_STACK_EXHAUSTED } from "../../interpreter/trap"

export function asTrap(e: unknown): unknown {
    if (e instanceof RangeError) {
        if (/call stack/i.test(e.message)) return new Trap(TRAP_STACK_EXHAUSTED)
        if (/outside the bounds|offset/i.test(e.message)) return new Trap(TRAP_MEMORY_OOB)
    }
    return e
}

/** Calls a Wasm function from the host; traps come out as Trap. */
export function callWasm(f: (...args: unknown[]) => unknown, args: unknown[]): unknown {
    try {
        return f(...args)
    } catch (e) {
        throw asTrap(e)
    }
}
