// The gateway's Server-Sent Event streams against NodeBoards: an app's events (?url=) and console
// lines arrive as SSE messages; a client that stops reading gets a bounded buffer and a drop count,
// while the board's other clients (a second stream, requests to apps) go on at full speed; a closed
// stream unsubscribes the board.
import { afterEach, describe, expect, it } from "vitest"
import { request } from "node:http"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ECHO, TICK, readSse, serve, Served } from "./fixture"
import { Rep, LogKind } from "../../manager/protocol"

const TIMER = readFileSync(join(import.meta.dirname, "../../apps/samples/timer/timer.wasm"))

let s: Served | undefined
afterEach(async () => {
    await s?.close()
    s = undefined
})

/** Every console line the board sends goes through the manager's log report (as the runtime's would). */
const logLine = (s: Served, app: string, text: string) => (s.boards[0].board as any).report(Rep.LOG, [LogKind.CONSOLE, app, text])

describe("gateway SSE", () => {
    it("streams an app's events and unsubscribes when the client goes", async () => {
        s = await serve({ apps: { tick: TICK } })
        const wire = s.boards[0].client.wire as any
        const subs: [string, boolean][] = []
        const orig = wire.subscribe.bind(wire)
        wire.subscribe = (url: string, on: boolean) => (subs.push([url, on]), orig(url, on))
        const res = await s.get("/devices/BRD0/events?url=tick")
        expect(res.status).toBe(200)
        expect(res.headers.get("content-type")).toMatch(/^text\/event-stream/)
        const msgs = await readSse(res, 3)
        expect(msgs).toHaveLength(3)
        for (const m of msgs) expect(m).toEqual({ event: "event", data: { url: "tick", fmt: expect.any(Number), sender: expect.any(Number), contentType: null, payload: null } })
        for (let i = 0; i < 50 && subs.length < 2; i++) await new Promise(r => setTimeout(r, 20))
        expect(subs).toEqual([["tick", true], ["tick", false]])
        expect(s.gateway.streams.size).toBe(0)

        expect((await s.get("/devices/BRD0/events")).status).toBe(400)
        expect((await s.get("/devices/XX/events?url=tick")).status).toBe(404)
    })

    it("streams console lines, all or one app's", async () => {
        s = await serve()
        const all = s.get("/devices/BRD0/logs")
        const onlyBlink = s.get("/devices/BRD0/logs?app=blink")
        const [a, b] = await Promise.all([all, onlyBlink])
        const [ma, mb] = [readSse(a, 2), readSse(b, 1)]
        await s.get("/devices/BRD0/apps/blink", { method: "POST", body: TIMER })
        const [la, lb] = await Promise.all([ma, mb])
        expect(la.map(m => m.event)).toEqual(["log", "log"])
        expect(la.every(m => typeof m.data.text === "string" && ["console", "note"].includes(m.data.kind))).toBe(true)
        expect(lb[0].data.app).toBe("blink")
    })

    it("a stalled client is dropped from, bounded, and never slows the board or other clients", async () => {
        s = await serve({ apps: { echo: ECHO }, gateway: { sseBufferBytes: 4096 } })
        const N = 40000 // 10 MB of SSE: more than the kernel's socket buffers hold for the stalled client
        // a client that reads the headers and then stops reading
        const stalled = await new Promise<import("node:http").IncomingMessage>((resolve, reject) => {
            const req = request(`${s!.url}/devices/BRD0/logs`, res => {
                res.pause()
                resolve(res)
            })
            req.on("error", reject)
            req.end()
        })
        const reader = await s.get("/devices/BRD0/logs")
        const got = readSse(reader, N, 20000)
        const stream = [...s.gateway.streams][0]
        const line = "x".repeat(200)
        const t0 = Date.now()
        // in bursts of 20 lines (5 KB), as a busy board's link would bring them
        let during: Promise<[number, unknown]> | undefined
        for (let i = 0; i < N; i++) {
            if (i === N / 2) {
                const t1 = Date.now()
                during = s.get("/devices/BRD0/app/echo/x", { method: "POST", headers: { "content-type": "application/json" }, body: '{"a":1}' }).then(async r => [Date.now() - t1, await r.json()])
            }
            logLine(s, "echo", `${i} ${line}`)
            if (i % 20 === 19) await new Promise(r => setImmediate(r))
        }
        const floodMs = Date.now() - t0
        // the board's link is not held up: a request sent in the middle of the flood is answered
        const [requestMs, answer] = await during!
        expect(answer).toEqual({ a: 1 })
        const lines = await got
        expect(lines).toHaveLength(N) // the reading client got every line
        expect(lines[N - 1].data.text).toMatch(new RegExp(`^${N - 1} `))
        expect(stream.pending).toBeLessThanOrEqual(4096)
        expect(stream.dropped).toBeGreaterThan(10000)
        expect(s.gateway.dropped).toBe(stream.dropped)
        console.log(`flood of ${N} lines: ${floodMs} ms; a request sent during it answered in ${requestMs} ms; dropped for the stalled client ${stream.dropped}`)
        expect(requestMs).toBeLessThan(1000)

        // reading again: what was buffered comes, then the drop count
        let text = ""
        stalled.setEncoding("utf8")
        stalled.on("data", (c: string) => (text += c))
        stalled.resume()
        for (let i = 0; i < 100 && !text.includes("event: dropped"); i++) await new Promise(r => setTimeout(r, 20))
        expect(text).toContain(`event: dropped\ndata: {"dropped":${stream.dropped}}`)
        stalled.destroy()
    }, 30000)
})
