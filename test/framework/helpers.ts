// Framework test helpers: a runtime on Node with a virtual clock, recording what it tells the host.
import "../../interpreter/platform/node-core"
import { Arena } from "../../interpreter/index"
import { compileToImage } from "../../compiler/index"
import { Runtime, HostSink } from "../../framework/runtime"
import type { App } from "../../framework/app"
import type { SensorSource } from "../../framework/sensor-source"
import { VirtualClock } from "../../host/run/virtual-clock"
import { profile } from "../../boards/simulator"
import type { AppLimits } from "../../boards/profile"
import { watToWasm } from "../engine/helpers"

export class Recorder implements HostSink {
    lines: string[] = []
    notes: string[] = []
    responses: Buffer[] = []
    events: Buffer[] = []
    response(b: Buffer) {
        this.responses.push(Buffer.from(b))
    }
    event(b: Buffer) {
        this.events.push(Buffer.from(b))
    }
    console(app: App, line: string) {
        this.lines.push(`${app.name}: ${line}`)
    }
    status(app: App, note: string) {
        this.notes.push(note)
    }
}

export interface TestRuntime {
    rt: Runtime
    clock: VirtualClock
    host: Recorder
    arena: Arena
    /** Runs scheduler turns until `until()` or ms of virtual time have passed. */
    runFor(ms: number, until?: () => boolean): Promise<void>
}

export function makeRuntime(opts: { limits?: Partial<AppLimits>; sensors?: SensorSource[]; libc?: Buffer; wasi?: Buffer; arenaBytes?: number; msPerSlice?: number } = {}): TestRuntime {
    const arena = new Arena(opts.arenaBytes ?? profile.arenaBytes)
    const clock = new VirtualClock(opts.msPerSlice ?? 0)
    const host = new Recorder()
    const limits = { ...profile.limits, ...(opts.limits ?? {}) }
    const rt = new Runtime(arena, limits, clock, host, opts.sensors ?? [], opts.libc ?? null, opts.wasi ?? null)
    const runFor = async (ms: number, until?: () => boolean) => {
        const end = clock.now() + ms
        let turns = 0
        while (clock.now() < end && !(until && until())) {
            await rt.turn()
            if (++turns > 5_000_000) throw new Error("runFor: too many turns")
        }
    }
    return { rt, clock, host, arena, runFor }
}

export async function watImage(src: string): Promise<Buffer> {
    return Buffer.from(compileToImage(await watToWasm(src)))
}
