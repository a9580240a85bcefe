// `npm run build`: regenerate the firmware's flash images (support modules, sample apps), build the firmware, print its bytecode size and idle
// heap against the budgets (boards/budgets.json); with --boards also build every board's entry.
// Exits 1 if a build fails or a budget is exceeded.
import { pathToFileURL } from "node:url"
import { hardwareBoards } from "../boards/index"
import { writeGenerated } from "./gen-firmware-images"
import { measureAndCheck } from "./firmware-metrics"
import { buildFirmware } from "./lib/devs"

export function boardEntry(id: string): string {
    return `firmware/src/boards/${id}.ts`
}

export async function buildBoards(log: (s: string) => void = console.log): Promise<{ id: string; ok: boolean }[]> {
    const results = await Promise.all(
        hardwareBoards.map(async b => {
            const r = await buildFirmware(boardEntry(b.id))
            if (r.ok) log(`board ${b.id}: built ${boardEntry(b.id)}, bytecode ${r.sizes!.total} B`)
            else log(`board ${b.id}: BUILD FAILED\n${r.output}`)
            return { id: b.id, ok: r.ok }
        })
    )
    return results
}

async function main() {
    const changed = writeGenerated()
    console.log(changed.length ? `firmware images: wrote ${changed.join(", ")}` : "firmware images: up to date")
    let ok = true
    const checks = await measureAndCheck()
    if (!checks.every(c => c.ok)) ok = false
    if (process.argv.includes("--boards")) {
        const boards = await buildBoards()
        if (!boards.every(b => b.ok)) ok = false
    }
    process.exit(ok ? 0 : 1)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    main().catch(e => {
        console.error(e)
        process.exit(1)
    })
}
