// The gateway on the real path: `wasmlet serve --sim` in front of the DeviceScript simulator running
// the firmware with its baked sample apps, in a private network namespace (./sim-run.ts does the
// steps): devices and apps listed, an SSE event of the baked event_publisher, an app installed by
// upload answering a request with its typed JSON, a url no handler serves (WAMR's app library
// does not answer it) as 504, an unknown app as 404, uninstall; a second board joining the link served too.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { privateNetworkPrefix, ROOT, run } from "../../scripts/lib/devs"
import { ECHO, wasm } from "./fixture"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

describe("wasmlet serve in front of the simulator", () => {
    test("requests, an SSE event, install and uninstall over HTTP", async () => {
        const dir = mkdtempSync(join(tmpdir(), "wasmlet-gw-sim-"))
        const echo = join(dir, "echo.wasm")
        writeFileSync(echo, await wasm(ECHO))
        const [cmd, ...args] = [...privateNetworkPrefix(), process.execPath, TSX, join(ROOT, "test/gateway/sim-run.ts"), dir, echo]
        const r = await run(cmd, args, { cwd: dir, timeoutMs: 170_000 })
        const steps: Record<string, any> = {}
        for (const l of r.output.split("\n")) {
            const m = /^step (\S+) (.*)$/.exec(l)
            if (m) steps[m[1]] = JSON.parse(m[2])
        }
        expect(r.code, r.output).toBe(0)
        expect(steps.devices.devices).toEqual([expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{16}$/), shortId: expect.any(String), board: expect.objectContaining({ board: expect.any(String) }) })])
        expect(steps.apps.apps.map((a: any) => [a.name, a.state, a.baked])).toEqual([["event_publisher", "running", true], ["event_subscriber", "running", true]])
        expect(steps.event.events).toEqual([{ event: "event", data: expect.objectContaining({ url: "alert/overheat", contentType: "application/json", payload: { warning: "temperature is over high" } }) }])
        expect(steps.install, r.output).toMatchObject({ status: 201, body: { name: "echo" } })
        expect(steps.request).toMatchObject({ status: 200, coap: "2.05", body: { n: 4, x: 2.5, on: true, s: "sim", b: { base64: "3q2+7w==" } } })
        expect(steps["no-answer"]).toMatchObject({ status: 504, body: { error: expect.stringMatching(/no response within 1500 ms/) } })
        expect(steps["no-answer"].ms).toBeLessThan(4000)
        expect(steps.ghost).toMatchObject({ status: 404, body: { error: expect.stringMatching(/no app ghost/) } })
        expect(steps.uninstall).toEqual(expect.objectContaining({ status: 204, apps: ["event_publisher", "event_subscriber"] }))
        expect(steps.second.devices).toHaveLength(2)
        expect(steps.second.devices[0]).toBe(steps.devices.devices[0].shortId)
        expect(steps.second.apps).toEqual(["event_publisher", "event_subscriber"])
        const t = steps.request.times.slice().sort((a: number, b: number) => a - b)
        console.log(`simulator through the gateway: install ${steps.install.ms} ms, request median ${t[2]} ms (${steps.request.times.join(", ")})`)
    }, 180_000)
})
