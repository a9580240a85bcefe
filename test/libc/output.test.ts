// Output of sdk/libc/libc.wasm on both engines: printf/vprintf reach wasmlet.console_write in
// chunks (never one call per character) with the right return value, puts adds a newline,
// putchar writes one byte, sprintf/vsprintf write everything, snprintf/vsnprintf truncate and
// NUL-terminate but return the full length, and size 0 writes nothing.
import { describe, it, expect } from "vitest"
import { ENGINES, initHost, putString, putVarargs, getString, FMT_AT, VA_AT, STR_AT, DST_AT } from "./libc-host"

describe.each(ENGINES)("output (%s)", (engine) => {
    it("printf and vprintf write to the console in chunks and return the length", () => {
        const host = initHost(engine)
        putString(host, FMT_AT, "value=%d name=%s pi=%.3f\n")
        putString(host, STR_AT, "wasmlet")
        putVarargs(host, VA_AT, [{ i32: -12 }, { i32: STR_AT }, { f64: Math.PI }])
        for (const name of ["printf", "vprintf"]) {
            host.console = ""
            host.consoleCalls = 0
            const want = "value=-12 name=wasmlet pi=3.142\n"
            expect(host.call(name, FMT_AT, VA_AT)).toBe(want.length)
            expect(host.console).toBe(want)
            expect(host.consoleCalls).toBe(1)
        }
        // a long line: a few calls of up to 64 bytes, not one per character
        host.console = ""
        host.consoleCalls = 0
        putString(host, FMT_AT, "%300s|%-300d|\n")
        putVarargs(host, VA_AT, [{ i32: STR_AT }, { i32: 5 }])
        expect(host.call("printf", FMT_AT, VA_AT)).toBe(603)
        expect(host.console).toBe("wasmlet".padStart(300) + "|" + "5".padEnd(300) + "|\n")
        expect(host.consoleCalls).toBe(Math.ceil(603 / 64))
        // an empty format writes nothing
        host.consoleCalls = 0
        putString(host, FMT_AT, "")
        expect(host.call("printf", FMT_AT, VA_AT)).toBe(0)
        expect(host.consoleCalls).toBe(0)
    })

    it("puts and putchar", () => {
        const host = initHost(engine)
        putString(host, STR_AT, "hello")
        expect(host.call("puts", STR_AT)).toBeGreaterThanOrEqual(0)
        expect(host.call("putchar", 0x141)).toBe(0x41)
        expect(host.call("putchar", 10)).toBe(10)
        putString(host, STR_AT, "")
        host.call("puts", STR_AT)
        expect(host.console).toBe("hello\nA\n\n")
        expect(host.consoleCalls).toBe(4)
    })

    it("sprintf writes everything, snprintf truncates and returns the full length", () => {
        const host = initHost(engine)
        putString(host, FMT_AT, "%s-%05d")
        putString(host, STR_AT, "abcdef")
        putVarargs(host, VA_AT, [{ i32: STR_AT }, { i32: 42 }])
        const full = "abcdef-00042"
        for (const name of ["sprintf", "vsprintf"]) {
            host.write(DST_AT, new Uint8Array(32).fill(0x7e))
            expect(host.call(name, DST_AT, FMT_AT, VA_AT)).toBe(full.length)
            expect(getString(host, DST_AT)).toBe(full)
        }
        for (const name of ["snprintf", "vsnprintf"])
            for (const size of [0, 1, 2, 5, 12, 13, 14, 100]) {
                host.write(DST_AT, new Uint8Array(32).fill(0x7e))
                expect(host.call(name, DST_AT, size, FMT_AT, VA_AT), `${name} ${size}`).toBe(full.length)
                const bytes = host.read(DST_AT, 32)
                if (size === 0) expect(bytes[0]).toBe(0x7e)
                else {
                    const n = Math.min(size - 1, full.length)
                    expect(getString(host, DST_AT)).toBe(full.slice(0, n))
                    expect(bytes[n + 1], "nothing written past the NUL").toBe(0x7e)
                }
            }
        // size 0 with a NULL destination only counts
        expect(host.call("snprintf", 0, 0, FMT_AT, VA_AT)).toBe(full.length)
        expect(host.console).toBe("")
    })

    it("%p like WAMR, %n refused, unknown conversions printed as written, %% and a lone % at the end", () => {
        const host = initHost(engine)
        putString(host, FMT_AT, "%p %p %n[%5p] %y %% %")
        putVarargs(host, VA_AT, [{ i32: 0x1798 }, { i32: 0 }, { i32: DST_AT + 100 }, { i32: 255 }])
        host.write(DST_AT + 100, new Uint8Array(4).fill(9))
        const want = "0x1798 0x0 [ 0xff] %y % %"
        expect(host.call("snprintf", DST_AT, 100, FMT_AT, VA_AT)).toBe(want.length)
        expect(getString(host, DST_AT)).toBe(want)
        expect([...host.read(DST_AT + 100, 4)]).toEqual([9, 9, 9, 9])
    })

    it("a float too large for the fixed scratch borrows heap for the conversion and gives it back", () => {
        const host = initHost(engine, 1)
        putString(host, FMT_AT, "%.3e")
        putVarargs(host, VA_AT, [{ f64: 5e-324 }])
        expect(host.call("snprintf", DST_AT, 100, FMT_AT, VA_AT)).toBe(10)
        expect(getString(host, DST_AT)).toBe("4.941e-324")
        // fill the heap: the same conversion now has no scratch and fails with -1
        const blocks: number[] = []
        for (let p; (p = host.call("malloc", 64)) !== 0; ) blocks.push(p)
        expect(host.call("snprintf", DST_AT, 100, FMT_AT, VA_AT)).toBe(-1)
        putVarargs(host, VA_AT, [{ f64: 1.5 }])
        expect(host.call("snprintf", DST_AT, 100, FMT_AT, VA_AT), "small values need no heap").toBe(9)
        host.call("free", blocks.pop())
        host.call("free", blocks.pop())
        host.call("free", blocks.pop())
        host.call("free", blocks.pop())
        host.call("free", blocks.pop())
        host.call("free", blocks.pop())
        putVarargs(host, VA_AT, [{ f64: 5e-324 }])
        expect(host.call("snprintf", DST_AT, 100, FMT_AT, VA_AT)).toBe(10)
        // and the heap is whole again: the blocks freed above are all there
        for (let i = 0; i < 6; i++) expect(host.call("malloc", 64)).not.toBe(0)
    })
})
