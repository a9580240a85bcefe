// The program bench/manager.ts runs in a private network namespace: a simulated board (the real
// firmware, no baked apps) and host/link, timing what users wait for: installing apps of a few
// sizes, a request's round trip host -> app -> host, and the time from starting the board to its
// manager answering. Prints one line "result {json}".
//
// The board's per-app arena quota is raised to 16 KB here (one app at a time, the heap has room):
// on the stock profile a 5 KB .wasm's image (8.6 KB) and its memory do not fit 12 KB.
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { DEVS_CLI, ROOT, makeBuildDir, startGroup, stopGroup } from "../../scripts/lib/devs"
import { compileAppImage } from "../../host/run/app-images"
import { connect } from "../../host/link/connect"
import { lzssCompress } from "../../host/link/compress"

const build = makeBuildDir()
const ENTRY = "manager-bench-entry.ts"
writeFileSync(
    join(build.dir, ENTRY),
    [
        'import { profile } from "./boards/simulator"',
        'import { bootFirmware, idleForever } from "./firmware/src/firmware"',
        'import { LIBC_IMAGE } from "./firmware/src/libc-image"',
        "const p = { ...profile, arenaBytes: 20 * 1024, limits: { ...profile.limits, appArenaBytes: 16 * 1024 } }",
        "await bootFirmware(p, [], LIBC_IMAGE, null)",
        "await idleForever()",
        "",
    ].join("\n"),
)
const pids: number[] = []

function start(args: string[], match: RegExp, ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no line matching ${match} within ${ms} ms`)), ms)
        const p = startGroup(process.execPath, [DEVS_CLI, ...args], {
            cwd: build.dir,
            onLine: l => {
                if (match.test(l)) {
                    clearTimeout(t)
                    resolve()
                }
            },
        })
        pids.push(p.pid!)
    })
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
    await start(["devtools"], /websocket.*8081/, 30_000)
    const t0 = Date.now()
    await start(["run", ENTRY], /wasmlet: idle/, 120_000)
    const link = await connect({ sim: true, timeoutMs: 30_000 })
    const c = link.client
    await c.list()
    const bootToCommandsMs = Date.now() - t0
    const installs = []
    for (const name of ["timer", "event_subscriber", "request_handler"]) {
        const wasm = readFileSync(join(ROOT, "apps/samples", name, name + ".wasm"))
        const image = compileAppImage(wasm).image
        const times: number[] = []
        let last: any
        for (let k = 0; k < 3; k++) {
            last = await c.install(name, image)
            times.push(last.ms)
            await c.uninstall(name)
        }
        installs.push({ name, wasmBytes: wasm.length, imageBytes: image.length, storedBytes: last.storedBytes, chunks: last.chunks, ms: median(times), runs: times, phases: last.phases })
    }
    // round trip: request_handler's /url1 answers with an attribute container
    const wasm = readFileSync(join(ROOT, "apps/samples/request_handler/request_handler.wasm"))
    await c.install("request_handler", compileAppImage(wasm).image)
    const rtt: number[] = []
    for (let k = 0; k < 20; k++) {
        const t = Date.now()
        await c.request("GET", "/url1")
        rtt.push(Date.now() - t)
    }
    const lt: number[] = []
    for (let k = 0; k < 5; k++) {
        const t = Date.now()
        await c.list()
        lt.push(Date.now() - t)
    }
    await c.uninstall("request_handler")
    await link.close()
    console.log("partial " + JSON.stringify({ bootToCommandsMs, installs, requestRoundTripMs: median(rtt), listMs: median(lt) }))
    // what a 20 KB .wasm would need: its stored form against the store
    const big = readFileSync(join(ROOT, "apps/samples/wasi_hello/hello.wasi.wasm"))
    let bigStored = 0
    try {
        bigStored = lzssCompress(compileAppImage(big).image).length
    } catch {}
    console.log("result " + JSON.stringify({ bootToCommandsMs, installs, requestRoundTripMs: median(rtt), listMs: median(lt), wasiHello: { wasmBytes: big.length, storedBytes: bigStored } }))
}

main()
    .catch(e => console.log("failed " + (e && e.stack ? e.stack : e)))
    .then(async () => {
        for (const p of pids.reverse()) await stopGroup(p)
        build.dispose()
        process.exit(0)
    })
