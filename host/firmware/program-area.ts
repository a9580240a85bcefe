// How large a DeviceScript program image (.devs: functions, strings, hex literals) a board can
// take. The image lives in the "large" area of the board's flash store (jacdac-c fstor), next to the
// settings: a deploy of a larger image fails on the board (deploy error -1), so `wasmlet build`
// refuses it on the host instead.
//
// The simulator's figure is measured (boards/budgets.json programImageBytes: 110336 B deploys,
// 110720 B does not). RP2040 boards have the same 128 KB store (../shared/devicescript-facts.md §5:
// ≈112 KB on both), so the same figure holds; ESP32 boards have a 256 KB store (≈224 KB), taken as
// twice the simulator's measured figure (an estimate until measured on a board).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "../../scripts/lib/devs"
import { boards } from "../../boards/index"

export interface ProgramArea {
    bytes: number
    /** Where the figure comes from. */
    source: string
}

export function simulatorProgramBytes(): number {
    return JSON.parse(readFileSync(join(ROOT, "boards/budgets.json"), "utf8")).programImageBytes
}

/** The program area of a board id ("simulator" or a profile id in boards/). */
export function programArea(board: string): ProgramArea {
    const sim = simulatorProgramBytes()
    if (board === "simulator") return { bytes: sim, source: "measured in the simulator (boards/budgets.json programImageBytes)" }
    const p = boards.find(b => b.id === board)
    if (!p) throw new Error(`unknown board "${board}" (boards: ${boards.map(b => b.id).join(", ")})`)
    if (p.arch.startsWith("rp2040")) return { bytes: sim, source: "RP2040: the simulator's 128 KB store, as measured there" }
    if (p.arch.startsWith("esp32")) return { bytes: 2 * sim, source: "ESP32: a 256 KB store, estimated as twice the simulator's measured figure" }
    throw new Error(`board ${board}: no program area known for arch ${p.arch}`)
}
