// The program test/link/sim-link.test.ts runs in a private network namespace (devtools' ports are
// fixed): it starts a simulated board as sim/start.ts does (`devs devtools`, then `devs run
// firmware/src/main.ts` in a build folder of its own, so its flash starts empty), connects to it
// through host/link's connect({ sim: true }) and drives the manager: list, stop the baked apps,
// install the timer sample, list, wait for its console, request to a missing app, uninstall, list,
// start a baked app again; then times 5 of each kind of command (the cost of an upload's parts). Each step prints
// one line "step NAME {json}"; "done" at the end. Exit code 0 when every step ran.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT, makeBuildDir } from "../../scripts/lib/devs"
import { compileAppImage } from "../../host/run/app-images"
import { connect } from "../../host/link/connect"
import { runMain, startDevsRun, startDevtools, stepTimer, stopAll } from "../host/sim-steps"

const { step } = stepTimer()
const build = makeBuildDir()
const groups: number[] = []

async function main(): Promise<void> {
    groups.push((await startDevtools(build.dir)).pid)
    groups.push((await startDevsRun(build.dir, "firmware/src/main.ts")).pid)
    step("booted")
    const tc = Date.now()
    const link = await connect({ sim: true, timeoutMs: 20_000 })
    const c = link.client
    step("connected", { ms: Date.now() - tc, label: link.label })
    try {
        const logs: string[] = []
        c.onLog(l => logs.push(`${l.kind} ${l.app}: ${l.text}`))
        const list0 = await c.list()
        step("list0", list0)
        // the firmware runs its baked samples: make room (the arena holds few apps in RAM)
        const baked = list0.apps.filter(a => a.baked).map(a => a.name)
        for (const name of baked) await c.stop(name)
        step("stopped", await c.list())
        const img = compileAppImage(readFileSync(join(ROOT, "apps/samples/timer/timer.wasm"))).image
        step("install", await c.install("mytimer", img))
        step("list1", await c.list())
        const tl = Date.now()
        while (!logs.some(l => l.startsWith("console mytimer:")) && Date.now() - tl < 10_000) await new Promise(r => setTimeout(r, 100))
        step("logs", logs.filter(l => l.startsWith("console mytimer:")).slice(0, 5))
        const tr = Date.now()
        const r = await c.request("GET", "/app/nobody/x", { timeoutMs: 5000 })
        step("request", { status: r.status, ms: Date.now() - tr })
        const tu = Date.now()
        await c.uninstall("mytimer")
        step("uninstall", { ms: Date.now() - tu })
        step("list2", await c.list())
        await c.start(baked[0])
        step("list3", await c.list())
        step("sends", { sends: c.wire.sends, resends: c.wire.resends })
        // what one command costs, by kind (median of 5 back to back)
        const median = async (fn: () => Promise<unknown>) => {
            const ms: number[] = []
            for (let i = 0; i < 5; i++) {
                const t = performance.now()
                await fn()
                ms.push(performance.now() - t)
            }
            return Math.round(ms.sort((a, b) => a - b)[2] * 10) / 10
        }
        // an install with 1, 2 and 4 chunk puts in flight
        const windows: Record<string, unknown> = {}
        for (const w of [1, 2, 4]) {
            c.wire.timing.window = w
            const r = await c.install("mytimer", img)
            windows[w] = { ms: r.ms, resent: r.resent }
            await c.uninstall("mytimer")
        }
        step("windows", windows)
        const chunk = Buffer.alloc(224, 0x5a)
        step("costs", {
            listMs: await median(() => c.wire.list()),
            getMissingMs: await median(() => c.wire.get("wm3")),
            putMs: await median(() => c.wire.put("w29", chunk)),
            getChunkMs: await median(() => c.wire.get("w29")),
            removeMs: await median(() => c.wire.remove("w29")),
            logsMs: await median(() => c.wire.logs("nobody")),
        })
    } finally {
        await link.close()
    }
}

runMain(main, async () => {
    await stopAll(groups)
    build.dispose()
})
