// The committed sample apps (apps/samples/*.wasm) run under Node's WebAssembly with the stub
// runtime (stub-env.ts): each does what WAMR's sample of the same name does, prints what it
// prints, sends the bytes the ABI doc says (§4, §5) and leaves no heap blocks behind. Twice:
// with the stub's JS libc, and with the runtime's real libc (sdk/libc/libc.wasm) on the app's
// memory, so the SDK's headers and the libc agree on every signature and format.

import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { instantiate, StubApp } from "./stub-env"
import { cstring, decodeContainer, encodeContainer, f64le, packRequest, packResponse, unpackRequest, unpackResponse } from "./formats"

const SAMPLES = join(__dirname, "../../apps/samples")
const LIBC_PATH = join(__dirname, "../../sdk/libc/libc.wasm")
const none = new Uint8Array()

/** ids of the timers the app created that are armed now */
const armed = (app: StubApp) => [...app.timers].filter(([, t]) => t.armedAt !== null).map(([id]) => id)

for (const libcName of ["the stub's libc", "sdk/libc/libc.wasm"]) describe(`C samples under a stub runtime, with ${libcName}`, () => {
    const libc = libcName.startsWith("sdk") ? new Uint8Array(readFileSync(LIBC_PATH)) : undefined
    const load = (rel: string, opts = {}) => instantiate(new Uint8Array(readFileSync(join(SAMPLES, rel))), { ...opts, libc })

    it("timer: a periodic 1 s timer, started by restart, prints its count", () => {
        const app = load("timer/timer.wasm")
        app.exports.on_init()
        expect(app.callsOf("wasm_create_timer").map((c) => c.args)).toEqual([[1000, 1, 0]])
        expect(app.callsOf("wasm_timer_restart").map((c) => c.args)).toEqual([[1, 1000]])
        const blocks = app.live.size
        for (let i = 0; i < 3; i++) app.exports.on_timer_callback(1)
        app.exports.on_timer_callback(2) // not its timer
        expect(app.takeOutput()).toBe("Timer update 0\nTimer update 1\nTimer update 2\n")
        expect(app.live.size).toBe(blocks)
    })

    it("event_publisher: every tick publishes alert/overheat with {warning} (fmt 99)", () => {
        const app = load("event_publisher/event_publisher.wasm")
        app.exports.on_init()
        const [id] = armed(app)
        const blocks = app.live.size
        app.exports.on_timer_callback(id)
        app.exports.on_timer_callback(id)
        const posts = app.callsOf("wasm_post_request").map((c) => unpackRequest(c.bytes!))
        expect(posts.map((p) => [p.action, p.fmt, p.url, p.mid])).toEqual([[6, 99, "alert/overheat", 1], [6, 99, "alert/overheat", 2]])
        expect(posts[0].payload).toEqual(
            encodeContainer("event", [{ key: "warning", type: 13, value: cstring("temperature is over high") }], 100 - 2 - 38),
        )
        expect(posts[0].payload.length).toBe(2 + 4 + 2 + 6 + 100)
        expect(app.live.size).toBe(blocks)
    })

    it("event_subscriber: subscribes to alert/overheat and dumps each event", () => {
        const app = load("event_subscriber/event_subscriber.wasm")
        app.exports.on_init()
        expect(app.callsOf("wasm_sub_event").map((c) => c.str)).toEqual(["alert/overheat"])
        const blocks = app.live.size
        const event = encodeContainer("event", [{ key: "warning", type: 13, value: cstring("temperature is over high") }])
        app.deliver("on_request", [], packRequest({ action: 6, fmt: 99, mid: 1, sender: 1, url: "alert/overheat", payload: event }))
        expect(app.takeOutput()).toBe(
            "### user over heat event handler called\nAttribute container dump:\nTag: event\nAttribute list:\n" +
                "  key: warning, type: string, value: temperature is over high\n\n",
        )
        // without a payload: the handler only; another event URL: no handler
        app.deliver("on_request", [], packRequest({ action: 6, fmt: 0, mid: 2, sender: 1, url: "alert/overheat", payload: none }))
        app.deliver("on_request", [], packRequest({ action: 6, fmt: 0, mid: 3, sender: 1, url: "alert/cold", payload: none }))
        expect(app.takeOutput()).toBe("### user over heat event handler called\non_request: exit. no service handler\n")
        expect(app.live.size).toBe(blocks)
    })

    it("request_handler: /url1 answers 2.05 with {key1, key2}, /url2 answers 2.02, to the sender with the request's mid", () => {
        const app = load("request_handler/request_handler.wasm")
        app.exports.on_init()
        expect(app.callsOf("wasm_register_resource").map((c) => c.str)).toEqual(["/url1", "/url2"])
        const blocks = app.live.size
        const query = encodeContainer("", [{ key: "n", type: 11, value: f64le(3) }])
        app.deliver("on_request", [], packRequest({ action: 3, fmt: 99, mid: 7, sender: 0xfffffffd, url: "url1", payload: query }))
        app.deliver("on_request", [], packRequest({ action: 4, fmt: 0, mid: 8, sender: 2, url: "/url2", payload: none }))
        app.deliver("on_request", [], packRequest({ action: 1, fmt: 0, mid: 9, sender: 2, url: "url10", payload: none }))
        const [r1, r2, more] = app.callsOf("wasm_response_send").map((c) => unpackResponse(c.bytes!))
        expect(more).toBeUndefined()
        expect([r1.status, r1.fmt, r1.mid, r1.receiver]).toEqual([69, 99, 7, 0xfffffffd])
        const payload = decodeContainer(r1.payload)
        expect(payload.tag).toBe("wasm app response payload")
        expect(payload.attrs.map((a) => [a.key, new TextDecoder().decode(a.value)])).toEqual([["key1", "value1\0"], ["key2", "value2\0"]])
        expect(r1.payload.length).toBe(2 + 4 + 2 + 26 + 100) // WAMR's 134 bytes: the attributes fit the slack
        expect(r2).toEqual({ status: 66, fmt: 0, mid: 8, receiver: 2, payload: none })
        expect(app.takeOutput()).toBe(
            "[resp] ### user resource 1 handler called\nAttribute container dump:\nTag: \nAttribute list:\n" +
                "  key: n, type: double, value: 3.000000\n\n" +
                "### user resource 2 handler called\non_request: exit. no service handler\n",
        )
        expect(app.live.size).toBe(blocks)
    })

    it("request_sender: two PUTs, the responses printed, a request without an answer times out after 5 s", () => {
        const app = load("request_sender/request_sender.wasm")
        app.tick.now = 2000
        app.exports.on_init()
        const sent = app.callsOf("wasm_post_request").map((c) => unpackRequest(c.bytes!))
        expect(sent.map((r) => [r.action, r.fmt, r.mid, r.url, r.payload.length])).toEqual([
            [3, 0, 1, "/app/request_handler/url1", 0],
            [3, 0, 2, "url1", 0],
        ])
        const [timer] = armed(app)
        expect(app.timers.get(timer)).toMatchObject({ interval: 5000, armedAt: 2000, periodic: false })

        const payload = encodeContainer("wasm app response payload", [{ key: "key1", type: 13, value: cstring("value1") }])
        app.tick.now = 2100
        app.deliver("on_response", [], packResponse({ status: 69, fmt: 99, mid: 1, receiver: 2, payload }))
        const out = app.takeOutput()
        expect(out).toMatch(
            new RegExp(`^\\[req\\] response handler called mid:1, status:69, fmt:99, payload:0x[0-9a-f]+, len:${payload.length}, tag:a request to target app\n`),
        )
        expect(out.slice(out.indexOf("\n") + 1)).toBe(
            "[req] dump the response payload:\nAttribute container dump:\nTag: wasm app response payload\nAttribute list:\n" +
                "  key: key1, type: string, value: value1\n\n",
        )
        app.tick.now = 7000
        app.exports.on_timer_callback(timer)
        expect(app.takeOutput()).toBe("[req] request timeout!\n")
        expect(armed(app)).toEqual([])
        // what is left on the heap: the timer (kept for the app's life), nothing per request
        expect(app.live.size).toBe(1)
    })

    it("sensor_filter: opens sensor_test1 (1 s) and sensor_test2 (5 s), prints readings, averages `value`, stops on destroy", () => {
        const ids: Record<string, number> = { sensor_test1: 10, sensor_test2: 20 }
        const app = load("sensor_filter/sensor_filter.wasm", { sensorOpen: (name: string) => ids[name] ?? -1 })
        app.exports.on_init()
        expect(app.callsOf("wasm_sensor_config").map((c) => c.args)).toEqual([[10, 1000, 0, 0], [20, 5000, 0, 0]])
        const blocks = app.live.size

        // WAMR's test sensor: a name and no value
        const test = encodeContainer("read test sensor data", [{ key: "name", type: 13, value: cstring("read test sensor") }])
        app.deliver("on_sensor_event", [20], test)
        expect(app.takeOutput()).toBe(
            "### app get sensor event from sensor2\nAttribute container dump:\nTag: read test sensor data\nAttribute list:\n" +
                "  key: name, type: string, value: read test sensor\n\n",
        )
        const averages: string[] = []
        for (const v of [10, 20, 30, 40, 50]) {
            app.deliver("on_sensor_event", [10], encodeContainer("reading", [{ key: "value", type: 11, value: f64le(v) }]))
            averages.push(app.takeOutput().split("\n").at(-2)!)
        }
        expect(averages).toEqual([
            "sensor1 value: 10.000000, average of 1: 10.000000",
            "sensor1 value: 20.000000, average of 2: 15.000000",
            "sensor1 value: 30.000000, average of 3: 20.000000",
            "sensor1 value: 40.000000, average of 4: 25.000000",
            "sensor1 value: 50.000000, average of 4: 35.000000",
        ])
        expect(app.live.size).toBe(blocks)
        app.exports.on_destroy()
        expect(app.callsOf("wasm_sensor_config").slice(2).map((c) => c.args)).toEqual([[10, 0, 0, 0], [20, 0, 0, 0]])
    })

    it("sensor_filter: says which sensor it could not open", () => {
        const app = load("sensor_filter/sensor_filter.wasm", { sensorOpen: (name: string) => (name === "sensor_test1" ? -1 : 4) })
        app.exports.on_init()
        expect(app.takeOutput()).toBe("open sensor_test1 failed\n")
        expect(app.callsOf("wasm_sensor_config").map((c) => c.args)).toEqual([[4, 5000, 0, 0]])
    })

    it("wasi_hello built with the SDK: main prints its three lines and frees its buffer", () => {
        const app = load("wasi_hello/hello.sdk.wasm")
        expect(app.exports.__main_argc_argv(0, 0)).toBe(0)
        expect(app.takeOutput()).toMatch(/^Hello world!\nbuf ptr: 0x[0-9a-f]+\nbuf: 1234\n$/)
        expect(app.live.size).toBe(0)
    })
})
