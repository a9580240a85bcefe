// JIT values <-> raw 8-byte slot bits (a BigInt of the slot's 64 bits, unsigned), the form the
// spec runner and the interpreter's host functions use. An externref slot holds the host value
// plus one (0 is null), as in the interpreter; a funcref slot is 0 for null, else nonzero.

import { ValType } from "../../compiler/wasm-types"
import { f32Bits, f32FromBits, f64Bits, f64FromBits } from "./float-bits"
import { typeLetter } from "./function-source"

const M32 = 0xffffffffn
const M64 = 0xffffffffffffffffn

export function toBits(type: ValType, v: unknown): bigint {
    switch (type) {
        case ValType.I32:
            return BigInt(v as number) & M32
        case ValType.I64:
            return (v as bigint) & M64
        case ValType.F32:
            return BigInt(f32Bits(v as number)) & M32
        case ValType.F64:
            return f64Bits(v as number) & M64
        case ValType.ExternRef:
            return v === null ? 0n : BigInt(v as number) + 1n
        default:
            return v === null ? 0n : 1n
    }
}

export function fromBits(type: ValType, b: bigint): unknown {
    switch (type) {
        case ValType.I32:
            return Number(BigInt.asIntN(32, b))
        case ValType.I64:
            return BigInt.asIntN(64, b)
        case ValType.F32:
            return f32FromBits(Number(BigInt.asIntN(32, b)))
        case ValType.F64:
            return f64FromBits(BigInt.asIntN(64, b))
        case ValType.ExternRef:
            return b === 0n ? null : Number(b - 1n)
        default:
            if (b === 0n) return null
            throw new Error("a non-null funcref cannot be passed in from the host")
    }
}

/**
 * A function's results (undefined, one value, or an array) as a list. The list is made with a
 * null in it first: V8 quietens signalling NaNs stored into an array of doubles, not into a
 * generic one.
 */
export function resultList(r: unknown, count: number): unknown[] {
    if (count > 1) return (r as unknown[]).slice(0, count)
    const list: unknown[] = [null]
    list.pop()
    if (count === 1) list.push(r)
    return list
}

const LETTER_TYPES: Record<string, ValType> = Object.fromEntries(
    [ValType.I32, ValType.I64, ValType.F32, ValType.F64, ValType.FuncRef, ValType.ExternRef].map(t => [typeLetter(t), t]),
)

/** The parameter and result types of a signature key ("iI:f", function-source.ts sigKey). */
export function sigTypes(sig: string): { params: ValType[]; results: ValType[] } {
    const [p, r] = sig.split(":")
    return { params: [...p].map(l => LETTER_TYPES[l]), results: [...r].map(l => LETTER_TYPES[l]) }
}
