// wasmlet build --app NAME=app.wasm [--app ...] [--board ID] [-o out.devs] [--json]
//
// Builds a board's firmware with apps baked into its program image (flash: hex literals, no heap):
// apps too large for RAM or for the settings store still run, started at boot like the
// firmware's own. Each .wasm is validated and compiled on the host first (an invalid module is
// refused with the validation error, nothing is built); the board's firmware entry
// (firmware/src/main.ts for the simulator, firmware/src/boards/<id>.ts) is rewritten with the apps
// as its baked list (host/firmware/entry.ts) and built with `devs build`; an image larger than the
// board's program area is refused. Send the result with `wasmlet deploy out.devs`, or run it with
// `wasmlet sim --firmware out.devs`.
//
// Exit codes: 0 built; 1 refused (invalid module, build failed, too large); 2 usage error.
import { readFileSync, writeFileSync } from "node:fs"
import { basename, resolve } from "node:path"
import { AppFile, BuildError, bakeFirmware } from "../firmware/build"

export const summary = "build a board's firmware with apps baked in: --app NAME=app.wasm ... [--board ID] [-o out.devs]"

const USAGE = "usage: wasmlet build --app [NAME=]app.wasm [--app ...] [--board ID] [-o out.devs] [--json]"

export interface BuildArgs {
    apps: { name: string; path: string }[]
    board: string
    out: string
    json: boolean
}

export function parseBuildArgs(args: string[]): BuildArgs {
    const r: BuildArgs = { apps: [], board: "simulator", out: "", json: false }
    for (let i = 0; i < args.length; i++) {
        const a = args[i]
        const value = () => {
            const v = args[++i]
            if (v === undefined) throw new Error(`${a} needs a value`)
            return v
        }
        if (a === "--app") {
            const v = value()
            const eq = v.indexOf("=")
            const path = eq > 0 ? v.slice(eq + 1) : v
            r.apps.push({ name: eq > 0 ? v.slice(0, eq) : basename(path).replace(/\.wasm$/, ""), path })
        } else if (a === "--board") r.board = value()
        else if (a === "-o" || a === "--out") r.out = value()
        else if (a === "--json") r.json = true
        else throw new Error(`unknown argument ${a}`)
    }
    if (!r.apps.length) throw new Error("no app given (--app NAME=app.wasm)")
    if (!r.out) r.out = `wasmlet-${r.board}.devs`
    return r
}

export async function main(args: string[]): Promise<number> {
    if (args.includes("-h") || args.includes("--help")) {
        console.log(USAGE)
        return 0
    }
    let a: BuildArgs
    try {
        a = parseBuildArgs(args)
    } catch (e: any) {
        console.error(`wasmlet build: ${e.message}\n${USAGE}`)
        return 2
    }
    let files: AppFile[]
    try {
        files = a.apps.map(x => ({ name: x.name, wasm: new Uint8Array(readFileSync(x.path)) }))
    } catch (e: any) {
        console.error(`wasmlet build: ${e.message}`)
        return 1
    }
    try {
        const b = await bakeFirmware(files, a.board)
        const out = resolve(a.out)
        writeFileSync(out, b.image)
        if (a.json) {
            console.log(JSON.stringify({ out, board: b.board, imageBytes: b.image.length, limitBytes: b.limitBytes, bytecodeBytes: b.bytecodeBytes, apps: b.apps }))
        } else {
            for (const x of b.apps) console.log(`  ${x.name}: ${x.kind}, ${x.wasmBytes} B of .wasm -> ${x.imageBytes} B of device image`)
            console.log(`wrote ${a.out}: ${b.image.length} B of ${b.limitBytes} B (board ${b.board}), bytecode ${b.bytecodeBytes} B, built in ${(b.ms / 1000).toFixed(1)} s`)
        }
        return 0
    } catch (e: any) {
        if (!(e instanceof BuildError)) throw e
        console.error(`wasmlet build: ${e.message}`)
        return 1
    }
}
