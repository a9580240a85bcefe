// WAMR's packed requests and responses (../shared/wamr-app-abi.md §4): big-endian headers, which
// DeviceScript's Buffer cannot read directly (little-endian formats only), so the few fields the
// runtime touches are read and written byte by byte here.
//
// request:  version u8 | action u8 | fmt u16 | mid u32 | sender u32 | url_len u16 | payload_len u32 | url\0 | payload
// response: version u8 | status u8 | fmt u16 | mid u32 | receiver u32 | payload_len u32 | payload

export const REQ_HEADER = 18
export const RESP_HEADER = 16
/** Offset of the sender (request) or receiver (response) field. */
export const PEER_AT = 8
export const MID_AT = 4

export const ACTION_GET = 1
export const ACTION_POST = 2
export const ACTION_PUT = 3
export const ACTION_DELETE = 4
export const ACTION_EVENT = 6

/** Ids of the runtime's own parties; apps get 1, 2, 3… in install order. */
export const HOST_ID = 0xfffffffd
export const MANAGER_ID = 0xfffffffe

export const FMT_ATTR_CONTAINER = 99
export const FMT_RAW = 98

export const STATUS_CONTENT = 69
export const STATUS_NOT_FOUND = 132
export const STATUS_INTERNAL_ERROR = 160
export const STATUS_SERVICE_UNAVAILABLE = 163
export const STATUS_GATEWAY_TIMEOUT = 164

export function getU16BE(b: Buffer, at: number): number {
    return (b[at] << 8) | b[at + 1]
}

/** Unsigned: 0..2^32-1 (ids such as HOST_ID stay positive). */
export function getU32BE(b: Buffer, at: number): number {
    return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0
}

export function setU32BE(b: Buffer, at: number, v: number): void {
    b[at] = (v >>> 24) & 0xff
    b[at + 1] = (v >>> 16) & 0xff
    b[at + 2] = (v >>> 8) & 0xff
    b[at + 3] = v & 0xff
}

function setU16BE(b: Buffer, at: number, v: number): void {
    b[at] = (v >> 8) & 0xff
    b[at + 1] = v & 0xff
}

/** A request is valid when version = 1, the url ends in NUL, and the sizes add up exactly. */
export function requestValid(b: Buffer): boolean {
    if (b.length < REQ_HEADER || b[0] !== 1) return false
    const urlLen = getU16BE(b, 12)
    if (urlLen < 1 || REQ_HEADER + urlLen + getU32BE(b, 14) !== b.length) return false
    return b[REQ_HEADER + urlLen - 1] === 0
}

export function responseValid(b: Buffer): boolean {
    return b.length >= RESP_HEADER && b[0] === 1 && RESP_HEADER + getU32BE(b, 12) === b.length
}

/** The url of a valid request, without its NUL. */
export function requestUrl(b: Buffer): string {
    return b.slice(REQ_HEADER, REQ_HEADER + getU16BE(b, 12) - 1).toString()
}

export function requestAction(b: Buffer): number {
    return b[1]
}

export function requestPayload(b: Buffer): Buffer {
    return b.slice(REQ_HEADER + getU16BE(b, 12))
}

/** A packed request (url without NUL; payload may be null). */
export function packRequest(action: number, url: string, fmt: number, mid: number, sender: number, payload: Buffer): Buffer {
    const u = Buffer.from(url)
    const n = payload === null || payload === undefined ? 0 : payload.length
    const b = Buffer.alloc(REQ_HEADER + u.length + 1 + n)
    b[0] = 1
    b[1] = action
    setU16BE(b, 2, fmt)
    setU32BE(b, MID_AT, mid)
    setU32BE(b, PEER_AT, sender)
    setU16BE(b, 12, u.length + 1)
    setU32BE(b, 14, n)
    b.blitAt(REQ_HEADER, u, 0, u.length)
    if (n > 0) b.blitAt(REQ_HEADER + u.length + 1, payload, 0, n)
    return b
}

export function packResponse(status: number, fmt: number, mid: number, receiver: number, payload: Buffer): Buffer {
    const n = payload === null || payload === undefined ? 0 : payload.length
    const b = Buffer.alloc(RESP_HEADER + n)
    b[0] = 1
    b[1] = status
    setU16BE(b, 2, fmt)
    setU32BE(b, MID_AT, mid)
    setU32BE(b, PEER_AT, receiver)
    setU32BE(b, 12, n)
    if (n > 0) b.blitAt(RESP_HEADER, payload, 0, n)
    return b
}

/**
 * The same request with another url (`/app/NAME/rest` is delivered as `rest`). It copies the
 * header rather than calling packRequest: nothing else on the device calls packRequest (the host
 * does), and DeviceScript leaves an unreferenced function out of the bytecode.
 */
export function withUrl(b: Buffer, url: string): Buffer {
    const u = Buffer.from(url)
    const payload = requestPayload(b)
    const r = Buffer.alloc(REQ_HEADER + u.length + 1 + payload.length)
    r.blitAt(0, b, 0, REQ_HEADER)
    setU16BE(r, 12, u.length + 1)
    r.blitAt(REQ_HEADER, u, 0, u.length)
    r.blitAt(REQ_HEADER + u.length + 1, payload, 0, payload.length)
    return r
}

/** WAMR's prefix rule (§7): drop one leading "/" of both and a trailing "/" of the prefix; then
 * the url equals the prefix or continues it with "/" or "?". */
export function urlMatches(prefix: string, url: string): boolean {
    if (prefix.charCodeAt(0) === 47) prefix = prefix.slice(1)
    if (url.charCodeAt(0) === 47) url = url.slice(1)
    if (prefix.length > 0 && prefix.charCodeAt(prefix.length - 1) === 47) prefix = prefix.slice(0, prefix.length - 1)
    if (url.length < prefix.length || url.slice(0, prefix.length) !== prefix) return false
    if (url.length === prefix.length) return true
    const c = url.charCodeAt(prefix.length)
    return c === 47 || c === 63
}
