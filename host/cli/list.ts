// wasmlet list [--port PATH | --sim] [--json] [--timeout MS]
//
// The apps on the board, baked and installed, one row each (state, sizes, uptime, restarts, where it
// comes from, its last error), and a line of the board's limits and use. --json: an array of
// {name, state, imageBytes, arenaBytes, storedBytes, uptimeMs, restarts, baked, installed, inFlash,
// error}; `--json --board` an object {board, apps} with the board's figures as well.
import type { ListResult } from "../link/client"
import type { AppInfo, BoardInfo } from "../link/packets"
import { TARGET_HELP, TARGET_USAGE, bytes, duration, runCommand, withBoard } from "./_common"

export const summary = "list the apps on the board: state, image, arena and store use, uptime, last error"

const USAGE = `usage: wasmlet list [--board] ${TARGET_USAGE}
  --board    with --json: an object {board, apps} instead of the array of apps
${TARGET_HELP}`

export function appJson(a: AppInfo) {
    return {
        name: a.name,
        state: a.state,
        imageBytes: a.imageBytes,
        arenaBytes: a.arenaBytes,
        storedBytes: a.storedBytes,
        uptimeMs: a.uptimeMs,
        restarts: a.restarts,
        baked: a.baked,
        installed: a.installed,
        inFlash: a.inFlash,
        error: a.error,
    }
}

function origin(a: AppInfo): string {
    const o = [a.installed ? "installed" : "", a.baked ? (a.installed ? "overrides baked" : "baked") : "", a.inFlash ? "in flash" : ""]
    return o.filter(s => s).join(", ")
}

export function boardLine(b: BoardInfo, label: string): string {
    return (
        `${label}: board ${b.board || "?"}, ${b.apps} of ${b.maxApps} apps, arena ${bytes(b.arenaBytes - b.arenaFree)} of ${bytes(b.arenaBytes)} used ` +
        `(${bytes(b.appArenaBytes)} per app), store ${bytes(b.storeUsed)} of ${bytes(b.storeCapacity)} used`
    )
}

/** The human table: a header, one row per app, then the board line. */
export function formatList(r: ListResult, label: string): string[] {
    const rows = r.apps.map(a => [
        a.name,
        a.state,
        bytes(a.imageBytes),
        bytes(a.arenaBytes),
        a.storedBytes ? bytes(a.storedBytes) : "-",
        a.state === "running" ? duration(a.uptimeMs) : "-",
        String(a.restarts),
        origin(a),
    ])
    const head = ["NAME", "STATE", "IMAGE", "ARENA", "STORED", "UPTIME", "RESTARTS", "FROM"]
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
    const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ").trimEnd()
    const out = r.apps.length ? [line(head), ...rows.map(line)] : ["no apps"]
    for (const a of r.apps) if (a.error) out.push(`${a.name}: ${a.error}`)
    out.push(boardLine(r.board, label))
    return out
}

export async function main(args: string[]): Promise<number> {
    return runCommand("list", USAGE, args, { options: { board: { type: "boolean" } }, min: 0, max: 0 }, async (p, out) => {
        await withBoard(p.target, async b => {
            const r = await b.client.list()
            const apps = r.apps.map(appJson)
            out.result(p.values.board ? { board: { ...r.board, label: b.label }, apps } : apps, formatList(r, b.label))
        })
    })
}
