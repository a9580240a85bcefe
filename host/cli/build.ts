// wasmlet build --app NAME=app.wasm [--app ...] [--board ID] [-o out.devs] [--json]
//
// Builds a board's firmware with apps baked into its program image (none without --app) (flash: hex literals, no heap):
// apps too large for RAM or for the settings store still run, started at boot like the
// firmware's own. Each .wasm is validated and compiled on the host first (an invalid module is
// refused with the validation error, nothing is built); the board's firmware entry
// (firmware/src/main.ts for the simulator, firmware/src/boards/<id>.ts) is rewritten with the apps
// as its baked list (host/firmware/entry.ts) and built with `devs build`; an image larger than the
// board's program area is refused. Send the result with `wasmlet deploy out.devs`, or run it with
// `wasmlet sim --firmware out.devs`.
//
// Exit codes (host/cli/_common.ts): 0 built; 1 refused (invalid module, build failed, too large); 2 usage.
import { readFileSync, writeFileSync } from "node:fs"
import { basename, resolve } from "node:path"
import { AppFile, BuildError, bakeFirmware } from "../firmware/build"
import { EXIT, InvalidModuleError, runCommand, UsageError } from "./_common"

export const summary = "build a board's firmware with apps baked in: --app NAME=app.wasm ... [--board ID] [-o out.devs]"

const USAGE =
    "usage: wasmlet build [--app [NAME=]app.wasm ...] [--board ID] [-o out.devs] [--json]\n" +
    "  no --app: the board's firmware with no apps baked in (a board to install apps into)"

const OPTIONS = {
    app: { type: "string", multiple: true },
    board: { type: "string" },
    out: { type: "string", short: "o" },
} as const

export async function main(args: string[]): Promise<number> {
    return runCommand("build", USAGE, args, { options: OPTIONS, min: 0, max: 0 }, async (p, out) => {
        const specs = (p.values.app as unknown as string[] | undefined) ?? []
        const board = (p.values.board as string | undefined) ?? "simulator"
        const outFile = (p.values.out as string | undefined) ?? `wasmlet-${board}.devs`
        const files: AppFile[] = specs.map(v => {
            const eq = v.indexOf("=")
            const path = eq > 0 ? v.slice(eq + 1) : v
            let wasm: Uint8Array
            try {
                wasm = new Uint8Array(readFileSync(path))
            } catch (e: any) {
                throw new UsageError(`cannot read ${path}: ${e.message}`)
            }
            return { name: eq > 0 ? v.slice(0, eq) : basename(path).replace(/\.wasm$/, ""), wasm }
        })
        let b
        try {
            b = await bakeFirmware(files, board)
        } catch (e: any) {
            if (e instanceof BuildError) throw new InvalidModuleError(e.message)
            throw e
        }
        writeFileSync(resolve(outFile), b.image)
        out.result(
            { out: resolve(outFile), board: b.board, imageBytes: b.image.length, limitBytes: b.limitBytes, bytecodeBytes: b.bytecodeBytes, apps: b.apps },
            [
                ...(b.apps.length ? b.apps.map(x => `  ${x.name}: ${x.kind}, ${x.wasmBytes} B of .wasm -> ${x.imageBytes} B of device image`) : ["  no apps baked in"]),
                `wrote ${outFile}: ${b.image.length} B of ${b.limitBytes} B (board ${b.board}), bytecode ${b.bytecodeBytes} B, built in ${(b.ms / 1000).toFixed(1)} s`,
            ]
        )
        return EXIT.OK
    })
}
