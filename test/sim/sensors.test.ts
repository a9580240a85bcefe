// Simulated sensors end to end: sim/sensors.ts serves a scripted temperature and humidity on the
// devtools bus, a DeviceScript program in the simulator reads them through the simulator profile's
// SHT30 sources (boardSensors, firmware/src/board-sensors.ts: ds.Temperature and ds.Humidity roles)
// and prints each attr_container in hex; the values decode here, in the scripted order. Also the
// script checks (no simulator needed).
// The run happens in a private network namespace where possible (devtools' ports are fixed).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT, makeBuildDir, privateNetworkPrefix, run } from "../../scripts/lib/devs"
import { loadSensorScript, readingFunction, serviceClassOf } from "../../sim/sensors"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

/** The program the simulated board runs: N reads of every source, 600 ms apart (past DeviceScript's 500 ms register cache). */
const READER = (n: number) => `
import * as ds from "@devicescript/core"
import { profile } from "./boards/simulator"
import { boardSensors } from "./firmware/src/board-sensors"

const sources = await boardSensors(profile)
const t0 = ds.millis()
for (const s of sources) while (!(s as any).role.isBound) await ds.sleep(20)
console.log("reader: " + sources.length + " sources bound after " + (ds.millis() - t0) + " ms")
for (let i = 0; i < ${n}; i++) {
    for (const s of sources) {
        const t1 = ds.millis()
        const b = await s.read()
        console.log("reader: " + s.name + "/" + s.instance + " read " + i + " in " + (ds.millis() - t1) + " ms: " + (b ? b.toString("hex") : "null"))
    }
    await ds.sleep(600)
}
console.log("reader: done")
`

/** An independent attr_container decoder (../shared/wamr-app-abi.md §5), for the bytes the device printed. */
function decode(hex: string): { tag: string; attrs: Record<string, number | string> } {
    const b = Buffer.from(hex, "hex")
    expect(b.readUInt16LE(0)).toBe(0)
    expect(b.readUInt32LE(2)).toBe(b.length - 2)
    let at = 6
    const str = () => {
        const n = b.readUInt16LE(at)
        const s = b.toString("utf8", at + 2, at + 1 + n)
        expect(b[at + 1 + n]).toBe(0)
        at += 2 + n
        return s
    }
    const tag = str()
    const count = b.readUInt16LE(at)
    at += 2
    const attrs: Record<string, number | string> = {}
    for (let i = 0; i < count; i++) {
        const key = str()
        const type = b[at++]
        if (type === 11) {
            attrs[key] = b.readDoubleLE(at)
            at += 8
        } else if (type === 13) attrs[key] = str()
        else throw new Error(`unexpected type ${type}`)
    }
    expect(at).toBe(b.length)
    return { tag, attrs }
}

describe("sensor scripts", () => {
    test("values step per reading and then hold, or cycle", () => {
        const hold = readingFunction({ role: "temperature", values: [20, 21, 22] })
        expect([0, 1, 2, 3, 4].map(i => hold(0, i))).toEqual([20, 21, 22, 22, 22])
        const cyc = readingFunction({ role: "temperature", values: [1, 2], cycle: true })
        expect([0, 1, 2, 3, 4].map(i => cyc(0, i))).toEqual([1, 2, 1, 2, 1])
    })

    test("a constant, a function of time and a sine", () => {
        expect(readingFunction({ role: "humidity", value: 40 })(12345, 7)).toBe(40)
        expect(readingFunction({ role: "humidity", fn: ms => ms / 10 })(250, 0)).toBe(25)
        const s = readingFunction({ role: "temperature", sine: { mean: 20, amplitude: 5, periodMs: 4000 } })
        expect(s(0, 0)).toBeCloseTo(20)
        expect(s(1000, 0)).toBeCloseTo(25)
        expect(s(3000, 0)).toBeCloseTo(15)
    })

    test("bad scripts are refused with the reason", () => {
        expect(() => readingFunction({ role: "temperature" })).toThrow(/exactly one of/)
        expect(() => readingFunction({ role: "temperature", value: 1, values: [1] })).toThrow(/exactly one of/)
        expect(() => readingFunction({ role: "temperature", values: [] })).toThrow(/non-empty/)
        expect(() => readingFunction({ role: "temperature", values: [1, "x" as any] })).toThrow(/values\[1\] must be a finite number/)
        expect(() => serviceClassOf("nosuchsensor")).toThrow(/unknown sensor role/)
        expect(() => serviceClassOf("led")).toThrow(/not a sensor with one numeric reading/)
        expect(serviceClassOf("temperature")).toBe(0x1421bac7)
        expect(serviceClassOf("humidity")).toBe(0x16c810b8)
        // the names board-sensors.ts gives its sources
        expect(serviceClassOf("uvIndex")).toBe(serviceClassOf("uvindex"))
        expect(serviceClassOf("pressure")).toBe(serviceClassOf("airPressure"))
        expect(serviceClassOf("illuminance")).toBe(0x1e6ecaf2)
    })

    test("a JSON script file loads, and functions are refused there", () => {
        const dir = mkdtempSync(join(tmpdir(), "wasmlet-sensors-"))
        try {
            const f = join(dir, "s.json")
            writeFileSync(f, JSON.stringify({ sensors: [{ role: "temperature", values: [1, 2] }, { role: "humidity", value: 3 }] }))
            expect(loadSensorScript(f).map(s => s.role)).toEqual(["temperature", "humidity"])
            writeFileSync(f, JSON.stringify([{ role: "temperature", sine: { mean: 1, amplitude: 1, periodMs: 0 } }]))
            expect(() => loadSensorScript(f)).toThrow(/periodMs must be > 0/)
            writeFileSync(f, JSON.stringify({ sensors: [{ values: [1] }] }))
            expect(() => loadSensorScript(f)).toThrow(/needs a "role"/)
            writeFileSync(f, JSON.stringify({ sensors: [{ role: "humidity", value: 1, fn: "x" }] }))
            expect(() => loadSensorScript(f)).toThrow(/"fn" cannot be given in JSON/)
            // the example the simulator can be started with
            const ex = loadSensorScript(join(ROOT, "sim/sensors.example.json"))
            expect(ex.map(s => s.role)).toEqual(["temperature", "humidity"])
            expect(readingFunction(ex[1])(0, 4)).toBe(40)
        } finally {
            rmSync(dir, { recursive: true, force: true })
        }
    })
})

describe("simulated sensors in the simulator", () => {
    test("a program reads the scripted temperatures and humidities through the SHT30's roles, in order", async () => {
        const b = makeBuildDir()
        try {
            // Jacdac's temperature and humidity are u22.10 fixed point: these values pass exactly
            const scripted: Record<string, { values: number[]; unit: string }> = {
                temperature: { values: [20.5, 21.25, -3, 22], unit: "C" },
                humidity: { values: [40.5, 0, 99.75, 41], unit: "%RH" },
            }
            const n = 4
            writeFileSync(join(b.dir, "reader.ts"), READER(n + 1))
            const script = join(b.dir, "sensors.json")
            writeFileSync(script, JSON.stringify({ sensors: Object.entries(scripted).map(([role, s]) => ({ role, values: s.values })) }))
            const [cmd, ...args] = [
                ...privateNetworkPrefix(),
                process.execPath,
                TSX,
                join(ROOT, "sim/run-with-sensors.ts"),
                "--sensors",
                script,
                "--cwd",
                b.dir,
                "--exit-after",
                "reader: done",
                "--timeout",
                "60000",
                "reader.ts",
            ]
            const r = await run(cmd, args, { cwd: b.dir, timeoutMs: 90_000 })
            expect(r.code, r.output).toBe(0)
            expect(r.output).toMatch(/reader: 2 sources bound/)
            const reads = [...r.output.matchAll(/reader: (\S+) read (\d+) in (\d+) ms: ([0-9a-f]+|null)/g)]
            expect(reads.length, r.output).toBe(2 * (n + 1))
            for (const [name, { values, unit }] of Object.entries(scripted)) {
                const got = reads
                    .filter(m => m[1] === name + "/0")
                    .map(m => {
                        const c = decode(m[4])
                        expect(c.tag).toBe(name)
                        expect(c.attrs.unit).toBe(unit)
                        return c.attrs.value
                    })
                const sent = new RegExp(`sensors> ${name} sent (\\S+)`).exec(r.output)
                expect(sent, r.output).not.toBeNull()
                const sentValues = sent![1].split(",").map(Number)
                // the server sends the script in order and then holds its last value
                expect(sentValues.slice(0, n)).toEqual(values)
                for (const v of sentValues.slice(n)) expect(v).toBe(values[n - 1])
                // each read gets the value the server sent for it, in order: the script's, or (on a
                // loaded machine, when the role asked again before an answer came) a later one, the
                // earlier answer having gone to the first ask
                expect(got[0], name).toBe(values[0])
                let at = 0
                for (const v of got) {
                    const k = sentValues.indexOf(v as number, at)
                    expect(k, `${name}: ${got} not in the order sent (${sentValues})`).toBeGreaterThanOrEqual(at)
                    at = k + 1
                }
            }
            const ms = reads.map(m => +m[3])
            console.log(`simulated sensor reads: ${ms.join(", ")} ms; ${/reader: 2 sources bound after \d+ ms/.exec(r.output)?.[0]}`)
        } finally {
            b.dispose()
        }
    }, 120_000)
})
