// host/run/attr-json.ts on its own: each attr type written and read back (checked against the
// host's independent reader host/run/attr-reader.ts and the runtime's writer framework/attr-writer.ts),
// the byte layout of a small container, 64-bit values beyond 2^53, and the refusals.
import { describe, expect, it } from "vitest"
import "../../interpreter/platform/node-core"
import { AttrJsonError, attrToJson, jsonToAttr } from "../../host/run/attr-json"
import { readAttrContainer } from "../../host/run/attr-reader"
import { AttrWriter } from "../../framework/attr-writer"

describe("gateway JSON <-> attr_container", () => {
    it("writes WAMR's layout", () => {
        const b = jsonToAttr({ a: 1 })
        // flags 0, total_len (all after flags: 18), tag "" (len 1, NUL), 1 attr, key "a", type int (2), i32 LE 1
        expect([...b]).toEqual([0, 0, 18, 0, 0, 0, 1, 0, 0, 1, 0, 2, 0, 97, 0, 2, 1, 0, 0, 0])
    })

    it("every type round-trips, and the reader agrees", () => {
        const typed = {
            i8: { type: "int8", value: -128 },
            i16: { type: "int16", value: -300 },
            i32: { type: "int32", value: -5 },
            i64: { type: "int64", value: "-9007199254740993" },
            u8: { type: "uint8", value: 255 },
            u16: { type: "uint16", value: 65535 },
            u32: { type: "uint32", value: 4294967295 },
            u64: { type: "uint64", value: "18446744073709551615" },
            f: { type: "float", value: 1.5 },
            d: { type: "double", value: 0.1 },
            b: { type: "bool", value: false },
            s: { type: "string", value: "ü€" },
            y: { type: "bytes", value: "AP8=" },
        }
        const b = jsonToAttr(typed)
        expect(attrToJson(b, true)).toEqual(typed)
        const r = readAttrContainer(b).attrs
        expect(r).toEqual({ i8: -128, i16: -300, i32: -5, i64: -9007199254740993n, u8: 255, u16: 65535, u32: 4294967295, u64: 18446744073709551615n, f: 1.5, d: 0.1, b: false, s: "ü€", y: Buffer.from([0, 255]) })
        expect(attrToJson(b)).toEqual({ i8: -128, i16: -300, i32: -5, i64: "-9007199254740993", u8: 255, u16: 65535, u32: 4294967295, u64: "18446744073709551615", f: 1.5, d: 0.1, b: false, s: "ü€", y: { base64: "AP8=" } })
    })

    it("plain values get their natural types; the runtime's own containers read as JSON", () => {
        expect(attrToJson(jsonToAttr({ a: 3, b: 3000000000, c: -0.5, d: "x", e: true, f: { base64: "" } }), true)).toEqual({
            a: { type: "int32", value: 3 },
            b: { type: "int64", value: "3000000000" },
            c: { type: "double", value: -0.5 },
            d: { type: "string", value: "x" },
            e: { type: "bool", value: true },
            f: { type: "bytes", value: "" },
        })
        const w = new AttrWriter("sensor").double("value", 21.5).string("unit", "C").int("n", -2).bool("ok", true).finish()
        expect(attrToJson(w)).toEqual({ value: 21.5, unit: "C", n: -2, ok: true })
        expect(attrToJson(w, true).value).toEqual({ type: "double", value: 21.5 })
    })

    it("refuses what has no attr type", () => {
        const bad: [unknown, RegExp][] = [
            ["[1]", /JSON object/],
            ["{", /not JSON/],
            [{ a: null }, /"a": null/],
            [{ a: [1, 2] }, /"a": an array/],
            [{ a: { x: 1 } }, /"a": this object/],
            [{ a: { type: "int9", value: 1 } }, /type must be one of/],
            [{ a: { type: "int8", value: 128 } }, /out of int8's range/],
            [{ a: { type: "uint32", value: -1 } }, /out of uint32's range/],
            [{ a: { type: "int32", value: 1.5 } }, /needs an integer/],
            [{ a: { type: "bytes", value: "not base64!" } }, /base64/],
            [{ a: { type: "bool", value: 1 } }, /true or false/],
            [{ a: Infinity }, /finite/],
        ]
        for (const [v, re] of bad) {
            let e: unknown
            try {
                jsonToAttr(typeof v === "string" ? v : v)
            } catch (x) {
                e = x
            }
            expect([v, e instanceof AttrJsonError, String((e as Error)?.message)]).toEqual([v, true, expect.stringMatching(re)])
        }
    })
})
