// A Wasm trap: thrown by the engine, caught at the boundary of a call into Wasm.
// Messages are the specification's own wording, so the spec runner can compare them.

export class Trap extends Error {
    constructor(message: string) {
        super(message)
        this.name = "Trap"
    }
}

export const TRAP_UNREACHABLE = "unreachable"
export const TRAP_MEMORY_OOB = "out of bounds memory access"
export const TRAP_TABLE_OOB = "out of bounds table access"
export const TRAP_DIV_ZERO = "integer divide by zero"
export const TRAP_INT_OVERFLOW = "integer overflow"
export const TRAP_INVALID_CONVERSION = "invalid conversion to integer"
export const TRAP_UNDEFINED_ELEMENT = "undefined element"
export const TRAP_UNINITIALIZED_ELEMENT = "uninitialized element"
export const TRAP_INDIRECT_TYPE = "indirect call type mismatch"
export const TRAP_STACK_EXHAUSTED = "call stack exhausted"

export function trap(message: string): never {
    throw new Trap(message)
}
