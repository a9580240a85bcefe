// The verifier refuses numeric opcodes that have no handler: the binary range [BIN_BASE, UN_BASE)
// and the unary range [UN_BASE, MISC_BASE) are wider than the run loop's BINARY and UNARY tables,
// and an image using an opcode past a table's end must fail at load, not trap at run time.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, ImageError, instantiate, Execution, callSync, ExternKind } from "../../interpreter/index"
import { Hdr, imageChecksum, Sec, FuncRec } from "../../interpreter/image-format"
import { Op } from "../../interpreter/opcodes"
import { layout } from "../../interpreter/verify"
import { BINARY, UNARY } from "../../interpreter/ops/numeric-table"
import { BINARY_WASM_OPS, UNARY_WASM_OPS } from "../../interpreter/numeric-order"
import { watToWasm } from "./helpers"

// i64.div_s goes through BINARY, f64.sqrt through UNARY (neither is inlined in the hot range)
const WAT = `(module
  (func (export "run") (param i64 i64 f64) (result f64)
    (f64.add (f64.sqrt (local.get 2)) (f64.convert_i64_s (i64.div_s (local.get 0) (local.get 1))))))`

function reseal(img: Buffer): Buffer {
    img.writeInt32LE(imageChecksum(img, Hdr.CHECKSUM + 4, img.length, 0x811c9dc5 | 0), Hdr.CHECKSUM)
    return img
}

/** Code offsets of the instructions of the first defined function, walked with the verifier's layouts. */
function instructionStarts(img: Buffer): number[] {
    const funcs = img.readUInt32LE(Hdr.SECTIONS + Sec.FUNCS * 8)
    const start = img.readUInt32LE(funcs + FuncRec.CODE)
    const end = img.readUInt32LE(funcs + FuncRec.CODE_END)
    const out: number[] = []
    for (let pc = start; pc < end; ) {
        out.push(pc)
        const lay = layout(img[pc])
        expect(lay).not.toBe("?")
        expect(lay).not.toContain("n") // no br_table in this module
        let p = pc + 1
        for (const c of lay) p += c === "k" ? 1 : c === "r" || c === "a" ? 2 : 4
        pc = p
    }
    return out
}

async function compiled(): Promise<{ img: Buffer; bin: number; un: number }> {
    const img = Buffer.from(compileToImage(await watToWasm(WAT)))
    const starts = instructionStarts(img)
    const bin = starts.find(pc => img[pc] === Op.BIN_BASE + BINARY_WASM_OPS.indexOf(0x7f))!
    const un = starts.find(pc => img[pc] === Op.UN_BASE + UNARY_WASM_OPS.indexOf(0x9f))!
    expect(bin).toBeDefined()
    expect(un).toBeDefined()
    return { img, bin, un }
}

function withOp(img: Buffer, at: number, op: number): Buffer {
    const bad = Buffer.from(img)
    bad[at] = op
    return reseal(bad)
}

function loadError(img: Buffer): string {
    try {
        loadImage(img)
        return "loaded"
    } catch (e: any) {
        expect(e).toBeInstanceOf(ImageError)
        return e.message
    }
}

describe("verifier: numeric opcodes without a handler", () => {
    it("the handler tables are as long as the compiler's op orders", () => {
        expect(BINARY.length).toBe(BINARY_WASM_OPS.length)
        expect(UNARY.length).toBe(UNARY_WASM_OPS.length)
        expect(Op.BIN_BASE + BINARY.length).toBeLessThanOrEqual(Op.UN_BASE)
        expect(Op.UN_BASE + UNARY.length).toBeLessThanOrEqual(Op.MISC_BASE)
    })

    it("the untouched image loads and runs", async () => {
        const { img } = await compiled()
        const inst = instantiate(loadImage(img), null)
        const ex = new Execution(1024, 8)
        ex.stack.writeBigInt64LE(-7n, 0)
        ex.stack.writeBigInt64LE(2n, 8)
        ex.stack.writeDoubleLE(16, 16)
        callSync(ex, inst, inst.module.findExport("run", ExternKind.FUNC))
        expect(ex.stack.readDoubleLE(0)).toBe(4 + -3)
    })

    it("refuses every binary opcode from BIN_BASE + BINARY.length to UN_BASE", async () => {
        const { img, bin } = await compiled()
        const first = Op.BIN_BASE + BINARY.length
        for (let op = first; op < Op.UN_BASE; op++) expect(loadError(withOp(img, bin, op))).toBe(`bad image: function 0: unknown opcode ${op} at code offset ${bin}`)
        // the last binary op with a handler still loads (it has the same operand layout)
        expect(loadError(withOp(img, bin, first - 1))).toBe("loaded")
    })

    it("refuses every unary opcode from UN_BASE + UNARY.length to MISC_BASE", async () => {
        const { img, un } = await compiled()
        const first = Op.UN_BASE + UNARY.length
        for (let op = first; op < Op.MISC_BASE; op++) expect(loadError(withOp(img, un, op))).toBe(`bad image: function 0: unknown opcode ${op} at code offset ${un}`)
        expect(loadError(withOp(img, un, first - 1))).toBe("loaded")
    })
})
