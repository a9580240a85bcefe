// The bridge on the real path, with a fleet: two DeviceScript simulator boards (`wasmlet sim --name
// a`, `--name b`) with their baked samples and the echo app installed over the link, one
// `wasmlet bridge --sim` process (started with board a alone, b joining) bridging both to a real mosquitto (test/bridge/sim-run.ts does the
// steps in a private network namespace; this file judges them): state and events per board, a
// request to each, desired config on one, remote install signed and unsigned, a broker restart,
// a board stopped and started again, Ctrl-C, and the embedded broker when none is named.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { beforeAll, describe, expect, test } from "vitest"
import { runSteps, StepsRun } from "../host/sim-steps"
import { ECHO, wasm } from "../gateway/fixture"
import { watToWasm } from "../engine/helpers"
import { tickWat } from "../../bench/bridge-sim-app"

describe("wasmlet bridge with a fleet of two simulated boards", () => {
    let r: StepsRun

    beforeAll(async () => {
        const dir = mkdtempSync(join(tmpdir(), "wasmlet-bridge-sim-"))
        const echo = join(dir, "echo.wasm")
        writeFileSync(echo, await wasm(ECHO))
        const flood = join(dir, "flood.wasm")
        writeFileSync(flood, await watToWasm(tickWat(10, "flood/tick")))
        r = await runSteps("test/bridge/sim-run.ts", [dir, echo, flood], { cwd: dir, timeoutMs: 280_000 })
    }, 300_000)

    test("the run finished", () => {
        expect(r.output, r.output.slice(-4000)).toMatch(/^done$/m)
        expect(r.code).toBe(0)
    })

    test("two boards with their own device ids, the echo app installed on each", () => {
        const { id } = r.step("boards")
        expect(id.a).toMatch(/^[0-9a-f]{16}$/)
        expect(id.b).toMatch(/^[0-9a-f]{16}$/)
        expect(id.a).not.toBe(id.b)
        expect(r.step("install-a").code).toBe(0)
        expect(r.step("install-b").code).toBe(0)
    })

    test("--id names one board: refused with two on the link", () => {
        const u = r.step("id-usage")
        expect(u.code).toBe(2)
        expect(u.output.join("\n")).toMatch(/--id names one board, and 2 answer .*pick one with --device ID/)
    })

    test("one bridge process bridges both boards, each under its device id: b, started after the bridge, joins", () => {
        const { id } = r.step("boards")
        const lines = r.step("bridge").lines.filter((l: string) => l.includes("bridging"))
        expect(lines).toHaveLength(2)
        expect(lines[0]).toContain(`as wasmlet/${id.a}`)
        expect(lines[1]).toContain(`as wasmlet/${id.b}`)
        const s = r.step("state")
        for (const name of ["a", "b"]) {
            expect(s[name].retain).toBe(true)
            expect(s[name].device).toBe(id[name])
            expect(s[name].board).toBe("simulator")
            expect(s[name].apps).toEqual(["echo:running", "event_publisher:running", "event_subscriber:running"])
        }
    })

    test("each board's baked publisher's events arrive on its own topic as typed JSON", () => {
        const e = r.step("events")
        for (const name of ["a", "b"]) expect(e[name]).toEqual({ json: { warning: "temperature is over high" }, types: { warning: "string" } })
    })

    test("a request to each board is answered by that board's app, with the correlation data", () => {
        const a = r.step("requests")
        for (const name of ["a", "b"]) expect(a[name]).toMatchObject({ status: 69, code: "2.05", payload: { board: name, n: 7, x: 0.5 }, types: { board: "string", n: "int32", x: "double" } })
        expect(a.nobody.status).toBe(160)
        expect(a.nobody.payload["error message"]).toMatch(/invalid applet name/)
    })

    test("desired config goes to the board it names, and is reported there", () => {
        const d = r.step("desired")
        expect(d.retain).toBe(true)
        expect(d.reported).toMatchObject({ status: "2.05", ok: true, response: { level: 3, mode: "eco" } })
        expect(d.aReported).toBe(0)
    })

    test("remote install through the broker: an unsigned .wasm is refused, the bundle signed by the trusted key installs", () => {
        const i = r.step("remote-install")
        expect(i.unsigned).toMatchObject({ status: "refused", ok: false, reason: expect.stringMatching(/not a signed bundle/) })
        expect(i.signed).toMatchObject({ status: "installed", ok: true, keyId: expect.stringMatching(/^[0-9a-f]{16}$/), imageBytes: expect.any(Number) })
        expect(i.apps).toContain("echo:running")
    })

    test("an app publishing faster than the link carries: list and stop still answered, the board never marked offline", () => {
        const f = r.step("flood")
        expect(f.install).toBe(0)
        expect(f.lists.map((l: any) => l.code)).toEqual([0, 0, 0])
        expect(f.stop, f.stopOutput.join("\n")).toBe(0)
        expect(f.events).toBeGreaterThan(10)
        expect(f.offline).toBe(0)
    })

    test("a broker restart: the bridge reconnects, both boards' states are retained again and their events flow", () => {
        const b = r.step("broker-restart").boards
        for (const name of ["a", "b"]) expect(b[name]).toEqual({ retain: true, event: { warning: "temperature is over high" } })
    })

    test("a board that stops is marked offline; started again, it is followed with no help: state, events, desired config", () => {
        const down = r.step("b-down")
        expect(down.retain).toBe(true)
        expect(down.json).toMatchObject({ online: false, device: r.step("boards").id.b, reason: expect.stringMatching(/^the board does not answer: /) })
        const back = r.step("b-back")
        expect(back.device).toBe(r.step("boards").id.b) // same name, same device id
        expect(back.apps).toEqual(["echo:running", "event_publisher:running", "event_subscriber:running"])
        expect(back.event).toEqual({ warning: "temperature is over high" })
        expect(back.reported).toMatchObject({ status: "2.05", ok: true, response: { level: 3, mode: "eco" } })
        expect(back.bridgeLines.join("\n")).toMatch(/the board restarted/)
        // board a went on meanwhile
        expect(back.aEventsMeanwhile).toBeGreaterThan(0)
    })

    test("Ctrl-C: exit 0, both boards offline", () => {
        const s = r.step("stopped")
        expect(s.code).toBe(0)
        for (const name of ["a", "b"]) expect(s.off[name]).toMatchObject({ online: false, reason: "bridge stopped" })
    })

    test("with no broker named, the bridge embeds one on 1883 and bridges both boards there", () => {
        const e = r.step("embedded")
        expect(e.apps).toEqual({ a: 3, b: 3 })
        expect(e.lines.join("\n")).toMatch(/embedded MQTT broker \(aedes\) on mqtt:\/\/127\.0\.0\.1:1883/)
    })
})
