// The network side's benchmarks in `npm run bench` (`-- --network-only` for these alone): the HTTP
// gateway (bench/gateway.ts: request -> app -> response latency and requests/s, on a Node board and
// in the simulator) and the MQTT bridge, twice: with simulated boards (bench/bridge-sim.ts: 1 and
// 4 DeviceScript simulator boards, one `wasmlet bridge --sim` process, events/s at the broker, the
// bridge's CPU and memory, idle and publishing) and with NodeBoards in the benchmark's own process
// (bench/bridge.ts: no link and no simulator, so the bridge's own cost). Each runs as its own
// process; its Markdown tables and notes are kept as printed, and the bridge's JSON documents too.
import { join } from "node:path"
import { ROOT, run } from "../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

export interface NetworkResult {
    gateway: string[]
    /** bench/bridge.ts (NodeBoards): its table and notes, and its JSON document. */
    bridge: string[]
    bridgeJson?: unknown
    /** bench/bridge-sim.ts (simulated boards); absent with --no-sim. */
    bridgeSim?: string[]
    bridgeSimJson?: unknown
    failures: string[]
}

/**
 * The lines of a report worth keeping: tables and the notes after them (one blank line between a
 * table and what follows, as Markdown needs to end the table; no runs of blank lines).
 */
function report(output: string): string[] {
    const lines = output.split("\n")
    const first = lines.findIndex(l => l.startsWith("|"))
    const out: string[] = []
    for (const l of first < 0 ? [] : lines.slice(first)) {
        if (/^(tcp|bus|web):/.test(l)) continue
        const prev = out[out.length - 1]
        if (!l.trim()) {
            if (prev !== "") out.push("")
            continue
        }
        if (prev?.startsWith("|") && !l.startsWith("|")) out.push("")
        out.push(l)
    }
    while (out[out.length - 1] === "") out.pop()
    return out
}

/** Runs a benchmark that prints a JSON document on stdout and its report on stderr. */
async function jsonAndReport(args: string[]): Promise<{ code: number | null; lines: string[]; json?: unknown; output: string }> {
    const out: string[] = []
    const err: string[] = []
    const r = await run(process.execPath, args, { cwd: ROOT, timeoutMs: 900_000, onLine: (l, s) => (s === "stdout" ? out : err).push(l) })
    let json: unknown
    try {
        json = JSON.parse(out.join("\n"))
    } catch {}
    return { code: r.code, lines: report(err.join("\n")), json, output: r.output }
}

export async function benchNetwork(sim: boolean, log: (s: string) => void): Promise<NetworkResult> {
    const res: NetworkResult = { gateway: [], bridge: [], failures: [] }
    log("[bench] HTTP gateway (bench/gateway.ts)")
    const g = await run(process.execPath, [TSX, join(ROOT, "bench/gateway.ts"), ...(sim ? [] : ["--node-only"])], { timeoutMs: 600_000 })
    res.gateway = report(g.output)
    if (g.code !== 0 || !res.gateway.length) res.failures.push(`gateway: exit ${g.code}`)
    if (sim) {
        log("[bench] MQTT bridge with simulated boards (bench/bridge-sim.ts)")
        const s = await jsonAndReport([TSX, join(ROOT, "bench/bridge-sim.ts")])
        res.bridgeSim = s.lines
        res.bridgeSimJson = s.json
        if (s.code !== 0 || !s.lines.length) res.failures.push(`bridge-sim: exit ${s.code}${s.lines.length ? "" : `: ${s.output.split("\n").slice(-5).join(" / ")}`}`)
    }
    log("[bench] MQTT bridge with NodeBoards (bench/bridge.ts)")
    const b = await jsonAndReport(["--expose-gc", "--import", "tsx", join(ROOT, "bench/bridge.ts")])
    res.bridge = b.lines
    res.bridgeJson = b.json
    if (b.code !== 0 || !b.lines.length) res.failures.push(`bridge: exit ${b.code}${b.lines.length ? "" : `: ${b.output.split("\n").slice(-5).join(" / ")}`}`)
    return res
}

export function renderNetworkTables(n: NetworkResult): string[] {
    const out = ["#### HTTP gateway (`wasmlet serve`)", "", ...n.gateway, "", "#### MQTT bridge (`wasmlet bridge`)", ""]
    if (n.bridgeSim) out.push("With simulated boards (`bench/bridge-sim.ts`: the real path, board → link → bridge process → broker):", "", ...n.bridgeSim, "")
    out.push("With boards on Node (`bench/bridge.ts`: the bridge's own cost, no link):", "", ...n.bridge)
    if (n.failures.length) out.push("", `Failed: ${n.failures.join("; ")}`)
    return out
}
