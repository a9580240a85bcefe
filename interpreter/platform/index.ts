// The one seam between the engine and the platform it runs on.
//
// Inside DeviceScript this resolves "@devicescript/core" to the real runtime.
// On Node (vitest, the host tool) the build aliases "@devicescript/core" to
// ./node-core.ts, which also teaches Node's Buffer DeviceScript's getAt/setAt.
// Nothing else in interpreter/ may import "@devicescript/core".
import * as ds from "@devicescript/core"

/** Milliseconds since start. Frozen inside one DeviceScript slice. */
export function millis(): number {
    return ds.millis()
}

/** Give the DeviceScript scheduler a turn (resets its 128K-step InfiniteLoop guard). */
export async function yieldSlice(): Promise<void> {
    await ds.sleep(0)
}
