// What the framework does to keep the DeviceScript heap from running out (framework/README.md
// "Heap"): a removed app leaves nothing reachable behind (the engine's registers named the last
// execution and instance, and through their host functions the whole runtime: 4.9 KB held in the
// simulator after four apps were removed, and the next four ran the heap out).
import { describe, expect, it } from "vitest"
import * as engineState from "../../interpreter/state"
import { PUBLISHER_APP } from "./apps"
import { appImage, settle } from "./fw-helpers"
import { makeRuntime } from "./helpers"

describe("heap", () => {
    it("uninstall leaves the engine naming no execution or instance of the app", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("pub", await appImage(PUBLISHER_APP), true)
        await t.runFor(250)
        await settle(t, [app])
        expect(engineState.ex).toBe(app.ex)
        expect(engineState.inst === app.inst || engineState.inst === app.libc).toBe(true)
        expect(await t.rt.uninstall("pub")).toBe(true)
        expect(engineState.ex).toBe(null)
        expect(engineState.inst).toBe(null)
        expect(engineState.mem).toBe(null)
        expect(engineState.S).toBe(null)
    })
})
