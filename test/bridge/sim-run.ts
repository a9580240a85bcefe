// The program test/bridge/sim.test.ts runs in a private network namespace (devtools' ports are
// fixed; mosquitto listens on that namespace's loopback): a simulated board as `npm start` runs it
// (`devs devtools`, `devs run firmware/src/main.ts`: the event publisher and subscriber baked in),
// a real mosquitto, and the bridge on the simulator's link (host/link's connect({ sim: true })),
// its id the board's device id; then the same through the `wasmlet bridge` command. Each step prints "step NAME {json}"; "done" at the end.
import { spawn } from "node:child_process"
import { join } from "node:path"
import { DEVS_CLI, ROOT, makeBuildDir, startGroup, stopGroup } from "../../scripts/lib/devs"
import { connect } from "../../host/link/connect"
import { BoardBridge } from "../../host/bridge/board-bridge"
import { Mosquitto } from "./mosquitto"
import { Watcher } from "./watcher"

const t0 = Date.now()
const step = (name: string, data: unknown) => console.log(`step ${name} ${JSON.stringify(data)}`)
const build = makeBuildDir()
const groups: number[] = []

function waitLine(match: RegExp, ms: number, start: (onLine: (l: string) => void) => void): Promise<void> {
    return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no line matching ${match} within ${ms} ms`)), ms)
        start(l => {
            if (match.test(l)) {
                clearTimeout(t)
                resolve()
            }
        })
    })
}

async function main(): Promise<void> {
    await waitLine(/websocket.*8081/, 30_000, onLine => {
        groups.push(startGroup(process.execPath, [DEVS_CLI, "devtools"], { cwd: build.dir, onLine }).pid!)
    })
    await waitLine(/wasmlet: idle/, 120_000, onLine => {
        groups.push(startGroup(process.execPath, [DEVS_CLI, "run", "firmware/src/main.ts"], { cwd: build.dir, onLine }).pid!)
    })
    step("booted", { ms: Date.now() - t0 })
    const broker = await Mosquitto.start()
    const link = await connect({ sim: true, timeoutMs: 20_000 })
    const watcher = await Watcher.connect(broker.url, ["wasmlet/#"])
    const id = link.deviceId
    const bridge = await new BoardBridge({ url: broker.url, id, client: link.client, events: ["alert/overheat"], pollMs: 2000 }).start()
    step("bridged", { id, ms: Date.now() - t0 })
    try {
        const state = await watcher.waitFor(`wasmlet/${id}/state`)
        step("state", { retain: state.packet.retain, json: state.json })
        const e = await watcher.waitFor(`wasmlet/${id}/events/alert/overheat`, undefined, 10_000)
        step("event", { json: e.json, types: JSON.parse((e.packet.properties!.userProperties as any).types) })
        const tr = Date.now()
        await watcher.client.subscribeAsync("answers/sim", { qos: 1 })
        await watcher.client.publishAsync(`wasmlet/${id}/request/GET/app/nobody/x`, "", { qos: 1, properties: { responseTopic: "answers/sim", correlationData: Buffer.from("q1") } })
        const a = await watcher.waitFor("answers/sim", undefined, 10_000)
        step("request", { json: a.json, correlation: Buffer.from(a.packet.properties!.correlationData!).toString(), ms: Date.now() - tr })
        // stopping the publisher shows in the state (a runtime note triggers the poll)
        const ts = Date.now()
        await link.client.stop("event_publisher")
        const s2 = await watcher.waitFor(`wasmlet/${id}/state`, j => j.apps.some((x: any) => x.name === "event_publisher" && x.state === "stopped"), 10_000, ts)
        step("stopped", { apps: s2.json.apps.map((x: any) => `${x.name}:${x.state}`), ms: Date.now() - ts })
        step("stats", bridge.stats)
        await bridge.close()
        await link.client.start("event_publisher")
        // the command itself: `wasmlet bridge --sim ...` until Ctrl-C (SIGINT), its board offline after
        const tc = Date.now()
        const cli = spawn(process.execPath, [join(ROOT, "host/bin/wasmlet.mjs"), "bridge", "--sim", "--mqtt", broker.url, "--id", "simboard", "--events", "alert/overheat"], { stdio: ["ignore", "pipe", "pipe"] })
        let cliErr = ""
        cli.stderr.on("data", d => (cliErr += d))
        const exited = new Promise<number | null>(r => cli.once("exit", c => r(c)))
        try {
            const s = await watcher.waitFor("wasmlet/simboard/state", j => j.online === true, 30_000, tc)
            const ev = await watcher.waitFor("wasmlet/simboard/events/alert/overheat", undefined, 10_000, tc)
            const to = Date.now()
            cli.kill("SIGINT")
            const code = await exited
            const off = await watcher.waitFor("wasmlet/simboard/state", j => j.online === false, 5000, to)
            step("cli", { apps: s.json.apps.length, event: ev.json, code, offline: off.json, stderr: cliErr.split("\n").filter(l => l).slice(0, 4) })
        } finally {
            cli.kill("SIGKILL")
        }
    } finally {
        await watcher.close()
        await link.close()
        await broker.dispose()
    }
    console.log("done")
}

main()
    .then(
        () => 0,
        e => {
            console.log(`error ${e?.stack ?? e}`)
            return 1
        }
    )
    .then(async code => {
        for (const g of groups.reverse()) await stopGroup(g)
        build.dispose()
        process.exit(code)
    })
