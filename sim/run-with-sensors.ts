// Runs a DeviceScript program in the simulator with simulated sensors on its bus: starts the
// devtools link (`devs devtools`), serves the sensors of a script (sim/sensors.ts) on it from this
// process, then runs the program (`devs run ENTRY`), which joins the link; its roles bind to the
// simulated sensors. Prints the program's console as "device> ..." lines, and at the end one line
// per sensor, "sensors> <role> sent <v1>,<v2>,...", the readings it sent in order.
//
//   tsx sim/run-with-sensors.ts --sensors FILE [--exit-after REGEX] [--timeout MS] [--cwd DIR] ENTRY
//
// --exit-after stops once a device line matches (exit code 0); --timeout (default 60000) gives up
// with exit code 1; the program ending by itself also ends the run (its exit code). --cwd is the
// project folder ENTRY is built in (default: the repo). devtools' ports are fixed (8081-8083):
// run it where they are free, e.g. in a private network namespace (see scripts/lib/devs.ts
// privateNetworkPrefix), as test/sim/ does.
import { ChildProcess } from "node:child_process"
import { pathToFileURL } from "node:url"
import { DEVS_CLI, ROOT, sleep, startGroup, stopGroup } from "../scripts/lib/devs"
import { JDBus, ServedSensors, SimSensor, connectSimBus, loadSensorScript, serveSensors } from "./sensors"

export interface RunWithSensorsOptions {
    entry: string
    sensors: SimSensor[]
    exitAfter?: RegExp
    timeoutMs?: number
    cwd?: string
    /** Each line as printed ("devtools> ", "device> ", "sensors> ", "[run] " prefixes). */
    log?: (line: string) => void
}

export interface RunWithSensorsResult {
    code: number
    /** Readings each sensor sent, in the order given. */
    sent: number[][]
}

export async function runWithSensors(o: RunWithSensorsOptions): Promise<RunWithSensorsResult> {
    const log = o.log ?? ((l: string) => console.log(l))
    const cwd = o.cwd ?? ROOT
    const children: ChildProcess[] = []
    let bus: JDBus | undefined
    let served: ServedSensors | undefined
    let finish!: (code: number) => void
    const finished = new Promise<number>(r => (finish = r))
    let done = false
    const end = (code: number, why: string) => {
        if (done) return
        done = true
        log(`[run] stopping (${why})`)
        finish(code)
    }
    const timer = setTimeout(() => end(1, `timeout ${o.timeoutMs ?? 60_000} ms`), o.timeoutMs ?? 60_000)
    try {
        let linkUp!: () => void
        const linkReady = new Promise<void>(r => (linkUp = r))
        const devtools = startGroup(process.execPath, [DEVS_CLI, "devtools"], {
            cwd,
            onLine: l => {
                if (!l.trim()) return
                log(`devtools> ${l}`)
                if (l.includes("tcpsocket") && l.includes("8082")) linkUp()
            },
        })
        children.push(devtools)
        devtools.on("exit", c => end(1, `devtools exited (${c})`))
        await Promise.race([linkReady, finished])
        if (done) return { code: await finished, sent: [] }

        bus = await connectSimBus()
        served = serveSensors(bus, o.sensors)
        // let the simulated devices announce themselves before the program looks for them
        await sleep(300)

        const device = startGroup(process.execPath, [DEVS_CLI, "run", o.entry], {
            cwd,
            onLine: l => {
                if (!l.trim()) return
                const text = l.replace(/^WASM> /, "")
                log(`device> ${text}`)
                if (o.exitAfter && o.exitAfter.test(text)) end(0, `matched ${o.exitAfter}`)
            },
        })
        children.push(device)
        device.on("exit", c => end(c ?? 1, `device exited (${c})`))
        return { code: await finished, sent: served.sent }
    } finally {
        clearTimeout(timer)
        served?.stop()
        bus?.dispose()
        await Promise.all(children.map(c => stopGroup(c.pid)))
        if (served) o.sensors.forEach((s, i) => log(`sensors> ${s.role} sent ${served!.sent[i].join(",")}`))
    }
}

function parseArgs(argv: string[]): RunWithSensorsOptions {
    const o: Partial<RunWithSensorsOptions> = { sensors: [] }
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--sensors") o.sensors = loadSensorScript(argv[++i])
        else if (a === "--exit-after") o.exitAfter = new RegExp(argv[++i])
        else if (a === "--timeout") o.timeoutMs = parseInt(argv[++i], 10)
        else if (a === "--cwd") o.cwd = argv[++i]
        else if (a.startsWith("-")) throw new Error(`unknown option ${a}`)
        else o.entry = a
    }
    if (!o.entry) throw new Error("usage: tsx sim/run-with-sensors.ts --sensors FILE [--exit-after REGEX] [--timeout MS] [--cwd DIR] ENTRY")
    return o as RunWithSensorsOptions
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    let opts: RunWithSensorsOptions
    try {
        opts = parseArgs(process.argv.slice(2))
    } catch (e: any) {
        console.error(e.message)
        process.exit(2)
    }
    runWithSensors(opts).then(
        r => process.exit(r.code),
        e => {
            console.error(e)
            process.exit(1)
        }
    )
}
