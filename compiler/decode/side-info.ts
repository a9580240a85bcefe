// Information the decoder hands to the validator without putting it into the (fixed) WasmModule shape:
// byte positions of module-level entities (for error messages), and validation errors that were
// detected while decoding but cannot be represented in WasmModule (e.g. a non-constant instruction
// inside a constant expression, or a typed `select` with several types).

import type { ConstExpr, WasmModule, WasmValidationError } from "../wasm-types"

export interface DecodePositions {
    imports: number[]
    funcs: number[] // position of each entry of the function section
    tables: number[]
    memories: number[]
    globals: number[]
    exports: number[]
    start?: number
    elems: number[]
    datas: number[]
    /** Byte offset of each constant expression (its first instruction). */
    constExprs: WeakMap<ConstExpr, number>
}

export interface DecodeSideInfo {
    positions: DecodePositions
    /** Validation errors found while decoding, in module order. validateModule throws the first. */
    deferred: WasmValidationError[]
}

const sideInfo = new WeakMap<WasmModule, DecodeSideInfo>()

export function setSideInfo(m: WasmModule, info: DecodeSideInfo): void {
    sideInfo.set(m, info)
}

export function getSideInfo(m: WasmModule): DecodeSideInfo | undefined {
    return sideInfo.get(m)
}
