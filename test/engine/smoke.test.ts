import { describe, it, expect } from "vitest"
import { instantiateWat, call } from "./helpers"

describe("engine smoke", () => {
    it("computes factorial recursively and iteratively", async () => {
        const inst = await instantiateWat(`(module
          (func $fac (export "fac") (param i32) (result i32)
            (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
              (then (i32.const 1))
              (else (i32.mul (local.get 0) (call $fac (i32.sub (local.get 0) (i32.const 1)))))))
          (func (export "loop") (param i32) (result i32) (local i32)
            (local.set 1 (i32.const 1))
            (block (loop
              (br_if 1 (i32.le_s (local.get 0) (i32.const 1)))
              (local.set 1 (i32.mul (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br 0)))
            (local.get 1)))`)
        expect(call(inst, "fac", [5])).toEqual([120])
        expect(call(inst, "fac", [10])).toEqual([3628800])
        expect(call(inst, "loop", [10])).toEqual([3628800])
    })
    it("does i64 and memory", async () => {
        const inst = await instantiateWat(`(module (memory 1)
          (func (export "mul64") (param i64 i64) (result i64) (i64.mul (local.get 0) (local.get 1)))
          (func (export "mem") (param i32 i32) (result i32)
            (i32.store (local.get 0) (local.get 1))
            (i32.load8_u offset=1 (local.get 0))))`)
        expect(call(inst, "mul64", [0x123456789n, 0x1000n], "I")).toEqual([0x123456789000n])
        expect(call(inst, "mem", [1022, 0x11223344])).toEqual([0x33])
        expect(() => call(inst, "mem", [65534, 1])).toThrow(/out of bounds memory access/)
    })
})
