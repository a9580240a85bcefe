// The network side's benchmarks in `npm run bench` (`-- --network-only` for these alone): the HTTP
// gateway (bench/gateway.ts: request -> app -> response latency and requests/s, on a Node board and
// in the simulator) and the MQTT bridge (bench/bridge.ts: events/s to a real mosquitto, the
// bridge's CPU and memory with 1 and 4 boards). Each runs as its own process; its Markdown tables
// and notes are kept as printed.
import { join } from "node:path"
import { ROOT, run } from "../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

export interface NetworkResult {
    gateway: string[]
    bridge: string[]
    failures: string[]
}

/** The lines of a report worth keeping: tables and the notes right after them. */
function report(output: string): string[] {
    const lines = output.split("\n")
    const first = lines.findIndex(l => l.startsWith("|"))
    return first < 0 ? [] : lines.slice(first).filter(l => l.trim() && !/^(tcp|bus|web):/.test(l))
}

export async function benchNetwork(sim: boolean, log: (s: string) => void): Promise<NetworkResult> {
    const res: NetworkResult = { gateway: [], bridge: [], failures: [] }
    log("[bench] HTTP gateway (bench/gateway.ts)")
    const g = await run(process.execPath, [TSX, join(ROOT, "bench/gateway.ts"), ...(sim ? [] : ["--node-only"])], { timeoutMs: 600_000 })
    res.gateway = report(g.output)
    if (g.code !== 0 || !res.gateway.length) res.failures.push(`gateway: exit ${g.code}`)
    log("[bench] MQTT bridge (bench/bridge.ts)")
    const b = await run(process.execPath, ["--expose-gc", "--import", "tsx", join(ROOT, "bench/bridge.ts")], { cwd: ROOT, timeoutMs: 600_000 })
    res.bridge = report(b.output)
    if (b.code !== 0 || !res.bridge.length) res.failures.push(`bridge: exit ${b.code}`)
    return res
}

export function renderNetworkTables(n: NetworkResult): string[] {
    const out = ["#### HTTP gateway (`wasmlet serve`)", "", ...n.gateway, "", "#### MQTT bridge (`wasmlet bridge`)", "", ...n.bridge]
    if (n.failures.length) out.push("", `Failed: ${n.failures.join("; ")}`)
    return out
}
