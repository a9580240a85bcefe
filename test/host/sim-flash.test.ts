// `wasmlet sim` keeps a board's flash between runs, --clear wipes it, and each --name has a flash
// of its own; two boards run at once on one link. Checked in the DeviceScript simulator with a tiny
// probe program (run with --firmware) that reads a counter from the settings store (flash), prints
// it and writes it back plus one; and with the real firmware (built with no baked apps), where an
// app installed with `wasmlet install --sim` is back after the board restarts.
import { existsSync, rmSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ROOT, run } from "../../scripts/lib/devs"
import { buildProbe, scenario, tempDir } from "./sim-harness"

const PROBE = `import { readSetting, writeSetting } from "@devicescript/settings"
const n: number = await readSetting("probe", 0)
console.log("probe: read " + n)
await writeSetting("probe", n + 1)
console.log("probe: wrote " + (n + 1))
`

let dir: string
let probe: string

beforeAll(async () => {
    dir = tempDir("wasmlet-sim-flash-")
    probe = await buildProbe(PROBE, dir, "probe")
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

const board = (name: string, ...more: string[]) => ["--name", name, "--firmware", probe, "--no-sensors", ...more]

describe("wasmlet sim: flash", () => {
    test("persists across runs, --clear wipes it, another --name starts empty", async () => {
        const r = await scenario(
            [
                { sim: board("p"), until: "probe: wrote" },
                { stop: true },
                { sim: board("p"), until: "probe: wrote" },
                { stop: true },
                { sim: board("p"), until: "probe: wrote" },
                { stop: true },
                { sim: board("p", "--clear"), until: "probe: wrote" },
                { stop: true },
                { sim: board("q"), until: "probe: wrote" },
                { stop: true },
            ],
            dir
        )
        expect(r.error, r.text).toBeUndefined()
        const read = (i: number) => r.steps[i].lines.find(l => /probe: read/.test(l))
        expect(read(0), r.text).toMatch(/probe: read 0$/)
        expect(r.steps[0].lines.join("\n")).toMatch(/board p: flash new/)
        expect(read(2), r.text).toMatch(/probe: read 1$/)
        expect(r.steps[2].lines.join("\n")).toMatch(/board p: flash kept/)
        expect(read(4), r.text).toMatch(/probe: read 2$/)
        expect(read(6), r.text).toMatch(/probe: read 0$/)
        expect(r.steps[6].lines.join("\n")).toMatch(/board p: flash cleared/)
        expect(read(8), r.text).toMatch(/probe: read 0$/)
        for (const i of [1, 3, 5, 7, 9]) expect(r.steps[i].code, r.text).toBe(130)
        expect(existsSync(join(dir, ".wasmlet/sims/p/.devicescript/flash/sim.bin"))).toBe(true)
        expect(existsSync(join(dir, ".wasmlet/sims/q/.devicescript/flash/sim.bin"))).toBe(true)
        // a stopped board leaves no lock behind
        expect(existsSync(join(dir, ".wasmlet/sims/p/running.pid"))).toBe(false)
    }, 300_000)

    test("two boards at once: the second joins the first one's link with its own device id; the same name twice is refused", async () => {
        const r = await scenario(
            [
                { board: "a", sim: board("a"), until: "is on the link as device" },
                { board: "b", sim: board("b"), until: "is on the link as device" },
                { run: ["sim", ...board("a")] },
                // no --name: the default board, and another of its own when that one is running
                { board: "d", sim: ["--firmware", probe, "--no-sensors"], until: "is on the link as device" },
                { board: "d2", sim: ["--firmware", probe, "--no-sensors"], until: "is on the link as device" },
                { board: "d2", stop: true },
                { board: "d", stop: true },
                { board: "b", stop: true },
                { board: "a", stop: true },
            ],
            dir
        )
        expect(r.error, r.text).toBeUndefined()
        const a = r.steps[0].lines.join("\n")
        const b = r.steps[1].lines.join("\n")
        expect(a).toMatch(/\[start\] devtools: process group/)
        expect(b).toMatch(/joining the Jacdac link running at/)
        expect(b).not.toMatch(/\[start\] devtools: process group/)
        const id = (s: string) => /is on the link as device ([0-9a-f]{16})/.exec(s)?.[1]
        expect(id(a)).toBeDefined()
        expect(id(b)).toBeDefined()
        expect(id(a)).not.toBe(id(b))
        // (each its own flash is not checked here: with two boards on one link, board b's settings
        // role can bind to board a's settings service and read a's counter, an open bug; the
        // sequential test above checks that another --name starts with a flash of its own)
        expect(r.steps[3].lines.join("\n"), r.text).toMatch(/board default: flash/)
        expect(r.steps[4].lines.join("\n"), r.text).toMatch(/board default is running already: this is board default-2/)
        expect(r.steps[2].code).toBe(1)
        expect(r.steps[2].lines.join("\n")).toMatch(/board a is running already/)
    }, { timeout: 300_000 })

    test("an app installed with wasmlet install is restarted after the board restarts; --clear removes it", async () => {
        const empty = join(dir, "empty.devs")
        const b = await run(process.execPath, [join(ROOT, "host/bin/wasmlet.mjs"), "build", "-o", empty], { cwd: dir, timeoutMs: 300_000 })
        expect(b.code, b.output).toBe(0)
        const sim = (...more: string[]) => ["--name", "inst", "--firmware", empty, "--no-sensors", ...more]
        const r = await scenario(
            [
                { sim: sim("--clear"), until: "\\[start\\] ready:" },
                { run: ["install", "t2", join(ROOT, "apps/samples/timer/timer.wasm"), "--sim"] },
                { until: "\\[t2\\] Timer update 0" },
                { stop: true },
                { sim: sim(), until: "\\[start\\] ready:" },
                { run: ["list", "--sim", "--json"] },
                { until: "\\[t2\\] Timer update 0" },
                { stop: true },
                { sim: sim("--clear"), until: "\\[start\\] ready:" },
                { run: ["list", "--sim", "--json"] },
                { stop: true },
            ],
            dir
        )
        expect(r.error, r.text).toBeUndefined()
        expect(r.steps[1].code, r.text).toBe(0)
        const list = (i: number) => JSON.parse(r.steps[i].lines.find(l => l.startsWith("["))!)
        expect(list(5), r.text).toEqual([expect.objectContaining({ name: "t2", state: "running", installed: true, baked: false })])
        expect(r.steps[4].lines.join("\n")).toMatch(/board inst: flash kept/)
        expect(list(9), r.text).toEqual([])
    }, 300_000)
})
