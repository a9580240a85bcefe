// JSON -> attr_container as WAMR's host_tool builds it (numbers DOUBLE, booleans BOOLEAN, strings
// STRING, number arrays BYTEARRAY of int8, tag ""), read back by the runtime's host-side reader;
// attr_container -> JSON; and cJSON_Print's exact text (what `wasmlet host-tool` prints).
import { describe, expect, it } from "vitest"
import { attrToJson, cjsonPrint, formatG, jsonToAttr, payloadJson } from "../../host/cli/_attr-json"
import { readAttrContainer } from "../../host/run/attr-reader"
import { AttrWriter } from "../../framework/attr-writer"
import "../../interpreter/platform/node-core"

describe("jsonToAttr", () => {
    it("writes one double attribute byte for byte", () => {
        const b = jsonToAttr('{"a":1}')
        const expected = Buffer.concat([
            Buffer.from([0, 0]), // flags
            Buffer.from([0, 0, 0, 0]), // total_len, checked below
            Buffer.from([1, 0, 0]), // tag "" (length 1: the NUL)
            Buffer.from([1, 0]), // one attribute
            Buffer.from([2, 0, 0x61, 0]), // key "a"
            Buffer.from([11]), // DOUBLE
            Buffer.from([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]), // 1.0, little-endian
        ])
        expected.writeUInt32LE(expected.length - 2, 2)
        expect(b.toString("hex")).toBe(expected.toString("hex"))
    })

    it("maps each JSON type as host_tool does, and the reader gets them back", () => {
        const b = jsonToAttr({ n: -2.5, t: true, f: false, s: "héllo", bytes: [1, -1, 300, 2.9], mixed: [7, "x", 8], none: null, obj: { a: 1 } })
        const { tag, attrs } = readAttrContainer(b)
        expect(tag).toBe("")
        expect(Object.keys(attrs)).toEqual(["n", "t", "f", "s", "bytes", "mixed"])
        expect(attrs.n).toBe(-2.5)
        expect(attrs.t).toBe(true)
        expect(attrs.f).toBe(false)
        expect(attrs.s).toBe("héllo")
        // int8 truncation: 300 -> 44, 2.9 -> 2, -1 -> 0xff
        expect(Array.from(attrs.bytes as Uint8Array)).toEqual([1, 255, 44, 2])
        // the array ends at its first non-number
        expect(Array.from(attrs.mixed as Uint8Array)).toEqual([7])
        expect(b.readUInt32LE(2)).toBe(b.length - 2)
    })

    it("refuses what host_tool cannot convert", () => {
        expect(() => jsonToAttr("[1,2]")).toThrow(/JSON object/)
        expect(() => jsonToAttr("3")).toThrow(/JSON object/)
        expect(() => jsonToAttr("{bad json")).toThrow(/not JSON/)
        expect(() => jsonToAttr('{"a":[]}')).toThrow(/empty array/)
    })

    it("an empty object is an empty container", () => {
        const b = jsonToAttr("{}")
        expect(b.toString("hex")).toBe("0000" + "09000000" + "010000" + "0000")
    })
})

describe("attrToJson", () => {
    it("reads what the runtime writes (a sensor reading)", () => {
        const b = new AttrWriter("read test sensor data").int("num", 3).double("value", 21.5).string("unit", "C").bool("ok", true).finish()
        expect(attrToJson(b)).toEqual({ num: 3, value: 21.5, unit: "C", ok: true })
        expect(payloadJson(99, b)).toEqual({ num: 3, value: 21.5, unit: "C", ok: true })
    })

    it("byte arrays come back as signed bytes; other formats and garbage give null", () => {
        expect(attrToJson(jsonToAttr({ b: [1, 200] }))).toEqual({ b: [1, -56] })
        expect(payloadJson(98, jsonToAttr({ a: 1 }))).toBeNull()
        expect(payloadJson(99, Buffer.from([1, 2, 3]))).toBeNull()
        expect(payloadJson(99, undefined)).toBeNull()
    })
})

describe("cjsonPrint", () => {
    it("prints objects as cJSON_Print does: tabs, key:<tab>value, no final newline", () => {
        expect(cjsonPrint({ num: 2, applet1: "timer", heap1: 8192 })).toBe('{\n\t"num":\t2,\n\t"applet1":\t"timer",\n\t"heap1":\t8192\n}')
        expect(cjsonPrint({})).toBe("{\n}")
        expect(cjsonPrint({ o: { a: true }, arr: [1, -2, 3] })).toBe('{\n\t"o":\t{\n\t\t"a":\ttrue\n\t},\n\t"arr":\t[1, -2, 3]\n}')
        expect(cjsonPrint({ "error message": 'say "no"\n' })).toBe('{\n\t"error message":\t"say \\"no\\"\\n"\n}')
    })

    it("numbers: %.15g, or %.17g when that does not read back", () => {
        expect(cjsonPrint(100)).toBe("100")
        expect(cjsonPrint(-2.5)).toBe("-2.5")
        expect(cjsonPrint(3.14)).toBe("3.14")
        expect(cjsonPrint(1 / 3)).toBe("0.33333333333333331")
        expect(cjsonPrint(1e21)).toBe("1e+21")
        expect(cjsonPrint(1e-5)).toBe("1e-05")
        expect(cjsonPrint(123456789012345680)).toBe("1.2345678901234568e+17")
        expect(cjsonPrint(NaN)).toBe("null")
        expect(formatG(0.0001, 15)).toBe("0.0001")
        expect(formatG(123456, 3)).toBe("1.23e+05")
        expect(formatG(999999, 3)).toBe("1e+06")
    })
})
