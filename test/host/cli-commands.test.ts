// The board commands (install, uninstall, list, start, stop, request, subscribe, logs) against a fake
// board (cli-fake-board.ts): argument errors (exit 2, before connecting), an invalid module refused
// on the host with the validator's message before connecting (exit 1), what reaches the board
// (the device image compileAppImage makes, the request payload as an attr_container), output in
// human and --json form, the exit codes of a refusal (1), a silent board (4) and no board (3).
import { afterEach, beforeAll, describe, expect, it } from "vitest"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { EXIT, renderProgress } from "../../host/cli/_common"
import { jsonToAttr } from "../../host/cli/_attr-json"
import { readAttrContainer } from "../../host/run/attr-reader"
import { compileAppImage } from "../../host/run/app-images"
import * as install from "../../host/cli/install"
import * as list from "../../host/cli/list"
import * as logs from "../../host/cli/logs"
import * as request from "../../host/cli/request"
import * as start from "../../host/cli/start"
import * as stop from "../../host/cli/stop"
import * as subscribe from "../../host/cli/subscribe"
import * as uninstall from "../../host/cli/uninstall"
import { ROOT, TIMER, fakeIo, scratch, tick, until } from "./cli-fake-board"

let dir: string
let invalid: string
beforeAll(async () => void ({ dir, invalid } = await scratch("wasmlet-cli-")))

let fake: ReturnType<typeof fakeIo>
afterEach(() => fake?.restore())

describe("argument errors: exit 2 with the usage, nothing connected", () => {
    it.each([
        ["install", []],
        ["install", ["timer"]],
        ["install", ["a", "b", "c"]],
        ["install", ["timer", TIMER, "--bogus"]],
        ["install", ["timer", TIMER, "--port", "/dev/x", "--sim"]],
        ["install", ["timer", TIMER, "--timeout", "soon"]],
        ["install", ["no/slash", TIMER]],
        ["install", ["timer", join(ROOT, "no-such.wasm")]],
        ["uninstall", []],
        ["request", ["GET"]],
        ["request", ["FETCH", "/app/x/y"]],
        ["request", ["GET", "/app/x/y", "--payload", "[1,2]"]],
        ["request", ["GET", "/app/x/y", "--payload", "{nope"]],
        ["subscribe", ["a", "--count", "0"]],
        ["list", ["extra"]],
        ["logs", ["a", "b"]],
    ] as [string, string[]][])("%s %j", async (cmd, args) => {
        fake = fakeIo()
        const mods: Record<string, { main: (a: string[]) => Promise<number> }> = { install, uninstall, request, subscribe, list, logs }
        expect(await mods[cmd].main(args)).toBe(EXIT.USAGE)
        expect(fake.got.stderr).toMatch(new RegExp(`^wasmlet ${cmd}: .+\\nusage: wasmlet ${cmd}`))
        expect(fake.got.connects).toEqual([])
        expect(fake.got.stdout).toBe("")
    })

    it("--json: the error as an object on stdout too", async () => {
        fake = fakeIo()
        expect(await list.main(["--json", "--nope"])).toBe(EXIT.USAGE)
        expect(fake.json()).toEqual([{ error: expect.stringContaining("--nope"), kind: "usage", exitCode: 2 }])
    })

    it("--help prints the usage, exit 0", async () => {
        fake = fakeIo()
        expect(await install.main(["--help"])).toBe(0)
        expect(fake.got.stdout).toMatch(/^usage: wasmlet install NAME app.wasm \[--watch\]/)
    })
})

describe("install", () => {
    it("refuses an invalid module on the host, before connecting, with the validator's message (exit 1)", async () => {
        fake = fakeIo()
        expect(await install.main(["bad", invalid])).toBe(EXIT.REFUSED)
        expect(fake.got.connects).toEqual([])
        expect(fake.got.stderr).toMatch(/^wasmlet install: .*bad\.wasm is not a module the board can run: .*type mismatch/)
    })

    it("sends the device image compileAppImage makes and reports what was installed", async () => {
        fake = fakeIo()
        expect(await install.main(["timer", TIMER, "--sim"])).toBe(0)
        expect(fake.got.connects).toEqual([{ port: undefined, sim: true, json: false, timeoutMs: undefined }])
        const [name, image] = fake.client.calls[0].args as [string, Uint8Array]
        expect(name).toBe("timer")
        expect(Buffer.from(image).equals(Buffer.from(compileAppImage(readFileSync(TIMER)).image))).toBe(true)
        expect(fake.got.stdout).toMatch(new RegExp(`^installed timer on fake: image ${(image.length / 1024).toFixed(1)} KB, stored .* in \\d+ chunks, arena 4.0 KB, 12 ms\\n$`))
        expect(fake.got.closes).toBe(1)
    })

    it("--json: one object with the sizes", async () => {
        fake = fakeIo()
        expect(await install.main(["timer", TIMER, "--json", "--port", "/dev/ttyACM0"])).toBe(0)
        const [o] = fake.json()
        expect(o).toMatchObject({ name: "timer", arenaBytes: 4096, resent: 0, resumedAt: 0 })
        expect(o.imageBytes).toBe((fake.client.calls[0].args[1] as Uint8Array).length)
        expect(fake.got.connects[0].port).toBe("/dev/ttyACM0")
    })

    it("no progress bar when stderr is not a terminal; the bar's text", async () => {
        fake = fakeIo()
        await install.main(["timer", TIMER])
        expect(fake.got.stderr).toBe("")
        expect(renderProgress("install timer", { done: 3, chunks: 12, bytes: 672, storedBytes: 2600, phase: "upload" }, 12)).toBe(
            "install timer [###---------] 3/12 chunks, 672 B of 2.5 KB"
        )
        expect(renderProgress("install timer", { done: 12, chunks: 12, bytes: 2600, storedBytes: 2600, phase: "commit" }, 4)).toBe("install timer [####] checking and starting")
    })

    it("--watch reinstalls when the file changes and streams the app's console in between; Ctrl-C ends it with 0", async () => {
        fake = fakeIo()
        const file = join(dir, "w.wasm")
        writeFileSync(file, readFileSync(TIMER))
        const ac = new AbortController()
        const done = install.main(["w", file, "--watch"], ac.signal)
        await until(() => fake.client.ops().length === 1)
        fake.client.emitLog({ kind: "console", app: "w", text: "Timer update 0" })
        fake.client.emitLog({ kind: "console", app: "other", text: "not mine" })
        // a broken build: reported, nothing sent
        writeFileSync(file, readFileSync(invalid))
        await until(() => fake.got.stderr.includes("is not a module"))
        expect(fake.client.ops()).toEqual(["install"])
        writeFileSync(file, readFileSync(join(ROOT, "apps/samples/event_publisher/event_publisher.wasm")))
        await until(() => fake.client.ops().length === 2)
        ac.abort()
        expect(await done).toBe(0)
        const out = fake.got.stdout.split("\n")
        expect(out[0]).toMatch(/^installed w on fake/)
        expect(out[1]).toBe("Timer update 0")
        expect(out[2]).toMatch(/^installed w on fake/)
        expect(fake.got.stdout).not.toContain("not mine")
    }, 20_000)
})

describe("list", () => {
    it("--json is an array of {name, state, imageBytes, arenaBytes, ...}", async () => {
        fake = fakeIo()
        await install.main(["timer", TIMER])
        fake = swap(fake)
        expect(await list.main(["--json"])).toBe(0)
        const [apps] = fake.json()
        expect(apps).toEqual([expect.objectContaining({ name: "timer", state: "running", arenaBytes: 4096, installed: true, baked: false, error: "" })])
        expect(apps[0].imageBytes).toBeGreaterThan(1000)
    })

    it("human: a table and the board's line; --json --board adds the board", async () => {
        fake = fakeIo()
        fake.client.apps.set("blink", { name: "blink", state: "stopped", restarts: 2, imageBytes: 900, arenaBytes: 0, uptimeMs: 0, storedBytes: 0, baked: true, installed: false, inFlash: true, slot: -1, error: "trapped: unreachable" })
        expect(await list.main([])).toBe(0)
        expect(fake.got.stdout.split("\n")).toEqual([
            "NAME   STATE    IMAGE  ARENA  STORED  UPTIME  RESTARTS  FROM",
            "blink  stopped  900 B  0 B    -       -       2         baked, in flash",
            "blink: trapped: unreachable",
            "fake: board simulator, 1 of 3 apps, arena 0 B of 24.0 KB used (12.0 KB per app), store 0 B of 7.9 KB used",
            "",
        ])
        fake = swap(fake)
        expect(await list.main(["--json", "--board"])).toBe(0)
        const [o] = fake.json()
        expect(o.board).toMatchObject({ board: "simulator", maxApps: 3, label: "fake" })
        expect(o.apps.map((a: any) => a.name)).toEqual(["blink"])
    })
})

describe("uninstall, start, stop", () => {
    it("do it and say so", async () => {
        fake = fakeIo()
        await install.main(["timer", TIMER])
        for (const [m, word] of [[stop, "stopped"], [start, "started"], [uninstall, "uninstalled"]] as const) {
            fake = swap(fake)
            expect(await m.main(["timer"])).toBe(0)
            expect(fake.got.stdout).toBe(`${word} timer on fake\n`)
        }
        expect(fake.client.ops()).toEqual(["install", "stop", "start", "uninstall"])
    })

    it("the board's refusal: exit 1 with its message; --json gives its status", async () => {
        fake = fakeIo()
        expect(await uninstall.main(["ghost"])).toBe(EXIT.REFUSED)
        expect(fake.got.stderr).toBe("wasmlet uninstall: uninstall ghost: no app named ghost\n")
        fake = swap(fake)
        expect(await stop.main(["ghost", "--json"])).toBe(EXIT.REFUSED)
        expect(fake.json()).toEqual([{ error: "stop ghost: no app named ghost", kind: "refused", exitCode: 1, status: 2 }])
    })

    it("a silent board: exit 4; no board: exit 3", async () => {
        fake = fakeIo()
        fake.client.silent = true
        expect(await start.main(["timer"])).toBe(EXIT.TIMEOUT)
        expect(fake.got.stderr).toMatch(/no answer/)
        fake.restore()
        fake = fakeIo({ noBoard: true })
        expect(await list.main(["--json"])).toBe(EXIT.LINK)
        expect(fake.json()).toEqual([expect.objectContaining({ kind: "link", exitCode: 3 })])
        expect(fake.got.stderr).toMatch(/no board connected/)
    })
})

describe("request", () => {
    it("sends the --payload JSON as an attr_container and prints the response", async () => {
        fake = fakeIo()
        fake.client.response = () => ({ status: 69, fmt: 99, mid: 7, payload: jsonToAttr({ temp: 21.5, unit: "C" }) })
        expect(await request.main(["get", "/app/sensor/temp", "--payload", '{"n":2,"on":true}'])).toBe(0)
        const [method, url, opts] = fake.client.calls[0].args as [string, string, any]
        expect([method, url, opts.fmt]).toEqual(["GET", "/app/sensor/temp", 99])
        expect(readAttrContainer(opts.payload).attrs).toEqual({ n: 2, on: true })
        expect(fake.got.stdout).toBe('2.05 content\n{\n  "temp": 21.5,\n  "unit": "C"\n}\n')
    })

    it("--payload @file, --json output, and an error status exits 1", async () => {
        fake = fakeIo()
        const f = join(dir, "p.json")
        writeFileSync(f, '{"bytes":[1,2,3]}')
        fake.client.response = () => ({ status: 132, fmt: 0, mid: 7, payload: Buffer.from("no such resource") })
        expect(await request.main(["PUT", "/app/x/y", "--payload", "@" + f, "--json"])).toBe(EXIT.REFUSED)
        expect(Array.from(readAttrContainer((fake.client.calls[0].args[2] as any).payload).attrs.bytes as Uint8Array)).toEqual([1, 2, 3])
        expect(fake.json()).toEqual([{ status: 132, code: "4.04", name: "not found", fmt: 0, payload: null, text: "no such resource", hex: Buffer.from("no such resource").toString("hex") }])
    })

    it("status names and binary payloads", () => {
        expect(request.statusText(69)).toBe("2.05 content")
        expect(request.statusText(163)).toBe("5.03 service unavailable")
        expect(request.statusText(70)).toBe("2.06")
        expect(request.formatResponse({ status: 65, fmt: 98, mid: 1, payload: new Uint8Array([0, 255]) })).toEqual(["2.01 created", "(2 bytes, fmt 98) 00ff"])
    })
})

describe("subscribe and logs", () => {
    it("subscribe prints events until --count, then unsubscribes", async () => {
        fake = fakeIo()
        const done = subscribe.main(["alert/overheat", "--count", "2"])
        await until(() => fake.client.ops().includes("subscribe"))
        const ev = (n: number) => ({ url: "alert/overheat", action: 6, fmt: 99, mid: n, sender: 1, payload: jsonToAttr({ temp: 40 + n }) })
        for (let n = 0; n < 3; n++) fake.client.emitEvent(ev(n))
        expect(await done).toBe(0)
        expect(fake.got.stdout).toBe('alert/overheat from 1: {"temp":40}\nalert/overheat from 1: {"temp":41}\n')
        expect(fake.client.ops()).toEqual(["subscribe", "unsubscribe"])
        expect(fake.got.stderr).toMatch(/subscribed to alert\/overheat on fake: 2 events/)
    })

    it("subscribe --json: one object per event", async () => {
        fake = fakeIo()
        const done = subscribe.main(["e", "--count", "1", "--json"])
        await until(() => fake.client.ops().includes("subscribe"))
        fake.client.emitEvent({ url: "e", action: 6, fmt: 0, mid: 1, sender: 3, payload: Buffer.from("hi") })
        expect(await done).toBe(0)
        expect(fake.json()).toEqual([{ url: "e", sender: 3, fmt: 0, payload: null, text: "hi", hex: "6869" }])
    })

    it("logs prints the lines held, of one app or all; --follow streams new ones until Ctrl-C", async () => {
        fake = fakeIo()
        fake.client.held = [
            { kind: "console", app: "timer", text: "Timer update 0" },
            { kind: "note", app: "pub", text: "trapped: unreachable" },
        ]
        expect(await logs.main([])).toBe(0)
        expect(fake.got.stdout).toBe("[timer] Timer update 0\n[pub] -- trapped: unreachable\n")
        fake = swap(fake)
        const ac = new AbortController()
        const done = logs.main(["timer", "--follow", "--json"], ac.signal)
        await until(() => fake.client.ops().includes("logs"))
        await tick()
        fake.client.emitLog({ kind: "console", app: "timer", text: "Timer update 1" })
        fake.client.emitLog({ kind: "console", app: "pub", text: "other app" })
        ac.abort()
        expect(await done).toBe(0)
        expect(fake.json()).toEqual([
            { app: "timer", kind: "console", text: "Timer update 0" },
            { app: "timer", kind: "console", text: "Timer update 1" },
        ])
    })
})


/** A fresh capture on the same fake board (its apps kept). */
function swap(f: ReturnType<typeof fakeIo>): ReturnType<typeof fakeIo> {
    f.restore()
    const g = fakeIo()
    g.client.apps = f.client.apps
    g.client.calls = f.client.calls
    g.client.held = f.client.held
    return g
}
