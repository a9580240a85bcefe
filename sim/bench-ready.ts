// Benchmark (not a test): time from `wasmlet sim` to accepting commands, i.e. from spawning the
// command to its "[start] ready" line (the board's first announce of the wasmlet manager service,
// seen on the link). Each run in a private network namespace where possible, on a board of its own
// (its flash kept between runs, as a user's would be); the firmware's build is made first (cached).
// Prints the phases of the last run and the median.
//
//   tsx sim/bench-ready.ts [--runs N] [-- wasmlet sim options, e.g. --firmware x.devs]
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ROOT, privateNetworkPrefix, startGroup, stopGroup } from "../scripts/lib/devs"
import { cachedProgram } from "../host/firmware/cache"
import { ENTRY } from "./start"

const argv = process.argv.slice(2)
const dash = argv.indexOf("--")
const extra = dash >= 0 ? argv.slice(dash + 1) : []
const runsAt = argv.indexOf("--runs")
const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : 5

/** One run: ms from spawn to each phase's line. */
async function once(dir: string): Promise<Record<string, number>> {
    const t0 = Date.now()
    const at: Record<string, number> = {}
    const phases: [string, RegExp][] = [
        ["program ready", /\[start\] (built|reusing)/],
        ["link up", /devtools> .*tcpsocket/],
        ["device started", /\[start\] device: process group/],
        ["VM on the link", /\[start\] board .* is on the link/],
        ["firmware booted", /device> wasmlet: idle/],
        ["accepts commands", /\[start\] ready:/],
    ]
    const [cmd, ...args] = [...privateNetworkPrefix(), process.execPath, join(ROOT, "host/bin/wasmlet.mjs"), "sim", "--name", "bench", "--no-sensors", ...extra]
    let done!: () => void
    const ready = new Promise<void>(r => (done = r))
    const child = startGroup(cmd, args, {
        cwd: dir,
        onLine: l => {
            for (const [name, re] of phases) if (at[name] === undefined && re.test(l)) at[name] = Date.now() - t0
            if (at["accepts commands"] !== undefined) done()
        },
    })
    const timer = setTimeout(done, 120_000)
    await ready
    clearTimeout(timer)
    await stopGroup(child.pid)
    return at
}

if (!extra.includes("--firmware")) await cachedProgram(ENTRY)
const dir = mkdtempSync(join(tmpdir(), "wasmlet-bench-ready-"))
const totals: number[] = []
let last: Record<string, number> = {}
for (let i = 0; i < runs; i++) {
    last = await once(dir)
    totals.push(last["accepts commands"] ?? NaN)
    console.log(`run ${i + 1}: ${last["accepts commands"] ?? "never"} ms`)
}
console.log("last run, ms from spawning `wasmlet sim`:")
for (const [k, v] of Object.entries(last)) console.log(`  ${k.padEnd(18)} ${v}`)
const sorted = totals.filter(Number.isFinite).sort((a, b) => a - b)
console.log(`accepts commands: median ${sorted[Math.floor(sorted.length / 2)]} ms (min ${sorted[0]}, max ${sorted[sorted.length - 1]}, ${sorted.length}/${runs} runs)`)
rmSync(dir, { recursive: true, force: true })
