// JSON and attr_containers (WAMR's key/value payload, fmt 99; ../shared/wamr-app-abi.md §5) on the host,
// the way WAMR's host_tool converts them (§10), for `wasmlet request --payload`, `host-tool -p` and
// for showing what apps answer:
//   - jsonToAttr: an object's numbers become DOUBLE, booleans BOOLEAN, strings STRING, arrays of
//     numbers BYTEARRAY (each number cut to int8; the array ends at its first non-number), null and
//     nested objects are left out, the tag is "". A top level that is not an object, or an empty
//     array, is refused (host_tool fails there too).
//   - attrToJson: every attribute type to a JSON value (bytes as signed numbers, as host_tool prints them).
//   - cjsonPrint: cJSON_Print's formatted text (tab indents, `"key":\tvalue`, arrays on one line,
//     numbers with %.15g or, when that does not read back, %.17g), which host-tool's output must match.
import { readAttrContainer } from "../run/attr-reader"

export const FMT_ATTR_CONTAINER = 99

const T_DOUBLE = 11
const T_BOOLEAN = 12
const T_STRING = 13
const T_BYTEARRAY = 14

/** Serializes a JSON object (text or parsed) as an attr_container; throws an Error saying what is wrong. */
export function jsonToAttr(json: string | unknown): Buffer {
    let v: unknown = json
    if (typeof json === "string") {
        try {
            v = JSON.parse(json)
        } catch (e: any) {
            throw new Error(`payload is not JSON: ${e.message}`)
        }
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new Error("payload must be a JSON object")
    const parts: Buffer[] = []
    const text = (s: string): Buffer => {
        const b = Buffer.from(s, "utf8")
        const out = Buffer.alloc(2 + b.length + 1)
        out.writeUInt16LE(b.length + 1, 0)
        b.copy(out, 2)
        return out
    }
    let count = 0
    const add = (key: string, type: number, value: Buffer) => {
        parts.push(text(key), Buffer.from([type]), value)
        count++
    }
    for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
        if (typeof x === "number") {
            const b = Buffer.alloc(8)
            b.writeDoubleLE(x, 0)
            add(key, T_DOUBLE, b)
        } else if (typeof x === "boolean") add(key, T_BOOLEAN, Buffer.from([x ? 1 : 0]))
        else if (typeof x === "string") add(key, T_STRING, text(x))
        else if (Array.isArray(x)) {
            if (x.length === 0) throw new Error(`payload: "${key}" is an empty array (a byte array needs at least one number)`)
            const bytes: number[] = []
            for (const n of x) {
                if (typeof n !== "number") break
                bytes.push(Math.trunc(n) & 0xff)
            }
            if (bytes.length === 0) continue // host_tool leaves such an array out
            const b = Buffer.alloc(4 + bytes.length)
            b.writeUInt32LE(bytes.length, 0)
            Buffer.from(bytes).copy(b, 4)
            add(key, T_BYTEARRAY, b)
        }
        // null and objects: left out, as host_tool does
    }
    const tag = text("")
    const head = Buffer.alloc(6)
    const num = Buffer.alloc(2)
    num.writeUInt16LE(count, 0)
    const body = Buffer.concat([tag, num, ...parts])
    head.writeUInt16LE(0, 0)
    head.writeUInt32LE(4 + body.length, 2) // total_len counts itself and everything after it
    return Buffer.concat([head, body])
}

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** An attr_container as a JSON object (int64 values as numbers, byte arrays as arrays of int8). */
export function attrToJson(b: Uint8Array): { [k: string]: Json } {
    const { attrs } = readAttrContainer(b)
    const o: { [k: string]: Json } = {}
    for (const [k, v] of Object.entries(attrs)) {
        if (typeof v === "bigint") o[k] = Number(v)
        else if (v instanceof Uint8Array) o[k] = Array.from(v, x => (x << 24) >> 24)
        else o[k] = v
    }
    return o
}

/** A payload as JSON when it is an attr_container that reads, else null. */
export function payloadJson(fmt: number, payload: Uint8Array | undefined | null): { [k: string]: Json } | null {
    if (fmt !== FMT_ATTR_CONTAINER || !payload || payload.length === 0) return null
    try {
        return attrToJson(payload)
    } catch {
        return null
    }
}

/** C's printf("%.{p}g", d) for a finite double. */
export function formatG(d: number, p: number): string {
    if (d === 0) return Object.is(d, -0) ? "-0" : "0"
    // the exponent after rounding to p digits decides between fixed and scientific form
    const e = Number(d.toExponential(p - 1).split("e")[1])
    const strip = (s: string) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s)
    if (e < -4 || e >= p) {
        const [m, x] = d.toExponential(p - 1).split("e")
        const n = Number(x)
        return `${strip(m)}e${n < 0 ? "-" : "+"}${String(Math.abs(n)).padStart(2, "0")}`
    }
    return strip(d.toFixed(Math.max(0, p - 1 - e)))
}

/** cJSON's number: %1.15g, or %1.17g when the shorter form does not read back the same. */
function cjsonNumber(d: number): string {
    if (!Number.isFinite(d)) return "null"
    const s = formatG(d, 15)
    return Number(s) === d ? s : formatG(d, 17)
}

function cjsonString(s: string): string {
    let out = '"'
    for (const ch of s) {
        const c = ch.charCodeAt(0)
        if (ch === '"') out += '\\"'
        else if (ch === "\\") out += "\\\\"
        else if (ch === "\b") out += "\\b"
        else if (ch === "\f") out += "\\f"
        else if (ch === "\n") out += "\\n"
        else if (ch === "\r") out += "\\r"
        else if (ch === "\t") out += "\\t"
        else if (c < 32) out += "\\u" + c.toString(16).padStart(4, "0")
        else out += ch
    }
    return out + '"'
}

/** cJSON_Print(value): formatted, no final newline. */
export function cjsonPrint(v: Json, depth = 0): string {
    if (v === null) return "null"
    if (typeof v === "boolean") return v ? "true" : "false"
    if (typeof v === "number") return cjsonNumber(v)
    if (typeof v === "string") return cjsonString(v)
    if (Array.isArray(v)) return "[" + v.map(x => cjsonPrint(x, depth + 1)).join(", ") + "]"
    const pad = "\t".repeat(depth + 1)
    const items = Object.entries(v).map(([k, x]) => `${pad}${cjsonString(k)}:\t${cjsonPrint(x, depth + 1)}`)
    return "{\n" + items.map(s => s + ",\n").join("").replace(/,\n$/, "\n") + "\t".repeat(depth) + "}"
}
