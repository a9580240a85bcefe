// Strings across the app/runtime boundary: the runtime speaks NUL-terminated UTF-8 at an offset
// into the app's memory, AssemblyScript strings are UTF-16 objects. These helpers convert both ways
// (with utf8.ts).

import { encodeUtf8, decodeUtf8 } from "./utf8";

const SCRATCH: i32 = 256;
// For strings the runtime copies during the call (urls, names, console lines): no allocation.
const scratch: usize = memory.data(SCRATCH);

/**
 * `s` as NUL-terminated UTF-8 for one import call that copies it: a shared static buffer when `s`
 * is ASCII and shorter than 256 characters (valid until the next call), else a fresh buffer.
 */
export function tempCString(s: string): usize {
  const n = s.length;
  if (n < SCRATCH) {
    const p = changetype<usize>(s);
    let i = 0;
    while (i < n) {
      const c = load<u16>(p + (<usize>i << 1));
      if (c >= 0x80) break;
      store<u8>(scratch + i, <u8>c);
      i++;
    }
    if (i == n) {
      store<u8>(scratch + n, 0);
      return scratch;
    }
  }
  return changetype<usize>(cstring(s));
}

/** `s` as UTF-8 with a trailing NUL, in a fresh buffer; pass `changetype<usize>(buf)` to an import. */
export function cstring(s: string): ArrayBuffer {
  return encodeUtf8(s, true);
}

/** The string of `len` UTF-8 bytes at `ptr` (no NUL expected). */
export function utf8At(ptr: usize, len: usize): string {
  return decodeUtf8(ptr, len);
}

/** A copy of `len` bytes at `ptr`, or null when `len` is 0 (the ABI's "no payload"). */
export function bytesAt(ptr: usize, len: usize): ArrayBuffer | null {
  if (len == 0) return null;
  const out = new ArrayBuffer(<i32>len);
  memory.copy(changetype<usize>(out), ptr, len);
  return out;
}
