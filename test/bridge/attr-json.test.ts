// The bridge's attr_container ⇄ JSON (host/bridge/attr-json.ts): types kept both ways, read back
// through the host's own attr_container reader (host/run/attr-reader.ts).
import { describe, expect, it } from "vitest"
import { attrToTypedJson, jsonToTypedAttr, payloadToJson, typesOf } from "../../host/bridge/attr-json"
import { readAttrContainer } from "../../host/run/attr-reader"

describe("bridge attr_container JSON", () => {
    it("writes whole numbers as int32/int64, others as double, bytes from base64, and reads them back", () => {
        const b = jsonToTypedAttr({ n: 7, neg: -3, big: 2 ** 40, x: 1.25, on: true, s: "hé", raw: { base64: "AQL/" } })
        expect(typesOf(b)).toEqual({ n: "int32", neg: "int32", big: "int64", x: "double", on: "bool", s: "string", raw: "bytes" })
        const { attrs } = readAttrContainer(b)
        expect(attrs.big).toBe(BigInt(2 ** 40))
        expect(Array.from(attrs.raw as Uint8Array)).toEqual([1, 2, 255])
        expect(attrToTypedJson(b)).toEqual({ n: 7, neg: -3, big: 2 ** 40, x: 1.25, on: true, s: "hé", raw: { base64: "AQL/" } })
    })

    it("refuses values with no attr type, naming the key", () => {
        expect(() => jsonToTypedAttr({ a: 1, list: [1, 2] })).toThrow(/"list"/)
        expect(() => jsonToTypedAttr({ n: null })).toThrow(/"n"/)
        expect(() => jsonToTypedAttr([1])).toThrow(/JSON object/)
    })

    it("shows other payloads as text (a C string's NUL dropped) or base64", () => {
        expect(payloadToJson(98, Buffer.from("tick\0"))).toEqual({ json: "tick" })
        expect(payloadToJson(98, Buffer.from([0, 1, 2]))).toEqual({ json: { base64: "AAEC" } })
        expect(payloadToJson(0, Buffer.alloc(0))).toEqual({ json: null })
    })
})
