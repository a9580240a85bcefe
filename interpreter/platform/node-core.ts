// Node stand-in for the few parts of "@devicescript/core" the engine uses.
// It is wired in by an alias (vitest.config.ts, host/build.mjs), never imported directly.
//
// It also adds DeviceScript's Buffer methods to Node's Buffer, copying the
// DeviceScript behaviours that hide bugs when Node is more forgiving:
//  - setAt saturates integers instead of wrapping (u32 -1 -> 0, i32 2^31 -> 0x7fffffff);
//  - setAt past the end throws RangeError("buffer store out of range");
//  - getAt past the end returns undefined;
//  - floats lose -0, NaN payloads and (f64) subnormals on the way through a number;
//  - a negative offset is a bug: DeviceScript would silently read or corrupt its heap,
//    so here it throws loudly.
import { installDeviceScriptBuffer } from "./node-buffer"
import { setDefaultArenaBytes } from "../arena"

installDeviceScriptBuffer()
// Node has memory to spare: instances created without an arena account share a large default
// arena (the spec testsuite touches many 64 KiB pages). Boards use the firmware's fixed arena.
export const NODE_ARENA_BYTES = 256 * 1024 * 1024
setDefaultArenaBytes(NODE_ARENA_BYTES)

export const __nodeShim = true
const start = Date.now()

export function millis(): number {
    return Date.now() - start
}

export function sleep(ms: number): Promise<void> {
    return new Promise(resolve => setTimeout(resolve, ms))
}

export function isSimulator(): boolean {
    return false
}
