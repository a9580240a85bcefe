// The MQTT bridge's benchmark on the real path (not a test): `npx tsx bench/bridge-sim.ts
// [--seconds S] [--warmup S] [--fast MS] [--steady MS] [--boards 1,4]`. For each fleet size N: N
// DeviceScript simulator boards as users start them (`wasmlet sim --name bK`: the firmware with
// its baked samples), ONE `wasmlet bridge --sim --mqtt URL --events ...` process bridging them all
// to a real mosquitto, a subscriber at the broker counting, and a tap on the link (this process as
// one more host, subscribed to the same events) to tell what the link lost from what the bridge
// lost. Windows of S seconds:
//   - idle: the boards run their baked samples only (nothing forwarded): the bridge's base cost;
//   - steady, then fast: a publisher (bench/bridge-sim-app.ts, installed over the link) on every
//     board, sending {seq} every --steady MS (default 25: about what a simulated board's link
//     carries; it falls quiet by itself after its window) and then every --fast MS (default 10:
//     more than the link carries): events/s at the broker per board and in all, what each board
//     published (its seq's advance), what was lost and where, the bridge's CPU per event.
// CPU is % of one core over the window from /proc (bench/proc-usage.ts): the bridge's process
// group, the simulator's (`devs run` per board, the devtools link), the broker's, the machine's;
// memory is the bridge's VmRSS. The notes say when the boards or their link are the limit.
// Runs itself again in a private network namespace (devtools' ports are fixed) where it can.
// Prints one JSON document (stdout) and a Markdown table with its notes (stderr).
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { ROOT, privateNetworkPrefix, run, sleep } from "../scripts/lib/devs"
import { openBoards, ServedBoards } from "../host/link/boards"
import { Started, stopAll, wasmletUntil, WASMLET_BIN } from "../test/host/sim-steps"
import { Mosquitto } from "../test/bridge/mosquitto"
import { Watcher } from "../test/bridge/watcher"
import { tickWasm } from "./bridge-sim-app"
import { childPid, cpuMeter, CORES, groupMemory } from "./proc-usage"

const { values } = parseArgs({ options: { seconds: { type: "string" }, warmup: { type: "string" }, fast: { type: "string" }, steady: { type: "string" }, boards: { type: "string" } } })
const SECONDS = Number(values.seconds ?? 10)
const WARMUP = Number(values.warmup ?? 5)
const FLEETS = (values.boards ?? "1,4").split(",").map(Number)
/** The publishers, in the order they run; each its own app and url. */
const PUBLISHERS = [
    { phase: "steady", periodMs: Number(values.steady ?? 25) },
    { phase: "fast", periodMs: Number(values.fast ?? 10) },
].map(p => ({ ...p, app: `tick${p.periodMs}`, url: `bench/tick${p.periodMs}` }))
const INNER = "WASMLET_BRIDGE_SIM_NETNS"

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
const lastLines = (out: string) => out.split("\n").filter(l => l.trim()).slice(-3).join(" / ")

// ------------------------------------------------------------------ counting

/** One event as a counter saw it: when, and the app's seq in it. */
interface Received {
    at: number
    seq: number
}

/** What a counter saw of one board's events in [t0, t1): how many arrived, how far the seq advanced. */
interface Counted {
    deliveredPerSec: number
    publishedPerSec: number
    lost: number
}

function countWindow(got: Received[], t0: number, t1: number): Counted {
    const lastSeqBefore = (t: number) => got.reduce((m, r) => (r.at < t && r.seq > m ? r.seq : m), -1)
    const arrived = got.filter(r => r.at >= t0 && r.at < t1).length
    const published = lastSeqBefore(t1) - lastSeqBefore(t0)
    const s = (t1 - t0) / 1000
    return { deliveredPerSec: arrived / s, publishedPerSec: published / s, lost: published - arrived }
}

/** The seq of a tick's attr_container payload (its INT32, the last 4 bytes). */
const seqOf = (p: Uint8Array) => (p.length >= 22 ? Buffer.from(p).readInt32LE(p.length - 4) : NaN)

// ------------------------------------------------------------------ one window

interface Groups {
    bridge: number
    boards: number[]
    devtools: number
}

interface Usage {
    seconds: number
    /** % of one core over the window. */
    cpuPct: { bridge: number; boards: number[]; devtools: number; broker: number; benchProcess: number; machine: number }
    bridgeRssMB: number
    bridgeHwmMB: number
}

/** CPU over `seconds` from `t0` on, and the bridge's memory at the end. */
async function usage(g: Groups, seconds: number, t0 = Date.now()): Promise<Usage> {
    const broker = childPid("mosquitto")
    const meter = cpuMeter([g.bridge, ...g.boards, g.devtools], broker ? [broker] : [])
    const me = process.cpuUsage()
    await sleep(Math.max(0, t0 + seconds * 1000 - Date.now()))
    const m = meter.stop()
    const mine = process.cpuUsage(me)
    const mem = groupMemory(g.bridge)
    return {
        seconds: m.seconds,
        cpuPct: {
            bridge: m.groups.get(g.bridge)!,
            boards: g.boards.map(b => m.groups.get(b)!),
            devtools: m.groups.get(g.devtools)!,
            broker: broker ? m.pids.get(broker)! : NaN,
            benchProcess: ((mine.user + mine.system) / 1e6 / m.seconds) * 100,
            machine: m.machinePct,
        },
        bridgeRssMB: mem.rssMB,
        bridgeHwmMB: mem.hwmMB,
    }
}

// ------------------------------------------------------------------ one fleet

const READY = /\[start\] ready: board \S+ accepts commands \(wasmlet manager on device ([0-9a-f]{16})\)/
const BRIDGING = /bridging .* as wasmlet\/([0-9a-f]{16})/

interface BoardFigures extends Counted {
    device: string
    /** `wasmlet start` of the publisher (the later boards' while the earlier ones publish). */
    startMs: number
    /** What reached the tap on the link (a host next to the bridge) in the same window. */
    link?: Counted
}

interface Phase {
    phase: string
    periodMs: number
    appEventsPerSec: number
    usage: Usage
    perBoard: BoardFigures[]
    deliveredPerSec: number
    publishedPerSec: number
    linkPerSec: number
    /** (bridge CPU in this window - idle) / events delivered. */
    bridgeCpuMsPerEvent: number
    /** The bridge's own count of events it dropped (its queue full), from the boards' last states. */
    bridgeDropped: number[]
    notes: string[]
}

interface FleetResult {
    boards: number
    bootMs: number[]
    installMs: number[]
    bridgeStartMs: number
    bridged: number
    idle?: Usage
    phases: Phase[]
    /** What could not be measured. */
    problems: string[]
    error?: string
    /** Lines of boards that restarted meanwhile (their VM started again), by device. */
    restarts?: Record<string, string[]>
    /** The first attempt's problems, when this fleet was run again. */
    firstAttempt?: string[]
}

/** What a board printed after it was ready that is not the baked samples' usual chatter. */
function unusual(s: Started): string[] {
    const ready = s.lines.findIndex(l => READY.test(l))
    return s.lines.slice(ready + 1).filter(l => !/\[event_subscriber\]|wasmlet: started |wasmlet: \S+: removed|\[start\] stop/.test(l))
}

/** A board whose simulator printed its boot lines again. */
const restarted = (s: Started) => unusual(s).some(l => /DeviceScript Simulator|self-deployed|start: wasmlet|panic|exception/i.test(l))

const groupOf = (s: Started, what: string) => Number(s.lines.map(l => new RegExp(`\\[start\\] ${what}: process group (\\d+)`).exec(l)?.[1]).find(x => x) ?? NaN)

/** Resolves once nothing arrived on the topics for 2 s (60 s at most). */
async function quiet(w: Watcher, topics: string[]): Promise<void> {
    const end = Date.now() + 60_000
    const last = () => Math.max(0, ...topics.flatMap(t => w.on(t).map(m => m.at)))
    while (Date.now() - last() < 2000 && Date.now() < end) await sleep(200)
}

async function fleet(n: number): Promise<FleetResult> {
    const dir = mkdtempSync(join(tmpdir(), "wasmlet-bridge-sim-bench-"))
    // each publisher but the last falls quiet once its phase is over (the boards start one after
    // the other, ~1.5 s each, then the warm-up and the window)
    const wasmFiles = new Map<string, string>()
    for (const [k, p] of PUBLISHERS.entries()) {
        const limit = k === PUBLISHERS.length - 1 ? 0 : Math.ceil((1000 / p.periodMs) * (2 * n + WARMUP + SECONDS + 3))
        wasmFiles.set(p.app, join(dir, `${p.app}.wasm`))
        writeFileSync(wasmFiles.get(p.app)!, await tickWasm(p.periodMs, p.url, limit))
    }
    const res: FleetResult = { boards: n, bootMs: [], installMs: [], bridgeStartMs: NaN, bridged: 0, phases: [], problems: [] }
    const pids: number[] = []
    let broker: Mosquitto | undefined
    let watcher: Watcher | undefined
    let tap: ServedBoards | undefined
    const tapped = new Map<string, Received[]>() // device + url -> events
    const wasmlet = (args: string[]) => run(process.execPath, [WASMLET_BIN, ...args], { cwd: dir, timeoutMs: 90_000 })
    const sims: Started[] = []
    let bridge: Started | undefined
    try {
        broker = await Mosquitto.start()
        watcher = await Watcher.connect(broker.url, ["wasmlet/+/events/#", "wasmlet/+/state"])
        const w = watcher
        for (let i = 0; i < n; i++) {
            const t = Date.now()
            const s = await wasmletUntil(["sim", "--name", `b${i}`, "--clear", "--no-sensors"], READY, 180_000, { cwd: dir })
            pids.push(s.pid)
            sims.push(s)
            res.bootMs.push(Date.now() - t)
        }
        const ids = sims.map(s => s.match[1])
        const groups: Groups = { bridge: NaN, boards: sims.map(s => groupOf(s, "device")), devtools: groupOf(sims[0], "devtools") }
        if (groups.boards.some(isNaN) || isNaN(groups.devtools)) res.problems.push(`process groups not in the sims' lines: devices ${groups.boards}, devtools ${groups.devtools}`)

        // the publishers on every board over the link (`wasmlet install`), then stopped: while no
        // host subscribes to their urls the board forwards nothing, so the installs go undisturbed
        for (const id of ids) {
            const t = Date.now()
            for (const p of PUBLISHERS) {
                const r = await wasmlet(["install", "--sim", "--device", id, p.app, wasmFiles.get(p.app)!])
                if (r.code !== 0) res.problems.push(`install ${p.app} on ${id}: exit ${r.code}: ${lastLines(r.output)}`)
                const s = await wasmlet(["stop", "--sim", "--device", id, p.app])
                if (s.code !== 0) res.problems.push(`stop ${p.app} on ${id}: exit ${s.code}: ${lastLines(s.output)}`)
            }
            res.installMs.push(Date.now() - t)
        }

        const tb = Date.now()
        bridge = await wasmletUntil(["bridge", "--sim", "--mqtt", broker.url, "--events", PUBLISHERS.map(p => p.url).join(",")], BRIDGING, 60_000, { cwd: dir })
        pids.push(bridge.pid)
        groups.bridge = bridge.pid
        const b = bridge
        const bridgedIds = () => new Set(b.lines.map(l => BRIDGING.exec(l)?.[1]).filter(x => x))
        while (bridgedIds().size < n && Date.now() - tb < 60_000) await sleep(100)
        res.bridgeStartMs = Date.now() - tb
        res.bridged = bridgedIds().size
        if (res.bridged < n) res.problems.push(`${n - res.bridged} of ${n} boards not bridged within 60 s; the bridge said: ${bridge.lines.slice(-8).join(" / ")}`)
        for (const id of ids) await w.waitFor(`wasmlet/${id}/state`, j => j.online === true, 20_000, tb).catch(e => res.problems.push(`board ${id}: no online state: ${e.message}`))

        // the tap: this process as one more host on the link, subscribed to the same urls
        tap = await openBoards({ sim: true, timeoutMs: 20_000 })
        for (const b of tap.boards)
            for (const p of PUBLISHERS) {
                const got: Received[] = []
                tapped.set(b.id + p.url, got)
                await b.client.subscribe(p.url, e => got.push({ at: Date.now(), seq: seqOf(e.payload) }))
            }
        if (tap.boards.length < n) res.problems.push(`the tap found ${tap.boards.length} of ${n} boards`)

        await sleep(3000)
        const idle = (res.idle = await usage(groups, SECONDS))

        for (const [k, p] of PUBLISHERS.entries()) {
            const phase: Phase = { phase: p.phase, periodMs: p.periodMs, appEventsPerSec: 1000 / p.periodMs, usage: idle, perBoard: [], deliveredPerSec: NaN, publishedPerSec: NaN, linkPerSec: NaN, bridgeCpuMsPerEvent: NaN, bridgeDropped: [], notes: [] }
            res.phases.push(phase)
            const before = PUBLISHERS[k - 1]
            // the previous publisher falls quiet by itself (a command to a board whose link is
            // busy may go unanswered), is stopped (a board runs 3 apps at most), and this one is
            // started, one board after the other
            if (before) {
                await quiet(w, ids.map(id => `wasmlet/${id}/events/${before.url}`))
                for (const [i, id] of ids.entries()) {
                    const r = await wasmlet(["stop", "--sim", "--device", id, before.app])
                    if (r.code !== 0) phase.notes.push(`\`wasmlet stop ${before.app}\` on board ${i + 1} (quiet): exit ${r.code}: ${lastLines(r.output)}`)
                }
            }
            const tPhase = Date.now()
            const fromLine = bridge.lines.length
            for (const [i, id] of ids.entries()) {
                const t = Date.now()
                const r = await wasmlet(["start", "--sim", "--device", id, p.app])
                phase.perBoard.push({ device: id, startMs: Date.now() - t, deliveredPerSec: 0, publishedPerSec: 0, lost: 0 })
                if (r.code !== 0) phase.notes.push(`\`wasmlet start ${p.app}\` on board ${i + 1} (${i} other(s) publishing): exit ${r.code} after ${Date.now() - t} ms: ${lastLines(r.output)}`)
            }
            const topic = (id: string) => `wasmlet/${id}/events/${p.url}`
            for (const id of ids) await w.waitFor(topic(id), undefined, 30_000, tPhase).catch(e => res.problems.push(`${p.phase}: board ${id}: no event at the broker: ${e.message}`))

            await sleep(WARMUP * 1000)
            const t0 = Date.now()
            phase.usage = await usage(groups, SECONDS, t0)
            const t1 = t0 + phase.usage.seconds * 1000
            for (const b of phase.perBoard) {
                Object.assign(b, countWindow(w.on(topic(b.device)).map(m => ({ at: m.at, seq: Number(m.json?.seq ?? NaN) })), t0, t1))
                const linked = tapped.get(b.device + p.url)
                if (linked) b.link = countWindow(linked, t0, t1)
                const states = w.on(`wasmlet/${b.device}/state`).filter(m => m.json?.online)
                phase.bridgeDropped.push(states.length ? states[states.length - 1].json.eventsDropped : NaN)
            }
            phase.deliveredPerSec = sum(phase.perBoard.map(b => b.deliveredPerSec))
            phase.publishedPerSec = sum(phase.perBoard.map(b => b.publishedPerSec))
            phase.linkPerSec = sum(phase.perBoard.map(b => b.link?.deliveredPerSec ?? NaN))
            phase.bridgeCpuMsPerEvent = ((phase.usage.cpuPct.bridge - idle.cpuPct.bridge) * 10) / phase.deliveredPerSec
            judge(phase, n)
            for (const [i, id] of ids.entries()) {
                const off = w.on(`wasmlet/${id}/state`).filter(m => m.at >= tPhase && m.json?.online === false)
                if (off.length) phase.notes.push(`board ${i + 1} published {online: false} ${off.length} time(s) meanwhile: ${off[0].json.reason}`)
            }
            const said = bridge.lines.slice(fromLine).filter(l => /bridge [0-9a-f]{16}: /.test(l))
            if (said.length) phase.notes.push(`the bridge logged ${said.length} line(s) about boards meanwhile, e.g. "${said[0].replace(/^.*?bridge /, "bridge ")}"`)
        }

        // Ctrl-C: the bridge marks the boards offline and exits 0
        process.kill(bridge.pid, "SIGINT")
        const code = await Promise.race([bridge.exited, sleep(15_000).then(() => "no exit within 15 s")])
        if (code !== 0) res.problems.push(`the bridge after Ctrl-C: ${code}`)
    } catch (e: any) {
        res.error = e?.stack ?? String(e)
    } finally {
        const seen = (bridge?.lines ?? []).map(l => /bridge ([0-9a-f]{16}): the board restarted/.exec(l)?.[1]).filter(x => x)
        for (const id of new Set(seen)) res.problems.push(`the bridge saw board ${id} restart`)
        for (const sim of sims.filter(restarted)) {
            res.restarts = { ...res.restarts, [sim.match[1]]: unusual(sim).slice(0, 30) }
            res.problems.push(`board ${sim.match[1]} restarted meanwhile (its lines: ${unusual(sim).slice(0, 6).join(" / ")})`)
        }
        await watcher?.close().catch(() => {})
        await tap?.close()
        await stopAll(pids)
        await broker?.dispose()
        rmSync(dir, { recursive: true, force: true })
    }
    return res
}

/** What limited the figures, in words. */
function judge(p: Phase, boards: number): void {
    const u = p.usage
    const f = (x: number) => x.toFixed(0)
    const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(1)}%`
    const slow = p.perBoard.filter(b => b.publishedPerSec < 0.9 * p.appEventsPerSec)
    if (slow.length)
        p.notes.push(
            `the boards are the limit: ${slow.length} of ${boards} published under 90% of the app's ${f(p.appEventsPerSec)}/s (${slow.map(b => f(b.publishedPerSec)).join(", ")}/s), their \`devs run\` at ${u.cpuPct.boards.map(f).join(", ")}% of a core, the machine at ${f(u.cpuPct.machine)}% of ${CORES * 100}%`
        )
    const published = sum(p.perBoard.map(b => b.publishedPerSec * u.seconds))
    const lost = sum(p.perBoard.map(b => b.lost))
    const lostOnLink = sum(p.perBoard.map(b => b.link?.lost ?? NaN))
    if (lost > 0.01 * published) {
        const where = Number.isFinite(lostOnLink) ? `: ${f(lostOnLink)} already missing at the tap on the link, ${f(lost - lostOnLink)} between the link and the broker` : ""
        p.notes.push(`${f(lost)} of the ${f(published)} events published in the window did not reach the broker (${pct(lost, published)})${where}`)
        if (lostOnLink > 0.9 * lost && !slow.length)
            p.notes.push(
                `the boards' links are the limit: each carried ${p.perBoard.map(b => f(b.link!.deliveredPerSec)).join(", ")}/s of the ${p.perBoard.map(b => f(b.publishedPerSec)).join(", ")}/s its app published, their \`devs run\` at ${u.cpuPct.boards.map(f).join(", ")}% of a core (not CPU-bound)`
            )
    }
    if (p.bridgeDropped.some(x => x > 0)) p.notes.push(`the bridge counted events dropped (its queue full): ${p.bridgeDropped.join(", ")}`)
}

// ------------------------------------------------------------------ the report

function table(cases: FleetResult[]): string[] {
    const f0 = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : "-")
    const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-")
    const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "-")
    const head = ["sim boards", "app events/s", "events/s at broker (per board)", "at a host on the link", "published/s", "bridge CPU %", "bridge ms CPU/event", "bridge RSS MB", "sim CPU % (devs run; devtools)", `machine CPU % of ${CORES * 100}`]
    const rows: string[][] = []
    for (const c of cases) {
        const i = c.idle
        if (!i) {
            rows.push([String(c.boards), "failed", ...head.slice(2).map(() => "")])
            continue
        }
        rows.push([String(c.boards), "idle", "0", "0", "0", f1(i.cpuPct.bridge), "", f1(i.bridgeRssMB), `${i.cpuPct.boards.map(f0).join(", ")}; ${f0(i.cpuPct.devtools)}`, f0(i.cpuPct.machine)])
        for (const p of c.phases) {
            const per = (xs: number[]) => (xs.length > 1 ? ` (${xs.map(f0).join(", ")})` : "")
            const u = p.usage
            rows.push([
                String(c.boards),
                `${f0(p.appEventsPerSec)} × ${c.boards}`,
                f0(p.deliveredPerSec) + per(p.perBoard.map(b => b.deliveredPerSec)),
                f0(p.linkPerSec),
                f0(p.publishedPerSec),
                f1(u.cpuPct.bridge),
                f2(p.bridgeCpuMsPerEvent),
                f1(u.bridgeRssMB),
                `${u.cpuPct.boards.map(f0).join(", ")}; ${f0(u.cpuPct.devtools)}`,
                f0(u.cpuPct.machine),
            ])
        }
    }
    const w = head.map((h, k) => Math.max(h.length, ...rows.map(r => r[k].length)))
    const line = (c: string[]) => "| " + c.map((x, k) => x.padEnd(w[k])).join(" | ") + " |"
    const out = [line(head), "| " + w.map(k => "-".repeat(k)).join(" | ") + " |", ...rows.map(line)]
    out.push(
        "",
        `DeviceScript simulator boards (\`wasmlet sim\`), one \`wasmlet bridge --sim\` process, mosquitto. Each board's app publishes {seq} every ${PUBLISHERS.map(p => `${p.periodMs} ms`).join(" or ")}; ${SECONDS} s windows after ${WARMUP} s of warm-up; idle: the baked samples only, nothing forwarded. "At a host on the link": a second host next to the bridge subscribed to the same events; "published": the apps' seq advance. CPU from /proc, % of one core; the bridge's ms CPU/event is over its idle.`
    )
    for (const c of cases) {
        if (c.firstAttempt) out.push(`- ${c.boards} board(s): run twice; the first attempt was not measured: ${c.firstAttempt.join("; ")}`)
        for (const p of c.phases) for (const n of p.notes) out.push(`- ${c.boards} board(s), ${p.phase}: ${n}`)
        for (const p of c.problems) out.push(`- ${c.boards} board(s), not measured: ${p}`)
        if (c.error) out.push(`- ${c.boards} board(s) failed: ${c.error.split("\n")[0]}`)
    }
    return out
}

async function main(): Promise<number> {
    console.debug = () => {} // jacdac-ts's transport chatter
    const cases: FleetResult[] = []
    for (const n of FLEETS) {
        process.stderr.write(`[bridge-sim] ${n} simulated board(s)...\n`)
        let r = await fleet(n)
        if (r.error || r.problems.length) {
            // once more: the simulator's VM restarts now and then under load (test/host/sim-flash.test.ts retries too)
            const first = [...r.problems, ...(r.error ? [r.error.split("\n")[0]] : [])]
            process.stderr.write(`[bridge-sim] ${n} board(s): ${first.join("; ")}\n[bridge-sim] once more\n`)
            r = await fleet(n)
            r.firstAttempt = first
        }
        cases.push(r)
    }
    const result = { seconds: SECONDS, warmupSeconds: WARMUP, cores: CORES, publishers: PUBLISHERS, cases }
    process.stdout.write(JSON.stringify(result, null, 2) + "\n")
    process.stderr.write(table(cases).join("\n") + "\n")
    return cases.some(c => c.error || c.problems.length) ? 1 : 0
}

const prefix = privateNetworkPrefix()
if (!process.env[INNER] && prefix.length) {
    const [cmd, ...args] = [...prefix, process.execPath, join(ROOT, "node_modules/tsx/dist/cli.mjs"), ...process.argv.slice(1)]
    const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, [INNER]: "1" } })
    process.exit(r.status ?? 1)
} else {
    main().then(
        code => process.exit(code),
        e => (console.error(e), process.exit(1))
    )
}
