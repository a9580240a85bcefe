// The URL match rule (ABI §7): drop one leading "/" from both the prefix P and the URL U and one
// trailing "/" from P; P matches U if U equals P or U starts with P followed by "/" or "?".
// So "/url1" matches "url1", "/url1/x" and "url1?a", but not "url10".

function trimmed(s: string, trailing: bool): string {
  let start = 0;
  let end = s.length;
  if (end > 0 && s.charCodeAt(0) == 0x2f) start = 1;
  if (trailing && end > start && s.charCodeAt(end - 1) == 0x2f) end--;
  return s.substring(start, end);
}

export function urlMatches(prefix: string, url: string): bool {
  const p = trimmed(prefix, true);
  const u = trimmed(url, false);
  if (!u.startsWith(p)) return false;
  if (u.length == p.length) return true;
  const next = u.charCodeAt(p.length);
  return next == 0x2f || next == 0x3f;
}
