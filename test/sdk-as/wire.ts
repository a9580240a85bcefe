// The test's own encoders and decoders for the ABI's wire formats (../shared/wamr-app-abi.md):
// packed requests and responses (§4, big-endian) and attr_container (§5, little-endian). Written
// from the ABI text, independently of the SDK, so the tests compare two implementations.

export interface PackedRequest {
    action: number
    fmt: number
    mid: number
    sender: number
    url: string
    payload?: Uint8Array
}

export interface PackedResponse {
    status: number
    fmt: number
    mid: number
    receiver: number
    payload?: Uint8Array
}

export function packRequest(r: PackedRequest): Uint8Array {
    const url = Buffer.from(r.url + "\0")
    const payload = r.payload ?? new Uint8Array(0)
    const out = Buffer.alloc(18 + url.length + payload.length)
    out.writeUInt8(1, 0)
    out.writeUInt8(r.action, 1)
    out.writeUInt16BE(r.fmt, 2)
    out.writeUInt32BE(r.mid >>> 0, 4)
    out.writeUInt32BE(r.sender >>> 0, 8)
    out.writeUInt16BE(url.length, 12)
    out.writeUInt32BE(payload.length, 14)
    url.copy(out, 18)
    out.set(payload, 18 + url.length)
    return new Uint8Array(out)
}

export function packResponse(r: PackedResponse): Uint8Array {
    const payload = r.payload ?? new Uint8Array(0)
    const out = Buffer.alloc(16 + payload.length)
    out.writeUInt8(1, 0)
    out.writeUInt8(r.status, 1)
    out.writeUInt16BE(r.fmt, 2)
    out.writeUInt32BE(r.mid >>> 0, 4)
    out.writeUInt32BE(r.receiver >>> 0, 8)
    out.writeUInt32BE(payload.length, 12)
    out.set(payload, 16)
    return new Uint8Array(out)
}

/** Unpacks a request, or throws if it breaks §4's validity rule. */
export function unpackRequest(bytes: Uint8Array): PackedRequest {
    const b = Buffer.from(bytes)
    if (b.length < 18 || b[0] !== 1) throw new Error("bad request header")
    const urlLen = b.readUInt16BE(12)
    const payloadLen = b.readUInt32BE(14)
    if (18 + urlLen + payloadLen !== b.length || b[18 + urlLen - 1] !== 0) throw new Error("bad request size")
    return {
        action: b[1], fmt: b.readUInt16BE(2), mid: b.readUInt32BE(4), sender: b.readUInt32BE(8),
        url: b.subarray(18, 18 + urlLen - 1).toString(),
        payload: payloadLen ? new Uint8Array(b.subarray(18 + urlLen)) : undefined,
    }
}

/** One attribute: the type code (§5) and its value. */
export type Attr =
    | { type: 0 | 1 | 2 | 4 | 5 | 6 | 10 | 11; value: number }
    | { type: 3 | 7; value: bigint }
    | { type: 12; value: boolean }
    | { type: 13; value: string }
    | { type: 14; value: Uint8Array }

/** A serialized attr_container with no slack (unless `slack` bytes of zeros are asked for). */
export function writeAttrs(tag: string, attrs: [string, Attr][], slack = 0): Uint8Array {
    const parts: Buffer[] = []
    const text = (s: string) => {
        const t = Buffer.from(s + "\0")
        const h = Buffer.alloc(2)
        h.writeUInt16LE(t.length)
        parts.push(h, t)
    }
    text(tag)
    const n = Buffer.alloc(2)
    n.writeUInt16LE(attrs.length)
    parts.push(n)
    for (const [key, a] of attrs) {
        text(key)
        parts.push(Buffer.from([a.type]))
        let v: Buffer
        switch (a.type) {
            case 0: v = Buffer.alloc(1); v.writeInt8(a.value); break
            case 1: v = Buffer.alloc(2); v.writeInt16LE(a.value); break
            case 2: v = Buffer.alloc(4); v.writeInt32LE(a.value); break
            case 3: v = Buffer.alloc(8); v.writeBigInt64LE(a.value); break
            case 4: v = Buffer.alloc(1); v.writeUInt8(a.value); break
            case 5: v = Buffer.alloc(2); v.writeUInt16LE(a.value); break
            case 6: v = Buffer.alloc(4); v.writeUInt32LE(a.value); break
            case 7: v = Buffer.alloc(8); v.writeBigUInt64LE(a.value); break
            case 10: v = Buffer.alloc(4); v.writeFloatLE(a.value); break
            case 11: v = Buffer.alloc(8); v.writeDoubleLE(a.value); break
            case 12: v = Buffer.from([a.value ? 1 : 0]); break
            case 13: { const s = Buffer.from(a.value + "\0"); v = Buffer.alloc(2 + s.length); v.writeUInt16LE(s.length); s.copy(v, 2); break }
            case 14: v = Buffer.alloc(4 + a.value.length); v.writeUInt32LE(a.value.length); v.set(a.value, 4); break
        }
        parts.push(v)
    }
    parts.push(Buffer.alloc(slack))
    const body = Buffer.concat(parts)
    const head = Buffer.alloc(6)
    head.writeUInt16LE(0, 0)
    head.writeUInt32LE(4 + body.length, 2)
    return new Uint8Array(Buffer.concat([head, body]))
}
