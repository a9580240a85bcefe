// Minimal reproductions of engine bugs found by running the official spec testsuite
// (`wasmlet spectest`). Each test names the script and line that exposed it.
import { describe, expect, it } from "vitest"
import { call, instantiateWat } from "./helpers"

describe("spec regressions", () => {
    // bulk.wast:221 — the reference interpreter reports the table index of a null entry:
    // (assert_trap (invoke "call" (i32.const 2)) "uninitialized element 2")
    it("bulk.wast:221 call_indirect of a null entry traps with 'uninitialized element <index>'", async () => {
        const inst = await instantiateWat(`(module
          (table 3 funcref)
          (func (export "call") (param i32) (result i32)
            (call_indirect (result i32) (local.get 0))))`)
        expect(() => call(inst, "call", [2])).toThrow(/^uninitialized element 2$/)
    })
})
