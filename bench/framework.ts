// The app framework's benchmarks (issue 8 "Targets"), for `npm run bench`: per-op costs of the
// scheduler, timers, printf, requests and events, and the samples' arena footprint, measured by
// bench/framework/scenarios.ts inside the DeviceScript simulator (one short program per scenario,
// bench/framework/sim.ts) and on Node (bench/framework/node.ts, a reference). The device prints
// integer totals; this file turns them into per-op figures (median over the repetitions), checks
// that every run did what it should (counts, sequence numbers, no drops, arena given back), and
// renders the README's "App framework" tables.
import "../interpreter/platform/node-core"
import { profile as simulator } from "../boards/simulator"
import { supportImages } from "../host/run/app-images"
import { buildBenchApps, BuiltApp, sampleApps, SCENARIO_APPS } from "./framework/build"
import { benchFrameworkOnNode } from "./framework/node"
import { BenchCounts } from "./framework/scenarios"
import { runGroupInSim, simProgram } from "./framework/sim"
import { median } from "./node"
import { spawnSync } from "node:child_process"
import { cpus, loadavg } from "node:os"
import { ROOT } from "../scripts/lib/devs"

const TIMING_SCENARIOS = ["timer", "printf", "request", "events1", "events3"]
/**
 * Scenarios whose repetitions each get a program of their own: with four apps (a publisher and
 * three subscribers) a second run in the same program ran out of DeviceScript heap.
 */
const ONE_RUN_PER_PROGRAM = ["events3"]
const ARENA_SCENARIOS = ["arena-trio", "arena-pair"]

export const SIM_COUNTS: BenchCounts = { timer: 500, periodicMs: 1000, prints: 100, rounds: 100, events: 200, arenaRunMs: 1500 }
export const NODE_COUNTS: BenchCounts = { timer: 2000, periodicMs: 1000, prints: 100, rounds: 100, events: 500, arenaRunMs: 1500 }

/** One result line of the device: its key and its name=value fields. */
export interface BenchLine {
    key: string
    f: Record<string, string>
}

export function parseLine(s: string): BenchLine {
    const [key, ...rest] = s.trim().split(/\s+/)
    const f: Record<string, string> = {}
    for (const kv of rest) {
        const i = kv.indexOf("=")
        if (i > 0) f[kv.slice(0, i)] = kv.slice(i + 1)
    }
    return { key, f }
}

export interface ArenaAppRow {
    group: string
    where: "flash" | "ram"
    app: string
    used: number
    image: number
    touched: number
    stacks: number
    other: number
    traps: number
    error?: string
}

export interface ArenaGroupRow {
    group: string
    where: "flash" | "ram"
    /** Installed / asked for. */
    installed: number
    apps: number
    usedBytes: number
    arenaBytes: number
    /** Every app installed and none trapped. */
    fits: boolean
    failures: string[]
}

export interface FrameworkFigures {
    /** ms per timer callback into fw_tick (queued expiry -> SDK dispatch -> handler counts). */
    timerCallbackMs: number
    /** ms per call of an empty export through the same queue: the scheduler's share. */
    emptyCallbackMs: number
    /** timerCallbackMs - emptyCallbackMs: the app side (on_timer_callback's lookup and the handler). */
    timerAppMs: number
    /** Scheduler turns per callback, and ms per bare yield (clock.pass) of a turn. */
    turnsPerCallback: number
    yieldMs: number
    /** A periodic 1 ms timer fired by the scheduler itself: callbacks per second, and drops. */
    periodicPerSec: number
    periodicDropped: number
    /** ms per printf("%s: %d readings\n", "sensor", i) to the console, and per snprintf of it. */
    printfMs: number
    snprintfMs: number
    /** ms per request round trip fw_ping -> fw_pong -> fw_ping, and turns per round trip. */
    requestMs: number
    requestTurns: number
    /** Events per second from one publisher, to 1 and to 3 subscribers (events3Deliveries: received per second). */
    events1PerSec: number
    events3PerSec: number
    events3DeliveriesPerSec: number
    arenaApps: ArenaAppRow[]
    arenaGroups: ArenaGroupRow[]
    /** Everything checked about the runs; failures say what. */
    failures: string[]
}

const num = (l: BenchLine, k: string) => Number(l.f[k])
const perOp = (ls: BenchLine[], k = "ms") => median(ls.map(l => num(l, k) / num(l, "n")))

/** Per-op figures and checks from the result lines of every repetition. */
export function figures(lines: string[], counts: BenchCounts): FrameworkFigures {
    const all = lines.map(parseLine)
    const by = (key: string) => all.filter(l => l.key === key)
    const failures: string[] = []
    const check = (ok: boolean, what: string) => {
        if (!ok) failures.push(what)
    }
    const timer = by("timer"), noop = by("noop"), printf = by("printf"), snprintf = by("snprintf"), call = by("call")
    for (const l of timer) check(num(l, "count") === num(l, "n") && num(l, "traps") === 0, `timer: ${num(l, "count")} of ${num(l, "n")} callbacks counted, ${l.f.traps} traps`)
    for (const l of printf) {
        check(num(l, "lines") === counts.prints, `printf: ${l.f.lines} lines for ${counts.prints} calls`)
        check(l.f.last === `sensor:~${counts.prints - 1}~readings`, `printf: last line ${l.f.last}`)
    }
    for (const l of snprintf) check(printf.length > 0 && l.f.chars === printf[0].f.chars, `snprintf: ${l.f.chars} chars, printf ${printf[0]?.f.chars}`)
    for (const l of by("request")) check(l.f.line === `ping~done~${counts.rounds}~bad~0` && num(l, "dropped") === 0, `request: ${l.f.line}, ${l.f.dropped} dropped`)
    for (const k of [1, 3])
        for (const l of by(`events${k}`))
            check(
                num(l, "published") === counts.events && num(l, "received") === k * counts.events && num(l, "bad") === 0 && num(l, "dropped") === 0,
                `events${k}: published ${l.f.published}, received ${l.f.received} of ${k * counts.events}, ${l.f.bad} out of sequence, ${l.f.dropped} dropped`
            )
    for (const l of by("arena-free")) check(l.f.pages === l.f.of, `after ${l.f.after}: ${l.f.pages} of ${l.f.of} arena pages free`)
    // an empty call's cost, from the printf scenario's 20 calls (its loop of PRINTS calls is one call)
    const oneCall = median(call.map(l => num(l, "ms") / num(l, "n")))
    const timerCallbackMs = perOp(timer)
    const emptyCallbackMs = perOp(noop)
    const periodic = by("periodic")
    const events1 = by("events1"), events3 = by("events3")
    const perSec = (ls: BenchLine[], k: string) => median(ls.map(l => num(l, k) / (num(l, "ms") / 1000)))
    const arenaApps: ArenaAppRow[] = by("arena-app").map(l => ({
        group: l.f.group,
        where: l.f.where as "flash" | "ram",
        app: l.f.app,
        used: num(l, "used"),
        image: num(l, "image"),
        touched: num(l, "touched"),
        stacks: num(l, "stacks"),
        other: num(l, "other"),
        traps: num(l, "traps"),
        error: l.f.error?.replace(/~/g, " "),
    }))
    // one row per group and placement (repetitions of the arena scenarios give the same numbers)
    const groups = new Map<string, ArenaGroupRow>()
    for (const l of by("arena-group")) {
        const key = `${l.f.group} ${l.f.where}`
        if (groups.has(key)) continue
        const mine = arenaApps.filter(a => a.group === l.f.group && a.where === l.f.where)
        const fails = by("arena-fail").filter(f => f.f.group === l.f.group && f.f.where === l.f.where)
        const failuresHere = [...fails.map(f => `${f.f.app}: ${f.f.why.replace(/~/g, " ")}`), ...mine.filter(a => a.traps > 0).map(a => `${a.app} trapped: ${a.error}`)]
        const asked = num(l, "apps") + num(l, "failed")
        groups.set(key, {
            group: l.f.group,
            where: l.f.where as "flash" | "ram",
            installed: num(l, "apps"),
            apps: asked,
            usedBytes: num(l, "used"),
            arenaBytes: num(l, "arena"),
            fits: num(l, "failed") === 0 && mine.every(a => a.traps === 0),
            failures: [...new Set(failuresHere)],
        })
    }
    const seen = new Set<string>()
    return {
        timerCallbackMs,
        emptyCallbackMs,
        timerAppMs: timerCallbackMs - emptyCallbackMs,
        turnsPerCallback: perOp(timer, "turns"),
        yieldMs: perOp(by("yield")),
        periodicPerSec: median(periodic.map(l => num(l, "fired") / (num(l, "ms") / 1000))),
        periodicDropped: median(periodic.map(l => num(l, "dropped"))),
        printfMs: median(printf.map(l => (num(l, "ms") - oneCall) / num(l, "n"))),
        snprintfMs: median(snprintf.map(l => (num(l, "ms") - oneCall) / num(l, "n"))),
        requestMs: perOp(by("request")),
        requestTurns: perOp(by("request"), "turns"),
        events1PerSec: perSec(events1, "n"),
        events3PerSec: perSec(events3, "n"),
        events3DeliveriesPerSec: perSec(events3, "received"),
        arenaApps: arenaApps.filter(a => {
            const k = `${a.group} ${a.where} ${a.app}`
            return seen.has(k) ? false : (seen.add(k), true)
        }),
        arenaGroups: [...groups.values()],
        failures,
    }
}

export interface SimScenarioRun {
    scenario: string
    reps: number
    wallMs: number
    problem?: string
}

export interface FrameworkResult {
    date: string
    commit: string
    /** The machine's 1-minute load average before and after, and its cores: the simulator's times scale with it. */
    load: { before: number; after: number; cores: number }
    simCounts: BenchCounts
    nodeCounts: BenchCounts
    apps: { name: string; wasmBytes: number; imageBytes: number }[]
    sim?: FrameworkFigures
    simRuns: SimScenarioRun[]
    simLines: string[]
    node?: FrameworkFigures
    nodeLines: string[]
}

/**
 * Builds the apps, runs every scenario `reps` times on Node and (unless `sim` is false) in the
 * simulator, one program per scenario; `log` gets progress lines.
 */
export async function benchFramework(reps: number, sim: boolean, log: (s: string) => void): Promise<FrameworkResult> {
    const simApps = [...buildBenchApps({ PRINTS: SIM_COUNTS.prints, ROUNDS: SIM_COUNTS.rounds }), ...sampleApps()]
    const nodeApps = [...buildBenchApps({ PRINTS: NODE_COUNTS.prints, ROUNDS: NODE_COUNTS.rounds }), ...sampleApps()]
    const res: FrameworkResult = {
        date: new Date().toISOString().slice(0, 10),
        commit: spawnSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).stdout.trim(),
        load: { before: loadavg()[0], after: NaN, cores: cpus().length },
        simCounts: SIM_COUNTS,
        nodeCounts: NODE_COUNTS,
        apps: simApps.map(a => ({ name: a.name, wasmBytes: a.wasmBytes, imageBytes: a.image.length })),
        simRuns: [],
        simLines: [],
        nodeLines: [],
    }
    const repeat = (names: string[]) => names.flatMap(n => Array<string>(n.startsWith("arena-") ? 1 : reps).fill(n))
    const appsFor = (apps: BuiltApp[], names: string[]) => apps.filter(a => names.some(n => SCENARIO_APPS[n].includes(a.name)))

    log(`[bench] app framework on Node (interpreter, simulator profile), ${reps} run(s) per scenario`)
    const all = [...TIMING_SCENARIOS, ...ARENA_SCENARIOS]
    res.nodeLines = await benchFrameworkOnNode(repeat(all), nodeApps, NODE_COUNTS)
    res.node = figures(res.nodeLines, NODE_COUNTS)
    for (const l of describe(res.node)) log("  node " + l)

    if (sim) {
        log(`[bench] app framework in the simulator, one program per scenario, ${reps} run(s) each`)
        const libc = supportImages().libc
        const programs = all.flatMap(s => (ONE_RUN_PER_PROGRAM.includes(s) ? repeat([s]).map(n => [n]) : [repeat([s])]))
        for (const names of programs) {
            const s = names[0]
            const r = await runGroupInSim(simProgram(names, libc, appsFor(simApps, [s]), SIM_COUNTS), log)
            res.simRuns.push({ scenario: s, reps: names.length, wallMs: r.wallMs, problem: r.problem })
            res.simLines.push(...r.lines)
            if (r.problem) log(`  sim ${s}: PROBLEM ${r.problem}`)
        }
        res.sim = figures(res.simLines, SIM_COUNTS)
        for (const p of res.simRuns.filter(r => r.problem)) res.sim.failures.push(`${p.scenario}: ${p.problem.split("\n")[0]}`)
        for (const l of describe(res.sim)) log("  sim " + l)
    }
    res.load.after = loadavg()[0]
    return res
}

const f2 = (x: number) => (isFinite(x) ? x.toFixed(2) : "-")
const f3 = (x: number) => (isFinite(x) ? x.toFixed(3) : "-")
const f1 = (x: number) => (isFinite(x) ? x.toFixed(1) : "-")
const f0 = (x: number) => (isFinite(x) ? x.toFixed(0) : "-")

function describe(f: FrameworkFigures): string[] {
    return [
        `timer callback ${f3(f.timerCallbackMs)} ms (empty export ${f3(f.emptyCallbackMs)} ms, app side ${f3(f.timerAppMs)} ms), periodic 1 ms timer ${f0(f.periodicPerSec)}/s`,
        `printf ${f3(f.printfMs)} ms, snprintf ${f3(f.snprintfMs)} ms; request round trip ${f2(f.requestMs)} ms; events/s ${f0(f.events1PerSec)} (1 sub), ${f0(f.events3PerSec)} (3 subs)`,
        ...f.failures.map(x => `FAILED: ${x}`),
    ]
}

/**
 * What a group would need with its images in RAM: each app's account with its image in flash
 * plus the image's pages (the same run otherwise), against the arena and the per-app quota.
 */
function ramNeed(r: FrameworkResult, f: FrameworkFigures, group: string): string {
    const flash = f.arenaApps.filter(a => a.group === group && a.where === "flash")
    const image = (name: string) => r.apps.find(a => a.name === name)?.imageBytes ?? NaN
    const per = flash.map(a => ({ app: a.app, bytes: a.used + Math.ceil(image(a.app) / 1024) * 1024 }))
    const total = per.reduce((t, a) => t + a.bytes, 0)
    if (!per.length || !isFinite(total)) return ""
    const quota = simulator.limits.appArenaBytes
    return `, it would need ${total} B (${per.map(a => `${a.app} ${a.bytes}${a.bytes > quota ? " > quota" : ""}`).join(", ")})`
}

/** The README's "App framework" tables. */
export function renderFrameworkTables(r: FrameworkResult): string[] {
    const s = r.sim, n = r.node
    const col = (f: FrameworkFigures | undefined, g: (f: FrameworkFigures) => string) => (f ? g(f) : "-")
    const row = (what: string, g: (f: FrameworkFigures) => string, note: string) => [what, col(s, g), col(n, g), note]
    const rows = [
        row("timer callback into an app, ms", f => f3(f.timerCallbackMs), `fw_tick: a queued expiry of an idle SDK timer, on_timer_callback finds it, the handler counts (${f1(s?.turnsPerCallback ?? NaN)} turns each)`),
        row("… the scheduler's share, ms", f => f3(f.emptyCallbackMs), "the same trip with an empty export: queue, start, slices, yields"),
        row("… the app's share, ms", f => f3(f.timerAppMs), "the difference: SDK dispatch and the handler"),
        row("… one bare yield of a turn, ms", f => f3(f.yieldMs), "clock.pass() (ds.sleep(0) on the device)"),
        row("periodic 1 ms timer, callbacks/s", f => f0(f.periodicPerSec), "the scheduler's own timer pass, nothing else running"),
        row('printf("%s: %d readings\\n"), ms per call', f => f3(f.printfMs), "through the runtime's libc to the console (fw_print)"),
        row("snprintf of the same line, ms per call", f => f3(f.snprintfMs), "the formatting alone"),
        row("request round trip between two apps, ms", f => f2(f.requestMs), `fw_ping → /app/fw_pong/echo → response, back to back (${f0(s?.requestTurns ?? NaN)} turns each)`),
        row("events/s, 1 publisher → 1 subscriber", f => f0(f.events1PerSec), "fw_pub → fw_sub, next event when every queue has room"),
        row("events/s, 1 publisher → 3 subscribers", f => `${f0(f.events3PerSec)} (${f0(f.events3DeliveriesPerSec)} deliveries)`, "the same, three fw_sub"),
    ]
    const out = [
        "| measurement | sim | Node | what |",
        "| --- | --- | --- | --- |",
        ...rows.map(x => `| ${x.join(" | ")} |`),
    ]
    const bad = [...(s?.failures ?? []).map(x => `sim: ${x}`), ...(n?.failures ?? []).map(x => `Node: ${x}`)]
    out.push("", bad.length ? `Checks FAILED: ${bad.join("; ")}.` : "Checks: every callback counted, every printf line, every echo and event in sequence, nothing dropped, every arena page given back.")
    const c = r.simCounts
    out.push(
        "",
        `${r.date}, commit ${r.commit}, load average ${f1(r.load.before)}–${f1(r.load.after)} on ${r.load.cores} cores (the simulator's times grow with it). Simulator: timed inside the device with ds.millis() over ${c.timer} callbacks, ${c.prints} printf calls, ${c.rounds} round trips, ${c.events} events (median of the runs; one program per scenario, per run for events to 3 subscribers: \`bench/framework/\`); Node: the same scenarios on the interpreter, for reference.`
    )
    const f = s ?? n
    if (f) {
        out.push("", `Arena per app (${s ? "simulator" : "Node"}; the samples installed together in the simulator profile's ${simulator.arenaBytes} B arena, ${simulator.limits.appArenaBytes} B per app, after ${c.arenaRunMs} ms of running; B):`, "")
        out.push("| group | images in | app | account | image | touched memory | stacks | other |", "| --- | --- | --- | --- | --- | --- | --- | --- |")
        for (const a of f.arenaApps) out.push(`| ${a.group} | ${a.where} | ${a.app}${a.traps ? " (trapped)" : ""} | ${a.used} | ${a.image} | ${a.touched} | ${a.stacks} | ${a.other} |`)
        out.push("")
        for (const g of f.arenaGroups) {
            const need = g.where === "ram" ? ramNeed(r, f, g.group) : ""
            out.push(`- ${g.group}, images in ${g.where}: ${g.installed} of ${g.apps} apps installed, ${g.usedBytes} of ${g.arenaBytes} B: **${g.fits ? "fits" : "does not fit"}**${need}${g.failures.length ? ` (${g.failures.join("; ")})` : ""}.`)
        }
        out.push("", "other: the app's globals and its libc instance's (a shared small-block page) and its memory's chunk table; stacks: value stack and frame records sized from the host's bound (app.ex.bytes()).")
    }
    return out
}
