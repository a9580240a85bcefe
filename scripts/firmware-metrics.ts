// Firmware size and idle heap, against the budgets in boards/budgets.json.
//
// Bytecode is measured by DeviceScript's own rule (runtime verify.c, check 1051): the image header
// (112 B), one 16-byte descriptor per function and all function bytecode must stay below 64 KiB;
// strings, floats and hex literals come after the functions and do not count. The figure is
// split by where the functions come from (engine, framework, app manager, firmware, DeviceScript
// libraries).
//
//   tsx scripts/firmware-metrics.ts              measure, print, exit 1 if a budget is exceeded
//   tsx scripts/firmware-metrics.ts --bytecode   the bytecode only (one build, no heap probes)
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { BytecodeSizes, FunctionSize, ROOT, buildFirmware, devs, makeBuildDir } from "./lib/devs"

export const BUDGETS_FILE = join(ROOT, "boards/budgets.json")
export const MAIN_ENTRY = "firmware/src/main.ts"
/** One probe chunk costs its bytes plus the buffer header (12 B) and the GC block header (4 B). */
export const PROBE_CHUNK_OVERHEAD = 16

/** verify.c check 1051: header + descriptors + bytecode must be below this. */
export const VERIFIER_LIMIT_BYTES = 0x10000

export interface Budgets {
    bytecodeBytes: number
    idleHeapBytes: number
    /** The .devs program image (functions, strings, hex literals) must fit the simulator's flash. */
    programImageBytes?: number
}

export function readBudgets(text = readFileSync(BUDGETS_FILE, "utf8")): Budgets {
    const j = JSON.parse(text)
    for (const k of ["bytecodeBytes", "idleHeapBytes"] as const)
        if (typeof j[k] !== "number" || !(j[k] > 0)) throw new Error(`budgets: "${k}" must be a positive number`)
    if (j.bytecodeBytes >= VERIFIER_LIMIT_BYTES)
        throw new Error(`budgets: "bytecodeBytes" must be below DeviceScript's limit of ${VERIFIER_LIMIT_BYTES} B`)
    if (j.programImageBytes !== undefined && !(j.programImageBytes > 0)) throw new Error(`budgets: "programImageBytes" must be a positive number`)
    return { bytecodeBytes: j.bytecodeBytes, idleHeapBytes: j.idleHeapBytes, programImageBytes: j.programImageBytes }
}

export interface Metrics {
    bytecode: BytecodeSizes
    imageBytes: number
    idleHeap: HeapMeasurement
}

export interface BudgetCheck {
    name: string
    value: number
    budget: number
    ok: boolean
    line: string
}

const kb = (n: number) => (n / 1024).toFixed(1) + " KB"

export function checkBudgets(m: { bytecodeBytes: number; idleHeapBytes: number; imageBytes?: number }, b: Budgets): BudgetCheck[] {
    const mk = (name: string, value: number, budget: number, what: string, ok = value <= budget): BudgetCheck => ({
        name,
        value,
        budget,
        ok,
        line: `${what}: ${value} B (${kb(value)}) of ${budget} B (${kb(budget)}) budget: ${ok ? "ok" : "OVER BUDGET"}`,
    })
    const limit = mk("bytecodeLimit", m.bytecodeBytes, VERIFIER_LIMIT_BYTES, "", m.bytecodeBytes < VERIFIER_LIMIT_BYTES)
    limit.line = `firmware bytecode by the verifier's rule: ${m.bytecodeBytes} B, ${
        limit.ok ? `${VERIFIER_LIMIT_BYTES - m.bytecodeBytes} B below` : "NOT below"
    } DeviceScript's limit of ${VERIFIER_LIMIT_BYTES} B (verify.c check 1051)`
    const checks = [
        limit,
        mk("bytecode", m.bytecodeBytes, b.bytecodeBytes, "firmware bytecode (header + descriptors + code)"),
        mk("idleHeap", m.idleHeapBytes, b.idleHeapBytes, "firmware heap at idle (arena excluded)"),
    ]
    if (m.imageBytes !== undefined && b.programImageBytes !== undefined)
        checks.push(mk("programImage", m.imageBytes, b.programImageBytes, "firmware program image (.devs, flash)"))
    return checks
}

/** Where a function's bytecode comes from, by its source file. */
export const SHARES = [
    { name: "engine", prefix: "interpreter/" },
    { name: "framework", prefix: "framework/" },
    { name: "app manager", prefix: "manager/" },
    { name: "firmware", prefix: "firmware/" },
    { name: "DeviceScript libraries", prefix: "node_modules/@devicescript/" },
] as const

export interface Share {
    name: string
    /** Descriptors plus bytecode of its functions. */
    bytes: number
    functions: number
}

/** Split the functions into SHARES, in that order, then "other" (anything else, or no known source). */
export function bytecodeShares(list: FunctionSize[]): Share[] {
    const shares: Share[] = [...SHARES.map(s => ({ name: s.name, bytes: 0, functions: 0 })), { name: "other", bytes: 0, functions: 0 }]
    for (const f of list) {
        let i = SHARES.findIndex(s => f.path.startsWith(s.prefix))
        if (i < 0) i = SHARES.length
        shares[i].bytes += f.size
        shares[i].functions++
    }
    return shares
}

export interface ProbeRun {
    /** Chunks allocated before running out of memory. */
    chunks: number
    chunkBytes: number
    output: string
}

/** Read a heap-probe run: "heap-probe: start chunk=128", "heap-probe: 1", ..., then OutOfMemory. */
export function parseHeapProbe(output: string): ProbeRun {
    const start = /heap-probe: start chunk=(\d+)/.exec(output)
    if (!start) throw new Error("heap probe did not start:\n" + output.slice(-2000))
    if (!/OutOfMemory|PANIC 60004/.test(output)) throw new Error("heap probe did not run out of memory:\n" + output.slice(-2000))
    let chunks = 0
    for (const m of output.matchAll(/heap-probe: (\d+)\s*$/gm)) chunks = Math.max(chunks, +m[1])
    return { chunks, chunkBytes: +start[1], output }
}

export interface HeapMeasurement {
    /**
     * Heap held by the idle firmware itself: (free in an empty program) - (free after boot),
     * less the arena it reserved for apps (reported as `arenaBytes`).
     */
    bytes: number
    /** The fixed arena reserved at boot for apps ("wasmlet: arena reserved N B"), with its Buffer header. */
    arenaBytes: number
    freeEmpty: number
    freeIdle: number
}

async function runProbeOnce(entry: string): Promise<ProbeRun> {
    const b = makeBuildDir()
    try {
        // --test: no sockets (runs beside `npm start`), exits on the panic instead of restarting.
        const r = await devs(["run", entry, "--test", "-T", "120000"], { cwd: b.dir, timeoutMs: 180_000 })
        return parseHeapProbe(r.output)
    } finally {
        b.dispose()
    }
}

/** Attempts per probe (see runProbe). */
const PROBE_ATTEMPTS = 3

/**
 * A probe run. Once in a while (seen with other simulator runs going on beside it, and once in a
 * CI run: the output stopped a third of the way through the fill, with no panic line) a run does
 * not get through; it is tried up to PROBE_ATTEMPTS times, each failure shown on stderr.
 */
async function runProbe(entry: string): Promise<ProbeRun> {
    for (let attempt = 1; ; attempt++) {
        try {
            return await runProbeOnce(entry)
        } catch (e: any) {
            if (attempt >= PROBE_ATTEMPTS) throw e
            console.error(`heap probe ${entry} failed (attempt ${attempt} of ${PROBE_ATTEMPTS}), retrying: ${String(e?.message ?? e).slice(0, 3000)}`)
        }
    }
}

export async function measureIdleHeap(): Promise<HeapMeasurement> {
    // one after the other: two simulator runs side by side are where the probe's rare failures were seen
    const idle = await runProbe("firmware/src/probes/heap-probe.ts")
    const empty = await runProbe("firmware/src/probes/heap-probe-baseline.ts")
    if (!/wasmlet: idle/.test(idle.output)) throw new Error("heap probe: the firmware did not reach idle:\n" + idle.output.slice(-2000))
    const cost = idle.chunkBytes + PROBE_CHUNK_OVERHEAD
    const freeIdle = idle.chunks * cost
    const freeEmpty = empty.chunks * cost
    const arena = /wasmlet: arena reserved (\d+) B/.exec(idle.output)
    const arenaBytes = arena ? +arena[1] + PROBE_CHUNK_OVERHEAD : 0
    return { bytes: Math.max(0, freeEmpty - freeIdle - arenaBytes), arenaBytes, freeEmpty, freeIdle }
}

export async function measureBytecode(entry = MAIN_ENTRY): Promise<{ sizes: BytecodeSizes; imageBytes: number }> {
    let r = await buildFirmware(entry)
    if (!r.ok || !r.sizes) {
        // (a real compile error fails again; a rare one-off failure does not)
        console.error(`devs build ${entry} failed, retrying once:\n${r.output.slice(-3000)}`)
        r = await buildFirmware(entry)
    }
    if (!r.ok || !r.sizes) throw new Error(`devs build ${entry} failed:\n${r.output}`)
    // the rule as computed from bytecode-dbg.json, against the image the verifier checks
    if (r.functionsEnd !== r.sizes.total)
        throw new Error(`${entry}: bytecode-dbg.json gives ${r.sizes.total} B of header and functions, the image's functions end at ${r.functionsEnd}`)
    return { sizes: r.sizes, imageBytes: r.imageBytes! }
}

export async function measure(): Promise<Metrics> {
    const [bc, idleHeap] = await Promise.all([measureBytecode(), measureIdleHeap()])
    return { bytecode: bc.sizes, imageBytes: bc.imageBytes, idleHeap }
}

export function describeBytecode(b: BytecodeSizes): string[] {
    const top = b.topFunctions.slice(0, 3).map(f => `${f.name} ${f.size} B`).join(", ")
    const shares = bytecodeShares(b.list)
        .map(s => `${s.name} ${s.bytes} B in ${s.functions} functions`)
        .join("; ")
    return [
        `bytecode: ${b.total} B = header ${b.header} B + ${b.functionCount} functions × 16 B descriptors (${b.functionCount * 16} B) + ${b.code} B of code; not counted: ${b.data} B of strings (hex literals included), floats and roles, which follow the functions (largest functions with descriptor: ${top})`,
        `bytecode shares: ${shares}`,
    ]
}

export function describeMetrics(m: Metrics): string[] {
    return [
        ...describeBytecode(m.bytecode),
        `.devs image: ${m.imageBytes} B with strings and hex literals`,
        `idle heap: ${m.idleHeap.bytes} B held by the firmware, plus the ${m.idleHeap.arenaBytes} B arena reserved for apps (free heap: empty program ${m.idleHeap.freeEmpty} B, idle firmware ${m.idleHeap.freeIdle} B; ±${128 + PROBE_CHUNK_OVERHEAD} B)`,
    ]
}

/** Measure, print, and return the budget checks. */
export async function measureAndCheck(log: (s: string) => void = console.log): Promise<BudgetCheck[]> {
    const m = await measure()
    for (const l of describeMetrics(m)) log(l)
    const checks = checkBudgets({ bytecodeBytes: m.bytecode.total, idleHeapBytes: m.idleHeap.bytes, imageBytes: m.imageBytes }, readBudgets())
    for (const c of checks) log(c.line)
    return checks
}

/** Build once and check the bytecode only (no simulator runs). */
export async function checkBytecodeOnly(log: (s: string) => void = console.log): Promise<BudgetCheck[]> {
    const { sizes } = await measureBytecode()
    for (const l of describeBytecode(sizes)) log(l)
    const checks = checkBudgets({ bytecodeBytes: sizes.total, idleHeapBytes: 0 }, readBudgets()).filter(c => c.name !== "idleHeap")
    for (const c of checks) log(c.line)
    return checks
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    ;(process.argv.includes("--bytecode") ? checkBytecodeOnly() : measureAndCheck()).then(
        checks => process.exit(checks.every(c => c.ok) ? 0 : 1),
        e => {
            console.error(e)
            process.exit(1)
        }
    )
}
