// Engine cases that run inside the DeviceScript simulator (test/devs/engine.test.ts).
// Each module returns i32 values only (floats as bits, i64 folded), so the device side needs
// no typed plumbing. Expected values come from Node's own WebAssembly engine, not from ours.

export interface DevsCase {
    name: string
    wat: string
    calls: { fn: string; args: number[] }[]
}

export const DEVS_CASES: DevsCase[] = [
    {
        name: "control",
        wat: `(module
          (func $fac (export "fac") (param i32) (result i32)
            (if (result i32) (i32.lt_s (local.get 0) (i32.const 2))
              (then (i32.const 1))
              (else (i32.mul (local.get 0) (call $fac (i32.sub (local.get 0) (i32.const 1)))))))
          (func (export "sum") (param i32) (result i32) (local i32)
            (block (loop
              (br_if 1 (i32.eqz (local.get 0)))
              (local.set 1 (i32.add (local.get 1) (local.get 0)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br 0)))
            (local.get 1))
          (func (export "switch") (param i32) (result i32)
            (block (block (block (block
              (br_table 0 1 2 3 (local.get 0)))
              (return (i32.const 10))) (return (i32.const 11))) (return (i32.const 12)))
            (i32.const 13))
          (func $pair (param i32) (result i32 i32) (local.get 0) (i32.mul (local.get 0) (i32.const 3)))
          (func (export "multi") (param i32) (result i32) (call $pair (local.get 0)) (i32.sub))
          (func (export "unsigned") (param i32 i32) (result i32)
            (i32.add (i32.mul (i32.lt_u (local.get 0) (local.get 1)) (i32.const 2))
                     (i32.add (i32.div_u (local.get 0) (i32.const 7)) (i32.rem_s (local.get 1) (i32.const 5))))))`,
        calls: [
            { fn: "fac", args: [10] },
            { fn: "sum", args: [1000] },
            { fn: "sum", args: [100000] },
            { fn: "switch", args: [0] },
            { fn: "switch", args: [2] },
            { fn: "switch", args: [99] },
            { fn: "multi", args: [7] },
            { fn: "unsigned", args: [-1, 5] },
            { fn: "unsigned", args: [3, -9] },
        ],
    },
    {
        name: "i64",
        wat: `(module
          (func $fold (param i64) (result i32) (i32.xor (i32.wrap_i64 (local.get 0)) (i32.wrap_i64 (i64.shr_u (local.get 0) (i64.const 32)))))
          (func (export "mul") (param i32 i32) (result i32)
            (call $fold (i64.mul (i64.extend_i32_s (local.get 0)) (i64.extend_i32_u (local.get 1)))))
          (func (export "div") (param i32 i32) (result i32)
            (call $fold (i64.div_s (i64.shl (i64.extend_i32_s (local.get 0)) (i64.const 20)) (i64.extend_i32_s (local.get 1)))))
          (func (export "clz") (param i32) (result i32) (i32.wrap_i64 (i64.clz (i64.extend_i32_u (local.get 0)))))
          (func (export "hash") (param i32) (result i32) (local i64)
            (local.set 1 (i64.const 0xcbf29ce484222325))
            (block (loop
              (br_if 1 (i32.eqz (local.get 0)))
              (local.set 1 (i64.mul (i64.xor (local.get 1) (i64.extend_i32_u (local.get 0))) (i64.const 0x100000001b3)))
              (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
              (br 0)))
            (call $fold (local.get 1))))`,
        calls: [
            { fn: "mul", args: [-123456789, 987654321] },
            { fn: "div", args: [-7777777, 13] },
            { fn: "clz", args: [1] },
            { fn: "clz", args: [0] },
            { fn: "hash", args: [500] },
        ],
    },
    {
        name: "floats",
        wat: `(module
          (func (export "f32div") (param i32 i32) (result i32)
            (i32.reinterpret_f32 (f32.div (f32.convert_i32_s (local.get 0)) (f32.convert_i32_s (local.get 1)))))
          (func (export "f64sqrt") (param i32) (result i32)
            (i32.wrap_i64 (i64.reinterpret_f64 (f64.sqrt (f64.convert_i32_s (local.get 0))))))
          (func (export "negzero") (result i32) (i32.reinterpret_f32 (f32.mul (f32.const -0.0) (f32.const 5))))
          (func (export "negzero64") (result i32)
            (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (f64.neg (f64.const 0))) (i64.const 32))))
          (func (export "subnormal") (result i32)
            (i32.wrap_i64 (i64.reinterpret_f64 (f64.mul (f64.const 0x1p-1060) (f64.const 3)))))
          (func (export "nearest") (param i32) (result i32)
            (i32.trunc_f64_s (f64.nearest (f64.div (f64.convert_i32_s (local.get 0)) (f64.const 2)))))
          (func (export "sat") (param i32) (result i32)
            (i32.trunc_sat_f32_s (f32.mul (f32.convert_i32_s (local.get 0)) (f32.const 1e10))))
          (func (export "trunc") (param i32) (result i32)
            (i32.trunc_f32_s (f32.mul (f32.convert_i32_s (local.get 0)) (f32.const 1e10)))))`,
        calls: [
            { fn: "f32div", args: [1, 3] },
            { fn: "f32div", args: [-22, 7] },
            { fn: "f32div", args: [1, 0] }, // (0/0 would give a NaN whose sign Wasm leaves open)
            { fn: "f64sqrt", args: [2] },
            { fn: "negzero", args: [] },
            { fn: "negzero64", args: [] },
            { fn: "subnormal", args: [] },
            { fn: "nearest", args: [5] },
            { fn: "nearest", args: [7] },
            { fn: "nearest", args: [-5] },
            { fn: "sat", args: [3] },
            { fn: "sat", args: [-3] },
            { fn: "trunc", args: [3] },
        ],
    },
    {
        // the run loop's inline fast paths (f32/f64 add/sub/mul, i64 add/and/or/xor) and the
        // fused address forms, at the values DeviceScript numbers cannot hold
        name: "inline ops",
        wat: `(module (memory 1)
          (func $bits64 (param f64) (result i32)
            (i32.xor (i32.wrap_i64 (i64.reinterpret_f64 (local.get 0))) (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get 0)) (i64.const 32)))))
          (func (export "f32ops") (param i32 i32) (result i32)
            (i32.xor (i32.xor
              (i32.reinterpret_f32 (f32.add (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1))))
              (i32.rotl (i32.reinterpret_f32 (f32.sub (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))) (i32.const 7)))
              (i32.rotl (i32.reinterpret_f32 (f32.mul (f32.reinterpret_i32 (local.get 0)) (f32.reinterpret_i32 (local.get 1)))) (i32.const 13))))
          (func (export "f64ops") (param i32 i32 i32 i32) (result i32)
            (local f64 f64)
            (local.set 4 (f64.reinterpret_i64 (i64.or (i64.extend_i32_u (local.get 0)) (i64.shl (i64.extend_i32_u (local.get 1)) (i64.const 32)))))
            (local.set 5 (f64.reinterpret_i64 (i64.or (i64.extend_i32_u (local.get 2)) (i64.shl (i64.extend_i32_u (local.get 3)) (i64.const 32)))))
            (i32.xor (i32.xor (call $bits64 (f64.add (local.get 4) (local.get 5)))
              (i32.rotl (call $bits64 (f64.sub (local.get 4) (local.get 5))) (i32.const 7)))
              (i32.rotl (call $bits64 (f64.mul (local.get 4) (local.get 5))) (i32.const 13))))
          (func (export "i64ops") (param i32 i32 i32 i32) (result i32)
            (local i64 i64)
            (local.set 4 (i64.or (i64.extend_i32_u (local.get 0)) (i64.shl (i64.extend_i32_u (local.get 1)) (i64.const 32))))
            (local.set 5 (i64.or (i64.extend_i32_u (local.get 2)) (i64.shl (i64.extend_i32_u (local.get 3)) (i64.const 32))))
            (i32.wrap_i64 (i64.rotl (i64.xor (i64.xor (i64.add (local.get 4) (local.get 5)) (i64.rotl (i64.and (local.get 4) (local.get 5)) (i64.const 17)))
              (i64.rotl (i64.or (local.get 4) (local.get 5)) (i64.const 41))) (i64.const 23))))
          (func (export "addr") (param i32 i32) (result i32)
            ;; a store and loads at base + addend across a chunk edge, wrapping below zero
            (i64.store (i32.add (local.get 0) (i32.const 1020)) (i64.const 0x0807060504030201))
            (i32.store8 (i32.add (local.get 0) (i32.const 1023)) (local.get 1))
            (i32.add (i32.load (i32.add (local.get 0) (i32.const 1021)))
              (i32.load8_u offset=4 (i32.add (local.get 0) (i32.const -3)))))
          (func (export "rot") (param i32 i32) (result i32)
            (i32.add (i32.rotl (local.get 0) (local.get 1)) (i32.mul (i32.rotr (local.get 0) (local.get 1)) (i32.const 3))))
          (func (export "f64mem") (param i32) (result i32)
            (f64.store (i32.add (local.get 0) (i32.const 8)) (f64.mul (f64.load (i32.add (local.get 0) (i32.const 8))) (f64.const -0.5)))
            (call $bits64 (f64.load (i32.add (local.get 0) (i32.const 8))))))`,
        calls: [
            { fn: "f32ops", args: [0x80000000 | 0, 0x80000000 | 0] }, // -0 and -0
            { fn: "f32ops", args: [0x80000000 | 0, 0x40a00000] }, // -0 and 5
            { fn: "f32ops", args: [0x00000001, 0x00800000] }, // smallest subnormal, smallest normal
            { fn: "f32ops", args: [0x3f800001, 0x3f7fffff] }, // rounding near 1
            { fn: "f32ops", args: [0x7f7fffff, 0x7f7fffff] }, // overflow to infinity
            { fn: "f64ops", args: [1, 0, 0, 0x00100000] }, // a subnormal and the smallest normal
            { fn: "f64ops", args: [0, 0x80000000 | 0, 0, 0x80000000 | 0] }, // -0 and -0
            { fn: "f64ops", args: [0, 0x00200000, 0, 0x3fe00000] }, // 2^-1021 and 0.5: a subnormal product
            { fn: "f64ops", args: [0x55555555, 0x3fd55555, 0x9999999a, 0x3fb99999] }, // 1/3 and 0.1
            { fn: "i64ops", args: [-1, 0x7fffffff, 1, 0] }, // carry into the sign
            { fn: "i64ops", args: [-1, -1, -1, -1] },
            { fn: "i64ops", args: [0x12345678, -0x789abcdf, 0x0fedcba9, 0x13579bdf] },
            { fn: "addr", args: [0, 0xab] },
            { fn: "addr", args: [3000, -1] },
            { fn: "addr", args: [64520, 7] }, // the i64 store runs off the end: trap
            { fn: "f64mem", args: [100] },
            { fn: "rot", args: [0x12345678, 0] },
            { fn: "rot", args: [0x92345678 | 0, 31] },
            { fn: "rot", args: [0x92345678 | 0, 32] },
            { fn: "rot", args: [-2, -1] },
        ],
    },
    {
        name: "memory",
        wat: `(module (memory 1 2)
          (data (i32.const 100) "\\01\\02\\03\\04\\05")
          (func (export "rw") (param i32 i32) (result i32)
            (i32.store (local.get 0) (local.get 1))
            (i32.add (i32.load16_s offset=2 (local.get 0)) (i32.load8_u (local.get 0))))
          (func (export "data") (result i32) (i32.load offset=1 (i32.const 100)))
          (func (export "grow") (result i32) (i32.add (memory.grow (i32.const 1)) (i32.mul (memory.size) (i32.const 100))))
          (func (export "fill") (param i32 i32) (result i32)
            (memory.fill (local.get 0) (i32.const 0xab) (local.get 1))
            (memory.copy (i32.add (local.get 0) (i32.const 1)) (local.get 0) (local.get 1))
            (i32.load (i32.add (local.get 0) (local.get 1)))))`,
        calls: [
            { fn: "rw", args: [1023, -559038737] },
            { fn: "rw", args: [65532, 0x7fff0102] },
            { fn: "rw", args: [65533, 1] },
            { fn: "data", args: [] },
            { fn: "fill", args: [2000, 3000] },
            { fn: "grow", args: [] },
            { fn: "grow", args: [] },
        ],
    },
    {
        name: "tables",
        wat: `(module (type $t (func (param i32) (result i32)))
          (table 4 funcref) (elem (i32.const 0) $inc $dbl)
          (func $inc (type $t) (i32.add (local.get 0) (i32.const 1)))
          (func $dbl (type $t) (i32.mul (local.get 0) (i32.const 2)))
          (func $other (param i64) (result i64) (local.get 0))
          (global $g (mut i32) (i32.const 40))
          (func (export "ind") (param i32 i32) (result i32) (call_indirect (type $t) (local.get 1) (local.get 0)))
          (func (export "glob") (param i32) (result i32) (global.set $g (i32.add (global.get $g) (local.get 0))) (global.get $g))
          (func (export "unreachable") (result i32) (unreachable))
          (func $deep (export "deep") (param i32) (result i32) (i32.add (call $deep (local.get 0)) (i32.const 1))))`,
        calls: [
            { fn: "ind", args: [0, 5] },
            { fn: "ind", args: [1, 5] },
            { fn: "ind", args: [2, 5] },
            { fn: "ind", args: [9, 5] },
            { fn: "glob", args: [2] },
            { fn: "glob", args: [3] },
            { fn: "unreachable", args: [] },
            { fn: "deep", args: [1] },
        ],
    },
]
