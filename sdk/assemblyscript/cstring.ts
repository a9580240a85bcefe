// Strings across the app/runtime boundary: the runtime speaks NUL-terminated UTF-8 at an offset
// into the app's memory, AssemblyScript strings are UTF-16 objects. These helpers convert both ways.

/** `s` as UTF-8 with a trailing NUL, in a fresh buffer; pass `changetype<usize>(buf)` to an import. */
export function cstring(s: string): ArrayBuffer {
  return String.UTF8.encode(s, true);
}

/** The string of `len` UTF-8 bytes at `ptr` (no NUL expected). */
export function utf8At(ptr: usize, len: usize): string {
  return String.UTF8.decodeUnsafe(ptr, len, false);
}

/** A copy of `len` bytes at `ptr`, or null when `len` is 0 (the ABI's "no payload"). */
export function bytesAt(ptr: usize, len: usize): ArrayBuffer | null {
  if (len == 0) return null;
  const out = new ArrayBuffer(<i32>len);
  memory.copy(changetype<usize>(out), ptr, len);
  return out;
}
