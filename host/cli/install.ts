// wasmlet install NAME app.wasm [--watch] [--port PATH | --sim] [--json] [--timeout MS]
//
// Compiles the module to its device image on the host (host/run/app-images.ts) and refuses it there,
// with the validator's message, before connecting; then uploads it to the board's app manager
// (host/link/: chunked, checked, resumable; the board replaces the installed version only once the
// new one checks out and starts). A progress bar on stderr when it is a terminal.
// --watch: installs, then reinstalls whenever the file changes (debounced), streaming the app's
// console in between, until Ctrl-C (exit 0); a version that does not validate is reported and the
// one on the board keeps running.
import { readFileSync, watch } from "node:fs"
import { basename, dirname, resolve } from "node:path"
import type { InstallReport } from "../link/upload"
import {
    Board,
    EXIT,
    InvalidModuleError,
    Output,
    TARGET_HELP,
    TARGET_USAGE,
    UsageError,
    bytes,
    duration,
    progressBar,
    runCommand,
    untilInterrupted,
    withBoard,
} from "./_common"
import { formatLogLine, logJson } from "./logs"

export const summary = "install an app on the board (compiled and checked on the host first) [--watch]"

const USAGE = `usage: wasmlet install NAME app.wasm [--watch] ${TARGET_USAGE}
  --watch    reinstall whenever app.wasm changes, showing the app's console, until Ctrl-C
${TARGET_HELP}`

/** Debounce of --watch: a build writes the file in several steps. */
export const WATCH_DEBOUNCE_MS = 250

/** The app's device image, or InvalidModuleError with the compiler's message. */
export async function compileForBoard(file: string): Promise<Uint8Array> {
    let wasm: Uint8Array
    try {
        wasm = new Uint8Array(readFileSync(file))
    } catch (e: any) {
        throw new UsageError(`cannot read ${file}: ${e.code === "ENOENT" ? "no such file" : e.message}`)
    }
    const { compileAppImage } = await import("../run/app-images")
    try {
        return compileAppImage(wasm).image
    } catch (e: any) {
        throw new InvalidModuleError(`${file} is not a module the board can run: ${e.message}`)
    }
}

export function installedJson(name: string, r: InstallReport) {
    return { name, imageBytes: r.imageBytes, storedBytes: r.storedBytes, arenaBytes: r.arenaBytes, chunks: r.chunks, resent: r.resent, resumedAt: r.resumedAt, ms: r.ms }
}

export function installedText(name: string, r: InstallReport, label: string): string {
    const extra = [r.resumedAt > 0 ? `resumed at chunk ${r.resumedAt}` : "", r.resent > 0 ? `${r.resent} chunks resent` : ""].filter(s => s).join(", ")
    return (
        `installed ${name} on ${label}: image ${bytes(r.imageBytes)}, stored ${bytes(r.storedBytes)} in ${r.chunks} chunks, ` +
        `arena ${bytes(r.arenaBytes)}, ${duration(r.ms)}${extra ? ` (${extra})` : ""}`
    )
}

async function installOnce(board: Board, name: string, image: Uint8Array, out: Output): Promise<InstallReport> {
    const bar = progressBar(`install ${name}`)
    try {
        const r = await board.client.install(name, image, { onProgress: p => bar.update(p) })
        bar.clear()
        out.result(installedJson(name, r), installedText(name, r, board.label))
        return r
    } catch (e) {
        bar.clear()
        throw e
    }
}

/** Reinstalls on every change of `file` until Ctrl-C; the app's console streams in between. */
async function watchAndReinstall(board: Board, name: string, file: string, out: Output, signal?: AbortSignal): Promise<number> {
    const off = board.client.onLog(l => {
        if (l.app === name) out.item(logJson(l), formatLogLine(l, false))
    })
    let timer: NodeJS.Timeout | undefined
    let running: Promise<void> = Promise.resolve()
    const reinstall = async () => {
        try {
            const image = await compileForBoard(file)
            await installOnce(board, name, image, out)
        } catch (e) {
            // reported, and the installed version stays; the watch goes on
            out.error("install", e)
        }
    }
    // the folder is watched, not the file: editors and compilers replace it (a new inode)
    const watcher = watch(dirname(resolve(file)), (_ev, f) => {
        if (f !== null && f !== basename(file)) return
        clearTimeout(timer)
        timer = setTimeout(() => (running = running.then(reinstall)), WATCH_DEBOUNCE_MS)
    })
    out.note(`watching ${file}: it is reinstalled when it changes (Ctrl-C stops)`)
    try {
        await untilInterrupted(signal)
    } finally {
        clearTimeout(timer)
        watcher.close()
        off()
        await running
    }
    return EXIT.OK
}

export async function main(args: string[], signal?: AbortSignal): Promise<number> {
    return runCommand("install", USAGE, args, { options: { watch: { type: "boolean" } }, min: 2, max: 2 }, async (p, out) => {
        const [name, file] = p.positionals
        const { checkName } = await import("../link/client")
        try {
            checkName(name)
        } catch (e: any) {
            throw new UsageError(e.message)
        }
        const image = await compileForBoard(file) // before connecting: an invalid module never reaches the board
        return withBoard(p.target, async board => {
            await installOnce(board, name, image, out)
            if (p.values.watch) return watchAndReinstall(board, name, file, out, signal)
            return EXIT.OK
        })
    })
}
