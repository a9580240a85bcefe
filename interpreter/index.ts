// The engine's public API, the same on DeviceScript and on Node.
//
//   const mod = loadImage(image)                 // or await loadImageAsync(image) on a device
//   const inst = instantiate(mod, resolveImport)  // links, initialises, runs the start function
//   const r = await callExport(inst, "run", [])   // i32 arguments and result, runs in slices
//
// Lower level (typed values, host tools): create an Execution, write arguments into its stack
// (8-byte slots from ex.base), callSync/callAsync, read results from ex.base.

import { LoadedModule } from "./loader"
import { createInstance, ImportResolver, Instance, InstantiateJob, Limits } from "./instance"
export { DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH, DEVICE_SLICE_FUEL } from "./instance"
import { Execution, RunState, run, startCall } from "./machine"
import { yieldSlice } from "./platform/index"
import { ExternKind } from "./image-format"

export { loadImage, loadImageAsync, loadImageInto, LoadJob, LoadedModule, ImageError } from "./loader"
export type { ImageFill } from "./loader"
export { Instance, HostFunc, FuncRef, GlobalCell, LinkError, Limits, createInstance, InstantiateJob, instances } from "./instance"
export type { ImportResolver, Extern } from "./instance"
export { Execution, RunState, run, startCall } from "./machine"
export { forgetRunning } from "./state"
export { Memory } from "./memory"
export { Arena, ArenaAccount, defaultAccount, setDefaultArenaBytes, PAGE as ARENA_PAGE } from "./arena"
export { Table } from "./table"
export { Trap } from "./trap"
export { ExternKind, ImportRec, Sec } from "./image-format"

/** Runs function f to completion without yielding (Node, tests, short calls). */
export function callSync(ex: Execution, inst: Instance, f: number): void {
    startCall(ex, inst, f)
    while (run(ex, 1000000000) === RunState.SUSPENDED) {}
}

/** Runs function f in slices of `fuel`, yielding to the scheduler between them. */
export async function callAsync(ex: Execution, inst: Instance, f: number, fuel: number): Promise<void> {
    // Start on a fresh slice: back-to-back short calls would otherwise never yield.
    await yieldSlice()
    startCall(ex, inst, f)
    while (run(ex, fuel) === RunState.SUSPENDED) await yieldSlice()
}

/** A temporary execution whose stacks come from the instance's own arena account. */
function scratchExecution(inst: Instance): Execution {
    return new Execution(inst.limits.stackBytes, inst.limits.callDepth, inst.account())
}

/** Creates an instance and runs its start function (synchronously). */
export function instantiate(mod: LoadedModule, resolve: ImportResolver, limits?: Limits, ex?: Execution): Instance {
    const inst = createInstance(mod, resolve, limits)
    if (mod.start >= 0) {
        const run = ex === undefined || ex === null ? scratchExecution(inst) : ex
        try {
            callSync(run, inst, mod.start)
        } finally {
            if (run !== ex) run.release()
        }
    }
    return inst
}

/**
 * The same, yielding between steps (devices: a module with thousands of imports or a long start
 * function must not stall), and running the start function in slices.
 */
export async function instantiateAsync(mod: LoadedModule, resolve: ImportResolver, limits?: Limits, ex?: Execution): Promise<Instance> {
    const job = new InstantiateJob(mod, resolve, limits)
    while (!job.step()) await yieldSlice()
    const inst = job.inst
    if (mod.start >= 0) {
        const run = ex === undefined || ex === null ? scratchExecution(inst) : ex
        try {
            await callAsync(run, inst, mod.start, inst.limits.sliceFuel)
        } finally {
            if (run !== ex) run.release()
        }
    }
    return inst
}

/**
 * Calls an exported function with i32 arguments and returns its first i32 result (or 0).
 * Runs in slices so a long computation never trips DeviceScript's InfiniteLoop guard.
 */
export async function callExport(inst: Instance, name: string, args: number[], ex?: Execution): Promise<number> {
    const f = inst.module.findExport(name, ExternKind.FUNC)
    if (f < 0) throw new Error(`no exported function "${name}"`)
    // Without an execution of its own the call gets a temporary one from the app's arena
    // account: nothing stays allocated between calls, and nothing comes from the heap.
    const run = ex === undefined || ex === null ? scratchExecution(inst) : ex
    try {
        for (let i = 0; i < args.length; i++) run.stack.setAt(run.base + i * 8, "i32", args[i] | 0)
        await callAsync(run, inst, f, inst.limits.sliceFuel)
        return run.stack.getAt(run.base, "i32")
    } finally {
        if (run !== ex) run.release()
    }
}
