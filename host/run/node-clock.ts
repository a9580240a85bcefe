// Real time for the framework on Node (`wasmlet run`): like a board's clock, but a slice of app
// code is followed by a microtask turn rather than a timer tick, so apps run at Node's speed.
import type { Clock } from "../../framework/clock"

export class NodeClock implements Clock {
    private t0 = performance.now()
    private passes = 0
    now(): number {
        return Math.floor(performance.now() - this.t0)
    }
    sleep(ms: number): Promise<void> {
        return new Promise(r => setTimeout(r, ms))
    }
    async pass(): Promise<void> {
        // let timers and I/O (Ctrl-C, the host link) in now and then
        if ((++this.passes & 63) === 0) await new Promise<void>(r => setImmediate(r))
    }
}
