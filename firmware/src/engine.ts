// The one place where the firmware meets the Wasm engine (interpreter/).

import { Arena, callExport, instantiate, Limits, loadImage } from "../../interpreter/index"

/** True once the firmware really runs Wasm through interpreter/ (the tests read this line). */
export const engineWired = true

let arena: Arena = null

/**
 * Reserves the fixed arena that every app draws its memory from. Called once at boot, before
 * anything else can fragment the heap.
 */
export function initArena(bytes: number): Arena {
    arena = new Arena(bytes)
    return arena
}

/** Load a device image, instantiate it with its own arena account and call one of its exports with no arguments; returns its i32 result. */
export async function runExport(image: Buffer, name: string, quota: number): Promise<number> {
    const mod = loadImage(image) // validates the device image, throws on a bad one
    const limits = new Limits()
    limits.account = arena.account(name, quota)
    const inst = instantiate(mod, null, limits) // the demos import nothing
    try {
        return await callExport(inst, name, []) // runs in slices, yielding to DeviceScript
    } finally {
        inst.dispose() // one-shot: drop it from the engine's instance registry so the GC can free it
        limits.account.close() // and give its arena pages back
    }
}
