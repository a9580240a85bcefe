// Mutation fuzzing (deterministic): whatever the bytes, loadModule either succeeds or throws one of the
// two Wasm error classes, never anything else (no TypeError, RangeError, out-of-memory...).

import { describe, expect, it } from "vitest"
import { loadModule } from "../../compiler/load-module"
import { WasmDecodeError, WasmValidationError } from "../../compiler/wasm-types"
import { wat } from "./helpers"

const SEEDS = [
    `(module
      (type $t (func (param i32) (result i32)))
      (import "e" "f" (func (type $t)))
      (import "e" "g" (global i32))
      (memory 1 2)
      (table $tab 4 funcref)
      (global $m (mut i64) (i64.const 0x1234567890))
      (global f64 (f64.const 3.5))
      (elem (i32.const 0) $a $b)
      (elem $p funcref (ref.func $a) (ref.null func))
      (data (i32.const 8) "hello")
      (data $d "passive")
      (func $a (export "a") (param i32) (result i32)
        (local i64 f32)
        (block (result i32)
          (loop $l (result i32)
            (br_if $l (i32.eqz (local.get 0)))
            (br_table 1 1 (local.get 0) (local.get 0))))
        (if (result i32) (then (i32.const 1)) (else (i32.load offset=4 (i32.const 0)))))
      (func $b (param i32) (result i32)
        (memory.init $d (i32.const 0) (i32.const 0) (i32.const 1))
        (data.drop $d)
        (table.init $tab $p (i32.const 0) (i32.const 0) (i32.const 1))
        (drop (select (f32.const 1) (f32.const 2) (local.get 0)))
        (global.set $m (i64.add (global.get $m) (i64.const -1)))
        (call_indirect (type $t) (local.get 0) (i32.const 1)))
      (start $c)
      (func $c))`,
    `(module
      (func (export "f") (param i64 f64) (result i64 f64)
        (local.get 0) (local.get 1)
        (block (param i64 f64) (result i64 f64))
        (drop (i32.trunc_sat_f64_u (local.get 1)))
        (drop (ref.is_null (ref.null extern)))))`,
]

function rng(seed: number): () => number {
    let s = seed >>> 0
    return () => {
        s = (s * 1664525 + 1013904223) >>> 0
        return s / 2 ** 32
    }
}

describe("decoder/validator robustness", () => {
    it("only ever throws WasmDecodeError / WasmValidationError on mutated modules", async () => {
        const rand = rng(12345)
        const seeds = await Promise.all(SEEDS.map((s) => wat(s, { names: true })))
        for (const seed of seeds) expect(() => loadModule(seed)).not.toThrow()
        const interesting = [0x00, 0x01, 0x0b, 0x40, 0x41, 0x7f, 0x80, 0xff, 0xfc, 0xfd, 0x70, 0x6f, 0x60]
        let accepted = 0
        for (let iter = 0; iter < 4000; iter++) {
            const base = seeds[iter % seeds.length]
            let bytes = Array.from(base)
            const edits = 1 + Math.floor(rand() * 3)
            for (let k = 0; k < edits; k++) {
                const at = 8 + Math.floor(rand() * (bytes.length - 8))
                const r = rand()
                const b = rand() < 0.5 ? interesting[Math.floor(rand() * interesting.length)] : Math.floor(rand() * 256)
                if (r < 0.5) bytes[at] = b
                else if (r < 0.7) bytes.splice(at, 0, b)
                else if (r < 0.9) bytes.splice(at, 1)
                else bytes = bytes.slice(0, at)
            }
            try {
                loadModule(new Uint8Array(bytes))
                accepted++
            } catch (e) {
                if (!(e instanceof WasmDecodeError || e instanceof WasmValidationError)) {
                    throw new Error(`unexpected ${e} for bytes ${Buffer.from(bytes).toString("hex")}`)
                }
            }
        }
        expect(accepted).toBeGreaterThan(0)
    })
})
