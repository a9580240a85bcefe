// Small WAMR-style apps in WAT for the tests that install apps on a board (a NodeBoard or the
// simulator) through the host's tools: an app that answers requests with a chosen status (and the
// request's own payload and format), and one that publishes "tick". They fit the simulator
// profile's 12 KB per-app arena, which request_handler's image in RAM does not.
import { watToWasm } from "../engine/helpers"

/**
 * Answers every request: status `statusExpr` (a WAT i32 expression; $buf, $size, $ul and $pl are in
 * scope: the request, its size, its url's length and its payload's length), mid copied, and with
 * `payload` the request's payload and format. `register` is a url it registers in on_init (without
 * one it is reached as /app/NAME/...).
 */
export function responderWat(statusExpr: string, o: { payload: boolean; register?: string }): string {
    const reg = o.register
    return `(module
  (import "env" "wasm_response_send" (func $send (param i32 i32) (result i32)))${reg ? `
  (import "env" "wasm_register_resource" (func $reg (param i32)))` : ""}
  (memory (export "memory") 1)${reg ? `
  (data (i32.const 16) "${reg}\\00")` : ""}
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init")${reg ? " (call $reg (i32.const 16))" : ""})
  (func (export "on_request") (param $buf i32) (param $size i32) (local $ul i32) (local $pl i32)
    (local.set $ul (i32.or (i32.shl (i32.load8_u offset=12 (local.get $buf)) (i32.const 8)) (i32.load8_u offset=13 (local.get $buf))))
    (local.set $pl (i32.sub (i32.sub (local.get $size) (i32.const 18)) (local.get $ul)))
    ${o.payload ? "" : "(local.set $pl (i32.const 0))"}
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) ${statusExpr})
    (i32.store16 (i32.const 66) (i32.load16_u offset=2 (local.get $buf)))
    (i32.store (i32.const 68) (i32.load offset=4 (local.get $buf)))
    (i32.store (i32.const 72) (i32.load offset=8 (local.get $buf)))
    (i32.store8 (i32.const 76) (i32.shr_u (local.get $pl) (i32.const 24)))
    (i32.store8 (i32.const 77) (i32.shr_u (local.get $pl) (i32.const 16)))
    (i32.store8 (i32.const 78) (i32.shr_u (local.get $pl) (i32.const 8)))
    (i32.store8 (i32.const 79) (local.get $pl))
    (memory.copy (i32.const 80) (i32.add (i32.add (local.get $buf) (i32.const 18)) (local.get $ul)) (local.get $pl))
    (drop (call $send (i32.const 64) (i32.add (i32.const 16) (local.get $pl))))))`
}

/** Publishes event "tick" (no payload) every 50 ms. */
export const TICK = `(module
  (import "env" "wasm_create_timer" (func $timer (param i32 i32 i32) (result i32)))
  (import "env" "wasm_post_request" (func $post (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\\01\\06\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\05\\00\\00\\00\\00tick\\00")
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init") (drop (call $timer (i32.const 50) (i32.const 1) (i32.const 1))))
  (func (export "on_timer_callback") (param i32) (call $post (i32.const 16) (i32.const 23))))`

const wasmCache = new Map<string, Uint8Array>()
/** The module of a WAT text, assembled once per text. */
export async function wasm(wat: string): Promise<Uint8Array> {
    let w = wasmCache.get(wat)
    if (!w) wasmCache.set(wat, (w = await watToWasm(wat)))
    return w
}
