// Host-side entry point: .wasm bytes -> device image.

import { loadModule } from "./load-module"
import { writeImage, ImageStats } from "./emit/image-writer"
import type { ImportCostFn } from "./stack-bound"

export { WasmDecodeError, WasmValidationError } from "./wasm-types"
export { FunctionTooLargeError } from "./emit/function-compiler"
export type { ImageStats } from "./emit/image-writer"
export { compileApp, AppCompileError, WAMR_NATIVES, WASI_MODULE } from "./app"
export type { AppKind, CompileAppOptions, CompiledApp } from "./app"
export { stackBound, defaultImportCost } from "./stack-bound"
export type { StackBound, StackNeed, ImportCost, ImportCostFn } from "./stack-bound"
export { importOwnMemory } from "./import-memory"

/**
 * Decodes, validates and compiles a Wasm module. Throws WasmDecodeError / WasmValidationError.
 * importCost: what each imported function costs the caller's stacks (the header's stack bound;
 * default: WASI's are host functions, the rest unknown).
 */
export function compileToImage(wasm: Uint8Array, stats?: ImageStats, importCost?: ImportCostFn): Uint8Array {
    return writeImage(loadModule(wasm), stats, importCost)
}
