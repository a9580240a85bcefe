// The app manager end to end in the DeviceScript simulator: the real firmware and its manager
// service, the host's link (host/link) over the simulator's Jacdac link, C apps built with the SDK.
// test/manager/sim-run.ts does the steps inside a private network namespace; this file judges them.
import { beforeAll, describe, expect, test } from "vitest"
import { haveClang } from "../framework/build-c"
import { runSteps, StepsRun } from "../host/sim-steps"

describe.skipIf(!haveClang)("app manager in the simulator", () => {
    let r: StepsRun

    beforeAll(async () => {
        r = await runSteps("test/manager/sim-run.ts", [], { timeoutMs: 400_000 })
    }, 420_000)

    const step = (name: string) => r.step(name)
    /** Each step carries `ms`, the time since the run started. */
    const ms = expect.any(Number)

    test("the run finished", () => {
        expect(r.output).toContain("\ndone")
        expect(r.code).toBe(0)
    })

    test("install -> list -> request -> subscribe", () => {
        const inst = step("install-v1")
        expect(inst.chunks).toBe(Math.ceil(inst.storedBytes / 224))
        expect(inst.storedBytes).toBeLessThan(inst.imageBytes)
        const hello = step("list-1").apps.find((a: any) => a.name === "hello")
        expect(hello).toMatchObject({ state: "running", installed: true, inFlash: false, storedBytes: inst.storedBytes, imageBytes: inst.imageBytes })
        expect(hello.arenaBytes).toBeGreaterThan(inst.imageBytes)
        expect(step("list-1").board.storeUsed).toBe(inst.storedBytes)
        expect(step("request")).toEqual({ ms, status: 69, text: "v1" })
        expect(step("subscribe").ticks).toEqual(["tick", "tick"])
    })

    test("a baked app and an installed one talk by request/response and pub/sub", () => {
        expect(step("booted").lines.join()).toContain("wasmlet: started asker")
        expect(step("talk").got).toEqual(["asker: asker: got 69 v1"])
        expect(step("talk").events).toBeGreaterThan(0)
    })

    test("a corrupted and a dropped chunk are detected and sent again", () => {
        const s = step("install-v2-lossy")
        expect(s.faults).toEqual(["corrupt 80", "drop 80"])
        expect(s.report.resent).toBeGreaterThanOrEqual(2)
        expect(step("request-v2").text).toBe("v2")
    })

    test("an upload cut halfway keeps the old version; the next one resumes", () => {
        expect(step("install-v3-cut").error).toMatch(/no answer/)
        expect(step("request-after-cut")).toEqual({ ms, text: "v2", list: ["asker:running", "hello:running"] })
        expect(step("install-v3-resume").resumedAt).toBeGreaterThan(0)
        expect(step("request-v3").text).toBe("v3")
    })

    test("malformed link packets are ignored without a crash", () => {
        expect(step("malformed")).toEqual({ ms, list: ["asker", "hello"], crashed: false })
    })

    test("too large for the store: refused before anything is written", () => {
        const s = step("refuse-store")
        expect(s.error).toMatch(/not enough persistent storage: need \d+ B \(\d+ chunks\), free \d+ B/)
        expect(s.storeUsed).toBe(s.before)
    })

    test("a VM restart restores the installed app", () => {
        const r = step("after-reboot")
        expect(r.list).toEqual(["hello:running", "asker:running"])
        expect(r.text).toBe("v3")
        expect(r.asker).toEqual(["asker: asker: got 69 v3"])
    })

    test("uninstall leaves the baked app and an empty store", () => {
        expect(step("uninstalled")).toEqual({ ms, apps: ["asker"], storeUsed: 0, crashed: false })
    })

    test("too large for the arena: the device refuses it with the reason, and cleans up", () => {
        const a = step("refuse-arena")
        expect(a.error).toMatch(/out of arena memory/)
        expect(a).toMatchObject({ apps: ["asker"], storeUsed: 0, crashed: false })
    })
})
