// Host-side entry point: .wasm bytes -> device image.

import { loadModule } from "./load-module"
import { writeImage, ImageStats } from "./emit/image-writer"

export { WasmDecodeError, WasmValidationError } from "./wasm-types"
export { FunctionTooLargeError } from "./emit/function-compiler"
export type { ImageStats } from "./emit/image-writer"

/** Decodes, validates and compiles a Wasm module. Throws WasmDecodeError / WasmValidationError. */
export function compileToImage(wasm: Uint8Array, stats?: ImageStats): Uint8Array {
    return writeImage(loadModule(wasm), stats)
}
