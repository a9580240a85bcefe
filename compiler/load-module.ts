// Decode + validate: the module form that compiler/emit consumes.

import { decodeModule } from "./decode/index"
import { validateModule } from "./validate/index"
import type { WasmModule } from "./wasm-types"

/**
 * Decodes and validates a Wasm 2.0 binary (SIMD excluded).
 * Throws WasmDecodeError (malformed) or WasmValidationError (invalid).
 */
export function loadModule(bytes: Uint8Array): WasmModule {
    const m = decodeModule(bytes)
    validateModule(m)
    return m
}
