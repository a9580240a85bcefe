// The test suite's own reading and writing of the formats the C SDK produces, written from the
// ABI doc (../shared/wamr-app-abi.md §4 packed requests/responses, big-endian; §5 attr_container,
// little-endian), so the C code is checked against the document, not against itself.

export interface Attr {
    key: string
    type: number
    /** the value bytes (for strings and byte arrays: without the length field) */
    value: Uint8Array
}

export interface Container {
    flags: number
    totalLen: number
    tag: string
    attrs: Attr[]
    /** the bytes after the last attribute, up to 2 + totalLen */
    slack: Uint8Array
}

const dec = new TextDecoder()
const enc = new TextEncoder()

export function decodeContainer(b: Uint8Array): Container {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    const flags = v.getUint16(0, true)
    const totalLen = v.getUint32(2, true)
    const tagLen = v.getUint16(6, true)
    const tag = dec.decode(b.subarray(8, 8 + tagLen - 1))
    if (b[8 + tagLen - 1] !== 0) throw new Error("tag without NUL")
    let p = 8 + tagLen
    const n = v.getUint16(p, true)
    p += 2
    const attrs: Attr[] = []
    for (let i = 0; i < n; i++) {
        const keyLen = v.getUint16(p, true)
        const key = dec.decode(b.subarray(p + 2, p + 2 + keyLen - 1))
        p += 2 + keyLen
        const type = b[p++]
        let len: number
        if (type === 13) {
            len = v.getUint16(p, true)
            p += 2
        } else if (type === 14) {
            len = v.getUint32(p, true)
            p += 4
        } else len = 1 << (type & 3)
        attrs.push({ key, type, value: b.slice(p, p + len) })
        p += len
    }
    if (p > 2 + totalLen) throw new Error("attributes run past total_len")
    return { flags, totalLen, tag, attrs, slack: b.slice(p, 2 + totalLen) }
}

export const cstring = (s: string) => enc.encode(s + "\0")

/** The attr_container bytes for `attrs`, with `slack` zero bytes after them. */
export function encodeContainer(tag: string, attrs: { key: string; type: number; value: Uint8Array }[], slack = 100): Uint8Array {
    const parts: number[] = []
    const u16 = (x: number) => parts.push(x & 0xff, x >> 8)
    const u32 = (x: number) => parts.push(x & 0xff, (x >> 8) & 0xff, (x >> 16) & 0xff, (x >>> 24) & 0xff)
    const bytes = (b: Uint8Array) => parts.push(...b)
    const t = cstring(tag)
    u16(t.length)
    bytes(t)
    u16(attrs.length)
    for (const a of attrs) {
        const k = cstring(a.key)
        u16(k.length)
        bytes(k)
        parts.push(a.type)
        if (a.type === 13) u16(a.value.length)
        if (a.type === 14) u32(a.value.length)
        bytes(a.value)
    }
    const body = [...parts, ...new Array(slack).fill(0)]
    const out = new Uint8Array(2 + 4 + body.length)
    new DataView(out.buffer).setUint32(2, 4 + body.length, true)
    out.set(body, 6)
    return out
}

export interface Request {
    action: number
    fmt: number
    mid: number
    sender: number
    url: string
    payload: Uint8Array
}

export function packRequest(r: Request): Uint8Array {
    const url = cstring(r.url)
    const out = new Uint8Array(18 + url.length + r.payload.length)
    const v = new DataView(out.buffer)
    out[0] = 1
    out[1] = r.action
    v.setUint16(2, r.fmt)
    v.setUint32(4, r.mid >>> 0)
    v.setUint32(8, r.sender >>> 0)
    v.setUint16(12, url.length)
    v.setUint32(14, r.payload.length)
    out.set(url, 18)
    out.set(r.payload, 18 + url.length)
    return out
}

export function unpackRequest(b: Uint8Array): Request {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    if (b[0] !== 1) throw new Error("version")
    const urlLen = v.getUint16(12)
    const payloadLen = v.getUint32(14)
    if (b.length !== 18 + urlLen + payloadLen) throw new Error("size")
    return {
        action: b[1],
        fmt: v.getUint16(2),
        mid: v.getUint32(4),
        sender: v.getUint32(8),
        url: dec.decode(b.subarray(18, 18 + urlLen - 1)),
        payload: b.slice(18 + urlLen),
    }
}

export interface Response {
    status: number
    fmt: number
    mid: number
    receiver: number
    payload: Uint8Array
}

export function packResponse(r: Response): Uint8Array {
    const out = new Uint8Array(16 + r.payload.length)
    const v = new DataView(out.buffer)
    out[0] = 1
    out[1] = r.status
    v.setUint16(2, r.fmt)
    v.setUint32(4, r.mid >>> 0)
    v.setUint32(8, r.receiver >>> 0)
    v.setUint32(12, r.payload.length)
    out.set(r.payload, 16)
    return out
}

export function unpackResponse(b: Uint8Array): Response {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    if (b[0] !== 1) throw new Error("version")
    const payloadLen = v.getUint32(12)
    if (b.length !== 16 + payloadLen) throw new Error("size")
    return { status: b[1], fmt: v.getUint16(2), mid: v.getUint32(4), receiver: v.getUint32(8), payload: b.slice(16) }
}

export const i32le = (x: number) => {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setInt32(0, x, true)
    return b
}
export const f64le = (x: number) => {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setFloat64(0, x, true)
    return b
}
