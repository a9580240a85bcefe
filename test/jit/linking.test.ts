// JIT instances link with each other directly: functions, memories, tables and globals are
// shared objects, so growth, writes and table entries made by one are seen by the other.
import { describe, expect, it } from "vitest"
import { ValType } from "../../compiler/wasm-types"
import { LinkError } from "../../interpreter/instance"
import { hostFunction, JitInstance } from "../../host/jit/instance"
import { instantiateJitWat, thrown } from "./helpers"

const A = `(module
  (memory (export "mem") 1 3)
  (table (export "tab") 2 funcref)
  (global (export "g") (mut i32) (i32.const 5))
  (global (export "big") i64 (i64.const -2))
  (type $v (func (result i32)))
  (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "size") (result i32) (memory.size))
  (func (export "peek") (param i32) (result i32) (i32.load8_u (local.get 0)))
  (func (export "get_g") (result i32) (global.get 0))
  (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0)))
  (func (export "pair") (param i64) (result i64 f64) (local.get 0) (f64.const -0.5)))`

const B = `(module
  (import "a" "mem" (memory 1))
  (import "a" "tab" (table 1 funcref))
  (import "a" "g" (global $g (mut i32)))
  (import "a" "big" (global $big i64))
  (import "a" "add" (func $add (param i32 i32) (result i32)))
  (import "a" "pair" (func $pair (param i64) (result i64 f64)))
  (import "host" "twice" (func $twice (param i64) (result i64)))
  (func $mine (result i32) (i32.const 99))
  (elem (i32.const 1) $mine)
  (func (export "run") (result i32)
    (i32.store8 (i32.const 10) (i32.const 42))
    (drop (memory.grow (i32.const 1)))
    (global.set $g (call $add (global.get $g) (i32.const 1)))
    (call $add (i32.const 1) (i32.const 2)))
  (func (export "big") (result i64) (call $twice (global.get $big)))
  (func (export "swap") (result f64 i64) (local i64) (local f64)
    (call $pair (i64.const 7)) (local.set 1) (local.set 0) (local.get 1) (local.get 0)))`

describe("JIT linking", async () => {
    const a = await instantiateJitWat(A)
    const host = new Map([["twice", hostFunction([ValType.I64], [ValType.I64], (x: unknown) => (x as bigint) * 2n)]])
    const resolve = (inst: JitInstance) => (module: string, name: string) => (module === "a" ? inst.exports.get(name) : module === "host" ? host.get(name) : undefined)
    const b = await instantiateJitWat(B, resolve(a))

    it("shares memory (growth included), globals, tables and functions", () => {
        expect(b.call("run")).toBe(3)
        expect(a.call("peek", 10)).toBe(42)
        expect(a.call("size")).toBe(2)
        expect(a.call("peek", 70000)).toBe(0) // the grown page, through the exporter's own code
        expect(a.call("get_g")).toBe(6)
        expect(a.call("call", 1)).toBe(99) // b's function, put in a's table by b's segment
        expect(thrown(() => a.call("call", 0))).toBe("uninitialized element 0")
    })

    it("host functions and several results cross instance boundaries", () => {
        expect(b.call("big")).toBe(-4n)
        expect(b.call("swap")).toEqual([-0.5, 7n, null]) // several results: an array (null-terminated)
    })

    it("reports link errors", async () => {
        const err = async (src: string) => {
            try {
                await instantiateJitWat(src, resolve(a))
            } catch (e) {
                return e instanceof LinkError ? e.message : `not a LinkError: ${e}`
            }
            return "linked"
        }
        expect(await err(`(module (import "a" "nope" (func)))`)).toMatch(/^unknown import/)
        expect(await err(`(module (import "a" "add" (func (param i32))))`)).toMatch(/^incompatible import type/)
        expect(await err(`(module (import "a" "mem" (memory 1 2)))`)).toMatch(/^incompatible import type/) // a's max is 3
        expect(await err(`(module (import "a" "g" (global i32)))`)).toMatch(/^incompatible import type/) // mutability
        expect(await err(`(module (import "a" "tab" (memory 1)))`)).toMatch(/^incompatible import type/)
    })

    it("a trapping data segment leaves earlier segments' writes in place", async () => {
        let e: unknown
        try {
            await instantiateJitWat(
                `(module (import "a" "mem" (memory 1)) (import "a" "tab" (table 1 funcref)) (func $f (result i32) (i32.const 5))
                   (elem (i32.const 0) $f) (data (i32.const 20) "\\07") (data (i32.const 0x7ffff) "xx"))`,
                resolve(a),
            )
        } catch (x) {
            e = x
        }
        expect((e as Error).message).toBe("out of bounds memory access")
        expect(a.call("peek", 20)).toBe(7)
        expect(a.call("call", 0)).toBe(5)
    })
})
