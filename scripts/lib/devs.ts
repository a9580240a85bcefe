// Running the DeviceScript CLI (build, simulator) from Node scripts and tests, and reading what it prints.
// Every child runs in its own process group, so that stopping it stops everything it started.
import { spawn, spawnSync, ChildProcess } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

export const ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)))
/** The CLI entry, run with `node` directly (its path contains "devicescript", so `pgrep -f devicescript` sees it). */
export const DEVS_CLI = join(ROOT, "node_modules/@devicescript/cli/built/devicescript-cli.cjs")

export function stripAnsi(s: string): string {
    return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "")
}

export interface RunResult {
    code: number | null
    signal: NodeJS.Signals | null
    /** stdout and stderr interleaved line by line, ANSI colours removed. */
    output: string
    timedOut: boolean
    ms: number
}

export interface RunOptions {
    cwd?: string
    timeoutMs?: number
    /** Called with each output line (colours removed) as it arrives. */
    onLine?: (line: string, stream: "stdout" | "stderr") => void
    env?: NodeJS.ProcessEnv
}

let netnsPrefix: string[] | undefined
/**
 * A command prefix that runs a program in a private network namespace with its own loopback, so
 * that devtools' fixed ports (8081-8083) cannot collide with another `npm start` or test run on the
 * same machine. Needs root, unshare and ip; returns [] where they are not available.
 */
export function privateNetworkPrefix(): string[] {
    if (netnsPrefix) return netnsPrefix
    const probe = spawnSync("unshare", ["-n", "sh", "-c", "ip link set lo up"], { stdio: "ignore" })
    netnsPrefix = probe.status === 0 ? ["unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" "$@"'] : []
    return netnsPrefix
}

/** Send a signal to a whole process group; ignores groups that are already gone. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals = "SIGTERM"): void {
    if (!pid) return
    try {
        process.kill(-pid, signal)
    } catch {
        // already gone
    }
}

export function groupAlive(pid: number | undefined): boolean {
    if (!pid) return false
    try {
        process.kill(-pid, 0)
        return true
    } catch {
        return false
    }
}

/** Stop a process group: SIGTERM, then SIGKILL after graceMs. Resolves once the group is gone. */
export async function stopGroup(pid: number | undefined, graceMs = 2000): Promise<void> {
    if (!pid) return
    killGroup(pid, "SIGTERM")
    const t0 = Date.now()
    while (groupAlive(pid) && Date.now() - t0 < graceMs) await sleep(50)
    if (groupAlive(pid)) killGroup(pid, "SIGKILL")
    const t1 = Date.now()
    while (groupAlive(pid) && Date.now() - t1 < 2000) await sleep(50)
}

export function sleep(ms: number): Promise<void> {
    return new Promise(r => setTimeout(r, ms))
}

function forEachLine(stream: NodeJS.ReadableStream, cb: (line: string) => void): void {
    let buf = ""
    stream.setEncoding("utf8")
    stream.on("data", (chunk: string) => {
        buf += chunk
        let i: number
        while ((i = buf.indexOf("\n")) >= 0) {
            cb(buf.slice(0, i).replace(/\r$/, ""))
            buf = buf.slice(i + 1)
        }
    })
    stream.on("end", () => {
        if (buf) cb(buf)
        buf = ""
    })
}

/** Start a command in its own process group, reporting its lines. */
export function startGroup(cmd: string, args: string[], opts: RunOptions = {}): ChildProcess {
    const child = spawn(cmd, args, {
        cwd: opts.cwd ?? ROOT,
        detached: true, // own process group: killGroup(child.pid) reaches its children too
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, FORCE_COLOR: "0", ...opts.env },
    })
    if (opts.onLine) {
        forEachLine(child.stdout!, l => opts.onLine!(stripAnsi(l), "stdout"))
        forEachLine(child.stderr!, l => opts.onLine!(stripAnsi(l), "stderr"))
    }
    return child
}

/** Run a command to completion (or timeout, which stops its whole process group). */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const t0 = Date.now()
    const lines: string[] = []
    const child = startGroup(cmd, args, {
        ...opts,
        onLine: (l, s) => {
            lines.push(l)
            opts.onLine?.(l, s)
        },
    })
    let timedOut = false
    let timer: NodeJS.Timeout | undefined
    if (opts.timeoutMs) {
        timer = setTimeout(() => {
            timedOut = true
            void stopGroup(child.pid)
        }, opts.timeoutMs)
    }
    const stopOnExit = () => killGroup(child.pid, "SIGKILL")
    process.on("exit", stopOnExit)
    return new Promise((res, rej) => {
        child.on("error", rej)
        child.on("close", (code, signal) => {
            if (timer) clearTimeout(timer)
            process.off("exit", stopOnExit)
            killGroup(child.pid, "SIGKILL") // leftovers of the group, if any
            res({ code, signal, output: lines.join("\n"), timedOut, ms: Date.now() - t0 })
        })
    })
}

/** Run the DeviceScript CLI (`devs ...`). */
export function devs(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    return run(process.execPath, [DEVS_CLI, ...args], opts)
}

// ---------------------------------------------------------------- builds

/**
 * A throw-away project folder whose entries link to the repo's, so a `devs build` there writes its
 * outputs (.devicescript/bin) to its own folder: builds can run side by side, and do not disturb
 * the repo's .devicescript/ (which `npm start` and other engineers use).
 */
export function makeBuildDir(): { dir: string; dispose(): void } {
    const dir = mkdtempSync(join(tmpdir(), "wasmlet-build-"))
    for (const name of readdirSync(ROOT)) {
        if (name === ".devicescript" || name === ".git") continue
        symlinkSync(join(ROOT, name), join(dir, name))
    }
    return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

/** One compiled function, as bytecode-dbg.json lists it. */
export interface FunctionSize {
    name: string
    /** Its bytecode plus its 16-byte descriptor (what bytecode-dbg.json and bytecode-sizes.md call its size). */
    size: number
    /** Source file it was compiled from (relative to the project), "" when unknown. */
    path: string
}

/**
 * Descriptor bytes per function in the image (devs_function_desc_t). DeviceScript's compiler counts
 * them in every function's `size` (its writer's size is `binPtr + desc.length`).
 */
export const FUNCTION_DESC_BYTES = 16
/** Bytes before the function descriptors: the image header (devs_img_header_t). */
export const IMAGE_HEADER_BYTES = 112

export interface BytecodeSizes {
    /** Image header (112 B): counted by the verifier's rule. */
    header: number
    /** Floats, strings (hex literals among them), roles, alignment: after the functions, not counted by the verifier's rule. */
    data: number
    /** Number of compiled functions. */
    functionCount: number
    /** All functions: descriptors (16 B each) plus bytecode. */
    functions: number
    /** Bytecode of all functions, without descriptors. */
    code: number
    /**
     * What DeviceScript's image verifier limits (runtime verify.c, check 1051: the end of the last
     * function's bytecode must lie below 64 KiB): header + 16 B per function + all bytecode. The
     * bytecode budget applies to this figure.
     */
    total: number
    /** Largest functions first. */
    topFunctions: { name: string; size: number }[]
    /** Every function with its source file (empty when parsed from bytecode-sizes.md). */
    list: FunctionSize[]
}

function sizesFrom(header: number, data: number, list: FunctionSize[], count = list.length, fnBytes?: number): BytecodeSizes {
    const functions = fnBytes ?? list.reduce((s, f) => s + f.size, 0)
    const topFunctions = list.map(f => ({ name: f.name, size: f.size })).sort((a, b) => b.size - a.size)
    return {
        header,
        data,
        functionCount: count,
        functions,
        code: functions - FUNCTION_DESC_BYTES * count,
        total: header + functions,
        topFunctions,
        list,
    }
}

/**
 * Parse .devicescript/bin/bytecode-dbg.json (written by every `devs build`): its `functions[]`
 * give each function's name, size and source location (an offset into the sources laid end to
 * end, in the order of `sources[]`, each `length` long).
 */
export function parseBytecodeDbg(json: string | any): BytecodeSizes {
    const dbg = typeof json === "string" ? JSON.parse(json) : json
    if (!dbg || !Array.isArray(dbg.functions) || typeof dbg.sizes !== "object")
        throw new Error("bytecode-dbg.json: no functions[] or sizes")
    const sources: { path: string; length: number }[] = Array.isArray(dbg.sources) ? dbg.sources : []
    const starts: number[] = []
    let off = 0
    for (const src of sources) {
        starts.push(off)
        off += src.length
    }
    const pathAt = (pos: number): string => {
        let i = starts.length - 1
        while (i >= 0 && starts[i] > pos) i--
        return i >= 0 && pos < off ? sources[i].path : ""
    }
    const list: FunctionSize[] = dbg.functions.map((f: any) => {
        if (typeof f.size !== "number" || !(f.size >= FUNCTION_DESC_BYTES))
            throw new Error(`bytecode-dbg.json: function ${f.name} has no valid size`)
        return { name: String(f.name), size: f.size, path: Array.isArray(f.location) ? pathAt(f.location[0]) : "" }
    })
    const header = typeof dbg.sizes.header === "number" ? dbg.sizes.header : IMAGE_HEADER_BYTES
    let data = 0
    for (const [k, v] of Object.entries(dbg.sizes)) if (k !== "header") data += v as number
    return sizesFrom(header, data, list)
}

/** Parse .devicescript/bin/bytecode-sizes.md (written by every `devs build`); no source files. */
export function parseBytecodeSizes(md: string): BytecodeSizes {
    const num = (label: string) => {
        const m = new RegExp(`^\\s*(\\d+)\\s*\\|\\s*${label}\\s*(\\||$)`, "m").exec(md)
        if (!m) throw new Error(`bytecode-sizes.md: no "${label}" row`)
        return parseInt(m[1], 10)
    }
    const header = num("header")
    const data = num("Data TOTAL") - header
    const functions = num("Function TOTAL")
    const fnSection = md.slice(md.indexOf("## Functions"))
    const list: FunctionSize[] = []
    for (const m of fnSection.matchAll(/^\s*(\d+)\s*\|\s*`([^`]+)`/gm)) list.push({ name: m[2], size: +m[1], path: "" })
    const sum = list.reduce((s, f) => s + f.size, 0)
    if (sum !== functions) throw new Error(`bytecode-sizes.md: functions add up to ${sum} B, Function TOTAL says ${functions} B`)
    return sizesFrom(header, data, list)
}

/**
 * Where the functions' bytecode ends in a .devs image: the start plus length of its
 * functions_data section (the second section of the header's table, at byte 40). This is the
 * figure verify.c's check 1051 compares with 0x10000.
 */
export function imageFunctionsEnd(devs: Uint8Array): number {
    const b = Buffer.from(devs.buffer, devs.byteOffset, devs.byteLength)
    if (b.length < IMAGE_HEADER_BYTES || b.toString("latin1", 0, 4) !== "DevS") throw new Error("not a DeviceScript image")
    return b.readUInt32LE(40) + b.readUInt32LE(44)
}

export interface BuildResult {
    ok: boolean
    output: string
    sizes?: BytecodeSizes
    /** Size of the .devs image (bytecode plus hex literals and specs). */
    imageBytes?: number
    /** Where the functions end in the image (imageFunctionsEnd): sizes.total, read from the image itself. */
    functionsEnd?: number
    ms: number
}

/** `devs build <entry>` in a private folder (see makeBuildDir); returns its sizes. */
export async function buildFirmware(entry: string, opts: { timeoutMs?: number } = {}): Promise<BuildResult> {
    const b = makeBuildDir()
    try {
        const r = await devs(["build", entry, "--quiet"], { cwd: b.dir, timeoutMs: opts.timeoutMs ?? 180_000 })
        const bin = join(b.dir, ".devicescript/bin")
        const ok = r.code === 0 && existsSync(join(bin, "bytecode.devs"))
        const res: BuildResult = { ok, output: r.output, ms: r.ms }
        if (ok) {
            res.sizes = parseBytecodeDbg(readFileSync(join(bin, "bytecode-dbg.json"), "utf8"))
            const image = readFileSync(join(bin, "bytecode.devs"))
            res.imageBytes = image.length
            res.functionsEnd = imageFunctionsEnd(image)
        }
        return res
    } finally {
        b.dispose()
    }
}

// ---------------------------------------------------------------- DeviceScript test suites

export interface DevsSummary {
    total: number
    pass: number
    error: number
}

/** The closing line of @devicescript/test: "tests: 3, pass: 2, error: 1". */
export function parseDevsTestSummary(output: string): DevsSummary | undefined {
    let found: DevsSummary | undefined
    for (const m of stripAnsi(output).matchAll(/tests: (\d+), pass: (\d+), error: (\d+)/g))
        found = { total: +m[1], pass: +m[2], error: +m[3] }
    return found
}

export interface SuiteVerdict {
    passed: number
    failed: number
    /** Why the suite as a whole failed, if it did. */
    problem?: string
}

/**
 * Count a `devs run <suite> --test --test-self-exit` run. A suite that reports no tests fails
 * (the classic trap: without --test-self-exit no test runs and the exit code is still 0), and so
 * does one that crashed, timed out or exited non-zero without a failing test to show for it.
 */
export function judgeDevsSuite(r: { code: number | null; output: string; timedOut?: boolean }): SuiteVerdict {
    const s = parseDevsTestSummary(r.output)
    if (r.timedOut) return { passed: s?.pass ?? 0, failed: Math.max(1, s?.error ?? 0), problem: "timed out" }
    if (!s) return { passed: 0, failed: 1, problem: "no test summary (did any @devicescript/test suite run?)" }
    if (s.total === 0) return { passed: 0, failed: 1, problem: "the suite reported zero tests" }
    if (s.pass + s.error === 0) return { passed: 0, failed: 1, problem: "every test was skipped" }
    if (r.code !== 0 && s.error === 0)
        return { passed: s.pass, failed: 1, problem: `exit code ${r.code} although no test failed (panic?)` }
    if (r.code === 0 && s.error > 0) return { passed: s.pass, failed: s.error, problem: "tests failed but exit code was 0" }
    return { passed: s.pass, failed: s.error, problem: s.error ? `${s.error} test(s) failed` : undefined }
}

export function summaryLine(passed: number, failed: number): string {
    return `${passed} passed, ${failed} failed`
}
