// Messaging through the framework (ABI §7): callback order, pub/sub fan-out to apps and the host,
// request routing (/app/NAME/rest, registered prefixes, newest first), host requests and their
// responses, the 5 s request timeout of the SDK's request_sender, and a full queue. Virtual time.
import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { AppState } from "../../framework/app"
import type { App } from "../../framework/app"
import { ACTION_EVENT, HOST_ID, packRequest } from "../../framework/packets"
import { compileAppImage, supportImages } from "../../host/run/app-images"
import { ECHO, ECHO_APP, ORDER_APP, PUBLISHER_APP, REQUESTER_APP, SUB, SUBSCRIBER_APP } from "./apps"
import { appImage, decodeRequest, decodeResponse, hostGet, settle, stampLines } from "./fw-helpers"
import { makeRuntime, TestRuntime } from "./helpers"

/** Installs an echo app that answers with `status`, registering `url` first if given. */
async function echo(t: TestRuntime, name: string, status: number, url?: string): Promise<App> {
    const app = await t.rt.install(name, await appImage(ECHO_APP), true)
    app.memory.store(ECHO.STATUS, 1, status)
    if (url !== undefined) app.memory.writeBytes(ECHO.REGISTER, Buffer.from(url + "\0"), 0, url.length + 1)
    await settle(t, [app])
    return app
}

/** The request an echo app got, from the payload of its response. */
const echoed = (resp: Buffer) => decodeRequest(decodeResponse(resp).payload)

function subscriberMids(app: App): number[] {
    const n = app.memory.load(SUB.COUNT, 4)
    const out: number[] = []
    for (let i = 0; i < n; i++) out.push(app.memory.load(SUB.MIDS + 2 * i, 2))
    return out
}

describe("callback order", () => {
    it("on_init first, then requests and timers in arrival order, on_destroy last; nothing after", async () => {
        const t = makeRuntime()
        const app = await t.rt.install("order", await appImage(ORDER_APP), true)
        // queued before on_init ran: still after it
        hostGet(t, "/app/order/a", 1)
        hostGet(t, "/app/order/b", 2)
        await t.runFor(5)
        hostGet(t, "/app/order/c", 3)
        await t.runFor(20) // the 10 ms timer fires
        hostGet(t, "/app/order/d", 4)
        await settle(t, [app])
        expect(await t.rt.uninstall("order")).toBe(true)
        const lines = [...t.host.lines]
        expect(lines).toEqual(["order: init", "order: request 1", "order: request 2", "order: request 3", "order: timer 1", "order: request 4", "order: destroy"])
        // after uninstall: requests for it are refused by the runtime, and nothing of it runs
        hostGet(t, "/app/order/e", 5)
        await t.runFor(100)
        expect(t.host.lines).toEqual(lines)
        expect(decodeResponse(t.host.responses.at(-1))).toMatchObject({ status: 160, mid: 5 })
        expect(t.host.notes.at(-1)).toBe("order: removed")
    })

    it("a response to an app comes to its on_response, in order with its other messages", async () => {
        const t = makeRuntime()
        const order = await t.rt.install("order", await appImage(ORDER_APP), true)
        await settle(t, [order])
        // a response whose receiver is the app (its id), as another app's wasm_response_send would give
        t.rt.respond(Buffer.from([1, 69, 0, 0, 0, 0, 0, 9, 0, 0, 0, order.id, 0, 0, 0, 0]))
        hostGet(t, "/app/order/x", 10)
        await settle(t, [order])
        expect(t.host.lines.slice(1)).toEqual(["order: response 9", "order: request 10"])
    })
})

describe("pub/sub", () => {
    for (const n of [1, 3]) {
        it(`one publisher, ${n} subscriber(s) and the host: every event exactly once, in order`, async () => {
            const t = makeRuntime({ limits: { maxApps: 4 } }) // a publisher and 3 subscribers: more than a board profile runs
            const subs: App[] = []
            for (let i = 0; i < n; i++) subs.push(await t.rt.install(`sub${i}`, await appImage(SUBSCRIBER_APP), true))
            const pub = await t.rt.install("pub", await appImage(PUBLISHER_APP), true)
            t.rt.hostSubscribe("alert/x")
            t.rt.hostSubscribe("alert/other") // never published
            await t.runFor(1050) // 10 events at 100, 200, ... 1000 ms
            await settle(t, subs)
            const all = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
            for (const s of subs) {
                expect(subscriberMids(s)).toEqual(all)
                expect(s.memory.load(SUB.SENDER, 4)).toBe(((pub.id >>> 24) | ((pub.id >>> 8) & 0xff00) | ((pub.id & 0xff00) << 8) | (pub.id << 24)) >>> 0)
                expect(s.memory.load(SUB.NOT_EVENT, 4)).toBe(0)
            }
            const ev = t.host.events.map(decodeRequest)
            expect(ev.map(e => e.mid)).toEqual(all)
            expect(ev.every(e => e.url === "alert/x" && e.action === ACTION_EVENT && e.sender === pub.id)).toBe(true)
            expect(subs.reduce((k, s) => k + s.dropped, 0)).toBe(0)
        })
    }

    it("exact urls only; an unsubscribed host and an uninstalled subscriber get nothing more", async () => {
        const t = makeRuntime()
        const sub = await t.rt.install("sub", await appImage(SUBSCRIBER_APP), true)
        await settle(t, [sub])
        t.rt.hostSubscribe("alert/x")
        for (const url of ["alert/x/", "alert", "/alert/x", "alert/x"]) t.rt.hostRequest(packRequest(ACTION_EVENT, url, 0, 1, 0, null))
        await settle(t, [sub])
        expect(subscriberMids(sub)).toEqual([1])
        expect(t.host.events.length).toBe(1)
        t.rt.hostUnsubscribe("alert/x")
        await t.rt.uninstall("sub")
        t.rt.hostRequest(packRequest(ACTION_EVENT, "alert/x", 0, 2, 0, null))
        await t.runFor(50)
        expect(t.host.events.length).toBe(1)
        expect(t.host.responses).toEqual([]) // events are never answered
    })
})

describe("request routing", () => {
    it("/app/NAME/rest goes to NAME with the url rewritten; unknown NAME gets 160; no slash after NAME is dropped", async () => {
        const t = makeRuntime()
        const a = await echo(t, "alpha", 65)
        await echo(t, "beta", 66)
        hostGet(t, "/app/alpha/rest/of?x=1", 11, Buffer.from("body"))
        hostGet(t, "/app/beta/", 12)
        hostGet(t, "/app/nobody/x", 13)
        hostGet(t, "/app/alpha", 14)
        await t.runFor(50)
        const r = t.host.responses
        expect(r.length).toBe(3)
        const byMid = new Map(r.map(b => [decodeResponse(b).mid, b]))
        expect(decodeResponse(byMid.get(11))).toMatchObject({ status: 65, receiver: HOST_ID })
        expect(echoed(byMid.get(11))).toMatchObject({ url: "rest/of?x=1", mid: 11, sender: HOST_ID })
        expect(decodeResponse(byMid.get(11)).payload.slice(-4).toString()).toBe("body")
        expect(echoed(byMid.get(12))).toMatchObject({ url: "" })
        expect(decodeResponse(byMid.get(12)).status).toBe(66)
        const err = decodeResponse(byMid.get(13))
        expect(err).toMatchObject({ status: 160, fmt: 99, receiver: HOST_ID })
        expect(err.payload.includes(Buffer.from("error message\0"))).toBe(true)
        expect(err.payload.includes(Buffer.from("Send request to applet failed: invalid applet name\0"))).toBe(true)
        expect(a.memory.load(ECHO.HANDLED, 4)).toBe(1)
    })

    it("a registered prefix matches per the ABI rule, url unchanged; no match: no reply", async () => {
        const t = makeRuntime()
        await echo(t, "res", 69, "/url1/")
        const cases: [string, boolean][] = [
            ["url1", true],
            ["/url1", true],
            ["/url1/x", true],
            ["url1?a=1", true],
            ["url10", false],
            ["/url", false],
            ["/other/url1", false],
        ]
        cases.forEach(([url], i) => hostGet(t, url, 100 + i))
        await t.runFor(50)
        const got = t.host.responses.map(echoed)
        expect(got.map(g => g.url)).toEqual(cases.filter(c => c[1]).map(c => c[0]))
        expect(got.map(g => g.mid)).toEqual(cases.map((c, i) => (c[1] ? 100 + i : -1)).filter(m => m >= 0))
    })

    it("newest registration wins; the same url twice keeps the first; an uninstalled app's urls are gone", async () => {
        const t = makeRuntime()
        await echo(t, "wide", 1, "/a/b")
        await echo(t, "wider", 2, "/a") // newer and matching /a/b/c too: it wins
        await echo(t, "again", 3, "/a") // already registered: ignored
        hostGet(t, "/a/b/c", 1)
        hostGet(t, "/a/x", 2)
        await t.runFor(50)
        expect(t.host.responses.map(b => decodeResponse(b).status)).toEqual([2, 2])
        await t.rt.uninstall("wider")
        hostGet(t, "/a/b/c", 3)
        hostGet(t, "/a/x", 4) // only "wider" had /a: dropped
        await t.runFor(50)
        expect(t.host.responses.slice(2).map(b => [decodeResponse(b).status, decodeResponse(b).mid])).toEqual([[1, 3]])
    })

    it("between apps: the response goes back to the requesting app with its mid; 160 for an unknown app", async () => {
        const t = makeRuntime()
        await echo(t, "echo", 69)
        const req = await t.rt.install("req", await appImage(REQUESTER_APP), true)
        await t.runFor(50)
        // /app/echo/hello answered by echo (mid 1); /nobody/here matches nothing: no response
        expect(t.host.lines).toEqual(["req: response 1", "req: status 69"])
        expect(t.host.responses).toEqual([])
        expect(req.traps).toBe(0)
    })

    it("host requests: the sender becomes the host, the response reaches HostSink.response with the same mid", async () => {
        const t = makeRuntime()
        await echo(t, "e", 69)
        const mids = [1, 0x7fffffff, 0xfffffff0, 12345]
        mids.forEach(m => hostGet(t, "/app/e/x", m))
        // an invalid packet is refused at once
        expect(t.rt.hostRequest(Buffer.from([1, 1, 0, 0]))).toBe(false)
        await t.runFor(50)
        expect(t.host.responses.map(b => decodeResponse(b).mid)).toEqual(mids)
        expect(t.host.responses.map(b => decodeResponse(b).receiver)).toEqual(mids.map(() => HOST_ID))
        expect(t.host.responses.map(b => echoed(b).sender)).toEqual(mids.map(() => HOST_ID))
    })
})

describe("request timeout and full queues", () => {
    it("request_sender alone: 160 for the app that is not there, then 'request timeout!' 5000 ms after sending", async () => {
        const s = supportImages()
        const t = makeRuntime({ libc: s.libc, wasi: s.wasi })
        const stamped = stampLines(t)
        const img = Buffer.from(compileAppImage(readFileSync(join(import.meta.dirname, "../../apps/samples/request_sender/request_sender.wasm"))).image)
        const app = await t.rt.install("request_sender", img, true)
        await t.runFor(4990)
        const before = stamped.map(l => l[1]).join("\n")
        expect(before).toContain("status:160")
        expect(before).not.toContain("timeout")
        await t.runFor(100)
        const timeouts = stamped.filter(l => l[1] === "request_sender: [req] request timeout!")
        expect(timeouts.length).toBe(1)
        const sent = 0 // on_init runs at virtual time 0
        expect(timeouts[0][0] - sent).toBeGreaterThanOrEqual(5000)
        expect(timeouts[0][0] - sent).toBeLessThanOrEqual(5000 + 20)
        await t.runFor(6000) // once only
        expect(stamped.filter(l => /timeout/.test(l[1])).length).toBe(1)
        expect(app.traps).toBe(0)
    })

    it("a burst beyond limits.queueLength: the rest are answered 163 and counted as dropped", async () => {
        const t = makeRuntime({ limits: { queueLength: 3 } })
        const app = await echo(t, "e", 69)
        for (let m = 1; m <= 7; m++) hostGet(t, "/app/e/x", m)
        // the refusals are immediate, before the app ran at all
        const refused = t.host.responses.map(decodeResponse)
        expect(refused.map(r => [r.mid, r.status])).toEqual([4, 5, 6, 7].map(m => [m, 163]))
        expect(refused[0].payload.includes(Buffer.from("app e is not taking requests (queue full)"))).toBe(true)
        expect(app.dropped).toBe(4)
        expect(app.lastError).toBe("queue full (3 messages or 1024 B): 4 dropped")
        await settle(t, [app])
        expect(t.host.responses.slice(4).map(b => [decodeResponse(b).mid, decodeResponse(b).status])).toEqual([1, 2, 3].map(m => [m, 69]))
        // with the queue drained, it takes requests again
        hostGet(t, "/app/e/x", 8)
        await settle(t, [app])
        expect(decodeResponse(t.host.responses.at(-1))).toMatchObject({ mid: 8, status: 69 })
        expect(app.dropped).toBe(4)
        expect(app.state).toBe(AppState.RUNNING)
    })

    it("a full subscriber queue drops events for that subscriber only", async () => {
        const t = makeRuntime({ limits: { queueLength: 2 } })
        const a = await t.rt.install("a", await appImage(SUBSCRIBER_APP), true)
        const b = await t.rt.install("b", await appImage(SUBSCRIBER_APP), true)
        await settle(t, [a, b])
        // a is busy: give it 2 events without letting it run, then publish 3 more to both
        for (let m = 1; m <= 2; m++) t.rt.enqueue(a, { kind: 2, arg: 0, data: packRequest(ACTION_EVENT, "alert/x", 0, m, 0, null) })
        for (let m = 3; m <= 5; m++) t.rt.hostRequest(packRequest(ACTION_EVENT, "alert/x", 0, m, 0, null))
        expect(a.dropped).toBe(3)
        expect(b.dropped).toBe(1) // b got 3, 4 and not 5
        await settle(t, [a, b])
        expect(subscriberMids(a)).toEqual([1, 2])
        expect(subscriberMids(b)).toEqual([3, 4])
    })
})

describe("start-up order", () => {
    it("a request sent from on_init reaches a resource registered in the on_init of an app installed before, even when that on_init takes many slices", async () => {
        const { makeRuntime, watImage } = await import("./helpers")
        // the handler spins over a dozen slices before registering "/slow"; the sender posts to it from its on_init
        const HANDLER = `(module
          (import "env" "memory" (memory 1))
          (import "env" "wasm_register_resource" (func $reg (param i32)))
          (import "env" "wasm_response_send" (func $send (param i32 i32) (result i32)))
          (data (i32.const 16) "/slow\\00")
          (global $n (mut i32) (i32.const 0))
          (func (export "on_init") (local $i i32)
            (loop $l (local.set $i (i32.add (local.get $i) (i32.const 1))) (br_if $l (i32.lt_u (local.get $i) (i32.const 1500))))
            (call $reg (i32.const 16)))
          (func (export "malloc") (param i32) (result i32) (i32.const 1024))
          (func (export "free") (param i32))
          (func (export "on_request") (param $p i32) (param $len i32)
            (global.set $n (i32.add (global.get $n) (i32.const 1))))
          (func (export "requests") (result i32) (global.get $n)))`
        // a packed PUT request to "/slow" (big-endian header, ABI §4) at 64, 24 bytes
        const SENDER = `(module
          (import "env" "memory" (memory 1))
          (import "env" "wasm_post_request" (func $post (param i32 i32)))
          (data (i32.const 64) "\\01\\03\\00\\00\\00\\00\\00\\01\\00\\00\\00\\00\\00\\06\\00\\00\\00\\00/slow\\00")
          (func (export "on_init") (call $post (i32.const 64) (i32.const 24))))`
        const t = makeRuntime()
        const handler = await t.rt.install("handler", await watImage(HANDLER), true)
        await t.rt.install("sender", await watImage(SENDER), true)
        await t.runFor(100)
        expect(handler.traps).toBe(0)
        const { Execution, callSync, ExternKind } = await import("../../interpreter/index")
        const ex = new Execution(1024, 8)
        callSync(ex, handler.inst, handler.inst.module.findExport("requests", ExternKind.FUNC))
        expect(ex.stack.getAt(0, "i32")).toBe(1)
    })
})
