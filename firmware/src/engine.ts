// The one place where the firmware meets the Wasm engine (interpreter/).

import { Arena, callExport, instantiateAsync, Limits, loadImage } from "../../interpreter/index"
import { AppLimits } from "../../boards/profile"

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

/**
 * Loads a device image, instantiates it with its own arena account and the profile's per-app
 * limits, and calls one of its exports with no arguments; returns its i32 result.
 */
export async function runExport(image: Buffer, name: string, appName: string, app: AppLimits): Promise<number> {
    const mod = loadImage(image) // validates the device image, throws on a bad one
    const limits = new Limits()
    limits.account = arena.account(appName, app.appArenaBytes)
    limits.stackBytes = app.valueStackSlots * 8
    limits.callDepth = app.callDepth
    limits.sliceFuel = app.sliceFuel
    try {
        const inst = await instantiateAsync(mod, null, limits) // the demos import nothing
        try {
            return await callExport(inst, name, []) // runs in slices, yielding to DeviceScript
        } finally {
            inst.dispose() // one-shot: drop it from the engine's instance registry so the GC can free it
        }
    } finally {
        limits.account.close() // and give its arena pages back
    }
}
