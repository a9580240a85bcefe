// `npm start`: build the firmware, start the DeviceScript simulator on Node and show the
// firmware's console.
//
//   1. regenerates the firmware's flash images (scripts/gen-firmware-images.ts: the runtime's libc and
//      WASI adapter, the sample apps it starts at boot) and builds firmware/src/main.ts (`devs build`);
//   2. starts the devtools server (`devs devtools`): the Jacdac link at ws://127.0.0.1:8081 that
//      host tools (and the browser dashboard at http://127.0.0.1:8081/) connect to;
//   3. starts the simulated device (`devs run firmware/src/main.ts`), which joins that link, and
//      streams its console (lines from the device start with "device>").
// Ctrl-C (SIGINT) or SIGTERM stops both process groups; nothing is left running.
//
// Options (after `npm start --`):
//   --exit-after <regex|ms>  stop by itself once a device line matches <regex>, or after <ms>
//                            milliseconds (a plain number); exit code 0 when that happened
//   --timeout <ms>           with a regex: give up (exit code 1) if no line matched by then (default 60000)
//   --no-build               skip step 1
//   --entry FILE             run FILE instead of the firmware (relative to --cwd); implies --no-build
//   --cwd DIR                where the device program runs (`wasmlet run --sim` uses a build folder)
//   --quiet                  show only the device's lines, without the "device> " prefix
import { ChildProcess } from "node:child_process"
import { pathToFileURL } from "node:url"
import { DEVS_CLI, ROOT, devs, groupAlive, startGroup, stopGroup } from "../scripts/lib/devs"
import { BOOT_SAMPLES, writeGenerated } from "../scripts/gen-firmware-images"
import { createServer } from "node:net"
import { join } from "node:path"

export const ENTRY = "firmware/src/main.ts"
export const LINK_URL = "ws://127.0.0.1:8081"
/** devtools' fixed ports: websocket link, tcp proxy, debugger. */
export const DEVTOOLS_PORTS = [8081, 8082, 8083]

export function portFree(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const srv = createServer()
        srv.once("error", () => resolve(false))
        srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)))
    })
}

export interface StartOptions {
    exitAfter?: RegExp | number
    timeoutMs: number
    build: boolean
    entry: string
    cwd?: string
    quiet: boolean
}

export function parseArgs(argv: string[]): StartOptions {
    const o: StartOptions = { timeoutMs: 60_000, build: true, entry: ENTRY, quiet: false }
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--exit-after") {
            const v = argv[++i]
            if (v === undefined) throw new Error("--exit-after needs a regex or a number of milliseconds")
            o.exitAfter = /^\d+$/.test(v) ? parseInt(v, 10) : new RegExp(v)
        } else if (a === "--timeout") {
            o.timeoutMs = parseInt(argv[++i], 10)
            if (!(o.timeoutMs > 0)) throw new Error("--timeout needs a number of milliseconds")
        } else if (a === "--no-build") {
            o.build = false
        } else if (a === "--entry") {
            o.entry = argv[++i]
            o.build = false
        } else if (a === "--cwd") {
            o.cwd = argv[++i]
        } else if (a === "--quiet") {
            o.quiet = true
        } else if (a === "-h" || a === "--help") {
            console.log("usage: npm start -- [--exit-after <regex|ms>] [--timeout <ms>] [--no-build]")
            process.exit(0)
        } else throw new Error(`unknown option ${a}`)
    }
    return o
}

let quiet = false
const log = (s: string) => {
    if (!quiet) console.log(s)
}

async function build(): Promise<void> {
    writeGenerated()
    log(`[start] sample apps: ${BOOT_SAMPLES.join(", ")}`)
    const r = await devs(["build", ENTRY, "--quiet"], { timeoutMs: 180_000 })
    if (r.code !== 0) {
        console.error(r.output)
        throw new Error(`devs build ${ENTRY} failed`)
    }
    log(`[start] built ${ENTRY}`)
}

export async function start(o: StartOptions): Promise<number> {
    quiet = o.quiet
    const children: ChildProcess[] = []
    let stopping: Promise<void> | undefined
    let exitCode = 0
    let finish!: (code: number) => void
    const finished = new Promise<number>(r => (finish = r))

    const stopAll = (code: number, why: string) => {
        if (stopping) return
        exitCode = code
        log(`[start] stopping (${why})`)
        stopping = Promise.all(children.map(c => stopGroup(c.pid))).then(() => {
            const left = children.filter(c => groupAlive(c.pid))
            if (left.length) console.error(`[start] could not stop process group(s) ${left.map(c => c.pid).join(", ")}`)
            log(`[start] stopped${left.length ? " (with leftovers)" : ""}`)
            finish(exitCode)
        })
    }
    const onSignal = (sig: NodeJS.Signals) => stopAll(sig === "SIGINT" ? 130 : 143, sig)
    process.on("SIGINT", onSignal)
    process.on("SIGTERM", onSignal)
    process.on("SIGHUP", onSignal)
    // Last resort if this process dies some other way: take the children with it.
    process.on("exit", () => children.forEach(c => c.pid && groupAlive(c.pid) && process.kill(-c.pid, "SIGKILL")))

    try {
        if (o.build) await build()
    } catch (e: any) {
        console.error(`[start] ${e.message}`)
        return 1
    }
    if (stopping) return finished
    const busy: number[] = []
    for (const p of DEVTOOLS_PORTS) if (!(await portFree(p))) busy.push(p)
    if (busy.length) {
        console.error(`[start] port(s) ${busy.join(", ")} in use: is another \`npm start\` or \`devs devtools\` running?`)
        return 1
    }

    let timer: NodeJS.Timeout | undefined
    if (typeof o.exitAfter === "number") timer = setTimeout(() => stopAll(0, `--exit-after ${o.exitAfter} ms`), o.exitAfter)
    else if (o.exitAfter) timer = setTimeout(() => stopAll(1, `no device line matched ${o.exitAfter} within ${o.timeoutMs} ms`), o.timeoutMs)

    // 2. the devtools server (Jacdac link for host tools and the dashboard)
    let linkUp!: () => void
    const linkReady = new Promise<void>(r => (linkUp = r))
    const devtools = startGroup(process.execPath, [DEVS_CLI, "devtools"], {
        onLine: line => {
            if (!line.trim()) return
            log(`devtools> ${line}`)
            if (line.includes("websocket") && line.includes(LINK_URL)) linkUp()
            if (/EADDRINUSE/.test(line)) stopAll(1, "port 8081 is in use: is another `npm start` or `devs devtools` running?")
        },
    })
    children.push(devtools)
    log(`[start] devtools: process group ${devtools.pid}`)
    devtools.on("exit", code =>
        stopAll(stopping ? exitCode : 1, `devtools exited (${code})${code === 100 ? ": a port it needs is in use?" : ""}`)
    )

    const linkTimeout = setTimeout(() => stopAll(1, "devtools did not start within 30 s"), 30_000)
    await Promise.race([linkReady, finished])
    clearTimeout(linkTimeout)
    if (stopping) return finished

    // 3. the simulated device running the firmware, connected to the link
    const device = startGroup(process.execPath, [DEVS_CLI, "run", o.entry], {
        cwd: o.cwd,
        onLine: line => {
            if (!line.trim()) return
            const text = line.replace(/^WASM> /, "")
            if (o.quiet) console.log(text)
            else log(`device> ${text}`)
            if (o.exitAfter instanceof RegExp && o.exitAfter.test(text)) stopAll(0, `matched ${o.exitAfter}`)
        },
    })
    children.push(device)
    log(`[start] device: process group ${device.pid}`)
    device.on("exit", code => stopAll(stopping ? exitCode : 1, `device exited (${code})`))

    const code = await finished
    if (timer) clearTimeout(timer)
    return code
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    let opts: StartOptions
    try {
        opts = parseArgs(process.argv.slice(2))
    } catch (e: any) {
        console.error(e.message)
        process.exit(2)
    }
    start(opts).then(code => process.exit(code))
}
