// The SHT30's CRC and conversions (firmware/src/sht30.ts, compiled into the firmware by DeviceScript)
// checked on Node against the datasheet (Sensirion SHT3x-DIS, 4.12 and 4.13): the CRC example
// 0xBEEF -> 0x92, the conversion formulas at their ends and in between, and every 16-bit word
// against a table-driven CRC-8 built here from the polynomial alone.
import { describe, expect, test } from "vitest"
import { sht30Crc, sht30Value } from "../../firmware/src/sht30"

/** CRC-8, poly 0x31, init 0xFF, one table lookup per byte (a different algorithm from the firmware's bit loop). */
const TABLE = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 0x80 ? ((c << 1) ^ 0x31) & 0xff : (c << 1) & 0xff
    return c
})
const refCrc = (bytes: number[]) => bytes.reduce((c, b) => TABLE[c ^ b], 0xff)

/** A measurement as the sensor sends it: temperature word, CRC, humidity word, CRC. */
function frame(t: number, h: number): Buffer {
    const w = (v: number) => [v >> 8, v & 0xff, refCrc([v >> 8, v & 0xff])]
    return Buffer.from([...w(t), ...w(h)])
}

describe("SHT30 CRC-8", () => {
    test("the datasheet's example: 0xBEEF gives 0x92", () => {
        expect(sht30Crc(Buffer.from([0xbe, 0xef]), 0)).toBe(0x92)
        expect(sht30Crc(Buffer.from([0, 0, 0, 0xbe, 0xef, 0]), 3)).toBe(0x92)
    })

    test("every 16-bit word agrees with a table-driven CRC-8 of the same polynomial", () => {
        const b = Buffer.alloc(2)
        let bad = 0
        for (let w = 0; w < 0x10000; w++) {
            b[0] = w >> 8
            b[1] = w & 0xff
            if (sht30Crc(b, 0) !== refCrc([b[0], b[1]])) bad++
        }
        expect(bad).toBe(0)
    })
})

describe("SHT30 conversion", () => {
    test("temperature: -45 + 175 * S / (2^16 - 1) °C", () => {
        expect(sht30Value(frame(0x0000, 0), 0)).toBe(-45)
        expect(sht30Value(frame(0xffff, 0), 0)).toBe(130)
        expect(sht30Value(frame(0x6666, 0), 0)).toBeCloseTo(25, 12)
        expect(sht30Value(frame(0xbeef, 0), 0)).toBeCloseTo(-45 + (175 * 48879) / 65535, 12)
    })

    test("humidity: 100 * S / (2^16 - 1) %RH, from the second word", () => {
        expect(sht30Value(frame(0xffff, 0x0000), 3)).toBe(0)
        expect(sht30Value(frame(0x0000, 0xffff), 3)).toBe(100)
        expect(sht30Value(frame(0x1234, 0x6666), 3)).toBeCloseTo(40, 12)
        expect(sht30Value(frame(0x1234, 0x8000), 3)).toBeCloseTo(50.000763, 6)
    })

    test("a word whose CRC does not match reads as undefined; the other word still decodes", () => {
        for (let bit = 0; bit < 24; bit++) {
            const b = frame(0x6666, 0x6666)
            b[Math.floor(bit / 8)] ^= 1 << bit % 8 // one flipped bit in the temperature word or its CRC
            expect(sht30Value(b, 0)).toBeUndefined()
            expect(sht30Value(b, 3)).toBeCloseTo(40, 12)
        }
    })
})
