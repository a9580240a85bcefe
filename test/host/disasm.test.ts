// wasmlet disasm: the listing decodes every instruction of the image, and branch targets name
// instruction offsets of the same listing.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage } from "../../interpreter/index"
import { disassemble, opName } from "../../host/disasm/disasm"
import { Op } from "../../interpreter/opcodes"
import { watToWasm } from "../engine/helpers"

describe("disassembler", () => {
    it("lists a loop with its fused ops and branch targets that are instructions", async () => {
        const wasm = await watToWasm(`(module (memory 1)
          (func (export "sum") (param $n i32) (result i32) (local $i i32) (local $s i32)
            (loop $l
              (local.set $s (i32.add (local.get $s) (i32.load8_u (i32.add (local.get $i) (i32.const 100)))))
              (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (local.get $s)))`)
        const lines = disassemble(loadImage(Buffer.from(compileToImage(wasm))))
        const text = lines.join("\n")
        expect(text).toMatch(/LOAD_A\s+kind \d+, r\d+, r1, 0, 100/) // i32.add of 100 folded into the load
        expect(text).toMatch(/BR_LT_U\s+r1, r0, @\d+/) // compare and branch fused
        expect(text).toMatch(/RET32\s+r2/) // the result moves as part of the return
        const offsets = new Set(lines.map(l => /^\s+(\d+)\s/.exec(l)?.[1]).filter(Boolean).map(Number))
        for (const t of text.matchAll(/@(\d+)/g)) expect(offsets.has(+t[1])).toBe(true)
    })

    it("names every opcode the machine knows", () => {
        expect(opName(Op.I32_ADD)).toBe("I32_ADD")
        expect(opName(Op.RET64)).toBe("RET64")
        expect(opName(Op.STORE_A)).toBe("STORE_A")
        expect(opName(Op.BIN_I64_ADD)).toBe("bin:0x7c")
        expect(opName(Op.UN_BASE)).toBe("un:0x45")
    })
})
