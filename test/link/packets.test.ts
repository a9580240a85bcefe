// The host's packet table (host/link/packets.ts) against the service spec: the same packets, codes,
// field names and jdpack formats as services/wasmletmanager.md says (read by test/link/spec.ts), and
// as DeviceScript's build writes them to .devicescript/services.json when that file is up to date.
// Then packing round trips, the decoded reports, and fragmentation.
import { existsSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { CHUNK_BYTES, FRAGMENT_BYTES, Rep, SERVICE_CLASS } from "../../manager/protocol"
import { PACKETS, REP_STORED, decodeApp, decodeBoard, decodeLog, decodeResult, decodeStored, pack, packetName, unpack } from "../../host/link/packets"
import { Reassembler, split } from "../../host/link/fragments"
import { SPEC_MD, serviceSpec } from "./spec"

const SERVICES_JSON = join(import.meta.dirname, "../../.devicescript/services.json")

describe("packet formats", () => {
    test("every packet of the spec, and only those, with its code, kind, fields and format", () => {
        const spec = serviceSpec()
        expect(spec.length).toBeGreaterThanOrEqual(16)
        expect(Object.keys(PACKETS).sort()).toEqual(spec.map(p => p.name).sort())
        for (const p of spec) {
            const h = PACKETS[p.name]
            expect({ code: h.code, kind: h.kind, fields: h.fields, format: h.format }, p.name).toEqual({
                code: p.code,
                kind: p.kind,
                fields: p.fields.map(f => f.name),
                format: p.format,
            })
        }
        expect(REP_STORED).toBe(spec.find(p => p.name === "stored")!.code)
        expect(readFileSync(SPEC_MD, "utf8")).toMatch(new RegExp(`identifier: 0x${SERVICE_CLASS.toString(16)}\\b`))
    })

    test("the formats DeviceScript's build derived from the spec, when its services.json is newer than the spec", ctx => {
        if (!existsSync(SERVICES_JSON) || statSync(SERVICES_JSON).mtimeMs < statSync(SPEC_MD).mtimeMs) {
            ctx.skip() // `npx devs build firmware/src/main.ts` (npm ci runs it) writes it
            return
        }
        const svc = JSON.parse(readFileSync(SERVICES_JSON, "utf8")).find((s: any) => s.classIdentifier === SERVICE_CLASS)
        expect(svc, "services.json has no Wasmlet Manager").toBeDefined()
        const theirs = svc.packets.filter((p: any) => p.identifier >= 0x80 && (p.kind === "command" || p.kind === "report"))
        expect(theirs.map((p: any) => p.name).sort()).toEqual(Object.keys(PACKETS).sort())
        for (const p of theirs) expect(PACKETS[p.name].format, p.name).toBe(p.packFormat)
    })

    test("pack and unpack round trip, strings and bytes last", () => {
        const data = new Uint8Array([1, 2, 3, 250])
        const put = pack("put", [0x1234, 0xbeef, "w12", data])
        expect(Buffer.from(put).toString("hex")).toBe("3412efbe" + Buffer.from("w12\0").toString("hex") + "010203fa")
        expect(unpack("put", put)).toEqual({ tag: 0x1234, check: 0xbeef, key: "w12", data })
        expect(unpack("load", pack("load", [7, 255, "timer"]))).toEqual({ tag: 7, slot: 255, name: "timer" })
        expect(() => pack("list", [])).toThrow(/1 fields, got 0/)
        expect(packetName(0x85)).toBe("list")
        expect(packetName(0x7f)).toBeUndefined()
    })

    test("reports decode to named fields", () => {
        expect(decodeResult(pack("result", [9, 6, 4096, "too large"]))).toEqual({ tag: 9, status: 6, value: 4096, message: "too large" })
        expect(decodeResult(pack("result", [9, 0, 0, ""])).message).toBe("")
        const app = decodeApp(pack("app", [3, 2, 3808, 7168, 1500, 1, 0, 1, "timer", "trapped: unreachable"]))
        expect(app).toEqual({
            tag: 3,
            restarts: 2,
            imageBytes: 3808,
            arenaBytes: 7168,
            uptimeMs: 1500,
            state: "running",
            slot: 0,
            baked: true,
            name: "timer",
            error: "trapped: unreachable",
        })
        expect(decodeApp(pack("app", [3, 0, 0, 0, 0, 9, 255, 0, "x", ""])).state).toBe("state 9")
        const board = decodeBoard(pack("board", [3, 3, 4, 30, CHUNK_BYTES, 24576, 17408, 12288, "simulator"]))
        expect(board).toEqual({ tag: 3, maxApps: 3, storeSlots: 4, storeChunks: 30, chunkBytes: 224, arenaBytes: 24576, arenaFree: 17408, appArenaBytes: 12288, board: "simulator" })
        expect(decodeLog(pack("log", [1, "timer", "stopped"]))).toEqual({ kind: "note", app: "timer", text: "stopped" })
        expect(decodeLog(pack("log", [0, "timer", "Timer update 3"])).kind).toBe("console")
        expect(decodeStored(pack("stored", [5, new Uint8Array([9, 8])]))).toEqual({ tag: 5, data: new Uint8Array([9, 8]) })
        expect(PACKETS.log.code).toBe(Rep.LOG)
    })

    test("the largest packets fit Jacdac's 236-byte payload", () => {
        expect(pack("put", [0, 0, "w59", new Uint8Array(CHUNK_BYTES)]).length).toBeLessThanOrEqual(236)
        expect(pack("request", [0, 0, new Uint8Array(FRAGMENT_BYTES)]).length).toBeLessThanOrEqual(236)
    })
})

describe("fragments", () => {
    const msg = (n: number) => new Uint8Array(Array.from({ length: n }, (_, i) => (i * 7) & 0xff))

    test("split counts `more` down to 0; sizes add up; an empty message is one empty fragment", () => {
        const f = split(msg(500))
        expect(f.map(x => [x.more, x.data.length])).toEqual([[2, 224], [1, 224], [0, 52]])
        expect(split(msg(224)).map(x => x.more)).toEqual([0])
        expect(split(new Uint8Array(0))).toEqual([{ more: 0, data: new Uint8Array(0) }])
        expect(() => split(msg(257 * 224))).toThrow(/at most 256/)
    })

    test("the reassembler joins in order and drops what came before a missing fragment", () => {
        const r = new Reassembler()
        const m = msg(600)
        const [a, b, c] = split(m)
        expect(r.push(a)).toBeUndefined()
        expect(r.push(b)).toBeUndefined()
        expect(r.push(c)).toEqual(m)
        // b lost: a is dropped and c stands alone (the packed header's sizes then refuse it: wire.ts)
        expect(r.push(a)).toBeUndefined()
        expect(r.push(c)).toEqual(c.data)
        expect(r.dropped).toBe(1)
        const single = split(msg(10))[0]
        expect(r.push(single)).toEqual(msg(10))
    })
})
