// wasmlet run [--interp] [--time] [--invoke NAME] prog.wasm [args...]
//
// Runs a WASI command program with a minimal wasi_snapshot_preview1 (stdout/stderr, args,
// clocks; no files), compiled to JavaScript by the Node-only JIT (host/jit), or with --interp on
// the interpreter (the engine the boards run). The exit status is the program's (proc_exit), or 1
// when it traps. --invoke NAME calls that export (no arguments) instead of _start and prints its
// results. --time prints compile and run times to stderr.

import "../../interpreter/platform/node-core"
import { readFileSync } from "node:fs"
import { basename } from "node:path"
import { runWasiProgram } from "../wasi/run"
import { runWasiProgramJit } from "../jit/run-wasi"

export const summary = "run a WASI command program (prog.wasm [args...]) on the JIT [--interp] [--time] [--invoke NAME]"

const USAGE = "usage: wasmlet run [--interp] [--time] [--invoke NAME] prog.wasm [args...]"

export async function main(args: string[]): Promise<number> {
    let time = false
    let interp = false
    let invoke: string
    let i = 0
    for (; i < args.length && args[i].startsWith("-"); i++) {
        if (args[i] === "--time") time = true
        else if (args[i] === "--interp") interp = true
        else if (args[i] === "--invoke") invoke = args[++i]
        else if (args[i] === "-h" || args[i] === "--help") {
            console.log(USAGE)
            return 0
        } else if (args[i] === "--") {
            i++
            break
        } else {
            console.error(`wasmlet run: unknown option ${args[i]}\n${USAGE}`)
            return 2
        }
    }
    const file = args[i]
    if (file === undefined) {
        console.error(USAGE)
        return 2
    }
    const run = interp ? runWasiProgram : runWasiProgramJit
    const r = run(new Uint8Array(readFileSync(file)), { args: [basename(file), ...args.slice(i + 1)], invoke })
    if (invoke !== undefined && r.trap === undefined) console.log(r.values.join(" "))
    if (r.trap !== undefined) console.error(`wasmlet run: ${basename(file)} trapped: ${r.trap}`)
    if (time) console.error(`wasmlet run: compile ${r.compileMs.toFixed(1)} ms, run ${r.runMs.toFixed(1)} ms, exit ${r.exitCode}`)
    return r.exitCode
}
