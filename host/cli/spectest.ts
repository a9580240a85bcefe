// wasmlet spectest [-v] [--sim | --jit] [--timeout MS] PATH...
//
// PATH: a .json script written by wast2json (the .wasm files beside it) or a folder of them.
// Prints one line per file, "name: P passed, F failed, S skipped", with -v the failures (and
// notes) of each file, and ends with "N passed, M failed, K skipped". Exit status 1 when
// anything failed (2 for bad usage).

import "../../interpreter/platform/node-core"
import { existsSync, readdirSync, statSync } from "node:fs"
import { join } from "node:path"
import { runScript, FileResult } from "../spectest/runner"

export const summary = "run wast2json spec scripts (a .json or a folder of them) on the engine [-v] [--sim | --jit]"

const USAGE = `usage: wasmlet spectest [-v] [--notes] [--sim | --jit] [--timeout MS] PATH...
  PATH          a wast2json .json script (its .wasm files beside it) or a folder of them
                (in a folder, simd_* scripts are left out: the engine has no SIMD)
  -v            print every failure
  --notes       with -v, also print passed commands with a remark (validation reasons worded differently)
  --timeout MS  wall-clock limit of one invocation (default 30000)
  --sim         run the engine inside the DeviceScript simulator (one \`devs run\` per file; the
                host compiles, so assert_invalid/assert_malformed are decided on the host)
  --jit         run on the Node-only JIT (host/jit) instead of the interpreter (no --timeout)`

/** The .json scripts under PATH (a file or a folder), sorted; simd_* skipped in folders. */
export function scriptsIn(path: string): string[] {
    if (!existsSync(path)) throw new Error(`${path}: no such file or folder`)
    if (statSync(path).isDirectory())
        return readdirSync(path)
            .filter(f => f.endsWith(".json") && !f.startsWith("simd_"))
            .sort()
            .map(f => join(path, f))
    return [path]
}

export function line(r: { passed: number; failed: number; skipped: number }): string {
    return `${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`
}

export async function main(args: string[]): Promise<number> {
    let verbose = false
    let notes = false
    let sim = false
    let jit = false
    let timeoutMs = 30_000
    const paths: string[] = []
    for (let i = 0; i < args.length; i++) {
        const a = args[i]
        if (a === "-v" || a === "--verbose") verbose = true
        else if (a === "--notes") notes = true
        else if (a === "--sim") sim = true
        else if (a === "--jit") jit = true
        else if (a === "--timeout") timeoutMs = Number(args[++i])
        else if (a === "-h" || a === "--help") {
            console.log(USAGE)
            return 0
        } else if (a.startsWith("-")) {
            console.error(`wasmlet spectest: unknown option ${a}\n${USAGE}`)
            return 2
        } else paths.push(a)
    }
    if (paths.length === 0 || !(timeoutMs > 0) || (sim && jit)) {
        console.error(USAGE)
        return 2
    }
    let files: string[]
    try {
        files = paths.flatMap(scriptsIn)
    } catch (e) {
        console.error(`wasmlet spectest: ${(e as Error).message}`)
        return 2
    }
    const total = { passed: 0, failed: 0, skipped: 0 }
    for (const file of files) {
        let r: FileResult
        try {
            if (sim) r = await (await import("../spectest/sim")).runScriptInSim(file)
            else if (jit) r = runScript(file, {}, new (await import("../spectest/jit-engine")).JitEngine())
            else r = runScript(file, { timeoutMs })
        } catch (e) {
            // An unreadable script counts as one failure.
            r = { name: file, passed: 0, failed: 1, skipped: 0, failures: [`cannot run: ${(e as Error).message}`], notes: [] }
        }
        console.log(`${r.name}: ${line(r)}`)
        if (verbose) {
            for (const f of r.failures) console.log(`  FAIL ${f}`)
            if (notes) for (const n of r.notes) console.log(`  note ${n}`)
        }
        total.passed += r.passed
        total.failed += r.failed
        total.skipped += r.skipped
    }
    console.log(line(total))
    return total.failed > 0 ? 1 : 0
}
