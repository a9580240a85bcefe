// wasmlet host-tool ...: WAMR's host_tool, its flags, output and exit codes (../shared/wamr-app-abi.md §10),
// against wasmlet's targets, so that WAMR users' scripts keep working.
//
//   -i NAME -f FILE [--type=T --heap=N --timers=N --watchdog=MS]   install (65)
//   -u NAME                                                         uninstall (66)
//   -q[NAME]                                                        query (69, "Applets Info")
//   -r URL -A GET|POST|PUT|DELETE [-p FILE]                         request (the app's status)
//   -s URL / -d URL                                                 subscribe / unsubscribe (69)
//   -t MS (5000) reply timeout, -a MS (0) stay this long after the reply printing events,
//   -o FILE and -U PORT also copy the output to a file / a local UDP port.
// Targets: -D DEV a board on that serial device, --sim the simulator; with neither, the one board,
// else the simulator. -S ADDR / -P PORT (host_tool's TCP link) and -B BAUD are accepted and ignored:
// wasmlet's boards talk Jacdac over USB serial or the simulator's link. --type/--heap/--timers/
// --watchdog are accepted and ignored (the board profile sets an app's limits).
// Output: `\nresponse status N\n`, then for fmt 99 the payload as cJSON prints it; events
// `\nreceived an event URL\n` + JSON; `operation timeout\n`. Exit code: the reply's status
// (65, 66, 69, the app's, 160 for errors), 2 on timeout, 255 for bad arguments or no link.
// Where the manager protocol differs from WAMR's /applet requests, the reply is what WAMR's app
// manager would have sent: errors are 160 with {"error message": ...} in WAMR's words.
// Differences left: -i over an installed app replaces it (WAMR answers "app already installed");
// -q lists the apps in the board's order (WAMR: newest first) with their arena bytes as `heap`.
import { createSocket } from "node:dgram"
import { appendFileSync, readFileSync } from "node:fs"
import { cjsonPrint, FMT_ATTR_CONTAINER, Json, jsonToAttr, payloadJson } from "./_attr-json"
import { Status } from "../../manager/protocol"
import { LinkTimeoutError, ManagerError } from "../link/errors"
import { Board, io, TargetOptions } from "./_common"

export const summary = "WAMR host_tool's flags, output and exit codes (-i/-u/-q/-r/-s/-d) against wasmlet boards"

export type HostToolOp =
    | { type: "install"; name: string; file?: string }
    | { type: "uninstall"; name: string }
    | { type: "query"; name?: string }
    | { type: "request"; url: string; action?: string; payloadFile?: string }
    | { type: "register"; url: string }
    | { type: "unregister"; url: string }

export interface HostToolArgs {
    op: HostToolOp
    timeoutMs: number
    aliveMs: number
    outputFile?: string
    udpPort?: number
    uart?: string
    sim: boolean
    /** Options accepted for compatibility and ignored (named in a note on stderr). */
    ignored: string[]
}

/** host_tool's exit codes (its main returns these; -1 is 255). */
export const HT_EXIT = { TIMEOUT: 2, FAILURE: 255, INSTALLED: 65, UNINSTALLED: 66, CONTENT: 69, ERROR: 160 } as const

export class HostToolUsage extends Error {}

interface LongOpt {
    name: string
    arg: "none" | "required" | "optional"
    key: string
}

const LONG: LongOpt[] = [
    { name: "install", arg: "required", key: "i" },
    { name: "uninstall", arg: "required", key: "u" },
    { name: "query", arg: "optional", key: "q" },
    { name: "request", arg: "required", key: "r" },
    { name: "register", arg: "required", key: "s" },
    { name: "deregister", arg: "required", key: "d" },
    { name: "timeout", arg: "required", key: "t" },
    { name: "alive", arg: "required", key: "a" },
    { name: "output", arg: "required", key: "o" },
    { name: "udp", arg: "required", key: "U" },
    { name: "action", arg: "required", key: "A" },
    { name: "file", arg: "required", key: "f" },
    { name: "payload", arg: "required", key: "p" },
    { name: "type", arg: "required", key: "type" },
    { name: "heap", arg: "required", key: "heap" },
    { name: "timers", arg: "required", key: "timers" },
    { name: "watchdog", arg: "required", key: "watchdog" },
    { name: "address", arg: "required", key: "S" },
    { name: "port", arg: "required", key: "P" },
    { name: "uart_device", arg: "required", key: "D" },
    { name: "baudrate", arg: "required", key: "B" },
    { name: "help", arg: "none", key: "h" },
    { name: "sim", arg: "none", key: "sim" }, // wasmlet's own: the simulator
]

/** host_tool's getopt string: a letter, then ':' (argument) or '::' (attached optional argument). */
const SHORT = "i:u:q::r:s:d:t:a:o:U:A:f:p:S:P:D:B:h"

function shortSpec(c: string): "none" | "required" | "optional" | undefined {
    const at = SHORT.indexOf(c)
    if (at < 0 || c === ":") return undefined
    if (SHORT[at + 1] !== ":") return "none"
    return SHORT[at + 2] === ":" ? "optional" : "required"
}

/** getopt_long as glibc does it: options anywhere (operands are skipped), `--name=v`, `--name v`, unique prefixes, `-xV`, `-x V`. */
export function getopt(argv: string[]): { key: string; value?: string }[] {
    const out: { key: string; value?: string }[] = []
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--") break
        if (a.startsWith("--")) {
            const eq = a.indexOf("=")
            const name = a.slice(2, eq < 0 ? undefined : eq)
            const exact = LONG.find(o => o.name === name)
            const prefixed = LONG.filter(o => o.name.startsWith(name))
            const o = exact ?? (prefixed.length === 1 ? prefixed[0] : undefined)
            if (!o) throw new HostToolUsage(prefixed.length > 1 ? `option '--${name}' is ambiguous` : `unrecognized option '--${name}'`)
            let value = eq < 0 ? undefined : a.slice(eq + 1)
            if (o.arg === "none" && value !== undefined) throw new HostToolUsage(`option '--${o.name}' doesn't allow an argument`)
            if (o.arg === "required" && value === undefined) {
                if (i + 1 >= argv.length) throw new HostToolUsage(`option '--${o.name}' requires an argument`)
                value = argv[++i]
            }
            out.push({ key: o.key, value })
        } else if (a.startsWith("-") && a.length > 1) {
            for (let j = 1; j < a.length; j++) {
                const c = a[j]
                const spec = shortSpec(c)
                if (spec === undefined) throw new HostToolUsage(`invalid option -- '${c}'`)
                if (spec === "none") {
                    out.push({ key: c })
                    continue
                }
                let value: string | undefined = a.slice(j + 1)
                if (value === "") value = undefined
                if (spec === "required" && value === undefined) {
                    if (i + 1 >= argv.length) throw new HostToolUsage(`option requires an argument -- '${c}'`)
                    value = argv[++i]
                }
                out.push({ key: c, value })
                break
            }
        }
        // an operand: getopt permutes it to the end, host_tool never reads it
    }
    return out
}

/** C's atoi: leading blanks, a sign, digits; anything else ends it (0 when none). */
export function atoi(s: string): number {
    const m = /^\s*([+-]?\d+)/.exec(s)
    return m ? parseInt(m[1], 10) | 0 : 0
}

/** host_tool's parse_args, rule for rule (a rule it breaks is a usage error: exit 255). */
export function parseHostToolArgs(argv: string[]): HostToolArgs {
    let op: HostToolOp | undefined
    let parsed = false
    let connParsed = false
    const r: HostToolArgs = { op: undefined as any, timeoutMs: 5000, aliveMs: 0, sim: false, ignored: [] }
    const setOp = (o: HostToolOp, counts = true) => {
        if (parsed) throw new HostToolUsage("one operation at a time (-i, -u, -q, -r, -s or -d)")
        op = o
        if (counts) parsed = true
    }
    const needOp = (type: HostToolOp["type"], flag: string) => {
        if (!parsed || op!.type !== type) throw new HostToolUsage(`${flag} belongs after ${type === "install" ? "-i" : "-r"}`)
    }
    for (const { key, value } of getopt(argv)) {
        const v = value as string
        switch (key) {
            case "i": setOp({ type: "install", name: v }); break
            case "u": setOp({ type: "uninstall", name: v }); break
            case "q": setOp({ type: "query", name: value }, false); break // host_tool does not count -q as parsed
            case "r": setOp({ type: "request", url: v }); break
            case "s": setOp({ type: "register", url: v }); break
            case "d": setOp({ type: "unregister", url: v }); break
            case "t": r.timeoutMs = atoi(v); break
            case "a": r.aliveMs = atoi(v); break
            case "o": r.outputFile = v; break
            case "U": r.udpPort = atoi(v); break
            case "A": {
                needOp("request", "-A")
                const action = v.toUpperCase()
                ;(op as any).action = ["PUT", "GET", "DELETE", "POST"].includes(action) ? action : undefined
                break
            }
            case "f": needOp("install", "-f"); (op as any).file = v; break
            case "p": needOp("request", "-p"); (op as any).payloadFile = v; break
            case "type": r.ignored.push(`--type=${v}`); break
            case "heap": case "timers": case "watchdog": needOp("install", `--${key}`); r.ignored.push(`--${key}=${v}`); break
            case "S":
                if (connParsed) throw new HostToolUsage("-S and -D name different links: give one")
                connParsed = true
                r.ignored.push(`-S ${v}`)
                break
            case "P": r.ignored.push(`-P ${v}`); break
            case "D":
                if (connParsed) throw new HostToolUsage("-S and -D name different links: give one")
                connParsed = true
                r.uart = v
                break
            case "B": r.ignored.push(`-B ${v}`); break
            case "sim": r.sim = true; break
            case "h": throw new HostToolUsage("")
        }
    }
    if (op === undefined) throw new HostToolUsage("no operation given")
    if (op.type === "install" && (op.file === undefined || !op.name)) throw new HostToolUsage("-i needs -f FILE")
    if (op.type === "request" && op.action === undefined) throw new HostToolUsage("-r needs -A GET|POST|PUT|DELETE")
    if (r.uart !== undefined && r.sim) throw new HostToolUsage("-D and --sim name different targets: give one")
    r.op = op
    return r
}

export const HOST_TOOL_USAGE = `
Usage:
\twasmlet host-tool -i|-u|-q|-r|-s|-d ...

\twasmlet host-tool -i <App Name> -f <App File>
\t\t [--type=<App Type>] [--heap=<Heap Size>] [--timers=<Timers Number>] [--watchdog=<Watchdog Interval>]
\t\t [<Control Options> ...]
\twasmlet host-tool -u <App Name> [<Control Options> ...]
\twasmlet host-tool -q[<App Name>][<Control Options> ...]
\twasmlet host-tool -r <Resource URL> -A <Action> [-p <Payload File>] [<Control Options> ...]
\twasmlet host-tool -s <Event URL> [<Control Options> ...]
\twasmlet host-tool -d <Event URL> [<Control Options> ...]

\t-i, --install      Install an application        -u, --uninstall    Uninstall an application
\t-q, --query        Query all applications         -r, --request      Send a request
\t-s, --register     Register an event              -d, --deregister   De-register an event
\t-f, --file         The app's .wasm file           -A, --action       PUT, GET, DELETE or POST
\t-p, --payload      A JSON file (or a JSON object) as the request's payload

\tControl Options:
\t-D <Device>|--uart=<Device>    The board on this serial device (default: the one board, else the simulator)
\t--sim                          The running simulator (wasmlet sim)
\t-t <timeout>|--timeout=<ms>    Operation timeout in ms, default 5000
\t-a <alive>|--alive=<ms>        Stay this long after the reply, printing events, default 0
\t-o <file>|--output=<file>      Also append the output to a file
\t-U <port>|--udp=<port>         Also send the output to a UDP port on this machine
\t-S, -P, -B                     Accepted and ignored (host_tool's TCP address and port, UART baud rate)
\t--type, --heap, --timers, --watchdog   Accepted and ignored (the board profile sets the limits)

Exit code: the reply's status (65 installed, 66 uninstalled, 69 content, the app's own for -r,
160 error), 2 when no reply came within -t, 255 for bad arguments or when no board is reachable.
`

/** Where the output goes: stdout, and the -o file and -U port when given. */
export class HostToolOutput {
    private udp?: ReturnType<typeof createSocket>
    private sends: Promise<void>[] = []

    constructor(private readonly a: Pick<HostToolArgs, "outputFile" | "udpPort">) {}

    write(s: string): void {
        io.stdout(s)
        if (this.a.outputFile !== undefined) {
            try {
                appendFileSync(this.a.outputFile, s)
            } catch {
                // host_tool ignores a failed copy
            }
        }
        if (this.a.udpPort !== undefined && this.a.udpPort > 0 && this.a.udpPort < 65535) {
            this.udp ??= createSocket("udp4")
            const sock = this.udp
            this.sends.push(new Promise(res => sock.send(s, this.a.udpPort!, "127.0.0.1", () => res())))
        }
    }

    /** `\nresponse status N\n`, then the payload as cJSON prints it when it is an attr_container. */
    response(status: number, fmt: number, payload?: Uint8Array | Json): void {
        this.write(`\nresponse status ${status}\n`)
        this.payload(fmt, payload)
    }

    event(url: string, fmt: number, payload?: Uint8Array): void {
        this.write(`\nreceived an event ${url}\n`)
        this.payload(fmt, payload)
    }

    private payload(fmt: number, payload?: Uint8Array | Json): void {
        if (payload === undefined || payload === null) return
        const json = payload instanceof Uint8Array ? payloadJson(fmt, payload) : payload
        if (json !== null) this.write(cjsonPrint(json))
    }

    async close(): Promise<void> {
        await Promise.all(this.sends)
        this.udp?.close()
    }
}

/** The request's payload: -p names a JSON file (host_tool); a JSON object given inline works too. */
export function requestPayload(arg: string | undefined): Uint8Array | undefined {
    if (arg === undefined) return undefined
    let text: string
    try {
        text = readFileSync(arg, "utf8")
    } catch (e) {
        if (!arg.trimStart().startsWith("{")) throw e
        text = arg
    }
    return jsonToAttr(text)
}

/** What WAMR's app manager answers when an operation fails: 160 and its words. */
const errorReply = (message: string): Json => ({ "error message": message })

const isTimeout = (e: unknown) => e instanceof LinkTimeoutError
const notFound = (e: unknown) => e instanceof ManagerError && e.status === Status.NOT_FOUND

class Timeout extends Error {}

function deadline<T>(p: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined
    return Promise.race([
        p,
        new Promise<never>((_, rej) => {
            timer = setTimeout(() => rej(new Timeout()), Math.max(0, ms))
        }),
    ]).finally(() => clearTimeout(timer))
}

const sleep = (ms: number) => new Promise<void>(r => setTimeout(r, Math.max(0, ms)))

/** Runs one operation on a board; prints as host_tool does and returns its exit code. */
export async function runHostTool(a: HostToolArgs, board: Board, out: HostToolOutput, t0 = Date.now()): Promise<number> {
    const op = a.op
    const left = () => a.timeoutMs - (Date.now() - t0)
    let status: number
    const reply = (s: number, fmt = 0, payload?: Uint8Array | Json) => {
        out.response(s, fmt, payload)
        status = s
    }
    const fail = (message: string) => reply(HT_EXIT.ERROR, FMT_ATTR_CONTAINER, errorReply(message))
    const c = board.client
    try {
        const run = async (): Promise<void> => {
            switch (op.type) {
                case "install": {
                    let image: Uint8Array
                    try {
                        const { compileAppImage } = await import("../run/app-images")
                        image = compileAppImage(new Uint8Array(readFileSync(op.file!))).image
                    } catch (e: any) {
                        return fail(`Install WASM app failed: ${e.message}`)
                    }
                    try {
                        // host_tool's timeout starts once the file is sent: here, once the upload is in and the board checks it
                        let commitTimer: NodeJS.Timeout | undefined
                        let installing!: Promise<unknown>
                        const committed = new Promise<never>((_, rej) => {
                            const onProgress = (p: { phase: string }) => {
                                if (p.phase === "commit" && commitTimer === undefined) commitTimer = setTimeout(() => rej(new Timeout()), a.timeoutMs)
                            }
                            installing = c.install(op.name, image, { onProgress })
                        })
                        try {
                            await Promise.race([installing, committed])
                        } finally {
                            clearTimeout(commitTimer)
                        }
                        reply(HT_EXIT.INSTALLED)
                    } catch (e: any) {
                        if (isTimeout(e)) throw new Timeout()
                        fail(`Install WASM app failed: ${e.deviceMessage || e.message}`)
                    }
                    return
                }
                case "uninstall":
                    try {
                        await c.uninstall(op.name)
                        reply(HT_EXIT.UNINSTALLED)
                    } catch (e: any) {
                        if (isTimeout(e)) throw new Timeout()
                        fail(notFound(e) ? "Uninstall WASM app failed: no app found." : `Uninstall WASM app failed: ${e.deviceMessage || e.message}`)
                    }
                    return
                case "query": {
                    const { apps } = await c.list().catch(e => {
                        throw isTimeout(e) ? new Timeout() : e
                    })
                    if (op.name !== undefined) {
                        const app = apps.find(x => x.name === op.name)
                        if (!app) return fail("Query Applet failed: the app is not found.")
                        return reply(HT_EXIT.CONTENT, FMT_ATTR_CONTAINER, { name: app.name, heap: app.arenaBytes })
                    }
                    const info: { [k: string]: Json } = { num: apps.length }
                    apps.forEach((x, i) => {
                        info[`applet${i + 1}`] = x.name
                        info[`heap${i + 1}`] = x.arenaBytes
                    })
                    return reply(HT_EXIT.CONTENT, FMT_ATTR_CONTAINER, info)
                }
                case "request": {
                    let payload: Uint8Array | undefined
                    try {
                        payload = requestPayload(op.payloadFile)
                    } catch {
                        status = HT_EXIT.FAILURE // host_tool: the file or its JSON fails, nothing is sent
                        return
                    }
                    try {
                        const r = await c.request(op.action!, op.url, { payload, fmt: FMT_ATTR_CONTAINER, timeoutMs: Math.max(1, left()) })
                        reply(r.status, r.fmt, r.payload)
                    } catch (e: any) {
                        if (isTimeout(e)) throw new Timeout()
                        fail(e.deviceMessage || e.message)
                    }
                    return
                }
                case "register":
                case "unregister": {
                    // host_tool: -s adds "/event" or "/event/", -d always "/event/"; the event url is what follows "/event/"
                    const url = op.type === "register" && op.url.startsWith("/") ? op.url.slice(1) : op.url
                    try {
                        // the subscription is left on at the end, as host_tool leaves it on a WAMR board
                        if (op.type === "register") await c.subscribe(url, e => out.event(e.url, e.fmt, e.payload))
                        else {
                            // a one-shot host_tool run holds no subscription of its own: tell the board directly
                            const off = await c.subscribe(url, () => {})
                            await off()
                        }
                        reply(HT_EXIT.CONTENT)
                    } catch (e: any) {
                        if (isTimeout(e)) throw new Timeout()
                        fail(e.deviceMessage || e.message)
                    }
                    return
                }
            }
        }
        // an upload's time does not count (host_tool sends the file before its clock starts)
        await (op.type === "install" ? run() : deadline(run(), a.timeoutMs))
    } catch (e) {
        if (e instanceof Timeout || isTimeout(e)) {
            out.write("operation timeout\n")
            return HT_EXIT.TIMEOUT
        }
        throw e
    }
    // -a: stay connected; for -s/-d it counts from the reply, for the rest from the start (as host_tool)
    if (status! !== HT_EXIT.FAILURE) {
        if (op.type === "register" || op.type === "unregister") await sleep(a.aliveMs)
        else await sleep(a.aliveMs - (Date.now() - t0))
    }
    return status!
}

export async function main(argv: string[]): Promise<number> {
    let a: HostToolArgs
    try {
        a = parseHostToolArgs(argv)
    } catch (e: any) {
        if (e.message) io.stderr(`wasmlet host-tool: ${e.message}\n`)
        io.stdout(HOST_TOOL_USAGE)
        return HT_EXIT.FAILURE
    }
    if (a.ignored.length) io.stderr(`wasmlet host-tool: ignored ${a.ignored.join(" ")}\n`)
    const target: TargetOptions = { port: a.uart, sim: a.sim, json: false }
    const out = new HostToolOutput(a)
    const t0 = Date.now()
    let board: Board
    try {
        board = await io.connect(target)
    } catch (e: any) {
        io.stderr(`wasmlet host-tool: ${e.message}\n`)
        await out.close()
        return HT_EXIT.FAILURE
    }
    try {
        return await runHostTool(a, board, out, t0)
    } catch (e: any) {
        io.stderr(`wasmlet host-tool: ${e.message}\n`)
        return HT_EXIT.FAILURE
    } finally {
        await board.close()
        await out.close()
    }
}
