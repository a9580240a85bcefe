// `wasmlet build --app`: a firmware with a sample app baked in, built for real with `devs build`,
// boots in the simulator and starts the app (`wasmlet sim --firmware`), and reaches a running
// simulated board with `wasmlet deploy --sim` (its VM restarts with it). An invalid module and a
// build too large for the board's program area are refused, and nothing is written.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { ROOT, run } from "../../scripts/lib/devs"
import { simulatorProgramBytes } from "../../host/firmware/program-area"
import { bakedEntrySource } from "../../host/firmware/entry"
import { compileAppImage } from "../../host/run/app-images"
import { buildProbe, scenario, tempDir } from "./sim-harness"

const BIN = join(ROOT, "host/bin/wasmlet.mjs")
const TIMER = join(ROOT, "apps/samples/timer/timer.wasm")
const wasmlet = (args: string[], cwd: string) => run(process.execPath, [BIN, ...args], { cwd, timeoutMs: 300_000 })

let dir: string
let baked: string
let buildJson: any

beforeAll(async () => {
    dir = tempDir("wasmlet-baked-test-")
    baked = join(dir, "timer.devs")
    const r = await wasmlet(["build", "--app", `ticker=${TIMER}`, "-o", baked, "--json"], dir)
    if (r.code !== 0) throw new Error(`wasmlet build failed (${r.code}):\n${r.output}`)
    buildJson = JSON.parse(r.output.split("\n").find(l => l.startsWith("{"))!)
}, 300_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("wasmlet build --app", () => {
    test("writes a program image with the app baked in, within the simulator's program area", () => {
        const image = readFileSync(baked)
        expect(image.toString("latin1", 0, 4)).toBe("DevS")
        expect(buildJson.imageBytes).toBe(image.length)
        expect(buildJson.limitBytes).toBe(simulatorProgramBytes())
        expect(image.length).toBeLessThanOrEqual(simulatorProgramBytes())
        expect(buildJson.apps).toEqual([{ name: "ticker", kind: "wamr", imageBytes: expect.any(Number), wasmBytes: readFileSync(TIMER).length }])
        // the app's device image is in the program image as it is (a hex literal)
        expect(image.includes(Buffer.from(compileAppImage(readFileSync(TIMER)).image))).toBe(true)
    })

    test("the generated entry is the board's own with the apps in bootFirmware's baked list", () => {
        const src = bakedEntrySource("firmware/src/main.ts", [{ name: "x", image: new Uint8Array([0xab, 0xcd]), kind: "wasi" }])
        expect(src).toMatch(/bootFirmware\(profile, \[\s*new BakedApp\("x", hex`\s*abcd\s*`\),\s*\], LIBC_IMAGE, WASI_IMAGE/)
        expect(src).toContain('import { WASI_IMAGE } from "./firmware/src/wasi-image"')
        expect(src).toContain('from "./boards/simulator"')
        // the default firmware's sample apps are not imported (their hex literals would fill the program area)
        expect(src).not.toMatch(/sample-apps/)
    })

    test("refuses an invalid module with the validation error, before building", async () => {
        const bad = join(dir, "bad.wasm")
        writeFileSync(bad, Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x09]))
        const out = join(dir, "bad.devs")
        const r = await wasmlet(["build", "--app", `broken=${bad}`, "-o", out], dir)
        expect(r.code).toBe(1)
        expect(r.output).toMatch(/wasmlet build: broken: invalid module: .+/)
        expect(r.ms).toBeLessThan(10_000)
        expect(existsSync(out)).toBe(false)
    })

    test("refuses a build too large for the board's program area, saying by how much", async () => {
        // the WASI hello world built with wasi-libc: a 43.6 KB image next to the firmware and the WASI adapter
        const out = join(dir, "big.devs")
        const r = await wasmlet(["build", "--app", `hello=${join(ROOT, "apps/samples/wasi_hello/hello.wasi.wasm")}`, "-o", out], dir)
        expect(r.code, r.output).toBe(1)
        expect(r.output).toMatch(new RegExp(`program image of (\\d+) B is too large for board simulator: its program area holds ${simulatorProgramBytes()} B .*; (\\d+) B over`))
        const m = /program image of (\d+) B .* (\d+) B over/.exec(r.output)!
        expect(+m[1] - simulatorProgramBytes()).toBe(+m[2])
        expect(existsSync(out)).toBe(false)
    }, 300_000)

    test("the baked build boots in the simulator and starts its app", async () => {
        const r = await scenario([{ sim: ["--name", "baked", "--clear", "--firmware", baked, "--no-sensors"], until: "\\[ticker\\] Timer update 1" }, { stop: true }], dir)
        expect(r.error, r.text).toBeUndefined()
        const log = r.steps[1].lines.join("\n")
        expect(log).toMatch(/device> wasmlet: started ticker/)
        expect(log).toMatch(/device> \[ticker\] Timer update 0/)
        expect(log).not.toMatch(/wasmlet: started (timer|event_publisher|event_subscriber)/)
        expect(log).not.toMatch(/trapped|PANIC/)
    }, 300_000)

    test("wasmlet deploy --sim sends it to a running board, whose VM restarts with it; again, it is not resent", async () => {
        const idle = await buildProbe('console.log("probe: idle firmware")\n', dir, "idle")
        const r = await scenario(
            [
                { sim: ["--name", "deploy", "--clear", "--firmware", idle, "--no-sensors"], until: "probe: idle firmware" },
                { run: ["deploy", baked, "--sim", "--json"] },
                { until: "\\[ticker\\] Timer update 0" },
                { run: ["deploy", baked, "--sim", "--json"] },
                { run: ["deploy", join(dir, "bad.wasm"), "--sim"] },
                { stop: true },
            ],
            dir
        )
        expect(r.error, r.text).toBeUndefined()
        const json = (i: number) => JSON.parse(r.steps[i].lines.find(l => l.startsWith("{"))!)
        expect(r.steps[1].code, r.text).toBe(0)
        const first = json(1)
        expect(first.sent).toBe(true)
        expect(first.bytes).toBe(readFileSync(baked).length)
        expect(r.steps[2].lines.join("\n")).toMatch(/device> wasmlet: started ticker/)
        expect(r.steps[3].code, r.text).toBe(0)
        expect(json(3).sent).toBe(false)
        expect(json(3).sha256).toBe(first.sha256)
        expect(r.steps[4].code).toBe(1)
        expect(r.steps[4].lines.join("\n")).toMatch(/not a DeviceScript program image/)
    }, 300_000)
})
