// The AssemblyScript samples on wasmlet's own framework (framework/ on the interpreter, on Node,
// through host/run's runOnFramework, the code `wasmlet run` uses) with a virtual clock: the
// compiled image, the runtime libc, the scheduler and the natives are the real ones.

import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { runOnFramework } from "../../host/run/node-runner"
import type { Clock } from "../../framework/clock"
import { REPO } from "./fake-runtime"
import { profile as simulator } from "../../boards/simulator"

class VirtualClock implements Clock {
    t = 0
    now(): number {
        return this.t
    }
    async sleep(ms: number): Promise<void> {
        this.t += Math.max(ms, 1)
    }
    async pass(): Promise<void> {}
}

const wasm = (path: string) => new Uint8Array(readFileSync(join(REPO, path)))

async function run(apps: { name: string; path: string }[], forMs: number, board = false) {
    const lines: string[] = []
    const notes: string[] = []
    const r = await runOnFramework(apps.map((a) => ({ name: a.name, wasm: wasm(a.path) })), {
        clock: new VirtualClock(),
        // the simulator board's per-app quota and arena (as `wasmlet run --board`), else the host's
        ...(board ? { limits: simulator.limits, arenaBytes: simulator.arenaBytes } : {}),
        forMs,
        onLine: (app, line) => lines.push(`${app}: ${line}`),
        onNote: (note) => notes.push(note),
    })
    return { lines, notes, apps: r.apps }
}

describe("AssemblyScript samples on the framework", () => {
    it("timer: one line a second", async () => {
        const { lines, notes, apps } = await run([{ name: "timer", path: "apps/samples-as/timer.wasm" }], 10_500)
        expect(notes).toEqual([])
        expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => `timer: Timer update ${i}`))
        expect((apps[0] as any).traps).toBe(0)
    })

    it("timer fits the simulator board's per-app quota (image, stacks and memory in 12 KB)", async () => {
        const { lines, notes } = await run([{ name: "timer", path: "apps/samples-as/timer.wasm" }], 3_500, true)
        expect(notes).toEqual([])
        expect(lines).toEqual(["timer: Timer update 0", "timer: Timer update 1", "timer: Timer update 2"])
    })

    it("request_handler answers WAMR's C request_sender sample (apps/samples): by app name and by resource", async () => {
        const { lines, notes } = await run(
            [
                { name: "request_handler", path: "apps/samples-as/request_handler.wasm" },
                { name: "request_sender", path: "apps/samples/request_sender/request_sender.wasm" },
            ],
            1000,
        )
        expect(notes).toEqual([])
        expect(lines).toContain("request_handler: [resp] ### user resource 1 handler called")
        const sender = lines.filter((l) => l.startsWith("request_sender:")) // the two apps' lines interleave
        const reply = sender.find((l) => l.startsWith("request_sender: [req] response handler called mid:1,"))
        expect(reply).toMatch(/status:69, fmt:99, .*len:70, tag:a request to target app$/)
        const at = sender.indexOf(reply!)
        expect(sender.slice(at + 2, at + 7)).toEqual([
            "request_sender: Attribute container dump:",
            "request_sender: Tag: wasm app response payload",
            "request_sender: Attribute list:",
            "request_sender:   key: key1, type: string, value: value1",
            "request_sender:   key: key2, type: string, value: value2",
        ])
        // The second request ("url1") is routed by registration when it is sent: it finds the handler
        // only because the handler's on_init fits in its first slice (the SDK allocates nothing to
        // register a url), as the C handler's does.
        expect(lines.find((l) => l.startsWith("request_sender: [req] response handler called mid:2,"))).toMatch(/status:69, fmt:99, .*tag:a general request$/)
    })
})
