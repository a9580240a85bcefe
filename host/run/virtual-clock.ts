// A clock for the framework on Node that never waits: sleep() moves time forward at once, and
// every slice of app code counts as msPerSlice. Tests get exact timer periods and a watchdog that
// trips deterministically; `wasmlet run --fast` gets a simulation of time as fast as the host runs.
import type { Clock } from "../../framework/clock"

export class VirtualClock implements Clock {
    t = 0
    constructor(readonly msPerSlice = 0) {}
    now(): number {
        return this.t
    }
    async sleep(ms: number): Promise<void> {
        this.t += ms > 0 ? ms : 0
        await new Promise<void>(r => setImmediate(r))
    }
    async pass(): Promise<void> {
        this.t += this.msPerSlice
        // a microtask is enough between slices; a macrotask now and then lets I/O in
        if ((++this.passes & 255) === 0) await new Promise<void>(r => setImmediate(r))
    }
    private passes = 0
}
