// Turns a module's own memory into the import `env.memory` with the same limits: how a
// WAMR-style app shares one linear memory with the runtime's libc (framework/README.md). With a
// single memory, index 0 stays the same, so every load, store, memory.size/grow, data segment and
// the `memory` export (which now re-exports the import) mean what they meant before.
// Works on the decoded module (compiler/wasm-types.ts), before the image is written.

import type { WasmModule } from "./wasm-types"

/** A copy of m whose defined memory is an import env.memory instead (m itself is not changed). */
export function importOwnMemory(m: WasmModule): WasmModule {
    if (m.memories.length !== 1) throw new Error(`importOwnMemory: the module defines ${m.memories.length} memories, not 1`)
    if (m.imports.some(im => im.desc.kind === "memory")) throw new Error("importOwnMemory: the module already imports a memory")
    const limits = { ...m.memories[0] }
    // (first among the imports: import order does not change any index space but the memory's)
    return { ...m, imports: [{ module: "env", name: "memory", desc: { kind: "memory", limits } }, ...m.imports], memories: [] }
}
