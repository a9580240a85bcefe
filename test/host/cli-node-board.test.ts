// The CLI commands end to end on the real link client (host/link/client.ts) and the real device side
// (manager/manager.ts on the framework's Runtime, test/link/node-board.ts and node-board-client.ts), on Node: the same
// sequence a user types, through each command's main(), with only the transport replaced. What the
// board ends up holding is checked with the client itself; what is printed with the commands' output.
// (The simulator run of the same path is test/host/cli-sim.test.ts.)
import { afterEach, describe, expect, it } from "vitest"
import { dirname, join } from "node:path"
import { io } from "../../host/cli/_common"
import * as install from "../../host/cli/install"
import * as list from "../../host/cli/list"
import * as logs from "../../host/cli/logs"
import * as request from "../../host/cli/request"
import * as start from "../../host/cli/start"
import * as stop from "../../host/cli/stop"
import * as subscribe from "../../host/cli/subscribe"
import * as uninstall from "../../host/cli/uninstall"
import * as hostTool from "../../host/cli/host-tool"
import { bootBoardWithClient } from "../link/node-board-client"
import { responderWat, TICK, wasm } from "../link/node-board-apps"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"

const SAMPLES = join(import.meta.dirname, "../../apps/samples")
const sample = (name: string) => join(SAMPLES, name, name + ".wasm")

/** 2.05 with the request's own payload and format, on /echo (registered) or /app/echo/... */
const ECHO = responderWat("(i32.const 69)", { payload: true, register: "/echo" })

let echoFile = ""
async function echo(): Promise<string> {
    if (!echoFile) {
        echoFile = join(mkdtempSync(join(tmpdir(), "wasmlet-cli-nb-")), "echo.wasm")
        writeFileSync(echoFile, await wasm(ECHO))
        writeFileSync(join(dirname(echoFile), "tick.wasm"), await wasm(TICK))
    }
    return echoFile
}
const tick = async () => join(dirname(await echo()), "tick.wasm")

let restore: (() => void) | undefined
afterEach(() => {
    restore?.()
    restore = undefined
})

/** A booted Node board as the CLI's target; output captured per command (take() returns and clears it). */
async function nodeBoard() {
    const { board: b, client, close } = await bootBoardWithClient()
    const saved = { ...io }
    let stdout = ""
    let stderr = ""
    io.stdout = s => void (stdout += s)
    io.stderr = s => void (stderr += s)
    io.connect = async () => ({ client, label: "node board", close: async () => {} })
    restore = () => {
        close()
        Object.assign(io, saved)
    }
    return {
        b,
        client,
        take: () => {
            const r = { stdout, stderr }
            stdout = stderr = ""
            return r
        },
    }
}

describe("wasmlet commands on the real client and device side", () => {
    it("install -> list -> request -> logs -> stop/start -> uninstall", async () => {
        const { client, take } = await nodeBoard()
        expect(await install.main(["echo", await echo(), "--json"])).toBe(0)
        const [inst] = take().stdout.trim().split("\n").map(l => JSON.parse(l))
        expect(inst).toMatchObject({ name: "echo", resent: 0, resumedAt: 0 })
        expect(inst.arenaBytes).toBeGreaterThan(0)
        expect(await install.main(["timer", sample("timer")])).toBe(0)
        expect(take().stdout).toMatch(/^installed timer on node board: image .* KB, stored .* in \d+ chunks, arena .* KB, \d+ ms\n$/)

        expect(await list.main(["--json"])).toBe(0)
        const apps = JSON.parse(take().stdout)
        expect(apps).toEqual([
            expect.objectContaining({ name: "echo", state: "running", imageBytes: inst.imageBytes, arenaBytes: expect.any(Number), installed: true }),
            expect.objectContaining({ name: "timer", state: "running", installed: true }),
        ])

        // the payload goes as an attr_container and comes back the same
        expect(await request.main(["POST", "/app/echo/x", "--payload", '{"hello":"board","n":2}'])).toBe(0)
        expect(take().stdout).toBe('2.05 content\n{\n  "hello": "board",\n  "n": 2\n}\n')
        expect(await request.main(["GET", "/echo", "--json"])).toBe(0)
        expect(JSON.parse(take().stdout)).toMatchObject({ status: 69, code: "2.05", name: "content", payload: null, hex: "" })

        // the timer prints once a second
        await until(async () => (await client.logs("timer")).length > 0)
        expect(await logs.main(["timer"])).toBe(0)
        expect(take().stdout).toMatch(/^Timer update 0\n/)

        expect(await stop.main(["timer"])).toBe(0)
        expect((await client.list()).apps[1].state).toBe("stopped")
        expect(await start.main(["timer"])).toBe(0)
        expect((await client.list()).apps[1].state).toBe("running")
        expect(take().stdout).toBe("stopped timer on node board\nstarted timer on node board\n")

        expect(await uninstall.main(["timer"])).toBe(0)
        expect((await client.list()).apps.map(a => a.name)).toEqual(["echo"])
        expect(await uninstall.main(["timer"])).toBe(1) // the board: no such app
        expect(take().stderr).toMatch(/^wasmlet uninstall: .+/)
    }, 60_000)

    it("an invalid module never reaches the board; subscribe gets an app's events", async () => {
        const { b, client, take } = await nodeBoard()
        const writes = b.store.writes
        expect(await install.main(["bad", join(SAMPLES, "timer/timer.c")])).toBe(1)
        expect(take().stderr).toMatch(/is not a module the board can run: malformed module/)
        expect(b.store.writes).toBe(writes)

        expect(await install.main(["tick", await tick()])).toBe(0)
        take()
        expect(await subscribe.main(["tick", "--count", "2", "--json"])).toBe(0)
        const events = take().stdout.trim().split("\n").map(l => JSON.parse(l))
        expect(events).toEqual([
            { url: "tick", sender: 1, fmt: 0, payload: null, text: null, hex: "" },
            { url: "tick", sender: 1, fmt: 0, payload: null, text: null, hex: "" },
        ])
        expect((await client.list()).apps.map(a => a.name)).toEqual(["tick"])
    }, 60_000)

    it("host-tool: -i, -q, -r, -u with host_tool's output and exit codes", async () => {
        const { take } = await nodeBoard()
        expect(await hostTool.main(["-i", "echo", "-f", await echo()])).toBe(65)
        expect(take().stdout).toBe("\nresponse status 65\n")
        expect(await hostTool.main(["-q"])).toBe(69)
        expect(take().stdout).toMatch(/^\nresponse status 69\n\{\n\t"num":\t1,\n\t"applet1":\t"echo",\n\t"heap1":\t\d+\n\}$/)
        const payload = join(dirname(await echo()), "p.json")
        writeFileSync(payload, '{"key1": "value1", "t": 21.5, "b": [1, 2]}')
        expect(await hostTool.main(["-r", "/app/echo/url1", "-A", "PUT", "-p", payload])).toBe(69)
        expect(take().stdout).toBe('\nresponse status 69\n{\n\t"key1":\t"value1",\n\t"t":\t21.5,\n\t"b":\t[1, 2]\n}')
        expect(await hostTool.main(["-u", "echo"])).toBe(66)
        expect(await hostTool.main(["-u", "echo"])).toBe(160)
        expect(take().stdout).toBe('\nresponse status 66\n\nresponse status 160\n{\n\t"error message":\t"Uninstall WASM app failed: no app found."\n}')
    }, 60_000)
})

async function until(cond: () => Promise<boolean>): Promise<void> {
    const t0 = Date.now()
    while (!(await cond())) {
        if (Date.now() - t0 > 20_000) throw new Error("timed out waiting")
        await new Promise(r => setTimeout(r, 100))
    }
}
