// UTF-16 (AssemblyScript strings) <-> UTF-8 (the runtime's strings and attr_container text), in
// less code than AssemblyScript's String.UTF8.
// Encoding: a lone surrogate becomes U+FFFD, as TextEncoder does. Decoding: a malformed sequence
// (bad lead byte, missing continuation bytes, overlong form, surrogate or > U+10FFFF) becomes one
// U+FFFD; valid input decodes exactly.

// @ts-ignore: decorator
@inline function unitAt(p: usize, i: usize): u32 {
  return <u32>load<u16>(p + (i << 1));
}

/** `s` in UTF-8, followed by a NUL when `nul`. */
export function encodeUtf8(s: string, nul: bool): ArrayBuffer {
  const p = changetype<usize>(s);
  const n = <usize>s.length;
  const tmp = heap.alloc(n * 3); // a UTF-16 unit takes at most 3 bytes (a pair of them 4)
  let q = tmp;
  for (let i: usize = 0; i < n; i++) {
    let c = unitAt(p, i);
    if (c < 0x80) {
      store<u8>(q++, <u8>c);
      continue;
    }
    let more: u32 = 1; // continuation bytes
    if (c >= 0x800) {
      more = 2;
      if ((c & 0xfc00) == 0xd800 && i + 1 < n && (unitAt(p, i + 1) & 0xfc00) == 0xdc00) {
        c = 0x10000 + ((c - 0xd800) << 10) + (unitAt(p, ++i) - 0xdc00);
        more = 3;
      } else if ((c & 0xf800) == 0xd800) c = 0xfffd; // a lone surrogate
    }
    store<u8>(q++, <u8>((0xff00 >> (more + 1)) | (c >> (6 * more)))); // lead: 110x, 1110x or 11110x
    while (more > 0) store<u8>(q++, <u8>(0x80 | ((c >> (6 * --more)) & 0x3f)));
  }
  const size = q - tmp;
  const out = new ArrayBuffer(<i32>(size + <usize>nul)); // zeroed: the NUL is there already
  memory.copy(changetype<usize>(out), tmp, size);
  heap.free(tmp);
  return out;
}

/** The string of the `len` UTF-8 bytes at `ptr`. */
export function decodeUtf8(ptr: usize, len: usize): string {
  const units = new ArrayBuffer(<i32>(len << 1)); // never more UTF-16 units than bytes
  const b = changetype<usize>(units);
  let o: usize = 0;
  let i: usize = 0;
  while (i < len) {
    let c = <u32>load<u8>(ptr + i++);
    if (c >= 0x80) {
      let more: usize = 0;
      let least: u32 = 0;
      if ((c & 0xe0) == 0xc0) { more = 1; c &= 0x1f; least = 0x80; }
      else if ((c & 0xf0) == 0xe0) { more = 2; c &= 0x0f; least = 0x800; }
      else if ((c & 0xf8) == 0xf0) { more = 3; c &= 0x07; least = 0x10000; }
      let got: usize = 0;
      while (got < more && i < len && (load<u8>(ptr + i) & 0xc0) == 0x80) {
        c = (c << 6) | (<u32>load<u8>(ptr + i++) & 0x3f);
        got++;
      }
      if (more == 0 || got < more || c < least || c > 0x10ffff || (c & 0xfffff800) == 0xd800) c = 0xfffd;
    }
    if (c >= 0x10000) {
      c -= 0x10000;
      store<u16>(b + (o++ << 1), <u16>(0xd800 | (c >> 10)));
      c = 0xdc00 | (c & 0x3ff);
    }
    store<u16>(b + (o++ << 1), <u16>c);
  }
  return String.UTF16.decodeUnsafe(b, o << 1);
}
