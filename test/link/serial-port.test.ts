// `--port PATH` through the real serial stack, with no hardware: a board on a pseudo-terminal
// (pty-board.ts: JD-USB and hand-built Jacdac frames at the device end, the real AppManager +
// Runtime behind them) opened by the host with the serialport package under jacdac-ts's serial
// transport, as a USB board is. Through the bundled CLI (`node host/bin/wasmlet.mjs ... --port PTY`,
// one process per command: each opens the port, probes HF2, falls back to JD-USB, finds the
// manager) and through host/link's connect({ port }); a flipped byte on the line each way; the
// board pulled out (before a command and in the middle of one); `wasmlet serve --port PTY`.
// Every CLI call must end by itself: wasmlet() gives code -1 when its timeout had to kill it (a
// --port command used to stay alive on jacdac-ts's port-watch interval after it was done).
import { ChildProcess, execFile, spawn } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"
import { afterEach, describe, expect, it, vi } from "vitest"
import { connect } from "../../host/link/connect"
import { compileAppImage } from "../../host/run/app-images"
import { Cmd, Rep } from "../../manager/protocol"
import { responderWat, TICK, wasm } from "./node-board-apps"
import { PtyBoard, PtyBoardOptions } from "./pty-board"
import { buildFrame, crc16, parseFrame } from "./pty-frames"
import { encodeJdUsb, JdUsbDecoder } from "./pty-jdusb"
import { PtyRelay } from "./pty-relay"
import { jd } from "../../host/link/jacdac"
import { listDevices, resolveTarget } from "../../host/link/transport"

const ROOT = join(import.meta.dirname, "../..")
const CLI = join(ROOT, "host/bin/wasmlet.mjs")
const REQUEST_HANDLER = join(ROOT, "apps/samples/request_handler/request_handler.wasm")
/** request_handler's image (8.6 KB) runs from RAM once installed: a roomier arena than the simulator profile's 12 KB per app. */
const ROOMY = { arenaBytes: 64 * 1024, appArenaBytes: 32 * 1024 }

interface Ran {
    code: number
    stdout: string
    stderr: string
    ms: number
}

function wasmlet(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<Ran> {
    const t0 = Date.now()
    return new Promise(resolve => {
        execFile(process.execPath, [CLI, ...args], { cwd: ROOT, timeout: timeoutMs, env: { ...process.env, ...env } }, (err, stdout, stderr) => {
            resolve({ code: err ? (((err as any).code as number) ?? -1) : 0, stdout, stderr, ms: Date.now() - t0 })
        })
    })
}

const boards: PtyBoard[] = []
async function ptyBoard(o: PtyBoardOptions = {}): Promise<PtyBoard> {
    const b = await PtyBoard.start(o)
    boards.push(b)
    return b
}
afterEach(async () => {
    for (const b of boards.splice(0)) await b.close()
})

describe("the pty and the framing", () => {
    it("serialport opens the pty at 1,500,000 baud and every byte value passes unchanged both ways; frames and JD-USB as jacdac-ts reads them", async () => {
        const fromHost: number[] = []
        const relay = await PtyRelay.start(d => fromHost.push(...d))
        try {
            const { SerialPort } = createRequire(import.meta.url)("serialport")
            const port = await new Promise<any>((resolve, reject) => {
                const p = new SerialPort({ path: relay.path, baudRate: 1500000 }, (e: Error | null) => (e ? reject(e) : resolve(p)))
            })
            const toHost: number[] = []
            port.on("data", (d: Buffer) => toHost.push(...d))
            const all = Uint8Array.from({ length: 256 }, (_, i) => i)
            port.write(Buffer.from(all))
            // the relay forwards to the host only once it has heard from it (its port is open)
            for (let i = 0; i < 50 && fromHost.length < 256; i++) await new Promise(r => setTimeout(r, 20))
            relay.write(all)
            for (let i = 0; i < 50 && toHost.length < 256; i++) await new Promise(r => setTimeout(r, 20))
            expect(Buffer.from(fromHost)).toEqual(Buffer.from(all))
            expect(Buffer.from(toHost)).toEqual(Buffer.from(all))
            await new Promise(r => port.close(r))
            for (let i = 0; i < 50 && relay.closes < 1; i++) await new Promise(r => setTimeout(r, 20))
            expect([relay.opens, relay.closes]).toEqual([1, 1])
        } finally {
            await relay.close()
        }
        expect(existsSync(relay.path)).toBe(false)

        // a frame's CRC is jacdac-ts's; one with a 0xFE inside survives the stuffing; a flipped byte is refused
        const payload = Uint8Array.from([1, 0xfe, 3, 0xfe, 0xfe])
        const f = buildFrame(0, "0123456789abcdef", [{ serviceIndex: 1, command: Rep.RESULT, payload }])
        expect(crc16(f.subarray(2))).toBe(jd.crc(f.subarray(2)))
        const got: Uint8Array[] = []
        const dec = new JdUsbDecoder(fr => got.push(fr))
        dec.push(Uint8Array.from([0x48, 1, 0, 0, 0, 0x81, 0x42, 0, 0])) // the host's HF2 probe: noise here
        dec.push(encodeJdUsb(f))
        expect(got).toHaveLength(1)
        expect(parseFrame(got[0])).toMatchObject({ flags: 0, deviceId: "0123456789abcdef", packets: [{ serviceIndex: 1, command: Rep.RESULT, payload }] })
        got[0][17] ^= 0x10
        expect(parseFrame(got[0])).toBe("crc mismatch")
        expect(dec.outsideBytes).toBe(9)
    })
})

describe("wasmlet --port PTY (the bundled CLI)", () => {
    it("devices lists it; list, install, request, logs, uninstall go through it", async () => {
        const b = await ptyBoard({ board: ROOMY })
        const devs = await wasmlet(["devices", "--json"], { WASMLET_SERIAL_PORTS: b.path })
        expect(devs.code).toBe(0)
        expect(JSON.parse(devs.stdout)).toContainEqual(expect.objectContaining({ kind: "serial", path: b.path, board: true }))
        const bare = await wasmlet(["devices", "--json", "--all"])
        expect(JSON.parse(bare.stdout).map((d: any) => d.path)).not.toContain(b.path) // no system listing names a pty

        const list = await wasmlet(["list", "--json", "--board", "--port", b.path])
        expect(list.code, list.stderr).toBe(0)
        expect(JSON.parse(list.stdout)).toMatchObject({ board: { board: "simulator", maxApps: 3, storeChunks: 30 }, apps: [] })

        const inst = await wasmlet(["install", "rh", REQUEST_HANDLER, "--port", b.path])
        expect(inst.code, inst.stderr).toBe(0)
        expect(inst.stdout).toMatch(/rh/)
        expect(b.board.rt.apps.map(a => a.name)).toEqual(["rh"])

        const req = await wasmlet(["request", "GET", "/url1", "--json", "--port", b.path])
        expect(req.code, req.stderr).toBe(0)
        expect(JSON.parse(req.stdout)).toMatchObject({ code: "2.05", payload: { key1: "value1", key2: "value2" } })

        const logs = await wasmlet(["logs", "rh", "--port", b.path])
        expect(logs.code, logs.stderr).toBe(0)
        expect(logs.stdout).toMatch("### user resource 1 handler called")

        const un = await wasmlet(["uninstall", "rh", "--port", b.path])
        expect(un.code, un.stderr).toBe(0)
        const after = await wasmlet(["list", "--json", "--port", b.path])
        expect(JSON.parse(after.stdout)).toEqual([])
        expect(b.board.rt.apps).toEqual([])
        // every command opened the port, enabled packets and closed it again
        expect(b.stats.sessions).toBe(6)
        expect(b.stats.crcDropped).toBe(0)
        console.log(`[serial-port] CLI on a pty: list ${list.ms} ms, install ${inst.ms} ms, request ${req.ms} ms, logs ${logs.ms} ms, uninstall ${un.ms} ms (each a new node process)`)
    }, 60_000)

    it("the board pulled out: before a command, no serial port (3); in the middle of one, the link closed (3), with a message, at once", async () => {
        const b = await ptyBoard({ board: ROOMY, faults: (dir, code, n) => (dir === "toDevice" && code === Cmd.PUT && n === 3 ? "vanish" : undefined) })
        const mid = await wasmlet(["install", "rh", REQUEST_HANDLER, "--port", b.path, "--timeout", "3000"], {}, 45_000)
        expect(b.applied).toEqual(["vanish toDevice 0x80 #3"])
        expect(mid.code, mid.stderr).toBe(3) // no board: the link closed, said at once (not after all the tries)
        expect(mid.stderr).toMatch(/the link closed/)
        // one line that says which command failed on which port, and why
        expect(mid.stderr).toMatch(new RegExp(`^wasmlet install: .*${b.path.replace(/\//g, "\\/")}\\b.*$`, "m"))
        expect(mid.ms).toBeLessThan(12_000) // a new node process and the port's open included; all the tries took ~14 s

        const gone = await wasmlet(["list", "--port", b.path])
        expect(gone.code).toBe(3)
        expect(gone.stderr).toMatch(`no serial port ${b.path}`)
        console.log(`[serial-port] pulled out mid-install: exit ${mid.code} after ${mid.ms} ms: ${mid.stderr.trim().split("\n").pop()}`)
    }, 40_000)

    it("wasmlet serve --port PTY answers an HTTP request to an app on it", async () => {
        const image = Buffer.from(compileAppImage(await wasm(responderWat("(i32.const 69)", { payload: true }))).image)
        const b = await ptyBoard({ board: { baked: [{ name: "echo", image }] } })
        const serve: ChildProcess = spawn(process.execPath, [CLI, "serve", "--port", b.path, "--listen", "127.0.0.1:0", "--json"], { cwd: ROOT })
        try {
            let out = ""
            serve.stdout!.on("data", d => (out += d))
            serve.stderr!.on("data", d => (out += d))
            const t0 = Date.now()
            while (!/"url":"[^"]+"/.test(out) && Date.now() - t0 < 15_000 && serve.exitCode === null) await new Promise(r => setTimeout(r, 50))
            const m = /\{"url":"([^"]+)".*\}/.exec(out)
            expect(m, out).not.toBeNull()
            const ready = JSON.parse(m![0])
            expect(ready.boards).toEqual([expect.objectContaining({ id: b.deviceId })])
            const r = await fetch(`${ready.url}devices/${ready.boards[0].shortId}/app/echo/hello`, {
                method: "PUT",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ t: 21.5, s: "pty" }),
            })
            const body = await r.json()
            expect(r.status, JSON.stringify(body)).toBe(200)
            expect(body).toEqual({ t: 21.5, s: "pty" })
            console.log(`[serial-port] serve --port: ready ${Date.now() - t0} ms after start`)
        } finally {
            serve.kill("SIGINT")
            await new Promise(r => serve.once("exit", r))
        }
        expect(serve.exitCode).toBe(0)
    }, 40_000)
})

describe("connect({ port }) (host/link in this process)", () => {
    it("listed as a board (WASMLET_SERIAL_PORTS); install, request, logs and uninstall survive a byte flipped on the line each way (CRC drop, resend); events", async () => {
        const b = await ptyBoard({
            board: ROOMY,
            faults: (dir, code, n) => ((dir === "toDevice" && code === Cmd.PUT && n === 2) || (dir === "toHost" && code === Rep.RESULT && n === 4) ? "corrupt" : undefined),
        })
        const errors: string[] = []
        const spy = vi.spyOn(console, "error").mockImplementation((...a: unknown[]) => void errors.push(a.join(" ")))
        const debug = console.debug
        console.debug = () => {}
        const listed = process.env.WASMLET_SERIAL_PORTS
        process.env.WASMLET_SERIAL_PORTS = b.path
        try {
            const d = await listDevices({ simPort: 1 })
            expect(d.boards.map(p => p.path)).toContain(b.path)
            if (d.boards.length === 1) expect(await resolveTarget({ simPort: 1 })).toEqual({ kind: "serial", path: b.path }) // the one board
        } finally {
            if (listed === undefined) delete process.env.WASMLET_SERIAL_PORTS
            else process.env.WASMLET_SERIAL_PORTS = listed
        }
        const link = await connect({ port: b.path, timeoutMs: 5000 })
        try {
            expect(link.label).toBe(`${b.path} device ${link.shortId}`)
            expect(b.noiseBytes).toBeGreaterThanOrEqual(9) // jacdac-ts probed for HF2 first; unanswered, it stayed on JD-USB
            expect(link.deviceId).toBe(b.deviceId)
            const lines: string[] = []
            link.client.onLog(l => lines.push(l.text))
            const image = compileAppImage(readFileSync(REQUEST_HANDLER)).image
            const r = await link.client.install("rh", image)
            expect(r.chunks).toBeGreaterThan(2)
            expect(r.resent).toBeGreaterThanOrEqual(2)
            console.log(`[serial-port] connect({ port }): install of request_handler (${r.imageBytes} B image, ${r.chunks} chunks, ${r.resent} resent) ${r.ms} ms`)
            expect([...b.applied].sort()).toEqual(["corrupt toDevice 0x80 #2", "corrupt toHost 0x90 #4"])
            expect(b.stats.crcDropped).toBe(1) // the board dropped the command; the host dropped the report:
            expect(errors.some(e => /JDUSB Error: crc err/.test(e))).toBe(true)
            expect((await link.client.list()).apps).toEqual([expect.objectContaining({ name: "rh", state: "running", installed: true })])
            const resp = await link.client.request("GET", "/url1")
            expect(resp.status).toBe(69)
            const logs = await link.client.logs("rh")
            expect(logs.map(l => l.text)).toContain("[resp] ### user resource 1 handler called")
            expect(lines).toContain("[resp] ### user resource 1 handler called") // also as it was printed
            await link.client.uninstall("rh")
            expect((await link.client.list()).apps).toEqual([])

            // events: an app that publishes "tick" every 50 ms, its events reported over the line
            const tick = compileAppImage(await wasm(TICK)).image
            await link.client.install("tick", tick)
            const events: string[] = []
            const off = await link.client.subscribe("tick", e => events.push(e.url))
            const t0 = Date.now()
            while (events.length < 3 && Date.now() - t0 < 5000) await new Promise(r => setTimeout(r, 20))
            await off()
            expect(events.slice(0, 3)).toEqual(["tick", "tick", "tick"])
        } finally {
            await link.close()
            spy.mockRestore()
            console.debug = debug
        }
        expect(b.stats.sessions).toBe(1)
    }, 40_000)
})
