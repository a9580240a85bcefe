// Where a simulated board keeps its flash between runs, and the identity it has on the link.
//
// The DeviceScript simulator (`devs run`, cli/src/build.ts devsStartWithNetwork in
// @devicescript/cli 2.16.4) keeps its whole flash (the deployed program and the settings store,
// where the app manager persists installed apps) in `.devicescript/flash/sim.bin` of the folder it
// runs in, loaded at start and written on every change; `devs run --test` keeps it in memory only.
// `devs run` has no option to clear it (`devs vm --clear-flash` has), so a board is wiped by
// removing the file before it starts. Self-deploying the program at start leaves the settings be.
//
// So each board gets a folder of its own and the simulator runs there: .wasmlet/sims/NAME of the
// current directory (NAME "default" unless --name). Its device id on the Jacdac link comes from its
// name (`devs run --device-id`: the VM hashes the string), so it is the same after a restart and
// differs between boards sharing one link.
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs"
import { join, resolve } from "node:path"

export const DEFAULT_BOARD = "default"

export interface BoardState {
    name: string
    /** The board's folder: `devs run` runs here. */
    dir: string
    /** The simulator's flash image. */
    flashFile: string
    /** Passed to `devs run --device-id`. */
    deviceId: string
}

export function boardState(name = DEFAULT_BOARD, base = process.cwd()): BoardState {
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(name)) throw new Error(`board name "${name}": use 1-32 letters, digits, _ or -`)
    const dir = resolve(base, ".wasmlet/sims", name)
    return { name, dir, flashFile: join(dir, ".devicescript/flash/sim.bin"), deviceId: "wasmlet-sim-" + name }
}

/** Makes the board's folder; with `clear`, wipes its flash first. Returns the flash's size before (0: none). */
export function prepareBoard(b: BoardState, clear: boolean): number {
    mkdirSync(b.dir, { recursive: true })
    const before = existsSync(b.flashFile) ? statSync(b.flashFile).size : 0
    if (clear) rmSync(b.flashFile, { force: true })
    return before
}
