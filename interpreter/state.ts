// The machine's registers that op handlers outside the run loop need: the value stack and the
// running instance with its code and memory. Module-level variables, because on DeviceScript
// they cost the same as locals while a property read on an object costs twice as much.
// Only the setters below write them.

import type { Instance } from "./instance"
import type { Memory } from "./memory"
import type { Execution } from "./machine"

/** Value stack of the running execution. */
export let S: Buffer = null
/** Instance whose code is running. */
export let inst: Instance = null
/** Its image (code and data). */
export let code: Buffer = null
/** Its memory (null when it has none). */
export let mem: Memory = null

/** The running execution (bulk ops that span slices keep their progress in it). */
export let ex: Execution = null

export function setExecution(e: Execution): void {
    ex = e
    S = e.stack
}

export function enterInstance(i: Instance): void {
    inst = i
    code = i.code
    mem = i.memory
}

/**
 * Fuel used by a bulk operation (memory.copy, fill, init over many chunks): Memory adds to it,
 * the run loop charges it after the op, so a run of big copies still ends its slice in time.
 */
export let bulkFuel = 0

export function chargeBulk(n: number): void {
    bulkFuel += n
}

export function takeBulkFuel(): number {
    const n = bulkFuel
    bulkFuel = 0
    return n
}

/** Forgets the running execution and instance (once their app is gone they must not stay reachable from here). */
export function forgetRunning(): void {
    ex = null
    S = null
    inst = null
    code = null
    mem = null
}
