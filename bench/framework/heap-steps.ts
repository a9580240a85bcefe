// Where the DeviceScript heap goes while apps run (bench/framework/heap.ts runs this inside the
// simulator). A plan is a list of steps on one Runtime, as the firmware and the benchmarks use
// it; the step `p` measures the free heap the way firmware/src/probes/heap-probe-lib.ts does
// (128-byte buffers until the VM runs out: it ends the program, so each measurement point is a
// run of its own). Steps, comma-separated:
//   rt      a new Runtime on the arena (the old one dropped, as each benchmark scenario does)
//   iN      install fw_pub and N-1 fw_sub (fw_sub0...), each run until idle
//   eN      N events from fw_pub to every subscriber, as bench/framework/scenarios.ts sends them
//   qN      N events published with no turn in between (queued in every subscriber; needs room)
//   hN      N events published by the host (delivered to the subscribers, one at a time)
//   BNAME   the benchmark scenario NAME (scenarios.ts) on a Runtime of its own, in the same arena
//   wN      N scheduler turns
//   f       the engine forgets the execution and instance that ran last (forgetRunning)
//   u       uninstall every app (its on_destroy run by the runtime itself)
//   pN      the probe: says "heap K N" after the K-th N-byte buffer (128 when N is left out) until
//           the VM runs out; arrays of 16 slots, made as it goes, hold the buffers
//
// DeviceScript: no closures over loop variables, no `this` in arrows.
import { Arena, forgetRunning } from "../../interpreter/index"
import { AppLimits } from "../../boards/profile"
import { App, AppState, Kind, Msg, Phase } from "../../framework/app"
import { Clock } from "../../framework/clock"
import { Runtime } from "../../framework/runtime"
import { ACTION_EVENT, packRequest } from "../../framework/packets"
import { BenchImage, BenchSink, benchScenario } from "./scenarios"

/** What the simulator's benchmarks run (bench/framework.ts SIM_COUNTS). */
const BENCH_COUNTS = { timer: 500, periodicMs: 1000, prints: 100, rounds: 100, events: 200, arenaRunMs: 1500 }

/** Slots per holder array: slot 0 links to the previous holder, so the probe needs no big array up front. */
const HOLDER = 16

/** Fills the heap with `chunk`-byte buffers, saying "heap K chunk" after the K-th, until the VM runs out. */
export function probe(chunk: number, say: (s: string) => void): void {
    let holder: any[] = null
    let n = 0
    while (true) {
        if (n % (HOLDER - 1) === 0) {
            const h: any[] = [holder]
            h[HOLDER - 1] = null
            holder = h
        }
        holder[1 + (n % (HOLDER - 1))] = Buffer.alloc(chunk)
        n++
        say("heap " + n + " " + chunk)
    }
}

function idle(app: App): boolean {
    return app.state !== AppState.RUNNING || (app.queue.length === 0 && app.phase === Phase.IDLE)
}

function image(images: BenchImage[], name: string): Buffer {
    for (let i = 0; i < images.length; i++) if (images[i].name === name) return images[i].image
    throw new Error("no image " + name)
}

async function settle(rt: Runtime): Promise<void> {
    let busy = true
    while (busy) {
        busy = false
        for (let i = 0; i < rt.apps.length; i++) if (!idle(rt.apps[i])) busy = true
        if (busy) await rt.turn()
    }
}

/**
 * n events from fw_pub (its timer expiries, queued one at a time whenever every subscriber's
 * queue has room); `queueOnly`: only the publisher runs, so the events wait in the queues.
 * (A function of its own: a DeviceScript local keeps what it names until the function returns,
 * and the app must not outlive its uninstall here.)
 */
async function events(rt: Runtime, clock: Clock, n: number, queueOnly: boolean): Promise<void> {
    const pub = rt.find("fw_pub")
    const room = rt.queueLimit() - 1
    let sent = 0
    while (sent < n) {
        let free = idle(pub)
        for (let a = 0; a < rt.apps.length; a++) if (rt.apps[a] !== pub && rt.apps[a].queue.length >= room) free = false
        if (free && rt.enqueue(pub, new Msg(Kind.TIMER, 1, null))) sent++
        if (queueOnly) {
            while (!idle(pub)) rt.turnApp(pub)
            await clock.pass()
        } else await rt.turn()
    }
    if (!queueOnly) await settle(rt)
}

export async function heapSteps(plan: string, clock: Clock, arenaBytes: number, limits: AppLimits, libc: Buffer, images: BenchImage[], say: (s: string) => void): Promise<void> {
    const arena = new Arena(arenaBytes)
    let rt: Runtime = null
    const steps = plan.split(",")
    for (let s = 0; s < steps.length; s++) {
        const st = steps[s]
        const n = st.length > 1 ? parseInt(st.slice(1)) : 0
        if (st === "rt") rt = new Runtime(arena, limits, clock, new BenchSink(), [], libc, null)
        else if (st[0] === "i") {
            for (let k = 0; k < n; k++) {
                const name = k === 0 ? "fw_pub" : "fw_sub" + (k - 1)
                await rt.install(name, image(images, k === 0 ? "fw_pub" : "fw_sub"), true)
                await settle(rt)
            }
        } else if (st[0] === "e" || st[0] === "q") await events(rt, clock, n, st[0] === "q")
        else if (st[0] === "h") {
            // events from the host: delivery into the subscribers alone (no publisher code runs)
            for (let k = 0; k < n; k++) {
                const seq = Buffer.alloc(4)
                seq.setAt(0, "i32", k)
                rt.hostRequest(packRequest(ACTION_EVENT, "bench/ev", 0, k, 0, seq))
                await settle(rt)
            }
        } else if (st[0] === "B") await benchScenario(st.slice(1), clock, arena, limits, libc, images, BENCH_COUNTS, say)
        else if (st[0] === "w") {
            for (let k = 0; k < n; k++) await rt.turn()
        } else if (st === "u") {
            rt.stopped = true
            while (rt.apps.length > 0) await rt.uninstall(rt.apps[0].name)
        } else if (st === "f") forgetRunning()
        else if (st[0] === "p") probe(n > 0 ? n : 128, say)
        else throw new Error("no step " + st)
        say("step " + st + " apps=" + (rt === null ? 0 : rt.apps.length) + " arena-free=" + arena.freePages)
    }
}
