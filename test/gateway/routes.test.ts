// The gateway's REST routes against real NodeBoards (the AppManager and Runtime on Node) through
// real ManagerClients: devices and apps listing, install/uninstall by upload, requests to apps with
// the status mapping and typed JSON <-> attr_container, 404 for unknown devices/apps/routes, 504.
import { afterEach, describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { NoBoardError } from "../../host/link/errors"
import { ECHO, MUTE, STATUS, serve, Served, wasm } from "./fixture"

const TIMER = readFileSync(join(import.meta.dirname, "../../apps/samples/timer/timer.wasm"))

let s: Served | undefined
afterEach(async () => {
    await s?.close()
    s = undefined
})

const postJson = (body: unknown): RequestInit => ({ method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) })

describe("gateway routes", () => {
    it("lists devices (by id and short id) and their apps", async () => {
        s = await serve({ n: 2, apps: { echo: ECHO } })
        const devices = await (await s.get("/devices")).json()
        expect(devices.map((d: any) => [d.id, d.shortId])).toEqual([["0123456789abcd00", "BRD0"], ["0123456789abcd01", "BRD1"]])
        expect(devices[0].board).toMatchObject({ maxApps: expect.any(Number), apps: 1 })
        expect(devices[1].board).toMatchObject({ apps: 0 })

        const apps = await (await s.get("/devices/brd0/apps")).json()
        expect(apps).toEqual([expect.objectContaining({ name: "echo", state: "running", installed: true, baked: false })])
        expect(await (await s.get("/devices/0123456789ABCD01/apps")).json()).toEqual([])
        const one = await (await s.get("/devices/BRD0")).json()
        expect(one).toMatchObject({ id: "0123456789abcd00", apps: [expect.objectContaining({ name: "echo" })] })

        const r = await s.get("/devices/NOPE/apps")
        expect(r.status).toBe(404)
        expect((await r.json()).error).toMatch(/no device NOPE/)
        expect((await s.get("/nothing")).status).toBe(404)
        expect((await s.get("/devices/BRD0/whatever")).status).toBe(404)
        expect((await s.get("/devices/BRD0/apps", { method: "PUT" })).status).toBe(405)
    })

    it("a board whose link is down (a serial board unplugged) answers 503 with the reason", async () => {
        s = await serve({ n: 1 })
        const client = s.gateway.boards[0].client
        const down = async () => {
            throw new NoBoardError("/dev/ttyACM0 device BRD0: the link closed (the board unplugged or reset, or its port taken away)")
        }
        client.list = down
        client.request = down
        for (const path of ["/devices/BRD0/apps", "/devices/BRD0/app/echo/x"]) {
            const r = await s.get(path)
            expect(r.status).toBe(503)
            expect((await r.json()).error).toMatch(/the link closed/)
        }
    })

    it("a board gone from its link is listed offline at once, without waiting for it to answer", async () => {
        s = await serve({ n: 2 })
        s.boards[1].board.o.faults = () => "drop" // it would only time out
        const gone = s.gateway.boards[1]
        gone.present = () => false
        const t0 = Date.now()
        const devices = await (await s.get("/devices")).json()
        expect(Date.now() - t0).toBeLessThan(1000)
        expect(devices.map((d: any) => [d.shortId, d.online, d.board === null])).toEqual([["BRD0", true, false], ["BRD1", false, true]])
    })

    it("installs and uninstalls over HTTP; an invalid module is 400 with the validator's message", async () => {
        s = await serve()
        const r = await s.get("/devices/BRD0/apps/blink", { method: "POST", headers: { "content-type": "application/wasm" }, body: TIMER })
        expect(r.status).toBe(201)
        const inst = await r.json()
        expect(inst).toMatchObject({ name: "blink", imageBytes: expect.any(Number), chunks: expect.any(Number) })
        expect(inst.imageBytes).toBeGreaterThan(TIMER.length)
        const apps = await s.boards[0].client.list()
        expect(apps.apps.map(a => [a.name, a.state])).toEqual([["blink", "running"]])

        const bad = await s.get("/devices/BRD0/apps/bad", { method: "POST", body: Buffer.from("\0asm\x01\0\0\0\x01\x05") })
        expect(bad.status).toBe(400)
        expect((await bad.json()).error).toMatch(/^invalid module: .+/)
        const empty = await s.get("/devices/BRD0/apps/bad", { method: "POST" })
        expect(empty.status).toBe(400)
        expect((await s.boards[0].client.list()).apps.map(a => a.name)).toEqual(["blink"])

        const del = await s.get("/devices/BRD0/apps/blink", { method: "DELETE" })
        expect(del.status).toBe(204)
        expect((await s.boards[0].client.list()).apps).toEqual([])
        const again = await s.get("/devices/BRD0/apps/blink", { method: "DELETE" })
        expect(again.status).toBe(404)
        expect((await again.json()).error).toMatch(/no app named blink/)
    })

    it("requests to apps: JSON in and out with the attr types kept, raw bytes, the app's path", async () => {
        s = await serve({ apps: { echo: ECHO } })
        const body = { i: 7, big: 2 ** 40, d: 1.5, b: true, s: "héllo", bytes: { base64: "AAEC/w==" }, f: { type: "float", value: 0.25 }, u8: { type: "uint8", value: 200 }, one: { type: "double", value: 1 } }
        const r = await s.get("/devices/BRD0/app/echo/some/path", postJson(body))
        expect(r.status).toBe(200)
        expect(r.headers.get("x-wasmlet-status")).toBe("2.05")
        expect(r.headers.get("content-type")).toMatch(/^application\/json/)
        expect(await r.json()).toEqual({ i: 7, big: 2 ** 40, d: 1.5, b: true, s: "héllo", bytes: { base64: "AAEC/w==" }, f: 0.25, u8: 200, one: 1 })

        const typed = await (await s.get("/devices/BRD0/app/echo/x?types=1", postJson(body))).json()
        expect(typed).toEqual({
            i: { type: "int32", value: 7 },
            big: { type: "int64", value: String(2 ** 40) },
            d: { type: "double", value: 1.5 },
            b: { type: "bool", value: true },
            s: { type: "string", value: "héllo" },
            bytes: { type: "bytes", value: "AAEC/w==" },
            f: { type: "float", value: 0.25 },
            u8: { type: "uint8", value: 200 },
            one: { type: "double", value: 1 },
        })
        // the typed form reads back into the same container
        expect(await (await s.get("/devices/BRD0/app/echo/x?types=1", { ...postJson(typed), method: "PUT" })).json()).toEqual(typed)

        const raw = await s.get("/devices/BRD0/app/echo/raw", { method: "PUT", headers: { "content-type": "application/octet-stream" }, body: Buffer.from([1, 2, 3, 250]) })
        expect(raw.status).toBe(200)
        expect(raw.headers.get("content-type")).toBe("application/octet-stream")
        expect([...Buffer.from(await raw.arrayBuffer())]).toEqual([1, 2, 3, 250])

        const none = await s.get("/devices/BRD0/app/echo/x")
        expect(none.status).toBe(200)
        expect(await none.text()).toBe("")

        const badJson = await s.get("/devices/BRD0/app/echo/x", postJson({ n: null }))
        expect(badJson.status).toBe(400)
        expect((await badJson.json()).error).toMatch(/"n": null/)
        const notObj = await s.get("/devices/BRD0/app/echo/x", { method: "POST", headers: { "content-type": "application/json" }, body: "[1]" })
        expect(notObj.status).toBe(400)
        const range = await s.get("/devices/BRD0/app/echo/x", postJson({ u: { type: "uint8", value: 256 } }))
        expect((await range.json()).error).toMatch(/out of uint8's range/)
    })

    it("maps WAMR's status codes to HTTP", async () => {
        s = await serve({ apps: { status: STATUS } })
        const cases: [number, number, string][] = [
            [69, 200, "2.05"], [65, 201, "2.01"], [66, 204, "2.02"], [68, 200, "2.04"], [67, 200, "2.03"],
            [128, 400, "4.00"], [129, 401, "4.01"], [132, 404, "4.04"], [133, 405, "4.05"], [141, 413, "4.13"],
            [160, 500, "5.00"], [161, 501, "5.01"], [163, 503, "5.03"], [164, 504, "5.04"], [100, 502, "3.04"],
        ]
        for (const [code, http, coap] of cases) {
            const r = await s.get("/devices/BRD0/app/status/x", { method: "POST", body: Buffer.from([code]) })
            expect([code, r.status, r.headers.get("x-wasmlet-status")]).toEqual([code, http, coap])
        }
    })

    it("unknown app is 404 JSON; an app that does not answer in time is 504", async () => {
        s = await serve({ apps: { mute: MUTE }, gateway: { timeoutMs: 300 } })
        const r = await s.get("/devices/BRD0/app/ghost/x")
        expect(r.status).toBe(404)
        expect(await r.json()).toEqual({ error: "no app ghost on device BRD0" })
        const t0 = Date.now()
        const slow = await s.get("/devices/BRD0/app/mute/x")
        expect(slow.status).toBe(504)
        expect((await slow.json()).error).toMatch(/no response within 300 ms/)
        expect(Date.now() - t0).toBeLessThan(3000)
        // an app installed after the name cache was filled is found
        await s.boards[0].client.install("echo", (await import("../../host/run/app-images")).compileAppImage(await wasm(ECHO)).image)
        expect((await s.get("/devices/BRD0/app/echo/x?timeout=2000")).status).toBe(200)
    })
})

describe("gateway routes: apps that change behind its back", () => {
    it("an app uninstalled or stopped since the last list: 404 / 503; /app/NAME with no path reaches the app", async () => {
        s = await serve({ apps: { echo: ECHO, other: ECHO } })
        expect((await s.get("/devices/BRD0/app/echo")).status).toBe(200)
        expect((await s.get("/devices/BRD0/app/other/")).status).toBe(200)
        await s.boards[0].client.uninstall("echo") // not through the gateway: its cache still has echo
        const gone = await s.get("/devices/BRD0/app/echo/x")
        expect([gone.status, await gone.json()]).toEqual([404, { error: "no app echo on device BRD0" }])
        await s.boards[0].client.stop("other")
        const stopped = await s.get("/devices/BRD0/app/other/x")
        expect([stopped.status, (await stopped.json()).error]).toEqual([503, "app other is stopped"])
        await s.boards[0].client.start("other")
        expect((await s.get("/devices/BRD0/app/other/x")).status).toBe(200)
    })
})
