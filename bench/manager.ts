// The app manager's benchmarks (`npm run bench`; `-- --manager-only` for these alone): what an
// install costs in time and in persistent storage, a request's round trip host -> app -> host, and
// how long a simulated board takes to answer. The timings come from bench/manager/sim-bench.ts,
// run inside the simulator in a private network namespace; the storage figures are worked out
// on the host from the stored form and DeviceScript's store layout (manager/README.md).
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT, privateNetworkPrefix, run } from "../scripts/lib/devs"
import { compileAppImage } from "../host/run/app-images"
import { lzssCompress } from "../host/link/compress"
import { CHUNK_BYTES } from "../manager/protocol"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

export interface InstallTiming {
    name: string
    wasmBytes: number
    imageBytes: number
    storedBytes: number
    chunks: number
    ms: number
    runs: number[]
}

export interface StoreFootprint {
    name: string
    wasmBytes: number
    imageBytes: number
    storedBytes: number
    /** What the app takes of the store: its chunks and manifest, with the store's 24 B entry per key and 8 B rounding. */
    persistentBytes: number
    perWasmByte: number
}

export interface ManagerResult {
    sim?: {
        bootToCommandsMs: number
        installs: InstallTiming[]
        requestRoundTripMs: number
        listMs: number
        wasiHello: { wasmBytes: number; storedBytes: number }
    }
    simError?: string
    store: StoreFootprint[]
    /** The simulator's store: header area less its own header, and what 30 chunks and 4 manifests may take. */
    storeBytes: number
}

const SAMPLES = ["timer", "event_publisher", "event_subscriber", "request_handler", "request_sender", "sensor_filter"]
const ENTRY_BYTES = 24
const round8 = (n: number) => (n + 7) & ~7

/** Bytes one app takes of DeviceScript's store (fstor): every chunk and the manifest, entries included. */
export function storeFootprint(name: string, wasm: Uint8Array): StoreFootprint {
    const image = compileAppImage(wasm).image
    const stored = lzssCompress(image)
    const chunks = Math.ceil(stored.length / CHUNK_BYTES)
    let bytes = 0
    for (let i = 0; i < chunks; i++) bytes += ENTRY_BYTES + round8(Math.min(CHUNK_BYTES, stored.length - i * CHUNK_BYTES))
    const manifest = JSON.stringify({ n: name, f: 0, s: stored.length, i: image.length, k: 0xffffffff, g: 99, p: Array.from({ length: chunks }, (_, i) => i + 10) })
    bytes += ENTRY_BYTES + round8(manifest.length)
    return { name, wasmBytes: wasm.length, imageBytes: image.length, storedBytes: stored.length, persistentBytes: bytes, perWasmByte: bytes / wasm.length }
}

export async function benchManager(sim: boolean, log: (s: string) => void): Promise<ManagerResult> {
    const store = SAMPLES.map(n => storeFootprint(n, readFileSync(join(ROOT, "apps/samples", n, n + ".wasm"))))
    const res: ManagerResult = { store, storeBytes: 8192 - 24 - 2 * ENTRY_BYTES }
    if (!sim) return res
    log("[bench] app manager in the simulator (install, round trip, start)")
    const cmd = [...privateNetworkPrefix(), process.execPath, TSX, join(ROOT, "bench/manager/sim-bench.ts")]
    const r = await run(cmd[0], cmd.slice(1), { timeoutMs: 600_000 })
    const line = r.output.split("\n").find(l => l.startsWith("result "))
    if (line) res.sim = JSON.parse(line.slice(7))
    else res.simError = r.output.split("\n").find(l => l.startsWith("failed ")) ?? `exit ${r.code}`
    return res
}

export function renderManagerTables(m: ManagerResult): string[] {
    const out: string[] = []
    const f2 = (x: number) => x.toFixed(2)
    if (m.sim) {
        const s = m.sim
        out.push("| install in the simulator | .wasm B | image B | stored B | chunks | ms (median of 3) |", "| --- | ---: | ---: | ---: | ---: | ---: |")
        for (const i of s.installs) out.push(`| ${i.name} | ${i.wasmBytes} | ${i.imageBytes} | ${i.storedBytes} | ${i.chunks} | ${i.ms} |`)
        out.push(
            "",
            `Request round trip host → app → host (request_handler /url1): **${s.requestRoundTripMs} ms** median of 20; \`list\`: ${s.listMs} ms; a started simulator answers the manager ${s.bootToCommandsMs} ms after \`devs run\` starts. A 20 KB .wasm (wasi_hello, ${s.wasiHello.wasmBytes} B) has a ${s.wasiHello.storedBytes} B stored form: more than the simulator's store holds (6,720 B), so it is baked into the firmware instead (\`wasmlet build --app\`).`,
        )
    } else if (m.simError) out.push(`App manager in the simulator: failed (${m.simError})`)
    out.push("", "| persistent storage | .wasm B | stored B | store B (entries included) | × .wasm |", "| --- | ---: | ---: | ---: | ---: |")
    for (const a of m.store) out.push(`| ${a.name} | ${a.wasmBytes} | ${a.storedBytes} | ${a.persistentBytes} | ${f2(a.perWasmByte)} |`)
    const trio = m.store.filter(a => ["timer", "event_publisher", "event_subscriber"].includes(a.name))
    const trioBytes = trio.reduce((s, a) => s + a.persistentBytes, 0)
    out.push("", `Timer, publisher and subscriber together: ${trioBytes} B of the simulator's ${m.storeBytes} B store (${trio.reduce((s, a) => s + a.wasmBytes, 0)} B of .wasm).`)
    return out
}
