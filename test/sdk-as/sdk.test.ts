// The AssemblyScript SDK (sdk/assemblyscript/) part by part, through its self-test app
// (sdk/assemblyscript/selftest/sdk-app.ts) built with the SDK's build script and run under Node's
// WebAssembly against the fake runtime: attr_container reading and writing (§5), sendRequest with its mid and timeout,
// events, URL routing (§7), timers, sensors, connections, malloc/free, and the abort mapping.

import { beforeAll, describe, expect, it } from "vitest"
import { compileToImage } from "../../compiler/index"
import { buildApp, FakeRuntime, LIBC_RESERVE } from "./fake-runtime"
import { Attr, packRequest, packResponse, unpackRequest, writeAttrs } from "./wire"

const HOST = 0xfffffffd
let wasm: Uint8Array

beforeAll(() => {
    wasm = buildApp("sdk/assemblyscript/selftest/sdk-app.ts")
}, 120_000) // asc takes seconds, more on a loaded machine

/** A started fixture; on_init's console line ("connection 7") is checked and dropped. */
async function app(): Promise<FakeRuntime> {
    const rt = await new FakeRuntime().load(wasm)
    rt.exports.on_init()
    expect(rt.console).toEqual(["connection 7"])
    rt.console = []
    return rt
}

let mid = 100
function request(rt: FakeRuntime, url: string, payload?: Uint8Array, action = 2, fmt = payload ? 99 : 0, sender = HOST): void {
    rt.deliver("on_request", packRequest({ action, fmt, mid: ++mid, sender, url, payload }))
}

/** The payload of the last response, after checking its header (§4). */
function lastPayload(rt: FakeRuntime): Uint8Array {
    const r = Buffer.from(rt.responses[rt.responses.length - 1])
    expect(r[0]).toBe(1)
    expect(r.readUInt32BE(4)).toBe(mid)
    expect(r.readUInt32BE(8)).toBe(HOST)
    expect(r.readUInt32BE(12)).toBe(r.length - 16)
    return new Uint8Array(r.subarray(16))
}

const ALL_TYPES: [string, Attr][] = [
    ["i8", { type: 0, value: -5 }],
    ["i16", { type: 1, value: -30000 }],
    ["i32", { type: 2, value: -2000000000 }],
    ["i64", { type: 3, value: -(2n ** 62n) - 3n }],
    ["u8", { type: 4, value: 250 }],
    ["u16", { type: 5, value: 65000 }],
    ["u32", { type: 6, value: 4000000000 }],
    ["u64", { type: 7, value: 2n ** 63n + 5n }],
    ["f32", { type: 10, value: 1.5 }],
    ["f64", { type: 11, value: -1234.0625 }],
    ["yes", { type: 12, value: true }],
    ["str", { type: 13, value: "héllo" }],
    ["bytes", { type: 14, value: new Uint8Array([0, 1, 2, 255]) }],
]

describe("AssemblyScript SDK", () => {
    it("the fixture compiles to a device image", () => {
        expect(compileToImage(wasm).length).toBeGreaterThan(0)
    })

    it("attr_container: every type read and written back byte for byte; slack ignored, none written", async () => {
        const rt = await app()
        request(rt, "/copy", writeAttrs("all types", ALL_TYPES, 100))
        expect(rt.responses[0][1]).toBe(69)
        expect(Buffer.from(lastPayload(rt)).toString("hex")).toBe(Buffer.from(writeAttrs("all types", ALL_TYPES)).toString("hex"))
    })

    it("attr_container: numbers convert across types; setting a key again replaces it", async () => {
        const rt = await app()
        request(rt, "/sum", writeAttrs("", [["a", { type: 0, value: -1 }], ["b", { type: 6, value: 7 }], ["c", { type: 11, value: 2.5 }], ["t", { type: 12, value: true }]]))
        // n = -1 + 7 + 2 (2.5 truncated) + 1; d = -1 + 7 + 2.5 + 1
        const want = writeAttrs("sum", [["n", { type: 3, value: 9n }], ["d", { type: 11, value: 9.5 }], ["missing", { type: 12, value: false }]])
        expect(Buffer.from(lastPayload(rt)).toString("hex")).toBe(Buffer.from(want).toString("hex"))
    })

    it("attr_container: a malformed container is rejected (400), not read past its end", async () => {
        const rt = await app()
        const good = writeAttrs("t", [["k", { type: 13, value: "vvvv" }]])
        for (const bad of [good.subarray(0, good.length - 2), good.subarray(0, 7), Uint8Array.from([...good.subarray(0, 12), 9, ...good.subarray(13)])]) {
            request(rt, "/copy", bad)
            expect(rt.responses[rt.responses.length - 1][1]).toBe(128)
        }
    })

    it("sendRequest: mids count from 1, the response goes to its handler, an unanswered one times out after 5000 ms", async () => {
        const rt = await app()
        rt.now = 1000
        request(rt, "/ask/x", new Uint8Array([1, 2, 3]), 3, 98)
        const sent = unpackRequest(rt.posted[0])
        expect(sent).toEqual({ action: 3, fmt: 98, mid: 1, sender: 0, url: "/other/x", payload: new Uint8Array([1, 2, 3]) })
        rt.deliver("on_response", packResponse({ status: 69, fmt: 0, mid: 1, receiver: 1, payload: new Uint8Array(5) }))
        rt.deliver("on_response", packResponse({ status: 69, fmt: 0, mid: 1, receiver: 1 })) // already answered: ignored
        rt.now = 2000
        request(rt, "/ask/y", undefined, 1)
        expect(unpackRequest(rt.posted[1]).mid).toBe(2)
        rt.advanceTo(6999)
        expect(rt.console).toEqual(["asked mid 1", "response 69 mid 1 bytes 5", "asked mid 2"])
        rt.advanceTo(7000)
        expect(rt.console[3]).toBe("timeout")
        rt.advanceTo(60000)
        expect(rt.console.length).toBe(4)
        expect([...rt.timers.values()].filter((t) => t.armed)).toEqual([])
    })

    it("events: subscribe registers the url; events reach the handler; publish posts action 6", async () => {
        const rt = await app()
        expect(rt.subscriptions).toEqual(["alert/overheat"])
        request(rt, "alert/overheat", new Uint8Array(3), 6, 98, 2)
        request(rt, "alert/other", undefined, 6, 0, 2)
        expect(rt.console).toEqual(["event alert/overheat from 2 bytes 3", "on_request: exit. no service handler"])
        request(rt, "/pub", new Uint8Array([9, 8]), 2, 98)
        const ev = unpackRequest(rt.posted[0])
        expect(ev).toMatchObject({ action: 6, fmt: 98, url: "alert/fire", payload: new Uint8Array([9, 8]) })
    })

    it("routing follows §7: prefix then / or ?, newest registration first", async () => {
        const rt = await app()
        for (const url of ["/a", "a/x", "a?q=1", "/a/b", "a/b/c", "/ab", "/a/bc"]) request(rt, url, undefined, 1)
        expect(rt.console).toEqual(["a /a", "a a/x", "a a?q=1", "a/b /a/b", "a/b a/b/c", "on_request: exit. no service handler", "a /a/bc"])
    })

    it("UTF-8 (utf8.ts): valid text decodes and encodes back exactly; malformed bytes become U+FFFD as TextDecoder makes them", async () => {
        const rt = await app()
        const texts = ["", "plain", "héllo wörld", "€ 1,5", "日本語テキスト", "😀🚀 a\u{10FFFF}\u{10000}", "\u07ff\u0800\uffff\u0080"]
        for (const t of texts) {
            request(rt, "/utf8", Buffer.from(t), 2, 98)
            expect(Buffer.from(lastPayload(rt)).toString("hex"), t).toBe(Buffer.from(t).toString("hex"))
            expect(rt.console.pop()).toBe(`units ${t.length}`)
        }
        const bad = [[0xff, 0x41], [0xe2, 0x82], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80, 0x41, 0xc3]]
        for (const b of bad) {
            request(rt, "/utf8", Uint8Array.from(b), 2, 98)
            const want = Buffer.from(new TextDecoder().decode(Uint8Array.from(b)))
            const got = Buffer.from(lastPayload(rt))
            // each malformed sequence is one U+FFFD here; TextDecoder may split one into several
            expect(got.toString().replace(/\uFFFD+/g, "?"), b.join(",")).toBe(want.toString().replace(/\uFFFD+/g, "?"))
        }
    })

    it("console lines: ASCII through the static buffer, non-ASCII and 256+ characters through a fresh one", async () => {
        const rt = await app()
        const long = "/a/" + "x".repeat(300)
        for (const url of ["/a/é€😀", long, "/a/ok"]) request(rt, url, undefined, 1)
        expect(rt.console).toEqual(["a /a/é€😀", `a ${long}`, "a /a/ok"])
    })

    it("timers: creation stops at the runtime's pool; one-shots fire once and give their slot back", async () => {
        const rt = await app()
        rt.timerPool = 4
        request(rt, "/timers")
        expect(rt.console).toEqual(["timers 4"])
        rt.advanceTo(1000)
        expect(rt.console.slice(1)).toEqual(["one-shot 1", "one-shot 2", "one-shot 3", "one-shot 4"])
        expect(rt.timers.size).toBe(0)
        expect(rt.calls.filter((c) => c.name === "wasm_timer_destroy").map((c) => c.args[0])).toEqual([1, 2, 3, 4])
    })

    it("sensors: open and config reach the runtime; readings are parsed and dispatched by id", async () => {
        const rt = await app()
        expect([...rt.sensors.values()]).toEqual(["sensor_test1#0"])
        expect(rt.calls.find((c) => c.name === "wasm_sensor_config")?.args).toEqual([0, 1000, 0, 0])
        for (let v = 1; v <= 4; v++) {
            rt.deliver("on_sensor_event", writeAttrs("read test sensor data", [["name", { type: 13, value: "read test sensor" }], ["value", { type: 2, value: v }]], 100), 0)
        }
        expect(rt.console.filter((l) => l.startsWith("reading"))).toEqual([1, 2, 3].map((v) => `reading sensor_test1 read test sensor data read test sensor ${v}`))
        expect(rt.sensors.size).toBe(0) // closed after the third
    })

    it("connections: args go as an attr_container; data is delivered and echoed; (h, 0, 0) means closed", async () => {
        const rt = await app()
        expect(rt.opened.length).toBe(1)
        expect(rt.opened[0].name).toBe("TCP")
        const args = writeAttrs("", [["address", { type: 13, value: "127.0.0.1" }], ["port", { type: 5, value: 8000 }]])
        expect(Buffer.from(rt.opened[0].args).toString("hex")).toBe(Buffer.from(args).toString("hex"))
        rt.deliver("on_connection_data", new Uint8Array([5, 6, 7]), 7)
        expect(rt.connectionsSent).toEqual([new Uint8Array([5, 6, 7])])
        rt.exports.on_connection_data(7, 0, 0)
        rt.exports.on_connection_data(7, 0, 0) // gone: ignored
        expect(rt.console).toEqual(["data 3", "closed 7"])
    })

    it("allocator (rt/alloc.ts): 20000 random mallocs and frees keep every block intact, inside the heap and apart; freeing all gives the whole heap back", async () => {
        const rt = await app()
        const { malloc, free } = rt.exports
        const hb = (rt.app.exports.__heap_base as WebAssembly.Global).value as number
        const largest = (): number => { // binary search for the biggest block the heap can give now
            let lo = 0
            let hi = 65536
            while (lo < hi) {
                const mid = (lo + hi + 1) >> 1
                const p = malloc(mid) as number
                if (p) { free(p); lo = mid } else hi = mid - 1
            }
            return lo
        }
        const before = largest()
        expect(before).toBeGreaterThan(40000)
        let seed = 12345
        const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n
        const live = new Map<number, { size: number; tag: number }>()
        const mem = () => new Uint8Array(rt.mem.buffer)
        for (let step = 0; step < 20000; step++) {
            if (live.size > 0 && (rand(3) === 0 || live.size > 60)) { // about 60 live blocks most of the time
                const keys = [...live.keys()]
                const p = keys[rand(keys.length)]
                const { size, tag } = live.get(p)!
                const m = mem()
                for (let i = 0; i < size; i++) if (m[p + i] !== ((tag + i) & 255)) throw new Error(`block ${p} corrupted at ${i}`)
                free(p)
                live.delete(p)
            } else {
                const size = rand(8) === 0 ? rand(3000) : rand(100)
                const p = malloc(size) as number
                if (p === 0) continue // full: allowed, and nothing changed
                expect(p % 16).toBe(0)
                expect(p).toBeGreaterThanOrEqual(hb + LIBC_RESERVE)
                expect(p + size).toBeLessThanOrEqual(65520)
                for (const [q, b] of live) if (p < q + b.size && q < p + Math.max(size, 1)) throw new Error(`blocks ${p} and ${q} overlap`)
                const tag = rand(256)
                mem().set(Uint8Array.from({ length: size }, (_, i) => (tag + i) & 255), p)
                live.set(p, { size, tag })
            }
        }
        // in address order, so that each block must merge with the free one before it
        for (const p of [...live.keys()].sort((x, y) => x - y)) free(p)
        expect(largest()).toBe(before)
    })

    it("malloc/free: 16-byte aligned, freed blocks are reused, free(0) is a no-op", async () => {
        const rt = await app()
        const { malloc, free } = rt.exports
        const a = malloc(100) as number
        const b = malloc(100) as number
        expect(a % 16).toBe(0)
        expect(b % 16).toBe(0)
        expect(b).not.toBe(a)
        free(a)
        free(0)
        expect(malloc(100)).toBe(a)
        // neighbours merge: a and b freed give one block of both at a (c keeps them off the heap's end)
        const c = malloc(100) as number
        free(a)
        free(b)
        expect(malloc(200)).toBe(a)
        free(c)
    })

    it("an AssemblyScript abort prints its message and place, then calls env.abort(line)", async () => {
        const rt = await app()
        expect(() => request(rt, "/crash", undefined, 1)).toThrow("env.abort(")
        const m = /^abort: Index out of range at ~lib\/array\.ts:(\d+):\d+$/.exec(rt.console[0])
        expect(m, rt.console[0]).not.toBeNull()
        expect(rt.aborts).toEqual([Number(m![1])])
    })
})
