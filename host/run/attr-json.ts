// JSON <-> attr_container (WAMR's typed key/value payload, fmt 99; ../shared/wamr-app-abi.md §5) for
// the HTTP gateway and the MQTT bridge (one convention for both), keeping the types (unlike host_tool's conversion in host/cli/_attr-json.ts, where
// every number is a double): plain JSON values are given the natural type (integer -> int32 or int64,
// other number -> double, bool, string, {"base64"} -> bytes), and {"type", "value"} names any attr
// type. Containers are read with host/run/attr-reader.ts; out, values become plain JSON, or typed
// objects (`typed`) that read back into the same container.
import { readAttrContainer, type AttrValue } from "./attr-reader"

/** Attribute types by name, as the JSON names them, with their attr_container type byte. */
export const ATTR_TYPES = {
    int8: 0, int16: 1, int32: 2, int64: 3, uint8: 4, uint16: 5, uint32: 6, uint64: 7,
    float: 10, double: 11, bool: 12, string: 13, bytes: 14,
} as const
export type AttrTypeName = keyof typeof ATTR_TYPES
const TYPE_NAMES = Object.fromEntries(Object.entries(ATTR_TYPES).map(([k, v]) => [v, k])) as Record<number, AttrTypeName>

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

/** A body that is not a JSON object that can be turned into an attr_container. */
export class AttrJsonError extends Error {}

const INT_RANGES: Partial<Record<AttrTypeName, [bigint, bigint]>> = {
    int8: [-128n, 127n], int16: [-32768n, 32767n], int32: [-(2n ** 31n), 2n ** 31n - 1n], int64: [-(2n ** 63n), 2n ** 63n - 1n],
    uint8: [0n, 255n], uint16: [0n, 65535n], uint32: [0n, 2n ** 32n - 1n], uint64: [0n, 2n ** 64n - 1n],
}

function text(s: string): Buffer {
    const b = Buffer.from(s, "utf8")
    const out = Buffer.alloc(2 + b.length + 1)
    out.writeUInt16LE(b.length + 1, 0)
    b.copy(out, 2)
    return out
}

function base64(key: string, v: unknown): Buffer {
    if (typeof v !== "string" || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(v)) throw new AttrJsonError(`"${key}": bytes need a base64 string`)
    return Buffer.from(v, "base64")
}

/** One value of a named type, serialized (without key and type byte). */
function encodeTyped(key: string, type: AttrTypeName, v: unknown): Buffer {
    const range = INT_RANGES[type]
    if (range) {
        let n: bigint
        try {
            if (typeof v === "number" && Number.isInteger(v)) n = BigInt(v)
            else if (typeof v === "string" && /^-?\d+$/.test(v)) n = BigInt(v)
            else throw 0
        } catch {
            throw new AttrJsonError(`"${key}": ${type} needs an integer (a number, or a decimal string for 64 bits)`)
        }
        if (n < range[0] || n > range[1]) throw new AttrJsonError(`"${key}": ${n} is out of ${type}'s range`)
        const size = { int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, int64: 8, uint64: 8 }[type as "int8"]
        const b = Buffer.alloc(size)
        if (size === 8) type === "int64" ? b.writeBigInt64LE(n) : b.writeBigUInt64LE(n)
        else if (type.startsWith("u")) b.writeUIntLE(Number(n), 0, size)
        else b.writeIntLE(Number(n), 0, size)
        return b
    }
    switch (type) {
        case "float":
        case "double": {
            if (typeof v !== "number") throw new AttrJsonError(`"${key}": ${type} needs a number`)
            const b = Buffer.alloc(type === "float" ? 4 : 8)
            type === "float" ? b.writeFloatLE(v) : b.writeDoubleLE(v)
            return b
        }
        case "bool":
            if (typeof v !== "boolean") throw new AttrJsonError(`"${key}": bool needs true or false`)
            return Buffer.from([v ? 1 : 0])
        case "string":
            if (typeof v !== "string") throw new AttrJsonError(`"${key}": string needs a string`)
            return text(v)
        case "bytes": {
            const raw = base64(key, v)
            const b = Buffer.alloc(4 + raw.length)
            b.writeUInt32LE(raw.length, 0)
            raw.copy(b, 4)
            return b
        }
    }
    throw new AttrJsonError(`"${key}": unknown type ${type}`)
}

/** The type a plain JSON value gets, or the {type, value} object's. */
function typeOf(key: string, v: unknown): [AttrTypeName, unknown] {
    if (typeof v === "boolean") return ["bool", v]
    if (typeof v === "string") return ["string", v]
    if (typeof v === "number") {
        if (!Number.isFinite(v)) throw new AttrJsonError(`"${key}": not a finite number`)
        if (Number.isInteger(v) && !Object.is(v, -0)) return [v >= -(2 ** 31) && v < 2 ** 31 ? "int32" : Number.isSafeInteger(v) ? "int64" : "double", v]
        return ["double", v]
    }
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
        const o = v as Record<string, unknown>
        const keys = Object.keys(o).sort().join(",")
        if (keys === "base64") return ["bytes", o.base64]
        if (keys === "type,value") {
            if (typeof o.type !== "string" || !(o.type in ATTR_TYPES))
                throw new AttrJsonError(`"${key}": type must be one of ${Object.keys(ATTR_TYPES).join(", ")}`)
            return [o.type as AttrTypeName, o.value]
        }
    }
    throw new AttrJsonError(`"${key}": ${v === null ? "null" : Array.isArray(v) ? "an array" : "this object"} has no attr_container type (use {"base64": ...} or {"type": ..., "value": ...})`)
}

/** A JSON object (text or parsed) as an attr_container; AttrJsonError says what is wrong. */
export function jsonToAttr(json: string | unknown, tag = ""): Buffer {
    let v = json
    if (typeof json === "string") {
        try {
            v = JSON.parse(json)
        } catch (e: any) {
            throw new AttrJsonError(`body is not JSON: ${e.message}`)
        }
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) throw new AttrJsonError("body must be a JSON object")
    const parts: Buffer[] = []
    let count = 0
    for (const [key, x] of Object.entries(v as Record<string, unknown>)) {
        const [type, value] = typeOf(key, x)
        parts.push(text(key), Buffer.from([ATTR_TYPES[type]]), encodeTyped(key, type, value))
        count++
    }
    if (count > 0xffff) throw new AttrJsonError("too many attributes")
    const num = Buffer.alloc(2)
    num.writeUInt16LE(count, 0)
    const body = Buffer.concat([text(tag), num, ...parts])
    const head = Buffer.alloc(6)
    head.writeUInt32LE(4 + body.length, 2) // flags 0; total_len counts itself and what follows
    return Buffer.concat([head, body])
}

/** A float32 in the fewest digits that read back as the same float32. */
function shortFloat(f: number): number {
    for (let p = 1; p <= 9; p++) {
        const x = Number(f.toPrecision(p))
        if (Math.fround(x) === f) return x
    }
    return f
}

function plain(v: AttrValue, type: number): Json {
    if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString()
    if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString("base64") }
    if (typeof v === "number" && !Number.isFinite(v)) return String(v) // JSON has no NaN or Infinity
    if (typeof v === "number" && type === ATTR_TYPES.float) return shortFloat(v)
    return v
}

/** The type byte of each attribute, in order (readAttrContainer gives values only). */
export function attrTypes(b: Uint8Array): number[] {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    let at = 6
    const skipText = () => (at += 2 + v.getUint16(at, true))
    skipText()
    const count = v.getUint16(at, true)
    at += 2
    const types: number[] = []
    const sizes: Record<number, number> = { 0: 1, 1: 2, 2: 4, 3: 8, 4: 1, 5: 2, 6: 4, 7: 8, 10: 4, 11: 8, 12: 1 }
    for (let i = 0; i < count; i++) {
        skipText()
        const t = b[at++]
        types.push(t)
        if (t === 13) skipText()
        else if (t === 14) at += 4 + v.getUint32(at, true)
        else at += sizes[t]
    }
    return types
}

/**
 * An attr_container as a JSON object: plain values (see the header), or with `typed` every value
 * as {type, value} (64-bit integers as decimal strings, bytes as base64). Throws on a malformed one.
 */
export function attrToJson(b: Uint8Array, typed = false): { [k: string]: Json } {
    if (b.length < 10) throw new Error("attr_container: too short")
    const { attrs } = readAttrContainer(b)
    const types = attrTypes(b)
    const out: { [k: string]: Json } = {}
    Object.entries(attrs).forEach(([k, v], i) => {
        if (!typed) return void (out[k] = plain(v, types[i]))
        const type = TYPE_NAMES[types[i]]
        out[k] = { type, value: typeof v === "bigint" ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString("base64") : v }
    })
    return out
}
