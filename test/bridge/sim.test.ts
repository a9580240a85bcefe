// The bridge on the real path: the DeviceScript simulator running the firmware with its baked
// event publisher and subscriber, the host's link to it, a real mosquitto (test/bridge/sim-run.ts
// does the steps in a private network namespace; this file judges them).
import { join } from "node:path"
import { beforeAll, describe, expect, test } from "vitest"
import { ROOT, privateNetworkPrefix, run } from "../../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

describe("bridge with the simulator", () => {
    const steps = new Map<string, any>()
    let output = ""
    let code: number | null = null

    beforeAll(async () => {
        const [cmd, ...args] = [...privateNetworkPrefix(), process.execPath, TSX, join(ROOT, "test/bridge/sim-run.ts")]
        const r = await run(cmd, args, { timeoutMs: 240_000 })
        output = r.output
        code = r.code
        for (const line of r.output.split("\n")) {
            const m = /^step (\S+) (.*)$/.exec(line)
            if (m) steps.set(m[1], JSON.parse(m[2]))
        }
    }, 260_000)

    const step = (name: string) => {
        if (!steps.has(name)) throw new Error(`step ${name} did not run:\n${output.slice(-3000)}`)
        return steps.get(name)
    }

    test("the run finished", () => {
        expect(output).toContain("\ndone")
        expect(code).toBe(0)
    })

    test("the board's state is retained under its device id, with the baked apps running", () => {
        const s = step("state")
        expect(s.retain).toBe(true)
        expect(s.json.device).toBe(step("bridged").id)
        expect(s.json.device).toMatch(/^[0-9a-f]{16}$/)
        expect(s.json.apps.map((a: any) => `${a.name}:${a.state}`).sort()).toEqual(["event_publisher:running", "event_subscriber:running"])
    })

    test("the publisher's events arrive as typed JSON", () => {
        expect(step("event")).toEqual({ json: { warning: "temperature is over high" }, types: { warning: "string" } })
    })

    test("an MQTT 5 request is answered with its correlation data", () => {
        const r = step("request")
        expect(r.correlation).toBe("q1")
        expect(r.json.status).toBe(160)
        expect(r.json.payload["error message"]).toMatch(/invalid applet name/)
    })

    test("stopping an app shows in the state", () => {
        expect(step("stopped").apps).toContain("event_publisher:stopped")
    })

    test("wasmlet bridge --sim: the board under --id, its events, offline after Ctrl-C (exit 0)", () => {
        const c = step("cli")
        expect(c.apps).toBe(2)
        expect(c.event).toEqual({ warning: "temperature is over high" })
        expect(c.code).toBe(0)
        expect(c.offline).toMatchObject({ online: false, device: "simboard", reason: "bridge stopped" })
        expect(c.stderr.join("\n")).toMatch(/bridging simulator .* as wasmlet\/simboard/)
    })
})
