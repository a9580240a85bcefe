// The two halves of every simulator scenario test (the manager's, the link's, the gateway's, the
// bridge's): a runner script that starts simulated boards and host processes inside a private
// network namespace (devtools' ports are fixed: 8081-8083) and prints one "step NAME {json}" line
// per thing it did, then "done"; and the vitest file that runs the script and judges those steps.
//
//   runner:  const t = stepTimer(); ... t.step("booted", {...}) ... runMain(main, cleanup)
//   test:    const r = await runSteps("test/bridge/sim-run.ts", [], { timeoutMs }); r.step("booted")
import { join } from "node:path"
import { DEVS_CLI, ROOT, privateNetworkPrefix, run, startGroup, stopGroup } from "../../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")
export const WASMLET_BIN = join(ROOT, "host/bin/wasmlet.mjs")

// ------------------------------------------------------------------ the runner's side

/** Prints "step NAME {json}" lines; each carries `ms` since the timer started unless the data has its own. */
export function stepTimer(): { step(name: string, data?: unknown): void; t0: number } {
    const t0 = Date.now()
    return {
        t0,
        step: (name, data = {}) => console.log(`step ${name} ${JSON.stringify(data !== null && typeof data === "object" && !Array.isArray(data) ? { ms: Date.now() - t0, ...data } : data)}`),
    }
}

export interface Started {
    pid: number
    match: RegExpMatchArray
    /** Every line the process printed so far (it keeps growing). */
    lines: string[]
    exited: Promise<number | null>
}

/**
 * Starts `cmd args` as a process group of its own and resolves once a line matches `re`; rejects
 * when the process exits first or after `timeoutMs`, with what it printed. `label` prefixes its
 * lines on stderr when SIM_VERBOSE is set.
 */
export function startUntil(cmd: string, args: string[], re: RegExp, timeoutMs: number, o: { cwd?: string; label?: string; onLine?: (l: string) => void } = {}): Promise<Started> {
    return new Promise((resolve, reject) => {
        const lines: string[] = []
        let done = false
        const what = o.label ?? args.slice(0, 2).join(" ")
        const child = startGroup(cmd, args, {
            cwd: o.cwd,
            onLine: l => {
                lines.push(l)
                o.onLine?.(l)
                if (process.env.SIM_VERBOSE) console.error(`  ${what}> ${l}`)
                const m = l.match(re)
                if (m && !done) {
                    done = true
                    clearTimeout(timer)
                    resolve({ pid: child.pid!, match: m, lines, exited })
                }
            },
        })
        const exited = new Promise<number | null>(r => child.on("exit", c => r(c)))
        exited.then(c => {
            if (done) return
            done = true
            clearTimeout(timer)
            reject(new Error(`${what} exited (${c}) before a line matched ${re}:\n${lines.slice(-30).join("\n")}`))
        })
        const timer = setTimeout(() => {
            if (done) return
            done = true
            reject(new Error(`${what}: no line matched ${re} within ${timeoutMs} ms:\n${lines.slice(-30).join("\n")}`))
        }, timeoutMs)
    })
}

/** `wasmlet ARGS` (the bundled CLI) until a line matches. */
export function wasmletUntil(args: string[], re: RegExp, timeoutMs: number, o: { cwd?: string; onLine?: (l: string) => void } = {}): Promise<Started> {
    return startUntil(process.execPath, [WASMLET_BIN, ...args], re, timeoutMs, { ...o, label: `wasmlet ${args[0]}${args.includes("--name") ? " " + args[args.indexOf("--name") + 1] : ""}` })
}

/** `devs devtools` in `cwd` (a build folder), until its websocket listens. */
export function startDevtools(cwd: string): Promise<Started> {
    return startUntil(process.execPath, [DEVS_CLI, "devtools"], /websocket.*8081/, 30_000, { cwd, label: "devtools" })
}

/** `devs run ENTRY` in `cwd` (the simulated board), until the firmware is idle. */
export function startDevsRun(cwd: string, entry: string, onLine?: (l: string) => void): Promise<Started> {
    return startUntil(process.execPath, [DEVS_CLI, "run", entry], /wasmlet: idle/, 120_000, { cwd, label: "device", onLine })
}

/**
 * Runs the scenario: "done" and exit 0 when `main` resolves, "error STACK" and exit 1 when it
 * throws; `cleanup` (stopping the process groups) runs either way.
 */
export function runMain(main: () => Promise<void>, cleanup: () => Promise<void> | void = () => {}): void {
    main()
        .then(
            () => {
                console.log("done")
                return 0
            },
            e => {
                console.log(`error ${e?.stack ?? e}`)
                return 1
            }
        )
        .then(async code => {
            await Promise.resolve(cleanup()).catch(e => console.log(`cleanup: ${e?.message ?? e}`))
            process.exit(code)
        })
}

/** Stops process groups, the last started first. */
export async function stopAll(pids: number[]): Promise<void> {
    for (const pid of pids.slice().reverse()) await stopGroup(pid)
}

// ------------------------------------------------------------------ the test's side

export interface StepsRun {
    code: number | null
    output: string
    steps: Map<string, any>
    /** A step's data; throws with the end of the output when that step did not run. */
    step(name: string): any
}

/** Runs a runner script (a path from the repo's root) with tsx in a private network namespace, and parses its steps. */
export async function runSteps(script: string, args: string[] = [], o: { cwd?: string; timeoutMs: number; env?: Record<string, string> }): Promise<StepsRun> {
    const [cmd, ...rest] = [...privateNetworkPrefix(), process.execPath, TSX, join(ROOT, script), ...args]
    const r = await run(cmd, rest, { cwd: o.cwd, timeoutMs: o.timeoutMs, env: o.env })
    return parseSteps(r.output, r.code)
}

export function parseSteps(output: string, code: number | null): StepsRun {
    const steps = new Map<string, any>()
    for (const m of output.matchAll(/^step (\S+) (.*)$/gm)) steps.set(m[1], JSON.parse(m[2]))
    return {
        code,
        output,
        steps,
        step(name) {
            if (!steps.has(name)) throw new Error(`step ${name} did not run:\n${output.slice(-4000)}`)
            return steps.get(name)
        },
    }
}

/** Waits until a line of a started process (from line `from` on) matches; resolves with the match. */
export async function untilLine(s: Started, re: RegExp, timeoutMs: number, from = 0): Promise<RegExpMatchArray> {
    const end = Date.now() + timeoutMs
    let exited = false
    s.exited.then(() => (exited = true))
    for (;;) {
        for (let i = from; i < s.lines.length; i++) {
            const m = s.lines[i].match(re)
            if (m) return m
        }
        if (exited) throw new Error(`the process exited before a line matched ${re}:\n${s.lines.slice(-30).join("\n")}`)
        if (Date.now() > end) throw new Error(`no line matched ${re} within ${timeoutMs} ms:\n${s.lines.slice(-30).join("\n")}`)
        await new Promise(r => setTimeout(r, 50))
    }
}
