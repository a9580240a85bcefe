// Time for the scheduler: the board's (DeviceScript's millis and sleep) or, on Node, either real
// time or a virtual clock that tests and `wasmlet run --fast` use so that timer periods are exact
// and nothing waits for the wall clock.
import * as ds from "@devicescript/core"

export interface Clock {
    /** Milliseconds since the clock started. */
    now(): number
    /** Waits ms (0: just lets other fibers run). */
    sleep(ms: number): Promise<void>
    /** After each slice of app code: a turn for DeviceScript's other fibers (and its step guard). */
    pass(): Promise<void>
}

export class BoardClock implements Clock {
    private t0 = ds.millis()
    now(): number {
        return ds.millis() - this.t0
    }
    async sleep(ms: number): Promise<void> {
        await ds.sleep(ms)
    }
    async pass(): Promise<void> {
        await ds.sleep(0)
    }
}
