// Every numeric instruction, fed edge values, gives the same bits on the JIT as on V8 (the cases
// and the comparison: test/engine/numeric-differential.ts). The module passes floats as raw
// bits, and the JIT's i32/i64 values are JS numbers/BigInts like V8's, so calls are direct.
import { describeAgainstV8 } from "../engine/numeric-differential"
import { compileJit, instantiateJit } from "../../host/jit/instance"

describeAgainstV8("JIT: numeric instructions agree with V8", async wasm => {
    const inst = instantiateJit(compileJit(wasm))
    return (name, args) => inst.call(name, ...args) as number | bigint
})
