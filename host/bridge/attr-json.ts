// attr_containers (WAMR's key/value payload, ABI §5) and JSON on the bridge, with the types kept
// as far as JSON can say them. host/cli/_attr-json.ts converts the way WAMR's host_tool does (every
// number a double, bytes as int8 arrays); the bridge talks to other programs, so here:
//   - attr → JSON: integers and floats as JSON numbers (int64/uint64 outside 2^53 as decimal
//     strings), float32 in its shortest form that reads back, booleans, strings, byte arrays as
//     base64 strings; typesOf() gives each key's attr type name (sent as an MQTT 5 user property).
//   - JSON → attr (desired config, request bodies): whole numbers as INT (int32) or INT64 when
//     larger, other numbers as DOUBLE, booleans BOOLEAN, strings STRING, {"$base64": "..."} a
//     BYTEARRAY; null, arrays and other objects are refused with the key named. Apps read numbers
//     with attr_container_get_as_int/double, which convert between the numeric types.
import { readAttrContainer } from "../run/attr-reader"

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue }
export type JsonObject = { [k: string]: JsonValue }

const TYPE_NAMES = ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "", "", "float", "double", "bool", "string", "bytes"]

const T_INT = 2
const T_INT64 = 3
const T_DOUBLE = 11
const T_BOOLEAN = 12
const T_STRING = 13
const T_BYTEARRAY = 14

/** A float32 in the fewest digits that read back as the same float32. */
function shortFloat(f: number): number {
    if (!Number.isFinite(f)) return f
    for (let p = 1; p <= 9; p++) {
        const x = Number(f.toPrecision(p))
        if (Math.fround(x) === f) return x
    }
    return f
}

/** The attr_container's attributes as a JSON object (throws when it does not read). */
export function attrToTypedJson(b: Uint8Array): JsonObject {
    const { attrs } = readAttrContainer(b)
    const types = typesOf(b)
    const o: JsonObject = {}
    for (const [k, v] of Object.entries(attrs)) {
        if (typeof v === "bigint") o[k] = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
        else if (v instanceof Uint8Array) o[k] = Buffer.from(v).toString("base64")
        else if (typeof v === "number" && types[k] === "float") o[k] = shortFloat(v)
        else if (typeof v === "number" && !Number.isFinite(v)) o[k] = String(v) // JSON has no NaN or Infinity
        else o[k] = v
    }
    return o
}

/** Each attribute's type name (int32, double, string, bytes, ...), read from the container itself. */
export function typesOf(b: Uint8Array): Record<string, string> {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    let at = 6
    const skipText = (): string => {
        const n = v.getUint16(at, true)
        const s = Buffer.from(b.subarray(at + 2, at + 2 + n - 1)).toString("utf8")
        at += 2 + n
        return s
    }
    skipText() // tag
    const count = v.getUint16(at, true)
    at += 2
    const sizes = [1, 2, 4, 8, 1, 2, 4, 8, 0, 0, 4, 8, 1]
    const out: Record<string, string> = {}
    for (let i = 0; i < count; i++) {
        const key = skipText()
        const t = b[at++]
        out[key] = TYPE_NAMES[t] || `type ${t}`
        if (t === T_STRING) skipText()
        else if (t === T_BYTEARRAY) at += 4 + v.getUint32(at, true)
        else at += sizes[t] ?? 0
    }
    return out
}

/** A payload as JSON: an attr_container's attributes, else UTF-8 text as a string, else base64 (fmt says which). */
export function payloadToJson(fmt: number, payload: Uint8Array): { json: JsonValue; types?: Record<string, string> } {
    if (fmt === 99 && payload.length > 0) {
        try {
            return { json: attrToTypedJson(payload), types: typesOf(payload) }
        } catch {
            // not a container after all: fall through to bytes
        }
    }
    if (payload.length === 0) return { json: null }
    const text = Buffer.from(payload).toString("utf8").replace(/\0+$/, "") // C apps send strings with their NUL
    const printable = [...text].every(c => c >= " " || c === "\n" || c === "\r" || c === "\t")
    if (printable && Buffer.from(text + "\0".repeat(payload.length - Buffer.byteLength(text))).equals(Buffer.from(payload))) return { json: text }
    return { json: { $base64: Buffer.from(payload).toString("base64") } }
}

/** A JSON object as an attr_container (see the header for the types); throws an Error naming the key. */
export function jsonToTypedAttr(o: unknown, tag = ""): Buffer {
    if (o === null || typeof o !== "object" || Array.isArray(o)) throw new Error("config must be a JSON object")
    const parts: Buffer[] = []
    const text = (s: string): Buffer => {
        const t = Buffer.from(s, "utf8")
        const out = Buffer.alloc(2 + t.length + 1)
        out.writeUInt16LE(t.length + 1, 0)
        t.copy(out, 2)
        return out
    }
    let count = 0
    for (const [key, x] of Object.entries(o as Record<string, unknown>)) {
        let type: number
        let value: Buffer
        if (typeof x === "number") {
            if (Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff) {
                type = T_INT
                value = Buffer.alloc(4)
                value.writeInt32LE(x)
            } else if (Number.isSafeInteger(x)) {
                type = T_INT64
                value = Buffer.alloc(8)
                value.writeBigInt64LE(BigInt(x))
            } else {
                type = T_DOUBLE
                value = Buffer.alloc(8)
                value.writeDoubleLE(x)
            }
        } else if (typeof x === "boolean") {
            type = T_BOOLEAN
            value = Buffer.from([x ? 1 : 0])
        } else if (typeof x === "string") {
            type = T_STRING
            value = text(x)
        } else if (x !== null && typeof x === "object" && !Array.isArray(x) && typeof (x as any).$base64 === "string") {
            const bytes = Buffer.from((x as any).$base64, "base64")
            type = T_BYTEARRAY
            value = Buffer.alloc(4 + bytes.length)
            value.writeUInt32LE(bytes.length)
            bytes.copy(value, 4)
        } else throw new Error(`"${key}": ${JSON.stringify(x)} has no attr_container type (numbers, booleans, strings, {"$base64": ...})`)
        parts.push(text(key), Buffer.from([type]), value)
        count++
    }
    const num = Buffer.alloc(2)
    num.writeUInt16LE(count)
    const body = Buffer.concat([text(tag), num, ...parts])
    const head = Buffer.alloc(6)
    head.writeUInt32LE(4 + body.length, 2) // total_len counts itself and what follows
    return Buffer.concat([head, body])
}
