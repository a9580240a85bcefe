// The publishers bench/bridge-sim.ts installs on each simulated board: a WAMR-style app in WAT
// (~0.7 KB of image, small enough for the simulator's 20 KB arena next to the baked samples) that
// publishes an event on `url` from a periodic timer, its payload an attr_container {seq: INT32}
// counting up from 0; with a limit it falls quiet after that many events (a benchmark moves on to
// its next publisher without a command to a board whose link is busy). The seq lets a subscriber
// tell how many events the app published in a window (the seq's advance) from how many arrived.
import { watToWasm } from "../test/engine/helpers"

/** A byte string for a WAT data segment. */
const hex = (bytes: number[]) => bytes.map(b => "\\" + b.toString(16).padStart(2, "0")).join("")
const be16 = (n: number) => [n >> 8, n & 255]
const be32 = (n: number) => [n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255]
const le16 = (n: number) => [n & 255, n >> 8]

/**
 * The app. The packed request (ABI §4) sits at 16: version 1, action 6 (event), fmt 99, mid 0,
 * sender 0, url_len, payload_len, the url and its NUL, then the attr_container (§5): flags 0,
 * total_len (all after flags), tag "" (len 1), 1 attribute, key "seq\0" (len 4), type 2 (INT32),
 * the value (little-endian), which the timer callback stores before each post.
 */
export function tickWat(periodMs: number, url: string, limit = 0): string {
    const urlBytes = [...Buffer.from(url), 0]
    const attr = [0, 0, ...[20, 0, 0, 0], ...le16(1), 0, ...le16(1), ...le16(4), ...Buffer.from("seq"), 0, 2, 0, 0, 0, 0]
    const request = [1, 6, ...be16(99), ...be32(0), ...be32(0), ...be16(urlBytes.length), ...be32(attr.length), ...urlBytes, ...attr]
    const seqAt = 16 + request.length - 4
    return `(module
  (import "env" "wasm_create_timer" (func $timer (param i32 i32 i32) (result i32)))
  (import "env" "wasm_post_request" (func $post (param i32 i32)))
  (memory (export "memory") 1)
  (global $seq (mut i32) (i32.const 0))
  (data (i32.const 16) "${hex(request)}")
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init") (drop (call $timer (i32.const ${periodMs}) (i32.const 1) (i32.const 1))))
  (func (export "on_timer_callback") (param i32)${limit ? `
    (if (i32.ge_u (global.get $seq) (i32.const ${limit})) (then (return)))` : ""}
    (i32.store (i32.const ${seqAt}) (global.get $seq))
    (global.set $seq (i32.add (global.get $seq) (i32.const 1)))
    (call $post (i32.const 16) (i32.const ${request.length}))))`
}

/** The app's module; `limit` events at most (0: no limit). */
export function tickWasm(periodMs: number, url: string, limit = 0): Promise<Uint8Array> {
    return watToWasm(tickWat(periodMs, url, limit))
}
