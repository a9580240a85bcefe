// The one place where the firmware meets the Wasm engine (interpreter/).
//
// TODO(engine): interpreter/index.ts is being written. Until it lands this module cannot run
// anything and says so; once it exists, replace the body of runExport with:
//
//   import { loadImage, instantiate, callExport } from "../../interpreter"
//   const mod = loadImage(image)                 // validates the device image, throws on a bad one
//   const inst = instantiate(mod, null)          // the demos import nothing
//   return await callExport(inst, name, [])      // runs in slices, yielding to DeviceScript
//
// (and set engineWired = true).

/** True once the firmware really runs Wasm through interpreter/. */
export const engineWired = false

/** Load a device image, instantiate it and call one of its exports with no arguments; returns its i32 result. */
export async function runExport(image: Buffer, name: string): Promise<number> {
    throw new Error("Wasm engine not wired in yet (interpreter/index.ts); cannot run " + name + " of a " + image.length + "-byte image")
}
