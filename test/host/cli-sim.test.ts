// The board commands against the DeviceScript simulator (wasmlet sim with the default firmware: the
// publisher and subscriber baked in), as a user types them, one scenario in a private network
// namespace (test/host/sim-harness.ts): list, install the timer, its console, an event of the baked
// publisher, host-tool's query, uninstall, an invalid module refused on the host. (Installing over
// a baked app and getting it back on uninstall: test/link/client.test.ts.) Slow (a minute or so): the simulator boots once.
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { beforeAll, describe, expect, test } from "vitest"
import { ROOT } from "../../scripts/lib/devs"
import { watToWasm } from "../engine/helpers"
import { scenario, tempDir } from "./sim-harness"

const TIMER = join(ROOT, "apps/samples/timer/timer.wasm")

let dir: string
let invalid: string
beforeAll(async () => {
    dir = tempDir("wasmlet-cli-sim-")
    invalid = join(dir, "bad.wasm")
    writeFileSync(invalid, await watToWasm(`(module (func (export "f") (result i32) (i64.const 0)))`))
})

/** The JSON document a step printed (the last line that parses). */
function json(lines: string[]): any {
    for (const l of [...lines].reverse()) {
        if (!/^[[{]/.test(l)) continue
        try {
            return JSON.parse(l)
        } catch {
            // not this one
        }
    }
    return undefined
}

describe("wasmlet board commands in the simulator", () => {
    test("list, install, logs, subscribe, host-tool -q, uninstall, an invalid module", async () => {
        const r = await scenario(
            [
                { sim: ["--name", "cli", "--clear", "--no-sensors"], until: "\\[start\\] ready:" },
                { run: ["list", "--sim", "--json"] }, // 1
                { run: ["install", "timer", TIMER, "--sim", "--json"] }, // 2
                { until: "\\[timer\\] Timer update 1" },
                { run: ["list", "--sim", "--json"] }, // 4
                { run: ["logs", "timer", "--sim", "--json"] }, // 5
                { run: ["subscribe", "alert/overheat", "--count", "1", "--sim", "--json"] }, // 6
                { run: ["host-tool", "-qtimer", "--sim"] }, // 7
                { run: ["uninstall", "timer", "--sim"] }, // 8
                { run: ["list", "--sim", "--json"] }, // 9
                { run: ["install", "bad", invalid, "--sim"] }, // 10
                { stop: true },
            ],
            dir
        )
        expect(r.error, r.text).toBeUndefined()
        const names = (i: number) => json(r.steps[i].lines).map((a: any) => a.name)
        // the default firmware bakes in the publisher and subscriber (npm start installs the timer)
        expect(names(1), r.text).toEqual(["event_publisher", "event_subscriber"])
        expect(json(r.steps[1].lines)[0]).toMatchObject({ name: "event_publisher", state: "running", baked: true, installed: false, inFlash: true })

        expect(r.steps[2].code, r.text).toBe(0)
        const inst = json(r.steps[2].lines)
        expect(inst, r.text).toMatchObject({ name: "timer", resent: expect.any(Number) })
        expect(inst.storedBytes).toBeLessThan(inst.imageBytes)
        expect(json(r.steps[4].lines).find((a: any) => a.name === "timer"), r.text).toMatchObject({ state: "running", baked: false, installed: true, inFlash: false })

        expect(r.steps[5].code, r.text).toBe(0)
        expect(r.steps[5].lines.some(l => l.startsWith('{"app":"timer","kind":"console","text":"Timer update')), r.text).toBe(true)

        expect(r.steps[6].code, r.text).toBe(0)
        expect(json(r.steps[6].lines), r.text).toMatchObject({ url: "alert/overheat", fmt: 99 })

        expect(r.steps[7].code, r.text).toBe(69)
        expect(r.steps[7].lines.join("\n"), r.text).toMatch(/response status 69\n\{\n\t"name":\t"timer",\n\t"heap":\t\d+\n\}/)

        expect(r.steps[8].code, r.text).toBe(0)
        expect(json(r.steps[9].lines).map((a: any) => a.name), r.text).toEqual(["event_publisher", "event_subscriber"])

        expect(r.steps[10].code, r.text).toBe(1)
        expect(r.steps[10].lines.join("\n"), r.text).toMatch(/bad\.wasm is not a module the board can run/)
    }, 300_000)
})
