// wasmlet run [--sim] [--interp] [--time] [--invoke NAME] [--for MS] [--board] [--sensors FILE] app.wasm [NAME=app.wasm ...] [-- args...]
//
// Runs apps until they exit or Ctrl-C: a WASI command (its _start, or a C main built with the
// SDK), or a WAMR-style app (on_init, then its timers, requests, events and sensor readings).
// Several apps given together run together, each console line prefixed with its app's name.
//   - one WASI command or plain module alone: the Node JIT (host/jit), fastest;
//   - anything else, or --interp: the device framework (framework/) on the interpreter, on Node;
//   - --sim: the same framework inside the DeviceScript simulator (the real firmware code), the
//     images in the generated program as hex literals (flash).
// --invoke NAME calls that export (no arguments) instead of the start and prints its result;
// --time prints compile and run times to stderr; --for MS stops after MS; --board keeps the
// simulator board's per-app limits on Node (default: generous host limits); --sensors FILE
// scripts simulated sensors (see sim/sensors.ts). The exit status is the first app's: its exit
// code, 0 when it was stopped by --for, 130 on Ctrl-C, 1 when it could not be installed or trapped.

import "../../interpreter/platform/node-core"
import { readFileSync } from "node:fs"
import { basename } from "node:path"
import { runWasiProgramJit } from "../jit/run-wasi"
import { compileApp } from "../../compiler/index"
import { AppToRun, hostLimits, runOnFramework } from "../run/node-runner"
import { profile as simulator } from "../../boards/simulator"

export const summary = "run apps (WASI commands, WAMR-style apps) until they exit or Ctrl-C [--sim] [--interp] [--invoke NAME] [--time]"

const USAGE =
    "usage: wasmlet run [--sim] [--interp] [--time] [--invoke NAME] [--for MS] [--board] [--sensors FILE] app.wasm [NAME=app.wasm ...] [-- args...]"

export interface RunArgs {
    sim: boolean
    interp: boolean
    time: boolean
    board: boolean
    invoke?: string
    forMs?: number
    sensors?: string
    apps: AppToRun[]
}

/** Parses the command line; throws an Error with the usage problem. */
export function parseRunArgs(args: string[]): RunArgs {
    const r: RunArgs = { sim: false, interp: false, time: false, board: false, apps: [] }
    let i = 0
    for (; i < args.length && args[i].startsWith("-"); i++) {
        const a = args[i]
        if (a === "--sim") r.sim = true
        else if (a === "--interp") r.interp = true
        else if (a === "--time") r.time = true
        else if (a === "--board") r.board = true
        else if (a === "--invoke") r.invoke = args[++i]
        else if (a === "--for") r.forMs = Number(args[++i])
        else if (a === "--sensors") r.sensors = args[++i]
        else if (a === "--") {
            i++
            break
        } else throw new Error(`unknown option ${a}`)
    }
    if (r.forMs !== undefined && !(r.forMs >= 0)) throw new Error("--for needs a number of milliseconds")
    for (; i < args.length && /\.wasm$/.test(args[i]); i++) {
        const eq = args[i].indexOf("=")
        const path = eq > 0 ? args[i].slice(eq + 1) : args[i]
        const name = eq > 0 ? args[i].slice(0, eq) : basename(path, ".wasm")
        if (r.apps.some(a => a.name === name)) throw new Error(`two apps named ${name}: name them, e.g. other=${path}`)
        r.apps.push({ name, wasm: new Uint8Array(readFileSync(path)) })
    }
    if (r.apps.length === 0) throw new Error("no app given")
    if (args[i] === "--") i++
    r.apps[0].args = [r.apps[0].name, ...args.slice(i)]
    return r
}

export async function main(args: string[]): Promise<number> {
    if (args.includes("-h") || args.includes("--help")) {
        console.log(USAGE)
        return 0
    }
    let a: RunArgs
    try {
        a = parseRunArgs(args)
    } catch (e: any) {
        console.error(`wasmlet run: ${e.message}\n${USAGE}`)
        return 2
    }
    let kind: string
    try {
        kind = compileApp(a.apps[0].wasm).kind
    } catch (e: any) {
        console.error(`wasmlet run: ${a.apps[0].name}: ${e.message}`)
        return 1
    }
    if (a.sim) {
        const { runInSimulator } = await import("../run/sim-runner")
        return runInSimulator(a)
    }
    if (a.apps.length === 1 && kind !== "wamr" && !a.interp) {
        // the fast path: a command on the JIT
        const r = runWasiProgramJit(a.apps[0].wasm, { args: a.apps[0].args, invoke: a.invoke })
        if (a.invoke !== undefined && r.trap === undefined) console.log(r.values.join(" "))
        if (r.trap !== undefined) console.error(`wasmlet run: ${a.apps[0].name} trapped: ${r.trap}`)
        if (a.time) console.error(`wasmlet run: compile ${r.compileMs.toFixed(1)} ms, run ${r.runMs.toFixed(1)} ms, exit ${r.exitCode}`)
        return r.exitCode
    }
    const signal = { stop: false }
    let interrupted = false
    const onSigint = () => {
        interrupted = true
        signal.stop = true
    }
    process.on("SIGINT", onSigint)
    try {
        const sensors = a.sensors !== undefined ? (await import("../run/scripted-sensors")).scriptedSensors(a.sensors) : []
        const r = await runOnFramework(a.apps, {
            limits: a.board ? simulator.limits : hostLimits(),
            arenaBytes: a.board ? simulator.arenaBytes : undefined,
            invoke: a.invoke,
            forMs: a.forMs,
            signal,
            sensors,
        })
        if (a.invoke !== undefined && r.apps.length > 0 && r.apps[0].lastError === null && r.apps[0].invokeResults > 0) console.log(String(r.invokeResult >>> 0))
        if (a.time) console.error(`wasmlet run: compile ${r.compileMs.toFixed(1)} ms, run ${r.runMs.toFixed(1)} ms, exit ${r.exitCode}`)
        if (interrupted) return 130
        const first = r.apps[0]
        if (first !== undefined && first.exitCode < 0 && first.lastError !== null && a.invoke !== undefined) return 1
        return r.exitCode
    } finally {
        process.off("SIGINT", onSigint)
    }
}
