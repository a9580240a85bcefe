// The one place where the firmware meets the Wasm engine (interpreter/).

import { callExport, instantiate, loadImage } from "../../interpreter"

/** True once the firmware really runs Wasm through interpreter/ (the tests read this line). */
export const engineWired = true

/** Load a device image, instantiate it and call one of its exports with no arguments; returns its i32 result. */
export async function runExport(image: Buffer, name: string): Promise<number> {
    const mod = loadImage(image) // validates the device image, throws on a bad one
    const inst = instantiate(mod, null) // the demos import nothing
    try {
        return await callExport(inst, name, []) // runs in slices, yielding to DeviceScript
    } finally {
        inst.dispose() // one-shot: drop it from the engine's instance registry so the GC can free it
    }
}
