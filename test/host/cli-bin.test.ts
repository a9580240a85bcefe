// host/bin/wasmlet.mjs as a user runs it: the bundle scripts/build-cli.ts writes is used while it is up
// to date and the sources are used (through tsx) once a source is newer; `--help` lists the board
// commands and the exit codes; `devices` (its rows and text). The --help timing is a benchmark (farm-bench), not asserted here.
import { describe, expect, it } from "vitest"
import { execFile } from "node:child_process"
import { statSync, utimesSync } from "node:fs"
import { join } from "node:path"
import { buildCli } from "../../scripts/build-cli"
import { devicesOf, formatDevices } from "../../host/cli/devices"

const ROOT = join(import.meta.dirname, "../..")
const CLI = join(ROOT, "host/bin/wasmlet.mjs")

function wasmlet(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise(resolve => {
        execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: 60_000, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
            resolve({ code: err ? ((err as any).code as number) : 0, stdout, stderr })
        })
    })
}

describe("wasmlet.mjs", () => {
    it("uses the bundle while it is up to date, the sources once one is newer", async () => {
        const m = await buildCli()
        expect(m.commands.map(c => c.name)).toEqual(expect.arrayContaining(["install", "list", "host-tool", "devices"]))
        expect(m.inputs).toContain("host/cli/_common.ts")
        expect(m.inputs).toContain("interpreter/platform/node-core.ts") // the alias went in
        expect((await wasmlet(["selftest"])).stdout).toMatch(`bundle ${m.dir}`)
        expect((await wasmlet(["selftest"], { WASMLET_FROM_SOURCE: "1" })).stdout).toMatch("from source")
        // a source edited after the build: the bundle is stale
        const f = join(ROOT, "host/cli/devices.ts")
        const st = statSync(f)
        utimesSync(f, st.atime, new Date(m.builtAt + 5000))
        try {
            expect((await wasmlet(["selftest"])).stdout).toMatch("from source")
        } finally {
            utimesSync(f, st.atime, st.mtime)
        }
        expect((await wasmlet(["selftest"])).stdout).toMatch(`bundle ${m.dir}`)
    }, 60_000)

    it("--help lists the board commands and the exit codes, from the bundle and from source alike", async () => {
        await buildCli()
        const a = await wasmlet(["--help"])
        const b = await wasmlet(["--help"], { WASMLET_FROM_SOURCE: "1" })
        expect(a.code).toBe(0)
        expect(a.stdout).toBe(b.stdout)
        for (const c of ["install", "uninstall", "list", "start", "stop", "request", "subscribe", "logs", "devices", "host-tool", "run"])
            expect(a.stdout).toMatch(new RegExp(`^  ${c} +\\S`, "m"))
        expect(a.stdout).toMatch(/^exit codes/m)
        expect(a.stdout).toMatch(/^  3 +no board/m)
        expect(a.stdout).toMatch(/^  4 +timeout/m)
    }, 60_000)

    it("an unknown command is a usage error (2)", async () => {
        const r = await wasmlet(["instal"])
        expect(r.code).toBe(2)
        expect(r.stderr).toMatch(/unknown command "instal"/)
    })
})

describe("devices", () => {
    it("rows and text: boards, other ports with --all, the simulator, with the option that picks each", () => {
        const listing = {
            boards: [{ path: "/dev/ttyACM0", manufacturer: "Espressif", vendorId: "303A", productId: "1001", serialNumber: "F4:12" }],
            otherPorts: [{ path: "/dev/ttyS0" }],
            sim: { host: "127.0.0.1", port: 8082, running: false },
        }
        expect(devicesOf(listing, false).map(d => d.kind)).toEqual(["serial", "simulator"])
        const all = devicesOf(listing, true)
        expect(all[0]).toEqual({ kind: "serial", path: "/dev/ttyACM0", manufacturer: "Espressif", vendorId: "303a", productId: "1001", serialNumber: "F4:12", board: true })
        expect(formatDevices(all)).toEqual([
            "serial     /dev/ttyACM0  Espressif 303a:1001 #F4:12  (--port /dev/ttyACM0)",
            "serial     /dev/ttyS0  serial port (does not look like a board)  (--port /dev/ttyS0)",
            "simulator  127.0.0.1:8082  not running (start it: wasmlet sim)",
        ])
    })

    it("wasmlet devices --json: what this machine has (no simulator running here)", async () => {
        const r = await wasmlet(["devices", "--json"])
        expect(r.code).toBe(0)
        const devs = JSON.parse(r.stdout)
        expect(devs.at(-1)).toMatchObject({ kind: "simulator", port: 8082 })
    })
})
