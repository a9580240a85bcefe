// `wasmlet run` on Node: the device framework (framework/) on the interpreter, with the runtime's
// libc and WASI adapter, WAMR's test sensors and any scripted ones, the apps' console on stdout.
import "../../interpreter/platform/node-core"
import { Arena } from "../../interpreter/index"
import { App, AppState } from "../../framework/app"
import type { Clock } from "../../framework/clock"
import { HostSink, Runtime } from "../../framework/runtime"
import type { SensorSource } from "../../framework/sensor-source"
import { testSensors } from "../../framework/test-sensors"
import type { AppLimits } from "../../boards/profile"
import { profile as simulator } from "../../boards/simulator"
import { compileAppImage, supportImages } from "./app-images"
import { NodeClock } from "./node-clock"
import { TcpConnections } from "./tcp"

export interface AppToRun {
    name: string
    wasm: Uint8Array
    args?: string[]
}

export interface NodeRunOptions {
    /** Per-app limits (default: the simulator profile's, with room for big WASI programs). */
    limits?: AppLimits
    arenaBytes?: number
    clock?: Clock
    sensors?: SensorSource[]
    /** Export to call in the first app instead of its start (its i32 result is returned). */
    invoke?: string
    /** Stop after this many ms (default: when every app has exited, or never). */
    forMs?: number
    /** Each console line of an app; `prefix` is true when several apps run. */
    onLine?: (app: string, line: string, prefix: boolean) => void
    onNote?: (note: string) => void
    /** Set to stop the run (Ctrl-C). */
    signal?: { stop: boolean }
}

export interface NodeRunResult {
    /** The first app's exit code: its own for a command, 0 for an app stopped by time or signal, 1 on a failed install. */
    exitCode: number
    invokeResult?: number
    compileMs: number
    runMs: number
    apps: App[]
}

/** Generous defaults for the host: what a board profile gives one app, times 16. */
export function hostLimits(): AppLimits {
    return { ...simulator.limits, appArenaBytes: 256 * 1024, maxApps: 16 }
}

export async function runOnFramework(apps: AppToRun[], opts: NodeRunOptions = {}): Promise<NodeRunResult> {
    const t0 = performance.now()
    const images = apps.map(a => Buffer.from(compileAppImage(a.wasm).image))
    const support = supportImages()
    const t1 = performance.now()
    const limits = opts.limits ?? hostLimits()
    // on the host every app can have its whole quota (a board's arena is shared and smaller)
    const arena = new Arena(opts.arenaBytes ?? limits.appArenaBytes * Math.max(1, apps.length))
    const prefix = apps.length > 1
    const onLine = opts.onLine ?? ((app, line, p) => process.stdout.write((p ? `[${app}] ` : "") + line + "\n"))
    // a command's normal end is no news; traps, the watchdog and failures are
    const onNote = opts.onNote ?? (note => (/exited with code 0$/.test(note) ? undefined : process.stderr.write(`wasmlet: ${note}\n`)))
    const host: HostSink = {
        response: () => {},
        event: () => {},
        console: (app, line) => onLine(app.name, line, prefix),
        status: (_app, note) => onNote(note),
    }
    const clock = opts.clock ?? new NodeClock()
    const rt = new Runtime(arena, limits, clock, host, [...testSensors(), ...(opts.sensors ?? [])], support.libc, support.wasi)
    rt.connections = new TcpConnections(rt)
    const installed: App[] = []
    for (let i = 0; i < apps.length; i++) {
        try {
            installed.push(await rt.install(apps[i].name, images[i], false, apps[i].args ?? [apps[i].name]))
        } catch (e: any) {
            onNote(e.message)
            return { exitCode: 1, compileMs: t1 - t0, runMs: 0, apps: installed }
        }
    }
    const first = installed[0]
    if (opts.invoke !== undefined) {
        first.queue = first.queue.filter(m => m.kind !== 7 /* Kind.START */)
        if (!rt.invoke(first, opts.invoke)) {
            onNote(`${first.name} exports no function "${opts.invoke}"`)
            return { exitCode: 1, compileMs: t1 - t0, runMs: 0, apps: installed }
        }
    }
    const tRun = clock.now()
    const done = () => {
        if (opts.signal?.stop) return true
        if (opts.forMs !== undefined && clock.now() - tRun >= opts.forMs) return true
        if (opts.invoke !== undefined) return first.queue.length === 0 && first.phase === 0
        // the run ends when no app runs any more (commands exit; event-driven apps run until stopped)
        return installed.every(a => a.state !== AppState.RUNNING)
    }
    const t2 = performance.now()
    while (!done()) await rt.turn()
    const runMs = performance.now() - t2
    const r: NodeRunResult = { exitCode: first.exitCode >= 0 ? first.exitCode : 0, compileMs: t1 - t0, runMs, apps: installed }
    if (opts.invoke !== undefined) r.invokeResult = first.result
    return r
}
