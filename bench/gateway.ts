// The HTTP gateway's benchmark (not a test): HTTP request -> app -> response through `wasmlet serve`'s
// Gateway, median latency and requests/s, against a NodeBoard (test/link/node-board.ts: the real
// AppManager and Runtime on Node behind a ManagerClient) next to the same request sent with the
// ManagerClient directly (what the gateway adds), and, unless --node-only, against the
// DeviceScript simulator (test/gateway/sim-run.ts in a private network namespace). Prints a table.
//
//   npx tsx bench/gateway.ts [--node-only] [--n 300] [--seconds 3]
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { ROOT, privateNetworkPrefix, run } from "../scripts/lib/devs"
import { ECHO, serve, wasm } from "../test/gateway/fixture"
import { jsonToAttr } from "../host/run/attr-json"

const { values } = parseArgs({ options: { "node-only": { type: "boolean" }, n: { type: "string" }, seconds: { type: "string" } } })
const N = Number(values.n ?? 300)
const SECONDS = Number(values.seconds ?? 3)
const BODY = JSON.stringify({ n: 1, x: 2.5, on: true, s: "bench" })

const median = (xs: number[]) => {
    const s = xs.slice().sort((a, b) => a - b)
    return s.length ? s[Math.floor(s.length / 2)] : NaN
}

interface Row {
    target: string
    path: string
    medianMs: number
    p90Ms: number
    rps1: number
    rps4: number
}

async function timed(n: number, fn: () => Promise<void>): Promise<number[]> {
    const out: number[] = []
    for (let i = 0; i < n; i++) {
        const t = performance.now()
        await fn()
        out.push(performance.now() - t)
    }
    return out
}

/** Requests answered per second with `c` clients sending back to back for SECONDS. */
async function throughput(c: number, fn: () => Promise<void>): Promise<number> {
    const end = performance.now() + SECONDS * 1000
    let done = 0
    await Promise.all(
        Array.from({ length: c }, async () => {
            while (performance.now() < end) {
                await fn()
                done++
            }
        })
    )
    return done / SECONDS
}

async function nodeBoard(): Promise<Row[]> {
    const s = await serve({ apps: { echo: ECHO } })
    try {
        const viaHttp = async () => {
            const r = await fetch(`${s.url}/devices/BRD0/app/echo/conf`, { method: "PUT", headers: { "content-type": "application/json" }, body: BODY })
            if (r.status !== 200) throw new Error(`status ${r.status}`)
            await r.json()
        }
        const payload = jsonToAttr(BODY)
        const client = s.boards[0].client
        const direct = async () => {
            const r = await client.request("PUT", "/app/echo/conf", { payload })
            if (r.status !== 69) throw new Error(`status ${r.status}`)
        }
        const rows: Row[] = []
        for (const [path, fn] of [["ManagerClient.request (no HTTP)", direct], ["HTTP PUT through the gateway", viaHttp]] as const) {
            await timed(20, fn) // warm up
            const t = await timed(N, fn)
            const sorted = t.slice().sort((a, b) => a - b)
            rows.push({ target: "NodeBoard", path, medianMs: median(t), p90Ms: sorted[Math.floor(sorted.length * 0.9)], rps1: await throughput(1, fn), rps4: await throughput(4, fn) })
        }
        return rows
    } finally {
        await s.close()
    }
}

async function simulator(): Promise<Row[]> {
    const dir = mkdtempSync(join(tmpdir(), "wasmlet-gw-bench-"))
    const echo = join(dir, "echo.wasm")
    writeFileSync(echo, await wasm(ECHO))
    const [cmd, ...args] = [...privateNetworkPrefix(), process.execPath, join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "test/gateway/sim-run.ts"), dir, echo]
    const r = await run(cmd, args, { cwd: dir, timeoutMs: 300_000, env: { GW_BENCH_REQUESTS: "40", GW_BENCH_SECONDS: String(SECONDS) } })
    const steps: Record<string, any> = {}
    for (const l of r.output.split("\n")) {
        const m = /^step (\S+) (.*)$/.exec(l)
        if (m) steps[m[1]] = JSON.parse(m[2])
    }
    if (r.code !== 0 || !steps.request) throw new Error(`simulator run failed:\n${r.output}`)
    const t: number[] = steps.request.times.slice(1) // the first one lists the apps too
    const sorted = t.slice().sort((a, b) => a - b)
    return [{ target: "simulator", path: "HTTP PUT through the gateway", medianMs: median(t), p90Ms: sorted[Math.floor(sorted.length * 0.9)], rps1: steps.throughput?.rps1 ?? NaN, rps4: steps.throughput?.rps4 ?? NaN }]
}

const rows = await nodeBoard()
if (!values["node-only"]) rows.push(...(await simulator()))
const head = ["target", "path", "median ms", "p90 ms", "req/s (1 client)", "req/s (4 clients)"]
const cells = rows.map(r => [r.target, r.path, r.medianMs.toFixed(2), r.p90Ms.toFixed(2), r.rps1.toFixed(0), r.rps4.toFixed(0)])
const w = head.map((h, i) => Math.max(h.length, ...cells.map(c => c[i].length)))
const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(w[i])).join(" | ") + " |"
console.log(line(head))
console.log("| " + w.map(n => "-".repeat(n)).join(" | ") + " |")
for (const c of cells) console.log(line(c))
console.log(`(${N} sequential requests for the medians, ${SECONDS} s per throughput run; body ${BODY})`)
process.exit(0)
