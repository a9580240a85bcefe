// JIT values <-> raw 8-byte slot bits (a BigInt of the slot's 64 bits, unsigned), the form the
// spec runner and the interpreter's host functions use. An externref slot holds the host value
// plus one (0 is null), as in the interpreter; a funcref slot is 0 for null, else nonzero.

import { ValType } from "../../compiler/wasm-types"
import { f32Bits, f32FromBits, f64Bits, f64FromBits } from "./float-bits"

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

/** A function's results (undefined, one value, or an array) as a list. */
export function resultList(r: unknown, count: number): unknown[] {
    return count === 0 ? [] : count === 1 ? [r] : (r as unknown[])
}
