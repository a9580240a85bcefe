// Every numeric instruction, fed edge values, gives the same bits on the interpreter as on V8
// (the cases and the comparison: numeric-differential.ts).
import { describeAgainstV8 } from "./numeric-differential"
import { call } from "./helpers"
import { compileToImage } from "../../compiler/index"
import { instantiate, loadImage } from "../../interpreter/index"

describeAgainstV8("numeric instructions agree with V8", async wasm => {
    const inst = instantiate(loadImage(Buffer.from(compileToImage(wasm))), null)
    return (name, args, i64) => call(inst, name, args, i64 ? "I" : "i")[0]
})
