// Firmware builds on the host: a DeviceScript entry built with `devs build` in a throw-away build
// folder (scripts/lib/devs.ts makeBuildDir, so that builds run side by side and leave the repo's
// .devicescript/ alone), giving the program image (.devs) and its debug info. Used by
// `wasmlet build --app ...` (a board's firmware with apps baked in: bakeFirmware) and by
// `wasmlet sim` (the default firmware, cached: ./cache.ts).
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { MAX_NAME } from "../../manager/protocol"
import { compileAppImage } from "../run/app-images"
import { devs, makeBuildDir, parseBytecodeDbg } from "../../scripts/lib/devs"
import { BakedAppImage, bakedEntrySource, boardEntry } from "./entry"
import { programArea } from "./program-area"

export interface ProgramBuild {
    /** The .devs program image. */
    image: Buffer
    /** bytecode-dbg.json of the build (source map, functions, the sources it was compiled from). */
    dbg: string
    /** Source files the build compiled, relative to the project (the generated entry among them). */
    sources: string[]
    ms: number
}

/** A refusal the user can act on (bad module, too large, build error): the message says what and why. */
export class BuildError extends Error {}

/**
 * `devs build` of `entry` (a path relative to the repo, or a file name in the build folder whose
 * text is `source`). Throws BuildError with the compiler's output when it fails.
 */
export async function devsBuild(entry: string, source?: string): Promise<ProgramBuild> {
    const b = makeBuildDir()
    try {
        if (source !== undefined) writeFileSync(join(b.dir, entry), source)
        const r = await devs(["build", entry, "--quiet"], { cwd: b.dir, timeoutMs: 300_000 })
        const bin = join(b.dir, ".devicescript/bin")
        if (r.code !== 0) throw new BuildError(`devs build ${entry} failed (exit ${r.code}${r.timedOut ? ", timed out" : ""}):\n${r.output}`)
        const dbg = readFileSync(join(bin, "bytecode-dbg.json"), "utf8")
        const sources = (JSON.parse(dbg).sources ?? []).map((s: { path: string }) => s.path)
        return { image: readFileSync(join(bin, "bytecode.devs")), dbg, sources, ms: r.ms }
    } finally {
        b.dispose()
    }
}

export interface AppFile {
    name: string
    wasm: Uint8Array
}

export interface BakedBuild extends ProgramBuild {
    board: string
    entry: string
    apps: { name: string; kind: string; imageBytes: number; wasmBytes: number }[]
    /** The board's program area (bytes) the image was checked against. */
    limitBytes: number
    /** Bytecode by DeviceScript's verifier rule (header + functions; must stay under 64 KB). */
    bytecodeBytes: number
}

/** Checks names (unique, ≤ MAX_NAME, [A-Za-z0-9_-]) and compiles each app; BuildError names the app and the validation error. */
export function compileApps(apps: AppFile[]): BakedAppImage[] {
    const seen = new Set<string>()
    return apps.map(a => {
        if (!/^[A-Za-z0-9_-]+$/.test(a.name)) throw new BuildError(`app name "${a.name}": use letters, digits, _ and - only`)
        if (a.name.length > MAX_NAME) throw new BuildError(`app name "${a.name}" is longer than ${MAX_NAME} characters`)
        if (seen.has(a.name)) throw new BuildError(`two apps named ${a.name}`)
        seen.add(a.name)
        try {
            const c = compileAppImage(a.wasm)
            return { name: a.name, image: c.image, kind: c.kind, usesWasi: c.usesWasi }
        } catch (e: any) {
            throw new BuildError(`${a.name}: invalid module: ${e.message}`)
        }
    })
}

/**
 * The board's firmware with `apps` baked in, built and checked against the board's program area.
 * Throws BuildError for an invalid module, a failed build, or an image too large for the board.
 */
export async function bakeFirmware(apps: AppFile[], board = "simulator"): Promise<BakedBuild> {
    const images = compileApps(apps)
    let entry: string
    try {
        entry = boardEntry(board)
    } catch (e: any) {
        throw new BuildError(e.message)
    }
    const area = programArea(board)
    const build = await devsBuild("wasmlet-build.ts", bakedEntrySource(entry, images))
    const sizes = parseBytecodeDbg(build.dbg)
    const list = images.map((a, i) => ({ name: a.name, kind: a.kind, imageBytes: a.image.length, wasmBytes: apps[i].wasm.length }))
    if (build.image.length > area.bytes) {
        const appBytes = list.reduce((s, a) => s + a.imageBytes, 0)
        throw new BuildError(
            `program image of ${build.image.length} B is too large for board ${board}: its program area holds ${area.bytes} B (${area.source}); ` +
                `${build.image.length - area.bytes} B over. The apps' images take ${appBytes} B (${list.map(a => `${a.name} ${a.imageBytes} B`).join(", ")}), the firmware the rest`
        )
    }
    return { ...build, board, entry, apps: list, limitBytes: area.bytes, bytecodeBytes: sizes.total }
}
