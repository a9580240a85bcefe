// host/link against the real firmware in the DeviceScript simulator: test/link/sim-link-run.ts
// starts devtools and `devs run firmware/src/main.ts` in a private network namespace (devtools'
// ports are fixed) and drives the board through connect({ sim: true }); its "step" lines are
// checked here: the baked samples listed and stopped, the timer sample installed (stored form in
// 10 chunks), listed running from the store, its console streamed, a request answered, uninstalled,
// a baked app started again; then what one command of each kind costs. ~25 s (the firmware's
// build and boot take most of it).
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT, privateNetworkPrefix, run } from "../../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

describe("the link to the simulated board", () => {
    test("list, stop, install, list, logs, request, uninstall, start through the devtools link", async () => {
        const [cmd, ...args] = [...privateNetworkPrefix(), process.execPath, TSX, join(ROOT, "test/link/sim-link-run.ts")]
        const r = await run(cmd, args, { timeoutMs: 240_000 })
        const steps = new Map<string, any>()
        for (const m of r.output.matchAll(/^step (\w+) (.*)$/gm)) steps.set(m[1], JSON.parse(m[2]))
        expect(r.output, r.output).toMatch(/^done$/m)
        expect(r.code).toBe(0)
        const names = (l: any) => l.apps.map((a: any) => `${a.name}:${a.state}${a.installed ? ":installed" : ""}`)

        const list0 = steps.get("list0")
        const baked = list0.apps.map((a: any) => a.name)
        expect(baked.length).toBeGreaterThan(0)
        expect(list0.apps.every((a: any) => a.baked && a.inFlash && a.state === "running" && !a.installed)).toBe(true)
        const allStopped = baked.map((n: string) => `${n}:stopped`)
        expect(steps.get("list0").board).toMatchObject({ board: "simulator", maxApps: 3, storeChunks: expect.any(Number), chunkBytes: 224 })
        expect(names(steps.get("stopped"))).toEqual(allStopped)
        const inst = steps.get("install")
        expect(inst).toMatchObject({ imageBytes: 3808, storedBytes: 2059, chunks: 10, resumedAt: 0 })
        expect(inst.arenaBytes).toBeGreaterThan(0)
        const mine = steps.get("list1").apps.find((a: any) => a.name === "mytimer")
        expect(mine).toMatchObject({ state: "running", installed: true, inFlash: false, storedBytes: 2059, imageBytes: 3808, slot: 0 })
        expect(steps.get("list1").board.storeUsed).toBe(2059)
        expect(steps.get("logs")[0]).toMatch(/^console mytimer: Timer update 0$/)
        expect(steps.get("request").status).toBe(160) // no app "nobody": the runtime answers 5.00
        expect(names(steps.get("list2"))).toEqual(allStopped)
        expect(steps.get("list2").board.storeUsed).toBe(0)
        expect(names(steps.get("list3")).sort()).toEqual([`${baked[0]}:running`, ...allStopped.slice(1)].sort())
        expect(Object.values(inst.phases).every((ms: any) => ms >= 0)).toBe(true)
        console.log(`simulator: install phases, ms: ${JSON.stringify(inst.phases)}`)
        const windows = steps.get("windows")
        for (const w of ["1", "2", "4"]) expect(windows[w].ms, `window ${w}`).toBeGreaterThan(0)
        console.log(`simulator: install with 1, 2, 4 puts in flight: ${JSON.stringify(windows)}`)
        const costs = steps.get("costs")
        for (const k of ["listMs", "getMissingMs", "putMs", "getChunkMs", "removeMs", "logsMs"]) expect(costs[k], k).toBeGreaterThan(0)
        console.log(`simulator: one command, median ms: ${JSON.stringify(costs)}`)
        console.log(
            `simulator: boot ${steps.get("booted").ms} ms, connect ${steps.get("connected").ms} ms, install of ${inst.imageBytes} B ` +
                `(${inst.storedBytes} B stored, ${inst.chunks} chunks) ${inst.ms} ms, request round trip ${steps.get("request").ms} ms, ` +
                `uninstall ${steps.get("uninstall").ms} ms; ${steps.get("sends").sends} commands, ${steps.get("sends").resends} resent`
        )
    }, 300_000)
})
