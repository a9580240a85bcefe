// What the board-facing commands (install, list, logs, ...) share: the exit codes (the one place
// they are written down; `wasmlet --help` prints EXIT_CODES_TEXT), the target options every one
// takes (--port PATH, --sim, --json, --timeout MS), argument parsing with usage errors, output in
// human or JSON form, and the mapping from what went wrong to an exit code.
// Kept light: `wasmlet --help` and argument errors load this file and nothing heavy (the link to a
// board is imported only when a command connects).
import { parseArgs, ParseArgsConfig } from "node:util"
import type { LinkTiming, ManagerClient } from "../link/client"
import { LinkTimeoutError, ManagerError, NoBoardError } from "../link/errors"

export const EXIT = {
    OK: 0,
    /** the board refused (status and message from the device), the module is invalid, or the app answered an error */
    REFUSED: 1,
    USAGE: 2,
    /** no board or simulator found, or the link to it failed */
    LINK: 3,
    TIMEOUT: 4,
    /** Ctrl-C during a one-shot command (a --follow/--watch/subscribe stream ends with 0) */
    INTERRUPTED: 130,
} as const

export const EXIT_CODES_TEXT = `exit codes (the board commands):
  0    ok (Ctrl-C ends logs --follow, subscribe and install --watch with 0)
  1    refused: the board said no (its status and message are printed), the module does
       not validate (checked on the host before connecting), or the app answered a
       request with an error (4.xx, 5.xx)
  2    usage: unknown option, missing or extra argument, bad --payload JSON
  3    no board: none connected and no simulator running, or the link failed
  4    timeout: the board did not answer within --timeout
  130  interrupted (Ctrl-C) during a one-shot command
  host-tool keeps WAMR host_tool's codes instead (wasmlet host-tool --help)`

/** A mistake on the command line: printed with the command's usage, exit 2. */
export class UsageError extends Error {}

/** The module was refused on the host, before connecting (the compiler's validation error). */
export class InvalidModuleError extends Error {}

/** Where a command goes: --port PATH (a board over USB serial), --sim (the running simulator), or neither (the one board, else the simulator). */
export interface TargetOptions {
    port?: string
    sim: boolean
    /** --device ID: which board when several are on one link (its device id or short id) */
    device?: string
    json: boolean
    timeoutMs?: number
}

type OptionSpec = NonNullable<ParseArgsConfig["options"]>

export const TARGET_OPTIONS = {
    port: { type: "string" },
    sim: { type: "boolean" },
    device: { type: "string" },
    json: { type: "boolean" },
    timeout: { type: "string" },
    help: { type: "boolean", short: "h" },
} satisfies OptionSpec

export const TARGET_USAGE = "[--port PATH | --sim] [--device ID] [--json] [--timeout MS]"

/** The target options' lines, at the end of every board command's usage. */
export const TARGET_HELP = `  --port PATH   the board on this serial port      --sim   the running simulator (wasmlet sim)
                (neither: the one board connected, else the simulator)
  --device ID   the board with this (short) device id, when several share the link
  --json        output for scripts                 --timeout MS   wait this long for the board`

export interface Parsed {
    target: TargetOptions
    values: Record<string, string | boolean | undefined>
    positionals: string[]
    help: boolean
}

/**
 * Parses a command's arguments: the target options plus `options`, and between `min` and `max`
 * positionals. Throws UsageError.
 */
export function parseCommandArgs(args: string[], options: OptionSpec, min: number, max: number): Parsed {
    let r
    try {
        r = parseArgs({ args, options: { ...TARGET_OPTIONS, ...options }, allowPositionals: true, strict: true })
    } catch (e: any) {
        throw new UsageError(e.message.replace(/\. To specify a positional argument.*$/s, ""))
    }
    const v = r.values as Record<string, string | boolean | undefined>
    const help = v.help === true
    if (!help && r.positionals.length < min) throw new UsageError("missing argument")
    if (!help && r.positionals.length > max) throw new UsageError(`unexpected argument "${r.positionals[max]}"`)
    if (v.port !== undefined && v.sim) throw new UsageError("--port and --sim name different targets: give one")
    let timeoutMs: number | undefined
    if (v.timeout !== undefined) {
        timeoutMs = Number(v.timeout)
        if (!(timeoutMs > 0)) throw new UsageError("--timeout needs a number of milliseconds")
    }
    return {
        target: { port: v.port as string | undefined, sim: v.sim === true, device: v.device as string | undefined, json: v.json === true, timeoutMs },
        values: v,
        positionals: r.positionals,
        help,
    }
}

/** The exit code for what a command threw (see EXIT). */
export function exitCodeFor(e: any): number {
    if (e instanceof UsageError) return EXIT.USAGE
    if (e instanceof InvalidModuleError || e instanceof ManagerError) return EXIT.REFUSED
    if (e instanceof LinkTimeoutError) return EXIT.TIMEOUT
    if (e instanceof NoBoardError) return EXIT.LINK
    return EXIT.LINK // anything else went wrong on the way (a socket, a serial port)
}

/** Words for an error's kind, in --json output. */
function errorKind(code: number): string {
    return code === EXIT.USAGE ? "usage" : code === EXIT.REFUSED ? "refused" : code === EXIT.TIMEOUT ? "timeout" : "link"
}

/** A board (or the simulator) the link is open to. */
export interface Board {
    client: ManagerClient
    /** Who answers ("simulator", "/dev/ttyACM0"). */
    label: string
    close(): Promise<void>
}

/**
 * What commands reach the outside world through: stdout, stderr and the link. Tests replace these
 * (a fake board, captured output); nothing else in the commands touches process.stdout or the link.
 */
export const io = {
    stdout: (s: string): void => void process.stdout.write(s),
    stderr: (s: string): void => void process.stderr.write(s),
    connect: async (t: TargetOptions): Promise<Board> => {
        quietJacdac()
        const { connect } = await import("../link/connect")
        const link = await connect({ port: t.port, sim: t.sim, device: t.device, timeoutMs: t.timeoutMs, timing: timingFor(t.timeoutMs) })
        const where = link.target.kind === "sim" ? "simulator" : link.target.path
        return { client: link.client, label: `${where} ${link.shortId}`, close: () => link.close() }
    },
}

/**
 * jacdac-ts reports its transports' steps with console.debug ("tcp: connecting", "bus: disposing."),
 * which Node writes to stdout, in the middle of --json output: they go to stderr with
 * WASMLET_DEBUG=1, else nowhere.
 */
export function quietJacdac(): void {
    console.debug = process.env.WASMLET_DEBUG ? (...a: unknown[]) => console.error(...a) : () => {}
}

/**
 * --timeout MS as the link's timing: a command is resent every 300 ms (the link's default) until MS
 * have passed, and an app's response is awaited MS. Default: the link's (8 sends, 5 s for a response).
 */
export function timingFor(timeoutMs: number | undefined): Partial<LinkTiming> | undefined {
    if (timeoutMs === undefined) return undefined
    const resendMs = Math.min(300, timeoutMs)
    return { resendMs, tries: Math.max(1, Math.round(timeoutMs / resendMs)), responseMs: timeoutMs }
}

/** The target options as host/link/boards.ts's openBoards takes them (the commands that serve every board: serve, bridge). */
export function boardsTarget(t: { port?: string; sim?: boolean; device?: string; timeoutMs?: number }) {
    return { port: t.port, sim: t.sim, device: t.device, timeoutMs: t.timeoutMs, timing: timingFor(t.timeoutMs) }
}

/** Connects to the target, runs fn with the board, and closes the link whatever happens. */
export async function withBoard<T>(t: TargetOptions, fn: (b: Board) => Promise<T>): Promise<T> {
    const b = await io.connect(t)
    try {
        return await fn(b)
    } finally {
        await b.close()
    }
}

/** Prints results as text for people or JSON for scripts (stdout); errors and notes go to stderr. */
export class Output {
    constructor(
        readonly json: boolean,
        private readonly write: (s: string) => void = s => io.stdout(s),
        private readonly writeErr: (s: string) => void = s => io.stderr(s)
    ) {}

    /** The command's result: `human` (lines) as text, or `data` as one JSON document. */
    result(data: unknown, human: string | string[]): void {
        if (this.json) this.write(JSON.stringify(data) + "\n")
        else {
            const lines = typeof human === "string" ? [human] : human
            if (lines.length > 0) this.write(lines.join("\n") + "\n")
        }
    }

    /** One item of a stream (logs, events): a text line, or one JSON object per line. */
    item(data: unknown, human: string): void {
        this.write((this.json ? JSON.stringify(data) : human) + "\n")
    }

    /** A note for people (never on stdout, so --json output stays parseable). */
    note(s: string): void {
        this.writeErr(s + "\n")
    }

    /** Reports an error as `wasmlet CMD: message` (and, with --json, an {error} object on stdout); returns its exit code. */
    error(cmd: string, e: any, usage?: string): number {
        const code = exitCodeFor(e)
        const message = String(e && e.message !== undefined ? e.message : e)
        this.writeErr(`wasmlet ${cmd}: ${message}\n`)
        if (code === EXIT.USAGE && usage) this.writeErr(usage + "\n")
        if (this.json) {
            const o: Record<string, unknown> = { error: message, kind: errorKind(code), exitCode: code }
            if (e instanceof ManagerError) o.status = e.status
            this.write(JSON.stringify(o) + "\n")
        }
        return code
    }
}

/**
 * Runs a command body with the shared parsing, --help and error handling:
 * `body` gets the parsed arguments and an Output, and returns an exit code (default 0).
 */
export async function runCommand(
    cmd: string,
    usage: string,
    args: string[],
    spec: { options?: OptionSpec; min: number; max: number },
    body: (p: Parsed, out: Output) => Promise<number | void>
): Promise<number> {
    let p: Parsed
    try {
        p = parseCommandArgs(args, spec.options ?? {}, spec.min, spec.max)
    } catch (e) {
        return new Output(args.includes("--json")).error(cmd, e, usage)
    }
    const out = new Output(p.target.json)
    if (p.help) {
        io.stdout(usage + "\n")
        return EXIT.OK
    }
    try {
        const code = await body(p, out)
        return typeof code === "number" ? code : EXIT.OK
    } catch (e) {
        return out.error(cmd, e, usage)
    }
}

/** Resolves when the user presses Ctrl-C (SIGINT) or `signal` is aborted; for --follow/--watch/subscribe. */
export function untilInterrupted(signal?: AbortSignal): Promise<void> {
    return new Promise(resolve => {
        const done = () => {
            process.off("SIGINT", done)
            resolve()
        }
        process.on("SIGINT", done)
        signal?.addEventListener("abort", done)
    })
}

/** Bytes as people read them: 812 B, 4.6 KB. */
export function bytes(n: number): string {
    return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`
}

/** Milliseconds as people read them: 850 ms, 12.3 s, 4 min 2 s, 3 h 5 min. */
export function duration(ms: number): string {
    if (ms < 1000) return `${Math.round(ms)} ms`
    if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
    const s = Math.floor(ms / 1000)
    if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`
    return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
}

export interface UploadProgress {
    done: number
    chunks: number
    bytes: number
    storedBytes: number
    phase: "upload" | "commit"
}

/** One line of the upload progress bar: `install timer [#####-----] 5/9 chunks, 1.1 of 1.9 KB`. */
export function renderProgress(label: string, p: UploadProgress, width = 24): string {
    const filled = p.chunks === 0 ? width : Math.round((p.done / p.chunks) * width)
    const bar = "#".repeat(filled) + "-".repeat(width - filled)
    const tail = p.phase === "commit" ? "checking and starting" : `${p.done}/${p.chunks} chunks, ${bytes(p.bytes)} of ${bytes(p.storedBytes)}`
    return `${label} [${bar}] ${tail}`
}

/** The upload progress bar on stderr, redrawn in place; nothing unless stderr is a terminal. */
export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr) {
    const on = stream.isTTY === true
    let shown = false
    return {
        update(p: UploadProgress): void {
            if (!on) return
            stream.write("\r\x1b[2K" + renderProgress(label, p).slice(0, Math.max(20, (stream.columns || 80) - 1)))
            shown = true
        },
        /** Clears the bar (before the result or an error is printed). */
        clear(): void {
            if (on && shown) stream.write("\r\x1b[2K")
            shown = false
        },
    }
}

/**
 * The commands that take one app name and print what was done (uninstall, start, stop):
 * `wasmlet CMD NAME [target options]`, output `<done> NAME` or {name, done}.
 */
export function nameCommand(cmd: "uninstall" | "start" | "stop", done: string, what: string) {
    const usage = `usage: wasmlet ${cmd} NAME ${TARGET_USAGE}\n  ${what}\n${TARGET_HELP}`
    return (args: string[]): Promise<number> =>
        runCommand(cmd, usage, args, { min: 1, max: 1 }, async (p, out) => {
            const name = p.positionals[0]
            await withBoard(p.target, async b => {
                await b.client[cmd](name)
                out.result({ name, done }, `${done} ${name} on ${b.label}`)
            })
        })
}
