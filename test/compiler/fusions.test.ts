// The compiler's fusions must not change meaning: an i32.add of a constant folded into a load
// or store (ADDR entries, *_A ops) and constants pooled in frame slots inside loops. Every case
// is checked against V8 running the same module, and the image is checked to really use the
// fused form (otherwise these tests would pass without testing anything).
import { describe, expect, it } from "vitest"
import { compileToImage } from "../../compiler/index"
import { watToWasm, call, instantiateWat } from "../engine/helpers"
import type { Arg } from "../engine/helpers"
import { loadImage } from "../../interpreter/index"
import { FuncRec } from "../../interpreter/image-format"
import { Op } from "../../interpreter/opcodes"
import { BINARY_WASM_OPS } from "../../interpreter/numeric-order"

/** The first opcode of defined function f's code. */
function firstOp(image: Uint8Array, f: number): number {
    const m = loadImage(Buffer.from(image))
    return image[Buffer.from(image).readUInt32LE(m.funcsOff + f * FuncRec.SIZE + FuncRec.CODE)]
}

/** The code of every function, as bytes. */
function codeBytes(image: Uint8Array): Uint8Array {
    const m = loadImage(Buffer.from(image))
    const start = Buffer.from(image).readUInt32LE(m.funcsOff + FuncRec.CODE)
    const end = Buffer.from(image).readUInt32LE(m.funcsOff + (m.funcCount - 1) * FuncRec.SIZE + FuncRec.CODE_END)
    return image.subarray(start, end)
}

async function both(wat: string, name: string, args: Arg[], results = "i") {
    const wasm = await watToWasm(wat)
    const v8 = ((await WebAssembly.instantiate(wasm as BufferSource)) as any).instance.exports
    const mine = await instantiateWat(wat)
    const toV8 = (a: Arg) => (typeof a === "number" || typeof a === "bigint" ? a : "f32" in a ? a.f32 : a.f64)
    let want: any
    try {
        want = v8[name](...args.map(toV8))
    } catch (e) {
        want = e instanceof WebAssembly.RuntimeError ? "trap" : e
    }
    let got: any
    try {
        const r = call(mine, name, args, results)
        got = r.length === 1 ? r[0] : r
    } catch (e) {
        got = "trap"
    }
    if (typeof want === "number" && results === "i") want = want | 0
    return { got, want }
}

const ADDR_MODULE = `(module
  (memory 1)
  (data (i32.const 0) "\\01\\02\\03\\04\\05\\06\\07\\08\\09\\0a\\0b\\0c\\0d\\0e\\0f\\10")
  (data (i32.const 65528) "\\a1\\a2\\a3\\a4\\a5\\a6\\a7\\a8")
  ;; base + 4: the load takes base and addend in one op
  (func (export "ld") (param $x i32) (result i32)
    (i32.load (i32.add (local.get $x) (i32.const 4))))
  ;; the add wraps before the offset is added: x = -4 reads address 0 + 8
  (func (export "ld_off") (param $x i32) (result i32)
    (i32.load offset=8 (i32.add (local.get $x) (i32.const 4))))
  ;; sub of a constant is an add of its negation; addends combine
  (func (export "ld_sub") (param $x i32) (result i32)
    (i32.load8_u (i32.add (i32.sub (local.get $x) (i32.const 3)) (i32.const 1))))
  (func (export "ld64") (param $x i32) (result i64)
    (i64.load (i32.add (local.get $x) (i32.const 65520))))
  (func (export "ldf64") (param $x i32) (result f64)
    (f64.load (i32.add (local.get $x) (i32.const 8))))
  ;; the base local is written while the address waits on the stack
  (func (export "detach") (param $x i32) (result i32)
    local.get $x
    i32.const 4
    i32.add
    i32.const 100
    local.set $x
    i32.load8_u)
  ;; the address as a block result and a branch value (materialised, not fused)
  (func (export "blockval") (param $x i32) (result i32)
    (i32.load8_u (block (result i32) (br_if 0 (i32.add (local.get $x) (i32.const 2)) (local.get $x)) (drop) (i32.const 5))))
  ;; stores: base + addend, 8 and 1 bytes, then read back
  (func (export "st") (param $x i32) (param $v i64) (result i64)
    (i64.store (i32.add (local.get $x) (i32.const 16)) (local.get $v))
    (i32.store8 (i32.add (local.get $x) (i32.const 17)) (i32.const 0xee))
    (i32.store (i32.add (local.get $x) (i32.const 20)) (i32.const -1))
    (i64.load offset=16 (local.get $x)))
  ;; a stack temporary as the base (not a local)
  (func (export "tmpbase") (param $x i32) (result i32)
    (i32.load16_s (i32.add (i32.mul (local.get $x) (i32.const 2)) (i32.const 1))))
  ;; out of bounds through the addend must trap
  (func (export "oob") (param $x i32) (result i32)
    (i32.load (i32.add (local.get $x) (i32.const 65533))))
)`

describe("address fusion (i32.add of a constant folded into loads and stores)", () => {
    it("uses the fused ops", async () => {
        const image = compileToImage(await watToWasm(ADDR_MODULE))
        expect(firstOp(image, 0)).toBe(Op.I32_LOAD_A) // ld
        expect(firstOp(image, 3)).toBe(Op.LOAD_A) // ld64
        expect(firstOp(image, 7)).toBe(Op.STORE_A) // st
        const stores = compileToImage(await watToWasm(`(module (memory 1) (func (param i32 i32) (i32.store (i32.add (local.get 0) (i32.const 8)) (local.get 1))))`))
        expect(firstOp(stores, 0)).toBe(Op.I32_STORE_A)
    })
    const cases: [string, Arg[], string][] = [
        ["ld", [0], "i"],
        ["ld", [8], "i"],
        ["ld", [-4], "i"], // wraps to address 0
        ["ld", [-3], "i"],
        ["ld_off", [-4], "i"],
        ["ld_off", [-12], "i"], // wraps below zero: a huge address, traps
        ["ld_sub", [5], "i"],
        ["ld_sub", [1], "i"], // 1 - 3 + 1 = -1: traps
        ["ld_sub", [2], "i"],
        ["ld64", [8], "I"],
        ["ld64", [9], "I"], // one byte past the end
        ["ldf64", [0], "F"],
        ["detach", [3], "i"],
        ["blockval", [3], "i"],
        ["blockval", [0], "i"],
        ["st", [0, 0x0123456789abcdefn], "I"],
        ["st", [65512, -2n], "I"],
        ["st", [65513, 1n], "I"], // the i64 store traps
        ["tmpbase", [3], "i"],
        ["tmpbase", [-1], "i"],
        ["oob", [0], "i"],
        ["oob", [-65533], "i"],
        ["oob", [2], "i"],
    ]
    for (const [name, args, results] of cases) {
        it(`${name}(${args.join(", ")}) as V8`, async () => {
            const { got, want } = await both(ADDR_MODULE, name, args, results)
            expect(got).toEqual(want)
        })
    }
})

const POOL_MODULE = `(module
  ;; constants of every type inside a loop, in a recursive function: each frame has its pool
  (func $f (export "f") (param $n i32) (result i64)
    (local $acc i64) (local $x f64) (local $y f32) (local $i i32)
    (if (i32.gt_s (local.get $n) (i32.const 0))
      (then (local.set $acc (call $f (i32.sub (local.get $n) (i32.const 1))))))
    (loop $l
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 0x100000001b3)) (i64.const 0xcbf29ce484222325)))
      (local.set $x (f64.add (f64.mul (local.get $x) (f64.const 0.5)) (f64.const -0.0)))
      (local.set $y (f32.add (local.get $y) (f32.const 1.25)))
      (local.set $acc (i64.xor (local.get $acc) (i64.trunc_f64_s (f64.add (local.get $x) (f64.const 3.5)))))
      (local.set $acc (i64.add (local.get $acc) (i64.trunc_f32_s (local.get $y))))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.rotl (local.get $i) (i32.const 7)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 50))))
    (local.get $acc))
)`

describe("constant pool (constants needed in registers inside loops)", () => {
    it("writes the loop's i64 constants once, before the loop", async () => {
        const code = codeBytes(compileToImage(await watToWasm(POOL_MODULE)))
        // both i64 constants (and the f64/f32 ones) appear exactly once in the code
        const hex = Buffer.from(code).toString("hex")
        expect(hex.split(Buffer.from([0xb3, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00]).toString("hex")).length - 1).toBe(1)
        expect(hex.split(Buffer.from("25232284e49cf2cb", "hex").toString("hex")).length - 1).toBe(1)
    })
    for (const n of [0, 1, 7, 40]) {
        it(`f(${n}) as V8`, async () => {
            const { got, want } = await both(POOL_MODULE, "f", [n], "I")
            expect(got).toEqual(want)
        })
    }
})

describe("ops the run loop inlines", () => {
    it("have the opcodes numeric-order.ts gives them", () => {
        const at = (wasm: number) => Op.BIN_BASE + BINARY_WASM_OPS.indexOf(wasm)
        expect([Op.BIN_I32_ROTL, Op.BIN_I32_ROTR]).toEqual([at(0x77), at(0x78)])
        expect([Op.BIN_I64_ADD, Op.BIN_I64_AND, Op.BIN_I64_OR, Op.BIN_I64_XOR]).toEqual([at(0x7c), at(0x83), at(0x84), at(0x85)])
        expect([Op.BIN_F32_ADD, Op.BIN_F32_SUB, Op.BIN_F32_MUL]).toEqual([at(0x92), at(0x93), at(0x94)])
        expect([Op.BIN_F64_ADD, Op.BIN_F64_SUB, Op.BIN_F64_MUL]).toEqual([at(0xa0), at(0xa1), at(0xa2)])
    })
})
