// `npm start` for real: the simulated board starts the sample apps baked into the firmware (event
// publisher and subscriber), npm start installs the timer sample over the link, and their console
// shows within 30 s; Ctrl-C leaves no process behind.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { generate } from "../../scripts/gen-firmware-images"
import { ROOT, groupAlive, privateNetworkPrefix, run, startGroup, stopGroup, sleep } from "../../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

/** What package.json's "start" passes to sim/start.ts (npm start's --install of the timer sample). */
const NPM_START_ARGS: string[] = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).scripts.start.split(" ").slice(2)

/** `tsx sim/start.ts ...`, in a private network namespace where possible (see privateNetworkPrefix). */
function startCommand(args: string[]): [string, string[]] {
    const [cmd, ...rest] = [...privateNetworkPrefix(), process.execPath, TSX, "sim/start.ts", ...args]
    return [cmd, rest]
}

function groups(output: string): number[] {
    return [...output.matchAll(/process group (\d+)/g)].map(m => +m[1])
}

describe("firmware images", () => {
    test("the generated support-images.ts and sample-apps.ts are up to date", () => {
        for (const f of generate().files) expect(f.upToDate, `run \`npm run build\` and commit ${f.path}`).toBe(true)
    })
})

describe("npm start", () => {
    test("prints the board profile and the sample apps' console within 30 s, then stops cleanly", async () => {
        // from the simulated device's start (the firmware build before it depends on the machine's load)
        let t0 = 0
        let firstAppLineMs = 0
        // the timer is installed once the board accepts commands, and ticks every second
        // (and the gateway and the bridge, with its embedded broker, next to the board)
        expect(NPM_START_ARGS).toEqual(["--install", "timer=apps/samples/timer/timer.wasm", "--serve", "127.0.0.1:8080", "--bridge-broker", "1883"])
        const r = await run(...startCommand([...NPM_START_ARGS, "--exit-after", "\\[timer\\] Timer update 2", "--timeout", "60000"]), {
            timeoutMs: 120_000,
            onLine: l => {
                if (!t0 && /\[start\] device: process group/.test(l)) t0 = Date.now()
                if (!firstAppLineMs && /device> \[timer\] Timer update 0/.test(l)) firstAppLineMs = Date.now() - t0
            },
        })
        expect(r.output).toMatch(/devtools> .*websocket\s*: ws:\/\/127\.0\.0\.1:8081/)
        expect(r.output).toMatch(/device> connected to ws:\/\/127\.0\.0\.1:8081/)
        expect(r.output).toMatch(/device> wasmlet: board simulator \(DeviceScript simulator\), arch wasm/)
        expect(r.output).toMatch(/device> wasmlet: arena \d+ B of 65536 B heap/)
        for (const app of ["timer", "event_publisher", "event_subscriber"]) expect(r.output).toContain(`device> wasmlet: started ${app}`)
        expect(r.output).toMatch(/\[start\] installed timer: \d+ B stored in \d+ chunks/)
        expect(r.output).toMatch(/gateway> listening on http:\/\/127\.0\.0\.1:8080\//)
        expect(r.output).toMatch(/bridge> bridging .* on mqtt:\/\/127\.0\.0\.1:1883/)
        expect(r.output).toContain("device> [event_subscriber] ### user over heat event handler called")
        expect(r.output).not.toMatch(/trapped|watchdog|PANIC/)
        expect(firstAppLineMs).toBeGreaterThan(0)
        expect(firstAppLineMs).toBeLessThan(30_000)
        expect(r.code, r.output).toBe(0)
        const pids = groups(r.output)
        expect(pids.length).toBe(4) // devtools, the device, the gateway, the bridge
        for (const p of pids) expect(groupAlive(p)).toBe(false)
    }, 150_000)

    test("Ctrl-C (SIGINT) stops the link server and the device, leaving no process", async () => {
        const lines: string[] = []
        let idle = false
        const child = startGroup(...startCommand(["--no-build"]), {
            onLine: l => {
                lines.push(l)
                if (l.includes("wasmlet: idle")) idle = true
            },
        })
        try {
            const t0 = Date.now()
            while (!idle && Date.now() - t0 < 60_000 && child.exitCode === null) await sleep(100)
            expect(idle, lines.join("\n")).toBe(true)
            const pids = groups(lines.join("\n"))
            expect(pids.length).toBe(2)
            for (const p of pids) expect(groupAlive(p)).toBe(true)
            const exited = new Promise<number | null>(r => child.on("exit", code => r(code)))
            process.kill(child.pid!, "SIGINT")
            const code = await exited
            expect(code).toBe(130)
            expect(lines.join("\n")).toMatch(/\[start\] stopped$/m)
            for (const p of pids) expect(groupAlive(p), `process group ${p}`).toBe(false)
            // Nothing of ours left that mentions devicescript (others' processes are not ours to judge).
            const ps = await run("ps", ["-eo", "pid=,pgid="], { timeoutMs: 10_000 })
            const leftovers = ps.output
                .split("\n")
                .map(l => l.trim().split(/\s+/).map(Number))
                .filter(([, pgid]) => pids.includes(pgid))
            expect(leftovers).toEqual([])
        } finally {
            await stopGroup(child.pid)
        }
    }, 120_000)
})
