// `npm run bench`: speed and footprint of the engine (see README "Performance").
//
//   npm run bench                       Node + simulator + native baselines + footprint
//   npm run bench -- --host-interp      the ../shared/bench/host programs on the interpreter (slow:
//                                       minutes each) instead of the JIT (host/jit, seconds in all)
//   npm run bench -- --reps 5           runs per kernel (median; default 3)
//   npm run bench -- --only fib,crc32   some kernels
//   npm run bench -- --no-sim --no-footprint --no-write
//   npm run bench -- --no-framework     without the app framework's benchmarks (bench/framework.ts)
//   npm run bench -- --framework-only   only those: merged into the last latest.json and README
//   npm run bench -- --no-manager       without the app manager's (bench/manager.ts)
//   npm run bench -- --manager-only     only those: merged into the last latest.json and README
//   npm run bench -- --no-network       without the gateway's and the bridge's (bench/network.ts)
//   npm run bench -- --network-only     only those: merged into the last latest.json and README
//
// Writes bench/results/latest.json and prints a table (also refreshed in the README unless --no-write).
import "../interpreter/platform/node-core"
import { mkdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { spawnSync } from "node:child_process"
import { pathToFileURL } from "node:url"
import { cpus, loadavg } from "node:os"
import { compileToImage } from "../compiler/index"
import { ROOT } from "../scripts/lib/devs"
import { bytecodeShares, describeMetrics, measure, readBudgets, Share } from "../scripts/firmware-metrics"
import { benchFramework, FrameworkResult, renderFrameworkTables } from "./framework"
import { benchManager, ManagerResult, renderManagerTables } from "./manager"
import { benchNetwork, NetworkResult, renderNetworkTables } from "./network"
import { hostPrograms, loadKernels } from "./kernels"
import { benchHostProgram, benchKernelOnNode, HostEngine, HostProgramResult, NodeKernelResult } from "./node"
import { benchInSim, SimResult } from "./sim"

interface Options {
    reps: number
    hostEngine: HostEngine
    sim: boolean
    footprint: boolean
    write: boolean
    framework: boolean
    frameworkOnly: boolean
    manager: boolean
    managerOnly: boolean
    network: boolean
    networkOnly: boolean
    only?: string[]
}

function parseArgs(argv: string[]): Options {
    const o: Options = { reps: 3, hostEngine: "jit", sim: true, footprint: true, write: true, framework: true, frameworkOnly: false, manager: true, managerOnly: false, network: true, networkOnly: false }
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--host-interp") o.hostEngine = "interp"
        else if (a === "--reps") o.reps = Math.max(1, parseInt(argv[++i], 10) || 1)
        else if (a === "--only") o.only = argv[++i].split(",")
        else if (a === "--no-sim") o.sim = false
        else if (a === "--no-footprint") o.footprint = false
        else if (a === "--no-write") o.write = false
        else if (a === "--no-framework") o.framework = false
        else if (a === "--framework-only") o.frameworkOnly = true
        else if (a === "--no-manager") o.manager = false
        else if (a === "--manager-only") o.managerOnly = true
        else if (a === "--no-network") o.network = false
        else if (a === "--network-only") o.networkOnly = true
        else if (a === "-h" || a === "--help") {
            console.log("usage: npm run bench -- [--host-interp] [--reps N] [--only a,b] [--no-sim] [--no-footprint] [--no-write] [--no-framework | --framework-only] [--no-manager | --manager-only] [--no-network | --network-only]")
            process.exit(0)
        } else throw new Error(`unknown option ${a}`)
    }
    return o
}

export function geomean(xs: number[]): number {
    const v = xs.filter(x => x > 0 && isFinite(x))
    return v.length ? Math.exp(v.reduce((s, x) => s + Math.log(x), 0) / v.length) : NaN
}

const f0 = (x: number) => (isFinite(x) ? x.toFixed(0) : "-")
const f1 = (x: number) => (isFinite(x) ? x.toFixed(1) : "-")
const f2 = (x: number) => (isFinite(x) ? x.toFixed(2) : "-")

function table(head: string[], rows: string[][]): string[] {
    return [`| ${head.join(" | ")} |`, `|${head.map(() => " --- ").join("|")}|`, ...rows.map(r => `| ${r.join(" | ")} |`)]
}

export interface BenchResults {
    date: string
    node: string
    commit: string
    uncommittedEngineFiles: string[]
    reps: number
    /** 1-minute load average at the start and the machine's cores (simulator times grow with the load). */
    load?: { start: number; cores: number }
    kernels: NodeKernelResult[]
    sim?: SimResult
    geomeanWasmOverNative?: number
    host: HostProgramResult[]
    /** Geometric mean of run time / wasm3's over the host programs but startup. */
    hostGeomeanVsWasm3?: number
    footprint?: {
        bytecodeBytes: number
        functionsBytes: number
        dataBytes: number
        devsImageBytes: number
        idleHeapBytes: number
        budgets: { bytecodeBytes: number; idleHeapBytes: number }
        /** Bytecode (descriptors + code) by source: engine, framework, firmware, libraries, other. */
        shares?: Share[]
    }
    /** The app framework's benchmarks (bench/framework.ts). */
    framework?: FrameworkResult
    /** The app manager's (bench/manager.ts). */
    manager?: ManagerResult
    /** The gateway's and the bridge's (bench/network.ts). */
    network?: NetworkResult
}

export function renderTables(r: BenchResults): string[] {
    const sim = new Map((r.sim?.kernels ?? []).map(k => [k.name, k]))
    const rows = r.kernels.map(k => {
        const s = sim.get(k.name)
        const ok = k.ok && (!s || (s.wasmOk && s.nativeOk)) ? "ok" : `FAIL${k.ok ? "" : " node"}${s && !s.wasmOk ? " sim" : ""}${s && !s.nativeOk ? " native" : ""}`
        return [
            k.name,
            String(k.imageBytes),
            f1(k.compileMs),
            f0(k.runMs),
            f1(k.instrPerSec / 1e6),
            s ? f0(s.wasmMs) : "-",
            s ? f2(k.instructions / (s.wasmMs / 1000) / 1e6) : "-",
            s ? f0(s.nativeMs) : "-",
            s ? f1(s.ratio) : "-",
            String(k.touchedMemoryBytes),
            String(k.arenaBytes),
            ok,
        ]
    })
    const out = table(
        ["kernel", "image B", "compile ms", "Node ms", "Node Minstr/s", "sim wasm ms", "sim Minstr/s", "sim native ms", "wasm/native", "touched mem B", "arena B", "checksums"],
        rows
    )
    if (r.geomeanWasmOverNative !== undefined) out.push("", `Simulator, geometric mean of wasm/native over ${r.sim.kernels.length} kernels: **${f1(r.geomeanWasmOverNative)}×** (target ≤ 5×).`)
    if (r.sim?.problem) out.push("", `Simulator problem: ${r.sim.problem}`)
    const k0 = r.kernels[0]
    if (k0)
        out.push(
            "",
            `arena B: what the kernel's app account holds after a run (1 KiB pages): its code (the image), touched memory, one small-block page shared by its globals (${Math.max(...r.kernels.map(k => k.globalsBytes))} B at most), table and memory's chunk table, and the stacks (value stack ${k0.stackBytes} B + ${k0.framesBytes} B of frame records; an app's stack size is a board-profile limit, and the sensor kernel also runs with 2 KB of stacks, in 8 KB in all: test/engine/bench-kernels.test.ts).`
        )
    if (r.footprint) {
        const f = r.footprint
        const shares = f.shares ? ` = ${f.shares.filter(s => s.bytes > 0).map(s => `${s.name} ${s.bytes}`).join(", ")} B + header` : ""
        out.push(`Firmware: bytecode ${f.bytecodeBytes} B${shares} (verifier's rule; budget ${f.budgets.bytecodeBytes}), idle heap ${f.idleHeapBytes} B with no apps (budget ${f.budgets.idleHeapBytes}; target ≤ 12288).`)
    }
    if (r.host.length) {
        const engine = r.host[0].engine === "interp" ? "interpreter" : "JIT"
        out.push("")
        out.push(
            ...table(
                ["host program", `${engine} ms`, "compile ms", "wasm3 ref ms", "× wasm3", "output"],
                r.host.map(h => [h.name, f0(h.runMs), f0(h.compileMs), h.name === "startup" ? "-" : f0(h.wasm3RefMs), h.name === "startup" ? "-" : f2(h.ratioVsWasm3), h.ok ? "ok" : h.note ?? "FAIL"])
            )
        )
        if (r.hostGeomeanVsWasm3 !== undefined) out.push("", `Host programs on the ${engine}, geometric mean: **${f2(r.hostGeomeanVsWasm3)}× wasm3** (target ≤ 3×).`)
        out.push("", "wasm3 reference: 1.0 s per program (../shared/bench/README.md gives 0.6–1.2 s, no per-program figures).")
    }
    if (r.framework) out.push("", "### App framework", "", ...renderFrameworkTables(r.framework))
    if (r.manager) out.push("", "### App manager", "", ...renderManagerTables(r.manager))
    if (r.network) out.push("", "### Gateway and bridge", "", ...renderNetworkTables(r.network))
    return out
}

function updateReadme(lines: string[], date: string, commit: string, load?: { start: number; cores: number }): void {
    const path = join(ROOT, "README.md")
    const text = readFileSync(path, "utf8")
    const section = [
        "## Performance",
        "",
        `\`npm run bench\` (${date}, commit ${commit}; the WASI host programs run on the JIT, \`-- --host-interp\` runs them on the interpreter). Node: the engine on Node; sim: inside the DeviceScript simulator in normal mode (no GC stress), timed from outside the VM; native: the same kernel hand-written in DeviceScript (\`bench/native/\`). All numbers: \`bench/results/latest.json\`.${load ? ` Load average at the start: ${load.start.toFixed(1)} on ${load.cores} cores.` : ""}`,
        "",
        ...lines,
        "",
    ].join("\n")
    const start = text.indexOf("\n## Performance\n")
    let next: string
    if (start < 0) next = text.replace(/\n*$/, "\n\n") + section
    else {
        const after = text.indexOf("\n## ", start + 1)
        next = text.slice(0, start + 1) + section + (after < 0 ? "" : text.slice(after))
    }
    writeFileSync(path, next)
}

async function main(): Promise<number> {
    const o = parseArgs(process.argv.slice(2))
    const log = (s: string) => console.log(s)
    if (o.frameworkOnly) return frameworkOnly(o, log)
    if (o.managerOnly) return managerOnly(o, log)
    if (o.networkOnly) return networkOnly(o, log)
    const kernels = loadKernels().filter(k => !o.only || o.only.includes(k.name))
    const date = new Date().toISOString().slice(0, 10)
    const git = (args: string[]) => spawnSync("git", args, { cwd: ROOT, encoding: "utf8" }).stdout.replace(/\s+$/, "")
    // Engine files with uncommitted edits (other work in the tree) are measured as they are: say so.
    const dirty = git(["status", "--porcelain", "--", "interpreter", "compiler", "firmware"]).split("\n").filter(l => l.trim())
    const res: BenchResults = { date, node: process.version, commit: git(["rev-parse", "--short", "HEAD"]), uncommittedEngineFiles: dirty.map(l => l.slice(3)), reps: o.reps, load: { start: loadavg()[0], cores: cpus().length }, kernels: [], host: [] }

    log(`[bench] Node-hosted engine, ${o.reps} run(s) per kernel`)
    for (const k of kernels) {
        const r = await benchKernelOnNode(k, o.reps)
        res.kernels.push(r)
        log(`  node ${k.name}: compile ${f1(r.compileMs)} ms, run ${f0(r.runMs)} ms, ${f1(r.instrPerSec / 1e6)} Minstr/s, ${r.ok ? "ok" : `checksum ${r.checksum} != ${r.expected}`}`)
    }

    const progs = o.only ? [] : hostPrograms()
    for (const p of progs) {
        log(`[bench] host program ${p} on the ${o.hostEngine === "jit" ? "JIT" : "interpreter"}...`)
        const h = benchHostProgram(p, o.hostEngine)
        res.host.push(h)
        log(`  host ${p}: ${f0(h.runMs)} ms${p === "startup" ? "" : `, ${f2(h.ratioVsWasm3)}× wasm3`}${h.ok ? "" : ` (${h.note})`}`)
    }
    const hostRatios = res.host.filter(h => h.ok && h.name !== "startup").map(h => h.ratioVsWasm3)
    if (hostRatios.length) {
        res.hostGeomeanVsWasm3 = geomean(hostRatios)
        log(`  host programs: geometric mean ${f2(res.hostGeomeanVsWasm3)}× wasm3 over ${hostRatios.length}`)
    }

    if (o.sim) {
        log(`[bench] simulator (normal mode), ${o.reps} run(s) per kernel, wasm and native`)
        const images = kernels.map(k => ({ name: k.name, image: compileToImage(new Uint8Array(k.wasm)), expected: k.expected }))
        res.sim = await benchInSim(images, o.reps, log)
        const ratios = res.sim.kernels.filter(k => k.wasmOk && k.nativeOk).map(k => k.ratio)
        if (ratios.length) res.geomeanWasmOverNative = geomean(ratios)
        if (res.sim.problem) log(`  simulator problem: ${res.sim.problem}`)
    }

    if (o.footprint) {
        log(`[bench] footprint (devs build; idle-heap probes)`)
        const m = await measure()
        for (const l of describeMetrics(m)) log("  " + l)
        res.footprint = {
            bytecodeBytes: m.bytecode.total,
            functionsBytes: m.bytecode.functions,
            dataBytes: m.bytecode.data,
            devsImageBytes: m.imageBytes,
            idleHeapBytes: m.idleHeap.bytes,
            budgets: readBudgets(),
            shares: bytecodeShares(m.bytecode.list),
        }
    }

    if (o.framework && !o.only) res.framework = await benchFramework(o.reps, o.sim, log)
    if (o.manager && !o.only) res.manager = await benchManager(o.sim, log)
    if (o.network && !o.only) res.network = await benchNetwork(o.sim, log)

    const lines = renderTables(res)
    log("")
    for (const l of lines) log(l)
    if (o.write) {
        mkdirSync(join(ROOT, "bench/results"), { recursive: true })
        writeFileSync(join(ROOT, "bench/results/latest.json"), JSON.stringify(res, null, 2) + "\n")
        log(`\n[bench] wrote bench/results/latest.json`)
        if (!o.only && o.sim && o.footprint) {
            updateReadme(lines, date, res.commit + (res.uncommittedEngineFiles.length ? " + uncommitted engine edits" : ""), res.load)
            log(`[bench] refreshed README.md "Performance"`)
        }
    }
    const bad = res.kernels.some(k => !k.ok) || (res.sim?.kernels ?? []).some(k => !k.wasmOk || !k.nativeOk) || res.host.some(h => !h.ok) || frameworkFailed(res.framework)
    return bad ? 1 : 0
}

function frameworkFailed(f: FrameworkResult | undefined): boolean {
    return f !== undefined && ((f.sim?.failures.length ?? 0) > 0 || (f.node?.failures.length ?? 0) > 0)
}

/**
 * --framework-only, --manager-only, --network-only: one group's benchmarks (`measure` stores them in
 * the results and says whether they failed), merged into the last full results and README.
 */
async function groupOnly(o: Options, log: (s: string) => void, what: string, measure: (last: BenchResults) => Promise<boolean>): Promise<number> {
    const path = join(ROOT, "bench/results/latest.json")
    const last: BenchResults = JSON.parse(readFileSync(path, "utf8"))
    const failed = await measure(last)
    const lines = renderTables(last)
    log("")
    for (const l of lines) log(l)
    if (o.write) {
        writeFileSync(path, JSON.stringify(last, null, 2) + "\n")
        log(`\n[bench] wrote bench/results/latest.json (${what} results; the rest from ${last.date}, commit ${last.commit})`)
        if (o.sim) {
            updateReadme(lines, last.date, last.commit + (last.uncommittedEngineFiles.length ? " + uncommitted engine edits" : ""), last.load)
            log(`[bench] refreshed README.md "Performance"`)
        }
    }
    return failed ? 1 : 0
}

const frameworkOnly = (o: Options, log: (s: string) => void) =>
    groupOnly(o, log, "framework", async last => frameworkFailed((last.framework = await benchFramework(o.reps, o.sim, log))))
const managerOnly = (o: Options, log: (s: string) => void) =>
    groupOnly(o, log, "manager", async last => (last.manager = await benchManager(o.sim, log)).simError !== undefined)
const networkOnly = (o: Options, log: (s: string) => void) =>
    groupOnly(o, log, "network", async last => (last.network = await benchNetwork(o.sim, log)).failures.length > 0)

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    main().then(
        code => process.exit(code),
        e => {
            console.error(e)
            process.exit(1)
        }
    )
}
