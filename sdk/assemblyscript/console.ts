// Console output through the runtime's libc `puts` (one line, the runtime adds "\n"), and the
// abort handler the build plugs into AssemblyScript (`--use abort=.../console/appAbort`): it
// prints "abort: MESSAGE at FILE:LINE:COL" and calls env.abort, the only abort the runtime knows
// ((i32) -> (), ABI §2.4). The handler allocates nothing: it may run because the heap is full.

import { puts, env_abort } from "./env";
import { tempCString } from "./cstring";

/** Prints one line on the app's console. */
export function log(line: string): void {
  puts(tempCString(line));
}

const ABORT_MAX: i32 = 160;
// Scratch for the abort line: static data, so writing it needs no allocation.
const abortLine: usize = memory.data(ABORT_MAX + 1);

function putAscii(at: i32, s: string): i32 {
  const n = s.length;
  for (let i = 0; i < n && at < ABORT_MAX; i++, at++) {
    const c = s.charCodeAt(i);
    store<u8>(abortLine + at, c < 0x20 || c > 0x7e ? 0x3f : c);
  }
  return at;
}

function putNumber(at: i32, v: u32): i32 {
  let digits: u32 = 1;
  for (let t = v; t >= 10; t /= 10) digits *= 10;
  for (; digits > 0 && at < ABORT_MAX; digits /= 10, at++) {
    store<u8>(abortLine + at, 0x30 + <u8>((v / digits) % 10));
  }
  return at;
}

/** AssemblyScript's abort, mapped onto the runtime's. */
export function appAbort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let at = putAscii(0, "abort: ");
  if (message !== null) at = putAscii(at, message);
  if (fileName !== null) {
    at = putAscii(at, " at ");
    at = putAscii(at, fileName);
    at = putAscii(at, ":");
    at = putNumber(at, line);
    at = putAscii(at, ":");
    at = putNumber(at, column);
  }
  store<u8>(abortLine + at, 0);
  puts(abortLine);
  env_abort(<i32>line);
  unreachable();
}
