// Traps on the JIT carry the spec's messages, with the checks the generated code leaves to V8
// (DataView bounds, JS stack overflow) included; NaN payloads survive where the spec keeps them.
import { describe, expect, it } from "vitest"
import { Trap } from "../../interpreter/trap"
import { instantiateJitWat, thrown } from "./helpers"

describe("JIT traps", async () => {
    const inst = await instantiateJitWat(`(module
      (memory 1 2)
      (table 3 funcref)
      (type $v (func (result i32)))
      (type $i (func (param i32) (result i32)))
      (func $seven (type $v) (i32.const 7))
      (elem (i32.const 0) $seven)
      (elem (i32.const 1) func $id)
      (func $id (type $i) (local.get 0))
      (func (export "unreachable") unreachable)
      (func (export "div_s") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
      (func (export "rem_u64") (param i64 i64) (result i64) (i64.rem_u (local.get 0) (local.get 1)))
      (func (export "trunc") (param f64) (result i32) (i32.trunc_f64_s (local.get 0)))
      (func (export "trunc_u64") (param f32) (result i64) (i64.trunc_f32_u (local.get 0)))
      (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
      (func (export "load_off") (param i32) (result i32) (i32.load offset=0xfffffff0 (local.get 0)))
      (func (export "store64") (param i32) (i64.store (local.get 0) (i64.const -1)))
      (func (export "fill") (param i32 i32) (memory.fill (local.get 0) (i32.const 1) (local.get 1)))
      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
      (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0)))
      (func (export "table_get") (param i32) (result funcref) (table.get (local.get 0)))
      (func $deep (export "deep") (param i32) (result i32) (i32.add (i32.const 1) (call $deep (local.get 0))))
      (func (export "f32_roundtrip") (param i32) (result i32)
        (f32.store (i32.const 8) (f32.reinterpret_i32 (local.get 0)))
        (i32.reinterpret_f32 (f32.neg (f32.neg (f32.load (i32.const 8))))))
    )`)
    const trap = (name: string, ...args: unknown[]) => thrown(() => inst.call(name, ...args))

    it("control and arithmetic", () => {
        expect(trap("unreachable")).toBe("unreachable")
        expect(trap("div_s", 1, 0)).toBe("integer divide by zero")
        expect(trap("div_s", -0x80000000, -1)).toBe("integer overflow")
        expect(inst.call("div_s", -7, 2)).toBe(-3)
        expect(trap("rem_u64", 5n, 0n)).toBe("integer divide by zero")
        expect(inst.call("rem_u64", -1n, 10n)).toBe(5n) // 2^64 - 1 = 18446744073709551615
        expect(trap("trunc", NaN)).toBe("invalid conversion to integer")
        expect(trap("trunc", 2147483648)).toBe("integer overflow")
        expect(inst.call("trunc", -2147483648.9)).toBe(-2147483648)
        expect(trap("trunc_u64", -1)).toBe("integer overflow")
        expect(inst.call("trunc_u64", -0.75)).toBe(0n)
    })

    it("memory bounds: the last byte, straddling accesses, offsets past 4 GiB, bulk ranges", () => {
        expect(inst.call("load", 65532)).toBe(0)
        expect(trap("load", 65533)).toBe("out of bounds memory access")
        expect(trap("load", -1)).toBe("out of bounds memory access")
        expect(trap("load_off", 0x20)).toBe("out of bounds memory access")
        expect(trap("store64", 65529)).toBe("out of bounds memory access")
        expect(inst.call("load", 65528)).toBe(0) // the failed store wrote nothing
        expect(trap("fill", 65000, 537)).toBe("out of bounds memory access")
        expect(inst.call("load", 65000)).toBe(0)
        expect(inst.call("grow", 1)).toBe(1)
        expect(inst.call("load", 65533)).toBe(0) // visible after growth
        expect(inst.call("grow", 1)).toBe(-1) // max 2 pages
    })

    it("tables and indirect calls", () => {
        expect(inst.call("call", 0)).toBe(7)
        expect(trap("call", 1)).toBe("indirect call type mismatch")
        expect(trap("call", 2)).toBe("uninitialized element 2")
        expect(trap("call", 3)).toBe("undefined element 3")
        expect(trap("table_get", 3)).toBe("out of bounds table access")
    })

    it("recursion past the JS stack is call stack exhausted, and the instance stays usable", () => {
        let e: unknown
        try {
            inst.call("deep", 0)
        } catch (x) {
            e = x
        }
        expect(e).toBeInstanceOf(Trap)
        expect((e as Trap).message).toBe("call stack exhausted")
        expect(inst.call("call", 0)).toBe(7)
    })

    it("a signalling NaN keeps its payload through store, load and neg", () => {
        for (const bits of [0x7fa00001, 0xff800001 | 0, 0x7fc00000, 0x3f800000]) expect(inst.call("f32_roundtrip", bits)).toBe(bits)
    })
})
