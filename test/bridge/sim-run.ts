// What test/bridge/sim.test.ts runs in a private network namespace (devtools' ports are fixed;
// mosquitto listens on that namespace's loopback): a small fleet of two simulated boards as users
// start them (`wasmlet sim --name a`, `--name b`: the firmware with the event publisher and
// subscriber baked in), a real mosquitto, and ONE `wasmlet bridge --sim` process started with
// board a alone and bridging b too once it joins; the echo app installed on each over the link. Then, through the broker only: each board's state
// and events under its own device id, a request to each, desired config applied and reported;
// board b stopped (marked offline) and started again (its flash kept: events, state and the
// desired config come back without touching the bridge); a remote install on board a (unsigned:
// refused; signed by the fleet key: installed); an app flooding the link (commands still answered,
// the board not taken for offline); the broker restarted (both boards republished,
// events again); Ctrl-C (both offline, exit 0); then
// `wasmlet bridge --sim` with no broker named (one embedded on 1883).
// Each step prints "step NAME {json}"; the test judges them.
//
//   tsx test/bridge/sim-run.ts DIR ECHO_WASM FLOOD_WASM
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { run, stopGroup } from "../../scripts/lib/devs"
import { runMain, Started, stepTimer, stopAll, untilLine, WASMLET_BIN, wasmletUntil } from "../host/sim-steps"
import { Mosquitto } from "./mosquitto"
import { Watcher } from "./watcher"

const [dir, echoWasm, floodWasm] = process.argv.slice(2)
const { step } = stepTimer()
const pids: number[] = []
let broker: Mosquitto | undefined
let watcher: Watcher | undefined

const READY = /\[start\] ready: board \S+ accepts commands \(wasmlet manager on device ([0-9a-f]{16})\)/
const sim = (name: string, clear: boolean) => wasmletUntil(["sim", "--name", name, ...(clear ? ["--clear"] : []), "--no-sensors"], READY, 120_000, { cwd: dir })
const wasmlet = (args: string[]) => run(process.execPath, [WASMLET_BIN, ...args], { cwd: dir, timeoutMs: 60_000 })
const appStates = (j: any) => (j.apps ?? []).map((a: any) => `${a.name}:${a.state}`).sort()

async function main(): Promise<void> {
    broker = await Mosquitto.start()
    watcher = await Watcher.connect(broker.url, ["wasmlet/#"])
    const w = watcher
    const boardA = await sim("a", true)
    pids.push(boardA.pid)

    // the bridge starts with board a alone on the link; board b joins later and is bridged too
    // a fleet key: the bridge installs bundles it signed
    await wasmlet(["sign", "--keygen", join(dir, "fleet")])
    await wasmlet(["sign", "--key", join(dir, "fleet"), "--name", "echo", echoWasm, "-o", join(dir, "echo.signed")])
    const tb = Date.now()
    const bridge = await wasmletUntil(["bridge", "--sim", "--mqtt", broker.url, "--events", "alert/overheat,flood/tick", "--poll", "1000", "--timeout", "3000", "--allow-install", "--trust", join(dir, "fleet.pub")], /bridging .* as wasmlet\//, 60_000, { cwd: dir })
    pids.push(bridge.pid)
    let boardB: Started = await sim("b", true)
    pids.push(boardB.pid)
    const id = { a: boardA.match[1], b: boardB.match[1] }
    step("boards", { id })
    await untilLine(bridge, new RegExp(`bridging .* as wasmlet/${id.b}`), 30_000)
    step("bridge", { ms: Date.now() - tb, lines: bridge.lines.filter(l => /bridging|connecting/.test(l)) })

    // the echo app (answers every request with its payload) installed on each board over the link
    for (const [name, dev] of Object.entries(id)) {
        const r = await wasmlet(["install", "--sim", "--device", dev, "echo", echoWasm])
        step(`install-${name}`, { code: r.code, output: r.output.split("\n").filter(l => l).slice(-3) })
    }

    // --id renames one board: with two on the link it is a usage error
    const idUsage = await wasmlet(["bridge", "--sim", "--mqtt", broker.url, "--id", "kitchen"])
    step("id-usage", { code: idUsage.code, output: idUsage.output.split("\n").filter(l => l).slice(0, 2) })

    const state: Record<string, any> = {}
    for (const [name, dev] of Object.entries(id)) {
        const s = await w.waitFor(`wasmlet/${dev}/state`, j => j.online === true && appStates(j).includes("echo:running"), 15_000, tb)
        state[name] = { retain: s.packet.retain, device: s.json.device, board: s.json.board, apps: appStates(s.json) }
    }
    step("state", state)

    const events: Record<string, any> = {}
    for (const [name, dev] of Object.entries(id)) {
        const e = await w.waitFor(`wasmlet/${dev}/events/alert/overheat`, undefined, 15_000, tb)
        events[name] = { json: e.json, types: JSON.parse((e.packet.properties!.userProperties as any).types) }
    }
    step("events", events)

    // a request to each board, answered on the response topic with its correlation data
    await w.client.subscribeAsync("answers/fleet", { qos: 1 })
    const answers: Record<string, any> = {}
    for (const [name, dev] of Object.entries(id)) {
        const tr = Date.now()
        const corr = `ask-${name}`
        await w.client.publishAsync(`wasmlet/${dev}/request/PUT/app/echo/conf`, JSON.stringify({ board: name, n: 7, x: 0.5 }), { qos: 1, properties: { responseTopic: "answers/fleet", correlationData: Buffer.from(corr) } })
        const a = await w.waitFor("answers/fleet", (_j, s) => Buffer.from(s.packet.properties?.correlationData ?? []).toString() === corr, 10_000, tr)
        answers[name] = { ...a.json, ms: Date.now() - tr }
    }
    const nobody = Date.now()
    await w.client.publishAsync(`wasmlet/${id.a}/request/GET/app/nobody/x`, "", { qos: 1, properties: { responseTopic: "answers/fleet", correlationData: Buffer.from("ask-nobody") } })
    answers.nobody = (await w.waitFor("answers/fleet", (_j, s) => Buffer.from(s.packet.properties?.correlationData ?? []).toString() === "ask-nobody", 10_000, nobody)).json
    step("requests", answers)

    // desired config for board b only
    const td = Date.now()
    await w.client.publishAsync(`wasmlet/${id.b}/desired`, JSON.stringify({ apps: { echo: { level: 3, mode: "eco" } } }), { retain: true, qos: 1 })
    const rep = await w.waitFor(`wasmlet/${id.b}/reported`, j => j.apps?.echo?.ok === true, 15_000, td)
    step("desired", { reported: rep.json.apps.echo, retain: rep.packet.retain, aReported: w.on(`wasmlet/${id.a}/reported`).length })

    // remote install on board a through the broker: an unsigned .wasm refused, the signed bundle installed (an update of echo)
    const ti = Date.now()
    await w.client.publishAsync(`wasmlet/${id.a}/install/echo`, readFileSync(echoWasm), { qos: 1 })
    const unsigned = await w.waitFor(`wasmlet/${id.a}/reported`, j => j.installs?.echo?.status === "refused", 15_000, ti)
    const ts = Date.now()
    await w.client.publishAsync(`wasmlet/${id.a}/install/echo`, readFileSync(join(dir, "echo.signed")), { qos: 1 })
    const signed = await w.waitFor(`wasmlet/${id.a}/reported`, j => j.installs?.echo?.status === "installed", 30_000, ts)
    const after = await w.waitFor(`wasmlet/${id.a}/state`, j => appStates(j).includes("echo:running"), 15_000, ts)
    step("remote-install", { unsigned: unsigned.json.installs.echo, signed: signed.json.installs.echo, ms: Date.now() - ts, apps: appStates(after.json) })

    // an app on board a publishing faster than the link carries (every 10 ms): the host's commands
    // still get through, and the bridge does not take the busy board for a silent one
    await wasmlet(["stop", "--sim", "--device", id.a, "event_subscriber"])
    const floodInstall = await wasmlet(["install", "--sim", "--device", id.a, "flood", floodWasm])
    const tf = Date.now()
    await w.waitFor(`wasmlet/${id.a}/events/flood/tick`, undefined, 10_000, tf)
    const underFlood: { code: number | null; ms: number }[] = []
    for (let i = 0; i < 3; i++) {
        const l = await wasmlet(["list", "--sim", "--device", id.a, "--json"])
        underFlood.push({ code: l.code, ms: l.ms })
    }
    const floodStop = await wasmlet(["stop", "--sim", "--device", id.a, "flood"])
    const floodEvents = w.on(`wasmlet/${id.a}/events/flood/tick`).filter(e => e.at >= tf).length
    const offline = w.on(`wasmlet/${id.a}/state`).filter(e => e.at >= tf && e.json.online === false).length
    await wasmlet(["uninstall", "--sim", "--device", id.a, "flood"])
    await wasmlet(["start", "--sim", "--device", id.a, "event_subscriber"])
    step("flood", { install: floodInstall.code, lists: underFlood, stop: floodStop.code, stopOutput: floodStop.output.split("\n").filter(l => l).slice(-2), events: floodEvents, seconds: (Date.now() - tf) / 1000, offline })

    // the broker restarts: the bridge reconnects, publishes both states again, events flow again
    const tbk = Date.now()
    await broker.stop()
    await new Promise(r => setTimeout(r, 1500))
    await broker.start()
    const again: Record<string, any> = {}
    for (const [name, dev] of Object.entries(id)) {
        const st = await w.waitFor(`wasmlet/${dev}/state`, j => j.online === true, 30_000, tbk + 1500)
        const ev = await w.waitFor(`wasmlet/${dev}/events/alert/overheat`, undefined, 20_000, tbk + 1500)
        again[name] = { retain: st.packet.retain, event: ev.json }
    }
    step("broker-restart", { ms: Date.now() - tbk, boards: again })

    // board b goes away (its simulator stopped) and comes back with its flash
    const tdown = Date.now()
    process.kill(boardB.pid, "SIGINT")
    await boardB.exited
    await stopGroup(boardB.pid)
    const down = await w.waitFor(`wasmlet/${id.b}/state`, j => j.online === false, 30_000, tdown)
    step("b-down", { ms: Date.now() - tdown, json: down.json, retain: down.packet.retain })
    const tup = Date.now()
    boardB = await sim("b", false)
    pids.push(boardB.pid)
    const up = await w.waitFor(`wasmlet/${id.b}/state`, j => j.online === true && appStates(j).includes("echo:running"), 30_000, tup)
    const evB = await w.waitFor(`wasmlet/${id.b}/events/alert/overheat`, undefined, 20_000, tup)
    const repB = await w.waitFor(`wasmlet/${id.b}/reported`, j => Date.parse(j.apps?.echo?.time) >= tup, 20_000, tup)
    const aDuring = w.on(`wasmlet/${id.a}/events/alert/overheat`).filter(s => s.at >= tdown).length
    step("b-back", { ms: Date.now() - tup, apps: appStates(up.json), device: boardB.match[1], event: evB.json, reported: repB.json.apps.echo, aEventsMeanwhile: aDuring, bridgeLines: bridge.lines.filter(l => /restarted|does not answer/.test(l)).slice(0, 4) })

    // Ctrl-C: both boards offline, exit 0
    const tc = Date.now()
    process.kill(bridge.pid, "SIGINT")
    const code = await bridge.exited
    const off: Record<string, any> = {}
    for (const [name, dev] of Object.entries(id)) off[name] = (await w.waitFor(`wasmlet/${dev}/state`, j => j.online === false, 5000, tc)).json
    step("stopped", { code, off })

    // no broker named: the bridge embeds one on 1883 (aedes, MQTT 3.1.1), for a demo with nothing installed
    const demo = await wasmletUntil(["bridge", "--sim"], /bridging .* as wasmlet\//, 60_000, { cwd: dir })
    pids.push(demo.pid)
    await untilLine(demo, /bridging .* as wasmlet\/.*/, 30_000, demo.lines.findIndex(l => /bridging/.test(l)) + 1)
    const local = await Watcher.connect("mqtt://127.0.0.1:1883", ["wasmlet/+/state"], { protocolVersion: 4 })
    try {
        const seen: Record<string, any> = {}
        for (const [name, dev] of Object.entries(id)) seen[name] = (await local.waitFor(`wasmlet/${dev}/state`, j => j.online === true, 10_000)).json.apps.length
        step("embedded", { apps: seen, lines: demo.lines.filter(l => /embedded|bridging/.test(l)) })
    } finally {
        await local.close()
    }
}

runMain(main, async () => {
    await watcher?.close().catch(() => {})
    await stopAll(pids)
    await broker?.dispose()
})
