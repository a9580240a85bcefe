// The URL match rule (ABI §7): drop one leading "/" from both the prefix P and the URL U and one
// trailing "/" from P; P matches U if U equals P or U starts with P followed by "/" or "?".
// So "/url1" matches "url1", "/url1/x" and "url1?a", but not "url10". Compared in place (no copies).

const SLASH: u16 = 0x2f;
const QUESTION: u16 = 0x3f;

// @ts-ignore: decorator
@inline function charAt(s: string, i: i32): u16 {
  return load<u16>(changetype<usize>(s) + (<usize>i << 1));
}

export function urlMatches(prefix: string, url: string): bool {
  let p0 = 0;
  let pn = prefix.length;
  if (pn > 0 && charAt(prefix, 0) == SLASH) p0 = 1;
  if (pn > p0 && charAt(prefix, pn - 1) == SLASH) pn--;
  let u0 = 0;
  const un = url.length;
  if (un > 0 && charAt(url, 0) == SLASH) u0 = 1;
  const len = pn - p0;
  if (un - u0 < len) return false;
  for (let i = 0; i < len; i++) if (charAt(prefix, p0 + i) != charAt(url, u0 + i)) return false;
  if (un - u0 == len) return true;
  const next = charAt(url, u0 + len);
  return next == SLASH || next == QUESTION;
}
