// Every numeric instruction, fed edge values, gives the same bits on the JIT as on V8 (the cases
// and the comparison: test/engine/numeric-differential.ts). The module passes floats as raw
// bits, and the JIT's i32/i64 values are JS numbers/BigInts like V8's, so calls are direct.
import { describe, expect, it } from "vitest"
import { describeAgainstV8 } from "../engine/numeric-differential"
import { watToWasm } from "../engine/helpers"
import { compileJit, instantiateJit } from "../../host/jit/instance"

describeAgainstV8("JIT: numeric instructions agree with V8", async wasm => {
    const inst = instantiateJit(compileJit(wasm))
    return (name, args) => inst.call(name, ...args) as number | bigint
})

// The generator writes a constant second operand as a literal, and i64 shifts and rotates by a
// constant inline (i64-ops.ts I64_CONST_SHIFT): check those forms against V8 too.
describe("JIT: instructions with a constant operand agree with V8", async () => {
    const counts = [0n, 1n, 5n, 31n, 32n, 33n, 40n, 63n, 64n, 65n, -1n, 0x7fffffffffffffffn]
    const funcs: string[] = []
    for (const op of ["shl", "shr_s", "shr_u", "rotl", "rotr", "add", "sub", "mul", "and", "lt_u", "ge_s"])
        counts.forEach((c, i) => {
            const result = op === "lt_u" || op === "ge_s" ? "i32" : "i64"
            funcs.push(`(func (export "${op}_${i}") (param i64) (result ${result}) (i64.${op} (local.get 0) (i64.const ${c})))`)
        })
    for (const op of ["shl", "shr_u", "rotl", "sub", "lt_u"]) for (const c of [0, 1, 31, 32, -1]) funcs.push(`(func (export "i32_${op}_${c & 0xff}") (param i32) (result i32) (i32.${op} (local.get 0) (i32.const ${c})))`)
    const wasm = await watToWasm(`(module ${funcs.join("\n")})`)
    const { instance } = await WebAssembly.instantiate(wasm as BufferSource)
    const jit = instantiateJit(compileJit(wasm))
    const values64 = [0n, 1n, -1n, 0x123456789abcdefn, -0x7edcba9876543210n, 1n << 63n, (1n << 31n) - 1n, 1n << 32n]
    const values32 = [0, 1, -1, 0x12345678, -0x80000000]
    it("i64 and i32 operators over constants", () => {
        const bad: string[] = []
        for (const name of Object.keys(instance.exports)) {
            for (const v of name.startsWith("i32_") ? values32 : values64.map(x => BigInt.asIntN(64, x))) {
                const want = (instance.exports[name] as Function)(v)
                const got = jit.call(name, v)
                if (want !== got) bad.push(`${name}(${v}) = ${got}, V8 ${want}`)
            }
        }
        expect(bad.slice(0, 10)).toEqual([])
        expect(Object.keys(instance.exports).length).toBe(11 * counts.length + 5 * 5)
    })
})
