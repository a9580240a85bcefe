// String, memory, character-class and number-parsing functions of sdk/libc/libc.wasm against
// the C standard's behaviour (a small JavaScript model of each), on both engines: results,
// returned pointers, overlapping memmove, strncpy padding, strtol/strtoul bases, endptr and
// overflow.
import { describe, it, expect } from "vitest"
import { ENGINES, initHost, putString, getString, u32, setU32, LibcHost, STR_AT, DST_AT } from "./libc-host"
import { seededRandom } from "../engine/helpers"

const A = STR_AT
const B = STR_AT + 2048
const sign = (x: number) => Math.sign(x)

describe.each(ENGINES)("strings and memory (%s)", (engine) => {
    const host = initHost(engine)

    it("strlen, strcmp, strncmp, strncasecmp compare unsigned bytes", () => {
        const pairs: [string, string][] = [["", ""], ["a", ""], ["", "a"], ["abc", "abc"], ["abc", "abd"], ["abd", "abc"], ["ab", "abc"], ["abc", "ab"], ["a\xff", "a\x01"], ["Hello", "hELLO"], ["HelloX", "hELLOy"], ["x", "X"]]
        for (const [a, b] of pairs) {
            putString(host, A, a)
            putString(host, B, b)
            expect(host.call("strlen", A)).toBe(a.length)
            const cmp = a < b ? -1 : a > b ? 1 : 0
            expect(sign(host.call("strcmp", A, B)), `strcmp ${a} ${b}`).toBe(cmp)
            for (const n of [0, 1, 2, 3, 10]) {
                const x = a.slice(0, n), y = b.slice(0, n)
                expect(sign(host.call("strncmp", A, B, n))).toBe(x < y ? -1 : x > y ? 1 : 0)
                const lx = x.toLowerCase(), ly = y.toLowerCase()
                expect(sign(host.call("strncasecmp", A, B, n)), `strncasecmp ${a} ${b} ${n}`).toBe(lx < ly ? -1 : lx > ly ? 1 : 0)
            }
        }
    })

    it("strcpy, strncpy (padding, no NUL when full), strdup, _strdup", () => {
        putString(host, A, "hello")
        host.write(DST_AT, new Uint8Array(16).fill(0x55))
        expect(host.call("strcpy", DST_AT, A)).toBe(DST_AT)
        expect(getString(host, DST_AT)).toBe("hello")
        host.write(DST_AT, new Uint8Array(16).fill(0x55))
        expect(host.call("strncpy", DST_AT, A, 8)).toBe(DST_AT)
        expect([...host.read(DST_AT, 9)]).toEqual([104, 101, 108, 108, 111, 0, 0, 0, 0x55])
        host.write(DST_AT, new Uint8Array(16).fill(0x55))
        host.call("strncpy", DST_AT, A, 3)
        expect([...host.read(DST_AT, 4)]).toEqual([104, 101, 108, 0x55])
        for (const name of ["strdup", "_strdup"]) {
            const p = host.call(name, A)
            expect(p % 8).toBe(0)
            expect(p).not.toBe(A)
            expect(getString(host, p)).toBe("hello")
            host.call("free", p)
        }
    })

    it("strchr, strstr, strspn, strcspn", () => {
        const s = "hello, world"
        putString(host, A, s)
        for (const c of ["h", "o", "d", ",", "z", "\0"]) {
            const i = c === "\0" ? s.length : s.indexOf(c)
            expect(host.call("strchr", A, c.charCodeAt(0))).toBe(i < 0 ? 0 : A + i)
        }
        for (const n of ["", "hello", "world", "o, w", "worlds", "z", "d"]) {
            putString(host, B, n)
            const i = s.indexOf(n)
            expect(host.call("strstr", A, B), n).toBe(i < 0 ? 0 : A + i)
        }
        for (const set of ["", "leh", "hel", "abc", "olleh ,"]) {
            putString(host, B, set)
            let span = 0
            while (span < s.length && set.includes(s[span])) span++
            let cspan = 0
            while (cspan < s.length && !set.includes(s[cspan])) cspan++
            expect(host.call("strspn", A, B), set).toBe(span)
            expect(host.call("strcspn", A, B), set).toBe(cspan)
        }
    })

    it("memcpy, memset, memcmp, memchr, and memmove with overlap both ways", () => {
        const r = seededRandom(7)
        const model = new Uint8Array(512)
        for (let i = 0; i < model.length; i++) model[i] = r(256)
        host.write(A, model)
        for (let k = 0; k < 200; k++) {
            const n = r(100), src = r(400), dst = r(400)
            const op = r(3)
            if (op === 0) {
                expect(host.call("memmove", A + dst, A + src, n)).toBe(A + dst)
                model.copyWithin(dst, src, src + n)
            } else if (op === 1 && (dst + n <= src || src + n <= dst)) {
                expect(host.call("memcpy", A + dst, A + src, n)).toBe(A + dst)
                model.copyWithin(dst, src, src + n)
            } else {
                const v = r(512) - 128 // memset converts to unsigned char
                expect(host.call("memset", A + dst, v, n)).toBe(A + dst)
                model.fill(v & 0xff, dst, dst + n)
            }
        }
        expect([...host.read(A, 512)]).toEqual([...model])
        for (let k = 0; k < 100; k++) {
            const n = r(40), a = r(470), b = r(470)
            let cmp = 0
            for (let i = 0; i < n && cmp === 0; i++) cmp = sign(model[a + i] - model[b + i])
            expect(sign(host.call("memcmp", A + a, A + b, n))).toBe(cmp)
            const c = model[a + r(40)]
            const i = model.subarray(a, a + n).indexOf(c)
            expect(host.call("memchr", A + a, c + 256, n)).toBe(i < 0 ? 0 : A + a + i)
        }
        expect(host.call("memcmp", A, A + 1, 0)).toBe(0)
    })

    it("character classes and case mapping match C's \"C\" locale for -1..300", () => {
        const cls: Record<string, (c: number) => boolean> = {
            isupper: (c) => c >= 65 && c <= 90,
            isalpha: (c) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
            isdigit: (c) => c >= 48 && c <= 57,
            isxdigit: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102),
            isalnum: (c) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122),
            isspace: (c) => [9, 10, 11, 12, 13, 32].includes(c),
            isgraph: (c) => c > 32 && c < 127,
            isprint: (c) => c >= 32 && c < 127,
        }
        for (let c = -1; c <= 300; c++) {
            for (const [name, f] of Object.entries(cls)) expect(host.call(name, c) !== 0, `${name}(${c})`).toBe(f(c))
            expect(host.call("toupper", c)).toBe(c >= 97 && c <= 122 ? c - 32 : c)
            expect(host.call("tolower", c)).toBe(c >= 65 && c <= 90 ? c + 32 : c)
        }
    })
})

/** A model of C's strtol/strtoul for 32-bit long: [value, characters used]. */
function modelStrto(s: string, base: number, unsigned: boolean): [number, number] {
    let i = 0
    while (i < s.length && " \t\n\v\f\r".includes(s[i])) i++
    let neg = false
    if (s[i] === "+" || s[i] === "-") neg = s[i++] === "-"
    const dv = (ch: string | undefined) => (ch === undefined ? 99 : /[0-9]/.test(ch) ? ch.charCodeAt(0) - 48 : /[a-z]/i.test(ch) ? ch.toLowerCase().charCodeAt(0) - 87 : 99)
    if ((base === 0 || base === 16) && s[i] === "0" && (s[i + 1] === "x" || s[i + 1] === "X") && dv(s[i + 2]) < 16) {
        i += 2
        base = 16
    } else if (base === 0) base = s[i] === "0" ? 8 : 10
    const start = i
    let v = 0n
    while (dv(s[i]) < base) v = v * BigInt(base) + BigInt(dv(s[i++]))
    if (i === start) return [0, 0]
    if (unsigned) {
        if (v > 0xffffffffn) return [0xffffffff | 0, i]
        return [Number(BigInt.asIntN(32, neg ? -v : v)), i]
    }
    const sv = neg ? -v : v
    if (sv > 0x7fffffffn) return [0x7fffffff, i]
    if (sv < -0x80000000n) return [-0x80000000, i]
    return [Number(sv), i]
}

describe.each(ENGINES)("strtol, strtoul, atoi (%s)", (engine) => {
    const host: LibcHost = initHost(engine)
    const inputs = ["0", "42", "-42", "+7", "  \t\n 123abc", "0x1f", "0X1F", "0x", "0xg", "017", "08", "-0", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "4294967295", "4294967296", "99999999999999999999", "-1", "zz", "ZZ", "z", "", "   ", "-", "+", "1010", "777", "0b101", "  -0x7fffffff", "-0x80000000", "12 34"]
    it("parse like the C standard: bases 0, 2, 8, 10, 16, 36, endptr, saturation", () => {
        for (const s of inputs)
            for (const base of [0, 2, 8, 10, 16, 36]) {
                putString(host, A, s)
                for (const [name, unsigned] of [["strtol", false], ["strtoul", true]] as const) {
                    setU32(host, B, 0xdeadbeef)
                    const [v, used] = modelStrto(s, base, unsigned)
                    expect(host.call(name, A, B, base), `${name}("${s}", ${base})`).toBe(v)
                    expect(u32(host, B), `${name}("${s}", ${base}) endptr`).toBe(A + used)
                }
            }
    })
    it("leave endptr alone when it is NULL, refuse bases 1 and 37, atoi is base 10", () => {
        putString(host, A, "123")
        expect(host.call("strtol", A, 0, 10)).toBe(123)
        setU32(host, B, 0)
        expect(host.call("strtol", A, B, 1)).toBe(0)
        expect(u32(host, B)).toBe(A)
        expect(host.call("strtoul", A, B, 37)).toBe(0)
        for (const s of [" -17x", "0x10", "010", "+5", "abc", "2147483648"]) {
            putString(host, A, s)
            expect(host.call("atoi", A), s).toBe(modelStrto(s, 10, false)[0])
        }
    })
})
