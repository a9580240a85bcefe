// Packed requests and responses (ABI §4), big-endian headers:
//   request:  version u8 = 1, action u8, fmt u16, mid u32, sender u32, url_len u16 (with NUL),
//             payload_len u32, url + NUL, payload
//   response: version u8 = 1, status u8, fmt u16, mid u32, receiver u32, payload_len u32, payload
// `unpack` applies the ABI's validity rule (version 1, exact total size, NUL-terminated url) and
// copies out of the runtime's buffer, which is freed after the callback returns.

import { cstring, utf8At, bytesAt } from "./cstring";

export namespace Action {
  export const GET: u8 = 1;
  export const POST: u8 = 2;
  export const PUT: u8 = 3;
  export const DELETE: u8 = 4;
  export const EVENT: u8 = 6;
}

export namespace Format {
  export const NONE: u16 = 0;
  export const APP_RAW_BINARY: u16 = 98;
  export const ATTR_CONTAINER: u16 = 99;
}

export namespace Status {
  export const CREATED_2_01: u8 = 65;
  export const DELETED_2_02: u8 = 66;
  export const VALID_2_03: u8 = 67;
  export const CHANGED_2_04: u8 = 68;
  export const CONTENT_2_05: u8 = 69;
  export const CONTINUE_2_31: u8 = 95;
  export const BAD_REQUEST_4_00: u8 = 128;
  export const UNAUTHORIZED_4_01: u8 = 129;
  export const BAD_OPTION_4_02: u8 = 130;
  export const FORBIDDEN_4_03: u8 = 131;
  export const NOT_FOUND_4_04: u8 = 132;
  export const METHOD_NOT_ALLOWED_4_05: u8 = 133;
  export const NOT_ACCEPTABLE_4_06: u8 = 134;
  export const PRECONDITION_FAILED_4_12: u8 = 140;
  export const REQUEST_ENTITY_TOO_LARGE_4_13: u8 = 141;
  export const UNSUPPORTED_MEDIA_TYPE_4_15: u8 = 143;
  export const INTERNAL_SERVER_ERROR_5_00: u8 = 160;
  export const NOT_IMPLEMENTED_5_01: u8 = 161;
  export const BAD_GATEWAY_5_02: u8 = 162;
  export const SERVICE_UNAVAILABLE_5_03: u8 = 163;
  export const GATEWAY_TIMEOUT_5_04: u8 = 164;
  export const PROXYING_NOT_SUPPORTED_5_05: u8 = 165;
}

const REQUEST_HEADER: u32 = 18;
const RESPONSE_HEADER: u32 = 16;

@inline function be16(v: u16): u16 { return bswap<u16>(v); }
@inline function be32(v: u32): u32 { return bswap<u32>(v); }

function payloadLength(p: ArrayBuffer | null): u32 {
  return p === null ? 0 : <u32>p.byteLength;
}

export class Request {
  constructor(
    public action: u8,
    public url: string,
    public fmt: u16 = Format.NONE,
    public payload: ArrayBuffer | null = null,
    public mid: u32 = 0,
    public sender: u32 = 0,
  ) {}

  /** The request in `len` bytes at `ptr`, or null if the packet is not valid. */
  static unpack(ptr: usize, len: u32): Request | null {
    if (len < REQUEST_HEADER || load<u8>(ptr) != 1) return null;
    const urlLen = <u32>be16(load<u16>(ptr, 12));
    const payloadLen = be32(load<u32>(ptr, 14));
    if (urlLen == 0 || <u64>REQUEST_HEADER + urlLen + payloadLen != <u64>len) return null;
    if (load<u8>(ptr + REQUEST_HEADER + urlLen - 1) != 0) return null;
    return new Request(
      load<u8>(ptr, 1),
      utf8At(ptr + REQUEST_HEADER, urlLen - 1),
      be16(load<u16>(ptr, 2)),
      bytesAt(ptr + REQUEST_HEADER + urlLen, payloadLen),
      be32(load<u32>(ptr, 4)),
      be32(load<u32>(ptr, 8)),
    );
  }

  /** The packed form. */
  pack(): ArrayBuffer {
    const url = cstring(this.url);
    const urlLen = <u32>url.byteLength;
    const payloadLen = payloadLength(this.payload);
    const out = new ArrayBuffer(<i32>(REQUEST_HEADER + urlLen + payloadLen));
    const p = changetype<usize>(out);
    store<u8>(p, 1);
    store<u8>(p, this.action, 1);
    store<u16>(p, be16(this.fmt), 2);
    store<u32>(p, be32(this.mid), 4);
    store<u32>(p, be32(this.sender), 8);
    store<u16>(p, be16(<u16>urlLen), 12);
    store<u32>(p, be32(payloadLen), 14);
    memory.copy(p + REQUEST_HEADER, changetype<usize>(url), urlLen);
    if (payloadLen) memory.copy(p + REQUEST_HEADER + urlLen, changetype<usize>(this.payload), payloadLen);
    return out;
  }
}

export class Response {
  constructor(
    public status: u8,
    public fmt: u16 = Format.NONE,
    public payload: ArrayBuffer | null = null,
    public mid: u32 = 0,
    public receiver: u32 = 0,
  ) {}

  /** A response to `req`: its mid, addressed to its sender. */
  static to(req: Request, status: u8, fmt: u16 = Format.NONE, payload: ArrayBuffer | null = null): Response {
    return new Response(status, fmt, payload, req.mid, req.sender);
  }

  /** The response in `len` bytes at `ptr`, or null if the packet is not valid. */
  static unpack(ptr: usize, len: u32): Response | null {
    if (len < RESPONSE_HEADER || load<u8>(ptr) != 1) return null;
    const payloadLen = be32(load<u32>(ptr, 12));
    if (<u64>RESPONSE_HEADER + payloadLen != <u64>len) return null;
    return new Response(
      load<u8>(ptr, 1),
      be16(load<u16>(ptr, 2)),
      bytesAt(ptr + RESPONSE_HEADER, payloadLen),
      be32(load<u32>(ptr, 4)),
      be32(load<u32>(ptr, 8)),
    );
  }

  /** The packed form. */
  pack(): ArrayBuffer {
    const payloadLen = payloadLength(this.payload);
    const out = new ArrayBuffer(<i32>(RESPONSE_HEADER + payloadLen));
    const p = changetype<usize>(out);
    store<u8>(p, 1);
    store<u8>(p, this.status, 1);
    store<u16>(p, be16(this.fmt), 2);
    store<u32>(p, be32(this.mid), 4);
    store<u32>(p, be32(this.receiver), 8);
    store<u32>(p, be32(payloadLen), 12);
    if (payloadLen) memory.copy(p + RESPONSE_HEADER, changetype<usize>(this.payload), payloadLen);
    return out;
  }
}
