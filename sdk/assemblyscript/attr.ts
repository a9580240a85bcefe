// attr_container (fmt 99, ABI §5): a tagged list of typed key/value attributes, the payload of
// sensor events, host requests and replies. All fields little-endian:
//   flags u16 | total_len u32 (everything after flags) | tag_len u16 (with NUL) + tag |
//   attr_num u16 | attr_num times: key_len u16 (with NUL) + key, type u8, value
// A value is 1 << (type & 3) bytes for numbers and booleans, u16 length + bytes (with NUL) for a
// STRING, u32 length + bytes for a BYTEARRAY. Readers walk attr_num attributes and ignore what
// follows (WAMR leaves slack); this writer leaves none. Setting an existing key replaces its value.

import { cstring, utf8At } from "./cstring";

export namespace AttrType {
  export const INT8: u8 = 0;
  export const INT16: u8 = 1;
  export const INT32: u8 = 2;
  export const INT64: u8 = 3;
  export const UINT8: u8 = 4;
  export const UINT16: u8 = 5;
  export const UINT32: u8 = 6;
  export const UINT64: u8 = 7;
  export const FLOAT: u8 = 10;
  export const DOUBLE: u8 = 11;
  export const BOOLEAN: u8 = 12;
  export const STRING: u8 = 13;
  export const BYTEARRAY: u8 = 14;
}

class Attr {
  _next: Attr | null = null;
  // key8: the key as UTF-8 with its NUL; value: the fixed-size number, the string's bytes with
  // their NUL, or the byte array.
  constructor(public key: string, public key8: ArrayBuffer, public type: u8, public value: ArrayBuffer) {}
}

function isFixed(type: u8): bool {
  return type <= AttrType.UINT64 || (type >= AttrType.FLOAT && type <= AttrType.BOOLEAN);
}

function fixedSize(type: u8): u32 {
  return 1 << (type & 3);
}

export class AttrContainer {
  // In insertion order (the serialized order), linked like the SDK's registries (list.ts).
  private first: Attr | null = null;
  private last: Attr | null = null;
  private n: i32 = 0;

  constructor(public tag: string = "") {}

  get count(): i32 { return this.n; }

  /** The key of the i-th attribute (0 <= i < count), in the serialized order. */
  keyAt(i: i32): string {
    let a = this.first;
    while (a !== null && i > 0) { a = a._next; i--; }
    return a === null ? "" : a.key;
  }

  private find(key: string): Attr | null {
    let a = this.first;
    while (a !== null && a.key != key) a = a._next;
    return a;
  }

  has(key: string): bool { return this.find(key) !== null; }

  /** The type of `key`'s value (AttrType), or -1 if absent. */
  typeOf(key: string): i32 {
    const a = this.find(key);
    return a === null ? -1 : <i32>a.type;
  }

  // ---- writing

  private put(key: string, type: u8, value: ArrayBuffer): void {
    const a = this.find(key);
    if (a !== null) { a.type = type; a.value = value; return; }
    const b = new Attr(key, cstring(key), type, value);
    const l = this.last;
    if (l === null) this.first = b;
    else l._next = b;
    this.last = b;
    this.n++;
  }

  private putFixed(key: string, type: u8, bits: u64): void {
    const size = fixedSize(type);
    const v = new ArrayBuffer(<i32>size);
    const p = changetype<usize>(v);
    if (size == 8) store<u64>(p, bits);
    else if (size == 4) store<u32>(p, <u32>bits);
    else if (size == 2) store<u16>(p, <u16>bits);
    else store<u8>(p, <u8>bits);
    this.put(key, type, v);
  }

  setByte(key: string, v: i8): AttrContainer { this.putFixed(key, AttrType.INT8, <u64>v); return this; }
  setShort(key: string, v: i16): AttrContainer { this.putFixed(key, AttrType.INT16, <u64>v); return this; }
  setInt(key: string, v: i32): AttrContainer { this.putFixed(key, AttrType.INT32, <u64>v); return this; }
  setInt64(key: string, v: i64): AttrContainer { this.putFixed(key, AttrType.INT64, <u64>v); return this; }
  setUint8(key: string, v: u8): AttrContainer { this.putFixed(key, AttrType.UINT8, <u64>v); return this; }
  setUint16(key: string, v: u16): AttrContainer { this.putFixed(key, AttrType.UINT16, <u64>v); return this; }
  setUint32(key: string, v: u32): AttrContainer { this.putFixed(key, AttrType.UINT32, <u64>v); return this; }
  setUint64(key: string, v: u64): AttrContainer { this.putFixed(key, AttrType.UINT64, v); return this; }
  setFloat(key: string, v: f32): AttrContainer { this.putFixed(key, AttrType.FLOAT, <u64>reinterpret<u32>(v)); return this; }
  setDouble(key: string, v: f64): AttrContainer { this.putFixed(key, AttrType.DOUBLE, reinterpret<u64>(v)); return this; }
  setBool(key: string, v: bool): AttrContainer { this.putFixed(key, AttrType.BOOLEAN, v ? 1 : 0); return this; }
  setString(key: string, v: string): AttrContainer { this.put(key, AttrType.STRING, cstring(v)); return this; }
  setBytes(key: string, v: ArrayBuffer): AttrContainer { this.put(key, AttrType.BYTEARRAY, v.slice(0)); return this; }

  /** The serialized container. */
  serialize(): ArrayBuffer {
    const tag = cstring(this.tag);
    let size: u32 = 2 + 4 + 2 + <u32>tag.byteLength + 2;
    let a = this.first;
    while (a !== null) {
      size += 2 + <u32>a.key8.byteLength + 1 + <u32>a.value.byteLength;
      if (a.type == AttrType.STRING) size += 2;
      else if (a.type == AttrType.BYTEARRAY) size += 4;
      a = a._next;
    }
    const out = new ArrayBuffer(<i32>size);
    const base = changetype<usize>(out);
    store<u16>(base, 0);
    store<u32>(base, size - 2, 2);
    let p = putText(base + 6, tag);
    store<u16>(p, <u16>this.n);
    p += 2;
    a = this.first;
    while (a !== null) {
      p = putText(p, a.key8);
      store<u8>(p++, a.type);
      const n = <u32>a.value.byteLength;
      if (a.type == AttrType.STRING) { store<u16>(p, <u16>n); p += 2; }
      else if (a.type == AttrType.BYTEARRAY) { store<u32>(p, n); p += 4; }
      memory.copy(p, changetype<usize>(a.value), n);
      p += n;
      a = a._next;
    }
    return out;
  }

  // ---- reading

  /** The container in `len` bytes at `ptr` (copied), or null if it is malformed. */
  static parse(ptr: usize, len: u32): AttrContainer | null {
    const end = ptr + len;
    if (len < 8) return null;
    let p = ptr + 6;
    const tagLen = <u32>load<u16>(p);
    if (tagLen == 0 || p + 2 + tagLen > end || load<u8>(p + 2 + tagLen - 1) != 0) return null;
    const c = new AttrContainer(utf8At(p + 2, tagLen - 1));
    p += 2 + tagLen;
    if (p + 2 > end) return null;
    const n = <i32>load<u16>(p);
    p += 2;
    for (let i = 0; i < n; i++) {
      if (p + 2 > end) return null;
      const keyLen = <u32>load<u16>(p);
      if (keyLen == 0 || p + 3 + keyLen > end || load<u8>(p + 2 + keyLen - 1) != 0) return null;
      const key = utf8At(p + 2, keyLen - 1);
      p += 2 + keyLen;
      const type = load<u8>(p++);
      let size: u32;
      if (isFixed(type)) size = fixedSize(type);
      else if (type == AttrType.STRING) {
        if (p + 2 > end) return null;
        size = <u32>load<u16>(p);
        p += 2;
        if (size == 0 || p + size > end || load<u8>(p + size - 1) != 0) return null;
      } else if (type == AttrType.BYTEARRAY) {
        if (p + 4 > end) return null;
        size = load<u32>(p);
        p += 4;
      } else return null;
      if (<u64>p + size > <u64>end) return null;
      const v = new ArrayBuffer(<i32>size);
      memory.copy(changetype<usize>(v), p, size);
      c.put(key, type, v);
      p += size;
    }
    return c;
  }

  /** The container serialized in `buf`, or null if it is malformed. */
  static fromBuffer(buf: ArrayBuffer | null): AttrContainer | null {
    if (buf === null) return null;
    return AttrContainer.parse(changetype<usize>(buf), <u32>buf.byteLength);
  }

  /** `key`'s value as an i64: integers and booleans exactly, floats truncated; 0 if absent or not a number. */
  getInt64(key: string): i64 {
    const a = this.find(key);
    if (a === null) return 0;
    const p = changetype<usize>(a.value);
    switch (a.type) {
      case AttrType.INT8: return <i64>load<i8>(p);
      case AttrType.INT16: return <i64>load<i16>(p);
      case AttrType.INT32: return <i64>load<i32>(p);
      case AttrType.INT64: case AttrType.UINT64: return load<i64>(p);
      case AttrType.UINT8: case AttrType.BOOLEAN: return <i64>load<u8>(p);
      case AttrType.UINT16: return <i64>load<u16>(p);
      case AttrType.UINT32: return <i64>load<u32>(p);
      case AttrType.FLOAT: return <i64>load<f32>(p);
      case AttrType.DOUBLE: return <i64>load<f64>(p);
    }
    return 0;
  }

  /** `key`'s value as an i32 (see getInt64). */
  getInt(key: string): i32 { return <i32>this.getInt64(key); }

  /** `key`'s value as an f64: any number type; 0 if absent or not a number. */
  getDouble(key: string): f64 {
    const a = this.find(key);
    if (a === null) return 0;
    const p = changetype<usize>(a.value);
    if (a.type == AttrType.DOUBLE) return load<f64>(p);
    if (a.type == AttrType.FLOAT) return <f64>load<f32>(p);
    if (a.type == AttrType.UINT64) return <f64>load<u64>(p);
    return <f64>this.getInt64(key);
  }

  getBool(key: string): bool { return this.getInt64(key) != 0; }

  /** `key`'s STRING value, or null. */
  getString(key: string): string | null {
    const a = this.find(key);
    if (a === null || a.type != AttrType.STRING) return null;
    return utf8At(changetype<usize>(a.value), <usize>a.value.byteLength - 1);
  }

  /** `key`'s BYTEARRAY value (a copy), or null. */
  getBytes(key: string): ArrayBuffer | null {
    const a = this.find(key);
    if (a === null || a.type != AttrType.BYTEARRAY) return null;
    return a.value.slice(0);
  }
}

/** Writes a u16 length then the NUL-terminated bytes of `text`; returns the next offset. */
function putText(p: usize, text: ArrayBuffer): usize {
  const n = <u32>text.byteLength;
  store<u16>(p, <u16>n);
  memory.copy(p + 2, changetype<usize>(text), n);
  return p + 2 + n;
}
