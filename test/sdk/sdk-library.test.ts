// The C SDK's app-side library (sdk/c/lib/), unit by unit: test/sdk/harness.c exports its
// functions, is built with sdk/c/wasmlet-cc like any app, and runs under Node's WebAssembly
// with the stub runtime (stub-env.ts). Bytes are checked against the ABI doc's formats
// (formats.ts): attr_container (§5), packed requests and responses (§4), URL matching (§7),
// and the library's bookkeeping: transactions and their 5 s timeout, timers, sensors,
// connections, request/event dispatch, and that nothing leaks.

import { beforeAll, beforeEach, describe, expect, it } from "vitest"
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { loadModule } from "../../compiler/load-module"
import { instantiate as stubInstantiate, StubApp, StubOptions } from "./stub-env"
import { cstring, decodeContainer, encodeContainer, f64le, i32le, packRequest, packResponse, unpackRequest, unpackResponse } from "./formats"

const REPO = join(__dirname, "../..")
const toolchain = ["clang", "wasm-ld"].every((t) => spawnSync(t, ["--version"], { stdio: "ignore" }).status === 0)
if (!toolchain) console.warn("test/sdk: clang / wasm-ld not installed, the SDK library tests are skipped (apt-get install clang lld)")

let harnessWasm: Uint8Array
beforeAll(() => {
    if (!toolchain) return
    const dir = mkdtempSync(join(tmpdir(), "wasmlet-harness-"))
    try {
        execFileSync(join(REPO, "sdk/c/wasmlet-cc"), ["-o", join(dir, "h.wasm"), join(__dirname, "harness.c")], { stdio: "pipe" })
        harnessWasm = new Uint8Array(readFileSync(join(dir, "h.wasm")))
    } finally {
        rmSync(dir, { recursive: true, force: true })
    }
})

let app: StubApp
let x: Record<string, any>
const s = (str: string) => app.putString(str)
const bytes = (p: number, n: number) => app.mem().slice(p, p + n)
const containerAt = (c: number) => bytes(c, x.serialize_length(c))
const log = (): number[] => Array.from({ length: x.log_len() }, (_, i) => x.log_at(i))

// §5's example: the query reply with one app (121 bytes)
const APPLETS_INFO = encodeContainer(
    "Applets Info",
    [
        { key: "num", type: 2, value: i32le(1) },
        { key: "applet1", type: 13, value: cstring("timer") },
        { key: "heap1", type: 2, value: i32le(8192) },
    ],
    100 - 2 - 11 - 19 - 13,
)

const LIBC = new Uint8Array(readFileSync(join(REPO, "sdk/libc/libc.wasm")))

describe.skipIf(!toolchain)("C SDK headers", () => {
    it("every declared function is defined by the library or is a listed runtime import (api-surface.c links)", () => {
        const dir = mkdtempSync(join(tmpdir(), "wasmlet-api-"))
        try {
            execFileSync(join(REPO, "sdk/c/wasmlet-cc"), ["-o", join(dir, "api.wasm"), join(__dirname, "api-surface.c")], { stdio: "pipe" })
            const m = loadModule(new Uint8Array(readFileSync(join(dir, "api.wasm"))))
            const listed = new Set(readFileSync(join(REPO, "sdk/c/defined-symbols.txt"), "utf8").split("\n").filter(Boolean))
            for (const imp of m.imports) expect(imp.module === "env" && listed.has(imp.name), imp.name).toBe(true)
            // and every listed import is reachable from the headers, but the two no header declares
            // (_strdup is strdup's alias; WAMR's abort takes an argument, C's does not)
            expect(m.imports.map((i) => i.name).sort()).toEqual([...listed].filter((n) => n !== "_strdup" && n !== "abort").sort())
        } finally {
            rmSync(dir, { recursive: true, force: true })
        }
    })
})

// with the stub's JS libc, then with the runtime's real one (sdk/libc/libc.wasm)
for (const withLibc of [false, true]) describe.skipIf(!toolchain)(`C SDK app library${withLibc ? ", with sdk/libc/libc.wasm" : ""}`, () => {
    const instantiate = (wasm: Uint8Array, opts: StubOptions = {}) => stubInstantiate(wasm, { ...opts, libc: withLibc ? LIBC : undefined })
    beforeEach(() => {
        app = instantiate(harnessWasm)
        x = app.exports
    })

    describe("attr_container (ABI §5)", () => {
        it("encodes the 121-byte query reply of §5 exactly", () => {
            expect(APPLETS_INFO.length).toBe(121)
            expect(Array.from(APPLETS_INFO.subarray(0, 8))).toEqual([0, 0, 0x77, 0, 0, 0, 0x0d, 0])
            let c = x.create(s("Applets Info"))
            c = x.set_int(c, s("num"), 1)
            c = x.set_string(c, s("applet1"), s("timer"))
            c = x.set_int(c, s("heap1"), 8192)
            expect(x.serialize_length(c)).toBe(121)
            expect(containerAt(c)).toEqual(APPLETS_INFO)
        })

        it("decodes it: tag, count, values, missing keys, and WAMR's dump text", () => {
            const c = app.put(APPLETS_INFO)
            expect(app.cstr(x.get_tag(c))).toBe("Applets Info")
            expect(x.get_attr_num(c)).toBe(3)
            expect(x.get_int(c, s("num"))).toBe(1)
            expect(x.get_int(c, s("heap1"))).toBe(8192)
            expect(app.cstr(x.get_string(c, s("applet1")))).toBe("timer")
            expect(x.contain_key(c, s("heap1"))).toBe(1)
            expect(x.contain_key(c, s("heap"))).toBe(0)
            expect(x.get_int(c, s("heap"))).toBe(0)
            expect(x.get_string(c, s("nope"))).toBe(0)
            x.dump(c)
            expect(app.takeOutput()).toBe(
                "Attribute container dump:\nTag: Applets Info\nAttribute list:\n" +
                    "  key: num, type: int, value: 0x1\n" +
                    "  key: applet1, type: string, value: timer\n" +
                    "  key: heap1, type: int, value: 0x2000\n\n",
            )
        })

        it("writes every type with its §5 code and size, and reads each back", () => {
            let c = x.create(0) // no tag: tag_len 1, an empty tag
            c = x.set_byte(c, s("i8"), -2)
            c = x.set_short(c, s("i16"), -300)
            c = x.set_int(c, s("i32"), -70000)
            c = x.set_int64(c, s("i64"), -5000000000n)
            c = x.set_uint8(c, s("u8"), 200)
            c = x.set_uint16(c, s("u16"), 7777)
            c = x.set_uint32(c, s("u32"), 0xfffffff0 | 0)
            c = x.set_uint64(c, s("u64"), 0xfedcba9876543210n)
            c = x.set_float(c, s("f"), 1.5)
            c = x.set_double(c, s("d"), -2.25)
            c = x.set_bool(c, s("b"), 1)
            c = x.set_string(c, s("str"), s("hi"))
            c = x.set_bytearray(c, s("arr"), app.put(new Uint8Array([9, 8, 7])), 3)
            expect(c).not.toBe(0)

            const d = decodeContainer(containerAt(c))
            expect(d.tag).toBe("")
            expect(d.attrs.map((a) => [a.key, a.type, a.value.length])).toEqual([
                ["i8", 0, 1], ["i16", 1, 2], ["i32", 2, 4], ["i64", 3, 8], ["u8", 4, 1], ["u16", 5, 2], ["u32", 6, 4],
                ["u64", 7, 8], ["f", 10, 4], ["d", 11, 8], ["b", 12, 1], ["str", 13, 3], ["arr", 14, 3],
            ])
            const dv = (k: string) => {
                const a = d.attrs.find((a) => a.key === k)!.value
                return new DataView(a.buffer, a.byteOffset, a.byteLength)
            }
            expect(dv("i16").getInt16(0, true)).toBe(-300)
            expect(dv("u16").getUint16(0, true)).toBe(7777)
            expect(dv("i64").getBigInt64(0, true)).toBe(-5000000000n)
            expect(dv("f").getFloat32(0, true)).toBe(1.5)
            expect(Array.from(d.attrs.find((a) => a.key === "arr")!.value)).toEqual([9, 8, 7])
            expect(d.slack.every((b) => b === 0)).toBe(true)

            expect(x.get_byte(c, s("i8"))).toBe(-2)
            expect(x.get_short(c, s("i16"))).toBe(-300)
            expect(x.get_int(c, s("i32"))).toBe(-70000)
            expect(x.get_int64(c, s("i64"))).toBe(-5000000000n)
            expect(x.get_uint8(c, s("u8"))).toBe(200)
            expect(x.get_uint16(c, s("u16"))).toBe(7777)
            expect(x.get_uint32(c, s("u32")) >>> 0).toBe(0xfffffff0)
            expect(BigInt.asUintN(64, x.get_uint64(c, s("u64")))).toBe(0xfedcba9876543210n)
            expect(x.get_float(c, s("f"))).toBe(1.5)
            expect(x.get_double(c, s("d"))).toBe(-2.25)
            expect(x.get_bool(c, s("b"))).toBe(1)
            expect(app.cstr(x.get_string(c, s("str")))).toBe("hi")
            const lenCell = app.put(new Uint8Array(4))
            const arr = x.get_bytearray(c, s("arr"), lenCell)
            expect(app.view().getUint32(lenCell, true)).toBe(3)
            expect(Array.from(bytes(arr, 3))).toEqual([9, 8, 7])
            // a fixed-size value as bytes: its 1 << (type & 3) bytes
            x.get_bytearray(c, s("i64"), lenCell)
            expect(app.view().getUint32(lenCell, true)).toBe(8)

            x.dump(c)
            expect(app.takeOutput()).toBe(
                "Attribute container dump:\nTag: \nAttribute list:\n" +
                    "  key: i8, type: byte, value: 0xfe\n" +
                    "  key: i16, type: short, value: 0xfed4\n" +
                    "  key: i32, type: int, value: 0xfffeee90\n" +
                    "  key: i64, type: int64, value: 0xfffffffed5fa0e00\n" +
                    "  key: u8, type: uint8, value: 0xc8\n" +
                    "  key: u16, type: uint16, value: 0x1e61\n" +
                    "  key: u32, type: uint32, value: 0xfffffff0\n" +
                    "  key: u64, type: int64, value: 0xfedcba9876543210\n" +
                    "  key: f, type: float, value: 1.500000\n" +
                    "  key: d, type: double, value: -2.250000\n" +
                    "  key: b, type: bool, value: 0x1\n" +
                    "  key: str, type: string, value: hi\n" +
                    "  key: arr, type: byte array, length: 3\n\n",
            )
        })

        it("converts between numeric types on get (a host's JSON numbers arrive as DOUBLE)", () => {
            let c = x.create(s("t"))
            c = x.set_double(c, s("d"), 41.75)
            c = x.set_byte(c, s("m1"), -1)
            c = x.set_int(c, s("i"), 7)
            c = x.set_string(c, s("str"), s("12"))
            expect(x.get_int(c, s("d"))).toBe(41)
            expect(x.get_uint8(c, s("d"))).toBe(41)
            expect(x.get_int(c, s("m1"))).toBe(-1)
            expect(x.get_int64(c, s("m1"))).toBe(-1n)
            expect(x.get_double(c, s("i"))).toBe(7)
            expect(x.get_float(c, s("d"))).toBe(41.75)
            expect(x.get_bool(c, s("d"))).toBe(1)
            expect(x.get_int(c, s("str"))).toBe(0) // strings are not numbers
        })

        it("replaces a key in place when the size is the same, else moves it to the end", () => {
            let c = x.create(s("r"))
            c = x.set_int(c, s("a"), 1)
            c = x.set_string(c, s("b"), s("xy"))
            c = x.set_int(c, s("c"), 3)
            const before = x.serialize_length(c)
            c = x.set_int(c, s("a"), 100)
            expect(decodeContainer(containerAt(c)).attrs.map((a) => a.key)).toEqual(["a", "b", "c"])
            c = x.set_string(c, s("b"), s("a longer value"))
            const d = decodeContainer(containerAt(c))
            expect(d.attrs.map((a) => a.key)).toEqual(["a", "c", "b"])
            expect(x.get_attr_num(c)).toBe(3)
            expect(x.get_int(c, s("a"))).toBe(100)
            expect(app.cstr(x.get_string(c, s("b")))).toBe("a longer value")
            expect(x.serialize_length(c)).toBe(before) // it fitted in the slack
            // shorter again: the bytes it gave up are zero
            c = x.set_string(c, s("b"), s("z"))
            expect(decodeContainer(containerAt(c)).slack.every((b) => b === 0)).toBe(true)
            // a value taken from the container itself
            c = x.set_string(c, s("e"), x.get_string(c, s("b")))
            expect(app.cstr(x.get_string(c, s("e")))).toBe("z")
        })

        it("grows by the attribute + 100 bytes when the slack is full, keeping every attribute", () => {
            let c = x.create(s("g")) // total_len 4+2+2+100 = 108
            expect(x.serialize_length(c)).toBe(110)
            const keys: string[] = []
            let total = 108
            for (let i = 0; i < 12; i++) {
                const key = `key${i}`
                const used = decodeContainer(containerAt(c))
                const usedBytes = 2 + 4 + 2 + 2 + 2 + used.attrs.reduce((n, a) => n + 2 + a.key.length + 1 + 1 + a.value.length, 0)
                const attrLen = 2 + key.length + 1 + 1 + 8
                if (usedBytes + attrLen > 2 + total) total += attrLen + 100
                c = x.set_double(c, s(key), i * 1.5)
                keys.push(key)
                expect(x.serialize_length(c), key).toBe(2 + total)
            }
            expect(total).toBeGreaterThan(108) // it did grow
            const d = decodeContainer(containerAt(c))
            expect(d.attrs.map((a) => a.key)).toEqual(keys)
            expect(x.get_double(c, s("key11"))).toBe(16.5)
            expect(d.slack.every((b) => b === 0)).toBe(true)
            x.destroy(c)
        })

        it("serialize marks the copy read-only, and setters refuse read-only, NULL and empty keys", () => {
            let c = x.create(s("ro"))
            c = x.set_int(c, s("a"), 1)
            const buf = app.put(new Uint8Array(x.serialize_length(c)))
            expect(x.serialize(buf, c)).toBe(1)
            expect(app.view().getUint16(buf, true)).toBe(4) // bit 2
            expect(Array.from(bytes(buf + 2, x.serialize_length(c) - 2))).toEqual(Array.from(containerAt(c).subarray(2)))
            expect(x.is_constant(buf)).toBe(1)
            expect(x.is_constant(c)).toBe(0)
            expect(x.set_int(buf, s("b"), 2)).toBe(0)
            expect(x.get_attr_num(buf)).toBe(1)
            const cell = app.put(i32le(c))
            expect(x.set_int_raw(cell, 0, 1)).toBe(0)
            expect(x.set_int_raw(cell, s(""), 1)).toBe(0)
            expect(x.set_int_raw(0, s("k"), 1)).toBe(0)
            expect(x.set_int_raw(app.put(i32le(0)), s("k"), 1)).toBe(0)
            expect(x.get_attr_num(c)).toBe(1)
        })

        it("never reads past a malformed container: lookups fail, setters refuse, dump stops", () => {
            // an attribute whose string claims 200 bytes in a 121-byte container
            const bad = APPLETS_INFO.slice()
            new DataView(bad.buffer).setUint16(8 + 13 + 2 + 11 + 2 + 8 + 1, 200, true)
            const c = app.put(bad)
            expect(x.get_int(c, s("heap1"))).toBe(0)
            expect(x.contain_key(c, s("heap1"))).toBe(0)
            expect(x.set_int(c, s("z"), 1)).toBe(0)
            x.dump(c)
            expect(app.takeOutput()).toBe("Attribute container dump:\nTag: Applets Info\nAttribute list:\n  key: num, type: int, value: 0x1\n\n")
            // total_len too small for the header
            const tiny = app.put(new Uint8Array([0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0]))
            expect(x.get_int(tiny, s("a"))).toBe(0)
            expect(x.set_int(tiny, s("a"), 1)).toBe(0)
        })

        it("frees everything it allocates", () => {
            const baseline = app.live.size
            let c = x.create(s("leak"))
            for (let i = 0; i < 30; i++) c = x.set_int(c, s(`k${i}`), i)
            c = x.set_string(c, s("k3"), s("now a string, longer than an int"))
            x.destroy(c)
            // the only blocks left are the key strings this test put in memory
            expect(app.live.size - baseline).toBe(31 + 2)
        })
    })

    describe("packed requests and responses (ABI §4)", () => {
        it("packs a request: big-endian 18-byte header, url with NUL, payload", () => {
            const payload = app.put(new Uint8Array([1, 2, 3]))
            const p = x.pack_request(s("/app/x/url1"), 3, 99, 0x01020304, 0xfffffffd | 0, payload, 3)
            const n = x.packed_size()
            expect(n).toBe(18 + 12 + 3)
            const b = bytes(p, n)
            expect(Array.from(b.subarray(0, 18))).toEqual([1, 3, 0, 99, 1, 2, 3, 4, 0xff, 0xff, 0xff, 0xfd, 0, 12, 0, 0, 0, 3])
            expect(unpackRequest(b)).toEqual({ action: 3, fmt: 99, mid: 0x01020304, sender: 0xfffffffd, url: "/app/x/url1", payload: new Uint8Array([1, 2, 3]) })
            x.free_packet(p)
        })

        it("unpacks a request into request_t; no payload means payload NULL", () => {
            const pkt = packRequest({ action: 6, fmt: 99, mid: 77, sender: 3, url: "alert/overheat", payload: APPLETS_INFO })
            const at = app.put(pkt)
            const r = x.unpack_request(at, pkt.length)
            const v = app.view()
            // request_t: mid, url, action, fmt, payload, payload_len, sender
            expect(v.getUint32(r, true)).toBe(77)
            expect(app.cstr(v.getUint32(r + 4, true))).toBe("alert/overheat")
            expect(v.getInt32(r + 8, true)).toBe(6)
            expect(v.getInt32(r + 12, true)).toBe(99)
            expect(v.getUint32(r + 16, true)).toBe(at + 18 + 15)
            expect(v.getInt32(r + 20, true)).toBe(121)
            expect(v.getUint32(r + 24, true)).toBe(3)
            const empty = packRequest({ action: 1, fmt: 0, mid: 1, sender: 0, url: "u", payload: new Uint8Array() })
            const r2 = x.unpack_request(app.put(empty), empty.length)
            expect(app.view().getUint32(r2 + 16, true)).toBe(0)
        })

        it("drops malformed requests (§4 validity rule)", () => {
            const good = packRequest({ action: 2, fmt: 0, mid: 5, sender: 0, url: "/url1", payload: new Uint8Array([7]) })
            const tryUnpack = (b: Uint8Array, size = b.length) => x.unpack_request(app.put(b), size)
            expect(tryUnpack(good)).not.toBe(0)
            const version = good.slice()
            version[0] = 2
            expect(tryUnpack(version)).toBe(0)
            expect(tryUnpack(good, good.length - 1)).toBe(0)
            expect(tryUnpack(new Uint8Array([...good, 0]))).toBe(0)
            expect(tryUnpack(good.slice(0, 17), 17)).toBe(0)
            const noNul = good.slice()
            noNul[18 + 5] = 0x41 // the url's NUL
            expect(tryUnpack(noNul)).toBe(0)
            const zeroUrl = good.slice()
            new DataView(zeroUrl.buffer).setUint16(12, 0)
            new DataView(zeroUrl.buffer).setUint32(14, good.length - 18)
            expect(tryUnpack(zeroUrl)).toBe(0)
            const wraps = good.slice()
            new DataView(wraps.buffer).setUint32(14, 0xffffffff) // 18 + 6 + 0xffffffff wraps to 23
            expect(tryUnpack(wraps)).toBe(0)
        })

        it("packs and unpacks responses (16-byte header)", () => {
            const payload = app.put(APPLETS_INFO)
            const p = x.pack_response(69, 99, 9, 0xfffffffd | 0, payload, 121)
            const b = bytes(p, x.packed_size())
            expect(Array.from(b.subarray(0, 16))).toEqual([1, 69, 0, 99, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xfd, 0, 0, 0, 121])
            expect(unpackResponse(b)).toEqual({ status: 69, fmt: 99, mid: 9, receiver: 0xfffffffd, payload: APPLETS_INFO })
            const q = x.pack_response(66, 0, 10, 2, 0, 0)
            expect(Array.from(bytes(q, x.packed_size()))).toEqual([1, 66, 0, 0, 0, 0, 0, 10, 0, 0, 0, 2, 0, 0, 0, 0])

            const pkt = packResponse({ status: 132, fmt: 98, mid: 0xdeadbeef, receiver: 4, payload: new Uint8Array([5, 6]) })
            const r = x.unpack_response(app.put(pkt), pkt.length)
            const v = app.view()
            // response_t: mid, status, fmt, payload, payload_len, receiver
            expect([v.getUint32(r, true), v.getInt32(r + 4, true), v.getInt32(r + 8, true), v.getInt32(r + 16, true), v.getUint32(r + 20, true)])
                .toEqual([0xdeadbeef, 132, 98, 2, 4])
            expect(Array.from(bytes(v.getUint32(r + 12, true), 2))).toEqual([5, 6])
            expect(x.unpack_response(app.put(pkt), pkt.length + 1)).toBe(0)
            const v2 = pkt.slice()
            v2[0] = 0
            expect(x.unpack_response(app.put(v2), pkt.length)).toBe(0)
        })

        it("numbers requests 1, 2, 3 and answers to the request's sender", () => {
            expect([x.next_mid(), x.next_mid(), x.next_mid()]).toEqual([1, 2, 3])
            const r = x.response_for(42, 7)
            expect([app.view().getUint32(r, true), app.view().getUint32(r + 20, true)]).toEqual([42, 7])
        })

        it("clones a request deeply and cleans the clone up completely", () => {
            const pkt = packRequest({ action: 2, fmt: 99, mid: 8, sender: 1, url: "/a/b", payload: APPLETS_INFO })
            const at = app.put(pkt)
            const r = x.unpack_request(at, pkt.length)
            const before = app.live.size
            const copy = x.clone_request(r)
            mem0(at, pkt.length) // the original packet is gone
            const v = app.view()
            expect(app.cstr(v.getUint32(copy + 4, true))).toBe("/a/b")
            expect(bytes(v.getUint32(copy + 16, true), 121)).toEqual(APPLETS_INFO)
            expect([v.getUint32(copy, true), v.getInt32(copy + 8, true), v.getUint32(copy + 24, true)]).toEqual([8, 2, 1])
            x.request_cleaner(copy)
            expect(app.live.size).toBe(before)
        })
    })

    describe("URLs (ABI §7)", () => {
        it("check_url_start: drop one leading '/', prefix then end, '/' or '?'", () => {
            const m = (url: string, prefix: string) => x.check_url_start(s(url), s(prefix))
            expect(m("url1", "/url1")).toBeGreaterThan(0)
            expect(m("/url1", "/url1")).toBeGreaterThan(0)
            expect(m("/url1/x", "/url1")).toBeGreaterThan(0)
            expect(m("url1?a", "/url1")).toBeGreaterThan(0)
            expect(m("url1", "/url1/")).toBeGreaterThan(0)
            expect(m("url10", "/url1")).toBe(0)
            expect(m("url", "/url1")).toBe(0)
            expect(m("x/url1", "/url1")).toBe(0)
            expect(m("url1", "/")).toBe(0)
            expect(m("url1", "")).toBe(0)
            // the length of the part matched, a following separator included
            expect(m("/url1/x", "/url1")).toBe(6)
            expect(m("url1", "url1")).toBe(4)
        })

        it("match_url patterns", () => {
            const m = (p: string, u: string) => x.match_url(s(p), s(u))
            expect(m("/abcd", "/abcd")).toBe(1)
            expect(m("/abcd", "/abcd/e")).toBe(0)
            expect(m("/abcd/", "/abcd")).toBe(1)
            expect(m("/abcd/", "/abcd/e")).toBe(1)
            expect(m("/abcd/", "/abcde")).toBe(0)
            expect(m("/abcd*", "/abcdef")).toBe(1)
            expect(m("/abcd/*", "/abcd/x")).toBe(1)
            expect(m("/abcd/*", "/abcd")).toBe(0)
        })

        it("find_key_value and the byte-order helpers", () => {
            const value = app.put(new Uint8Array(8))
            const f = (buf: string, key: string, n = 8) => {
                const r = x.find_key_value(s(buf), s(key), value, n)
                return r ? app.cstr(r) : null
            }
            expect(f("name=timer;heap=8192", "heap")).toBe("8192")
            expect(f("name=timer; heap=8192", "name")).toBe("timer")
            expect(f("name=timer;heap=8192", "he")).toBe(null)
            expect(f("name=averyverylongname", "name", 5)).toBe("aver")
            expect(x.htonl(0x01020304) >>> 0).toBe(0x04030201)
            expect(x.htons(0xabcd)).toBe(0xcdab)
        })
    })

    describe("dispatch and bookkeeping", () => {
        const deliverRequest = (r: Parameters<typeof packRequest>[0]) => app.deliver("on_request", [], packRequest(r))

        it("routes requests to the newest matching resource, events to subscriptions, and says when none matches", () => {
            expect(x.register_resource(s("/url1"), 1)).toBe(1)
            expect(x.register_resource(s("/url1/sub"), 2)).toBe(1)
            expect(x.subscribe(s("alert/overheat"), 3)).toBe(1)
            expect(app.callsOf("wasm_register_resource").map((c) => c.str)).toEqual(["/url1", "/url1/sub"])
            expect(app.callsOf("wasm_sub_event").map((c) => c.str)).toEqual(["alert/overheat"])

            deliverRequest({ action: 1, fmt: 0, mid: 11, sender: 0xfffffffd, url: "/url1/sub/x", payload: new Uint8Array() })
            deliverRequest({ action: 2, fmt: 0, mid: 12, sender: 2, url: "url1?q", payload: new Uint8Array() })
            deliverRequest({ action: 6, fmt: 0, mid: 13, sender: 4, url: "alert/overheat", payload: new Uint8Array() })
            // an event is not a request, and a request is not an event
            deliverRequest({ action: 1, fmt: 0, mid: 14, sender: 2, url: "alert/overheat", payload: new Uint8Array() })
            deliverRequest({ action: 6, fmt: 0, mid: 15, sender: 2, url: "/url1", payload: new Uint8Array() })
            expect(log()).toEqual([2, 1, 11, -3, 1, 2, 12, 2, 3, 6, 13, 4])
            expect(app.takeOutput()).toBe("on_request: exit. no service handler\non_request: exit. no service handler\n")
            app.deliver("on_request", [], new Uint8Array([2, 1, 0, 0]))
            expect(app.takeOutput()).toBe("unpack request failed\n")

            // registering a URL again replaces its handler and tells the runtime nothing new
            x.register_resource(s("/url1"), 3)
            expect(app.callsOf("wasm_register_resource").length).toBe(2)
            x.log_clear()
            deliverRequest({ action: 1, fmt: 0, mid: 16, sender: 0, url: "url1", payload: new Uint8Array() })
            expect(log()).toEqual([3, 1, 16, 0])
        })

        it("publishes an event as a packed request with action 6", () => {
            const payload = app.put(APPLETS_INFO)
            expect(x.publish(s("alert/overheat"), 99, payload, 121)).toBe(1)
            const [call] = app.callsOf("wasm_post_request")
            expect(unpackRequest(call.bytes!)).toEqual({ action: 6, fmt: 99, mid: 1, sender: 0, url: "alert/overheat", payload: APPLETS_INFO })
        })

        it("transactions: responses by mid, NULL after 5000 ms, one timer re-armed for the oldest", () => {
            app.tick.now = 10_000
            const m1 = x.send(s("/a"), 1)
            expect(unpackRequest(app.callsOf("wasm_post_request")[0].bytes!).mid).toBe(m1)
            const [create] = app.callsOf("wasm_create_timer")
            expect(create.args).toEqual([5000, 0, 0])
            const timerId = 1
            expect(app.timers.get(timerId)).toMatchObject({ interval: 5000, armedAt: 10_000 })
            app.tick.now = 12_000
            const m2 = x.send(s("/b"), 2)
            app.tick.now = 13_000
            const m3 = x.send(s("/c"), 3)
            expect(app.callsOf("wasm_timer_restart").length).toBe(1) // only the first one arms it

            // the oldest times out: the timer is re-armed for the next one (sent at 12 000)
            app.tick.now = 15_000
            x.on_timer_callback(timerId)
            expect(log()).toEqual([1, -1, -1])
            expect(app.timers.get(timerId)).toMatchObject({ interval: 2000, armedAt: 15_000 })

            // a response to the (now) oldest re-arms for the third; a late one is unknown
            app.tick.now = 16_000
            app.deliver("on_response", [], packResponse({ status: 69, fmt: 0, mid: m2, receiver: 1, payload: new Uint8Array() }))
            expect(log()).toEqual([1, -1, -1, 2, m2, 69])
            expect(app.timers.get(timerId)).toMatchObject({ interval: 2000, armedAt: 16_000 })
            app.deliver("on_response", [], packResponse({ status: 69, fmt: 0, mid: m1, receiver: 1, payload: new Uint8Array() }))
            expect(app.takeOutput()).toBe("cannot find the transaction\n")

            // the last one answered: the timer is disarmed, but kept for the next burst
            app.deliver("on_response", [], packResponse({ status: 132, fmt: 0, mid: m3, receiver: 1, payload: new Uint8Array() }))
            expect(log().slice(6)).toEqual([3, m3, 132])
            expect(app.timers.get(timerId)!.armedAt).toBe(null)
            x.send(s("/d"), 4)
            expect(app.callsOf("wasm_create_timer").length).toBe(1)
            expect(app.timers.get(timerId)!.armedAt).toBe(16_000)
            expect(app.callsOf("wasm_timer_destroy").length).toBe(0)
        })

        it("transactions time out together when their 5 s are up, and a handler may send again", () => {
            app.tick.now = 0
            x.send(s("/a"), 1)
            x.send(s("/b"), 2)
            app.tick.now = 4999
            x.on_timer_callback(1) // early: nothing expires, re-armed for the 1 ms left
            expect(log()).toEqual([])
            expect(app.timers.get(1)).toMatchObject({ interval: 1, armedAt: 4999 })
            app.tick.now = 5000
            x.on_timer_callback(1)
            expect(log()).toEqual([1, -1, -1, 2, -1, -1])
            expect(app.timers.get(1)!.armedAt).toBe(null)
        })

        it("timers: callbacks by id; cancel and destroy free the runtime's timer too", () => {
            const t1 = x.timer_create(100, 1, 1)
            const t2 = x.timer_create(200, 0, 0)
            expect(app.callsOf("wasm_create_timer").map((c) => c.args)).toEqual([[100, 1, 1], [200, 0, 0]])
            x.timer_restart(t2, 50)
            expect(app.callsOf("wasm_timer_restart").at(-1)!.args).toEqual([2, 50])
            x.on_timer_callback(2)
            x.on_timer_callback(1)
            x.on_timer_callback(99)
            expect(log()).toEqual([t2, t1])
            const baseline = app.live.size
            x.timer_cancel(t1)
            x.timer_destroy(t2)
            expect(app.callsOf("wasm_timer_destroy").map((c) => c.args)).toEqual([[1], [2]])
            expect(app.live.size).toBe(baseline - 2)
            x.on_timer_callback(1)
            expect(log()).toEqual([t2, t1])
        })

        it("timers: a runtime out of timers gives NULL", () => {
            app = instantiate(harnessWasm, { timerLimit: 1 })
            x = app.exports
            expect(x.timer_create(100, 1, 1)).not.toBe(0)
            const live = app.live.size
            expect(x.timer_create(100, 1, 1)).toBe(0)
            expect(app.live.size).toBe(live)
        })

        it("sensors: open, config, readings to the right handler, close", () => {
            app = instantiate(harnessWasm, { sensorOpen: (name) => (name === "sensor_test1" ? 5 : name === "sensor_test2" ? 6 : -1) })
            x = app.exports
            const a = x.sensor_open(s("sensor_test1"), 0, 11)
            const b = x.sensor_open(s("sensor_test2"), 1, 22)
            expect(x.sensor_open(s("nope"), 0, 33)).toBe(0)
            expect(app.callsOf("wasm_sensor_open").map((c) => [c.str, c.args[1]])).toEqual([["sensor_test1", 0], ["sensor_test2", 1], ["nope", 0]])
            expect(x.sensor_config(a, 1000, 2, 3)).toBe(1)
            expect(app.callsOf("wasm_sensor_config")[0].args).toEqual([5, 1000, 2, 3])
            const cfg = app.put(APPLETS_INFO)
            x.sensor_config_attr(b, cfg)
            const [withAttr] = app.callsOf("wasm_sensor_config_with_attr_container")
            expect(withAttr.args[0]).toBe(6)
            expect(withAttr.bytes).toEqual(APPLETS_INFO)

            const reading = encodeContainer("read", [{ key: "v", type: 2, value: i32le(-42) }])
            app.deliver("on_sensor_event", [6], reading)
            app.deliver("on_sensor_event", [5], APPLETS_INFO)
            app.deliver("on_sensor_event", [7], reading)
            expect(log()).toEqual([22, 1, -42, 11, 3, 0])
            expect(x.sensor_close(a)).toBe(1)
            expect(app.callsOf("wasm_sensor_close").map((c) => c.args)).toEqual([[5]])
            app.deliver("on_sensor_event", [5], reading)
            expect(log().length).toBe(6)
        })

        it("connections: open with an attr_container, send, data and close events, config, close", () => {
            app = instantiate(harnessWasm, { openConnection: (name) => (name === "TCP" ? 3 : -1) })
            x = app.exports
            let args = x.create(s(""))
            args = x.set_string(args, s("address"), s("127.0.0.1"))
            args = x.set_uint16(args, s("port"), 7777)
            const c = x.conn_open(s("TCP"), args, 9)
            expect(c).not.toBe(0)
            const [open] = app.callsOf("wasm_open_connection")
            expect(open.str).toBe("TCP")
            expect(decodeContainer(open.bytes!).attrs.map((a) => a.key)).toEqual(["address", "port"])
            expect(x.conn_open(s("UART"), args, 9)).toBe(0)

            expect(x.conn_send(c, s("hello"), 5)).toBe(5)
            expect(new TextDecoder().decode(app.callsOf("wasm_send_on_connection")[0].bytes)).toBe("hello")
            app.deliver("on_connection_data", [3], new Uint8Array([0x41, 0x42]))
            app.deliver("on_connection_data", [4], new Uint8Array([0x41]))
            app.deliver("on_connection_data", [3], new Uint8Array())
            expect(log()).toEqual([9, 1, 2, 0x41, 9, 2, 0, -1])
            expect(x.conn_config(c, args)).toBe(1)
            expect(app.callsOf("wasm_config_connection")[0].args[0]).toBe(3)
            x.conn_close(c)
            expect(app.callsOf("wasm_close_connection").map((k) => k.args)).toEqual([[3]])
        })
    })
})

function mem0(at: number, n: number) {
    app.mem().fill(0, at, at + n)
}
