// `npm start -- --serve HOST:PORT --bridge-broker PORT`: once the simulated board accepts commands,
// run the HTTP gateway (`wasmlet serve`) and the MQTT bridge (`wasmlet bridge`, with an MQTT broker
// embedded in its process, so no server has to be installed; `--mqtt URL` a real broker instead) next to it, as their own process
// groups, their lines prefixed "gateway>" and "bridge>". They serve every board on the simulator's
// link, so a board started later (`wasmlet sim --name b`) shows up on the dashboard and the broker
// too. They are stopped with the board; one that exits by itself is reported and leaves the board
// running.
import { ChildProcess } from "node:child_process"
import { join } from "node:path"
import { ROOT, startGroup } from "../scripts/lib/devs"

const WASMLET = join(ROOT, "host/bin/wasmlet.mjs")

export interface Companions {
    /** `wasmlet serve --listen` address. */
    serve?: string
    /** Port of the bridge's embedded broker. */
    bridgeBroker?: number
    /** A real broker for the bridge instead (mqtt://HOST:PORT). */
    bridgeMqtt?: string
    /** Event urls the bridge forwards. */
    bridgeEvents?: string
}

/** Starts the companions (once the board is ready: they find it on the link); returns their processes. */
export function startCompanions(c: Companions, log: (s: string) => void): ChildProcess[] {
    const started: ChildProcess[] = []
    const run = (name: string, args: string[]) => {
        const p = startGroup(process.execPath, [WASMLET, ...args], { onLine: l => l.trim() && log(`${name}> ${l}`) })
        log(`[start] ${name}: process group ${p.pid} (wasmlet ${args.join(" ")})`)
        p.on("exit", code => code !== null && log(`[start] ${name} exited (${code})`))
        started.push(p)
    }
    if (c.serve) run("gateway", ["serve", "--sim", "--listen", c.serve])
    const broker = c.bridgeMqtt ? ["--mqtt", c.bridgeMqtt] : c.bridgeBroker ? ["--embedded-broker", String(c.bridgeBroker)] : undefined
    if (broker) run("bridge", ["bridge", "--sim", ...broker, "--events", c.bridgeEvents ?? "alert/overheat"])
    return started
}
