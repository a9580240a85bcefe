// host/link against the real firmware in the DeviceScript simulator: test/link/sim-link-run.ts
// starts devtools and `devs run firmware/src/main.ts` in a private network namespace (devtools'
// ports are fixed) and drives the board through connect({ sim: true }); its "step" lines are
// checked here: the baked samples listed and stopped, the timer sample installed (stored form in
// 10 chunks), listed running from the store, its console streamed, a request answered, uninstalled,
// a baked app started again; then what one command of each kind costs. ~25 s (the firmware's
// build and boot take most of it).
import { describe, expect, test } from "vitest"
import { runSteps } from "../host/sim-steps"

describe("the link to the simulated board", () => {
    test("list, stop, install, list, logs, request, uninstall, start through the devtools link", async () => {
        const r = await runSteps("test/link/sim-link-run.ts", [], { timeoutMs: 240_000 })
        const step = r.step
        expect(r.output, r.output).toMatch(/^done$/m)
        expect(r.code).toBe(0)
        const names = (l: any) => l.apps.map((a: any) => `${a.name}:${a.state}${a.installed ? ":installed" : ""}`)

        const list0 = step("list0")
        const baked = list0.apps.map((a: any) => a.name)
        expect(baked.length).toBeGreaterThan(0)
        expect(list0.apps.every((a: any) => a.baked && a.inFlash && a.state === "running" && !a.installed)).toBe(true)
        const allStopped = baked.map((n: string) => `${n}:stopped`)
        expect(step("list0").board).toMatchObject({ board: "simulator", maxApps: 3, storeChunks: expect.any(Number), chunkBytes: 224 })
        expect(names(step("stopped"))).toEqual(allStopped)
        const inst = step("install")
        expect(inst).toMatchObject({ imageBytes: 3808, storedBytes: 2059, chunks: 10, resumedAt: 0 })
        expect(inst.arenaBytes).toBeGreaterThan(0)
        const mine = step("list1").apps.find((a: any) => a.name === "mytimer")
        expect(mine).toMatchObject({ state: "running", installed: true, inFlash: false, storedBytes: 2059, imageBytes: 3808, slot: 0 })
        expect(step("list1").board.storeUsed).toBe(2059)
        expect(step("logs")[0]).toMatch(/^console mytimer: Timer update 0$/)
        expect(step("request").status).toBe(160) // no app "nobody": the runtime answers 5.00
        expect(names(step("list2"))).toEqual(allStopped)
        expect(step("list2").board.storeUsed).toBe(0)
        expect(names(step("list3")).sort()).toEqual([`${baked[0]}:running`, ...allStopped.slice(1)].sort())
        expect(Object.values(inst.phases).every((ms: any) => ms >= 0)).toBe(true)
        console.log(`simulator: install phases, ms: ${JSON.stringify(inst.phases)}`)
        const { ms: _w, ...windows } = step("windows") // ms: when the step ran
        for (const w of ["1", "2", "4"]) expect(windows[w].ms, `window ${w}`).toBeGreaterThan(0)
        console.log(`simulator: install with 1, 2, 4 puts in flight: ${JSON.stringify(windows)}`)
        const { ms: _c, ...costs } = step("costs")
        for (const k of ["listMs", "getMissingMs", "putMs", "getChunkMs", "removeMs", "logsMs"]) expect(costs[k], k).toBeGreaterThan(0)
        console.log(`simulator: one command, median ms: ${JSON.stringify(costs)}`)
        console.log(
            `simulator: boot ${step("booted").ms} ms, connect ${step("connected").ms} ms, install of ${inst.imageBytes} B ` +
                `(${inst.storedBytes} B stored, ${inst.chunks} chunks) ${inst.ms} ms, request round trip ${step("request").ms} ms, ` +
                `uninstall ${step("uninstall").ms} ms; ${step("sends").sends} commands, ${step("sends").resends} resent`
        )
    }, 300_000)
})
