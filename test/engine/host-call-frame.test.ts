// A call's argument base must leave room, inside the caller's frame, for what a host function
// reads and writes there (its parameters and results): a host function runs on the caller's
// frame without the frame check a Wasm callee gets. A tampered image with the base at the very
// end of the frame would otherwise let a host function overwrite the frame records after the
// value stack (a return pc), and the run loop would jump to code the verifier never saw.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, loadImageInto, ImageError, instantiate, Execution, callSync, ExternKind, HostFunc, Arena, ARENA_PAGE } from "../../interpreter/index"
import { Hdr, imageChecksum, Sec, FuncRec } from "../../interpreter/image-format"
import { Op } from "../../interpreter/opcodes"
import { layout } from "../../interpreter/verify"
import { watToWasm } from "./helpers"

function reseal(img: Buffer): Buffer {
    img.writeInt32LE(imageChecksum(img, Hdr.CHECKSUM + 4, img.length, 0x811c9dc5 | 0), Hdr.CHECKSUM)
    return img
}

/** Offset of the first instruction with opcode `op` in defined function f, walked with the verifier's layouts. */
function findOp(img: Buffer, f: number, op: number): { at: number; frameBytes: number } {
    const rec = img.readUInt32LE(Hdr.SECTIONS + Sec.FUNCS * 8) + f * FuncRec.SIZE
    const end = img.readUInt32LE(rec + FuncRec.CODE_END)
    for (let pc = img.readUInt32LE(rec + FuncRec.CODE); pc < end; ) {
        if (img[pc] === op) return { at: pc, frameBytes: img.readUInt16LE(rec + FuncRec.FRAME_SLOTS) * 8 }
        let p = pc + 1
        for (const c of layout(img[pc])) p += c === "k" ? 1 : c === "r" || c === "a" ? 2 : 4
        pc = p
    }
    throw new Error(`no opcode ${op}`)
}

const host = () => new HostFunc("i", "ii", (S: Buffer, at: number) => {
    S.writeInt32LE(7, at)
    S.writeInt32LE(7, at + 8)
})

describe("verifier: room for a host function's parameters and results", () => {
    it("refuses a CALL_IMPORT or CALL_INDIRECT whose argument base leaves too little of the frame", async () => {
        const wasm = await watToWasm(`(module (import "h" "f" (func $h (param i32) (result i32 i32)))
          (type $t (func (param i32) (result i32 i32))) (table 1 funcref) (elem (i32.const 0) $h)
          (func (export "direct") (param i32) (result i32) (drop (call $h (local.get 0))))
          (func (export "indirect") (param i32) (result i32) (drop (call_indirect (type $t) (local.get 0) (i32.const 0)))))`)
        const img = Buffer.from(compileToImage(wasm))
        // as compiled: loads and runs
        const inst = instantiate(loadImage(img), host)
        for (const name of ["direct", "indirect"]) {
            const ex = new Execution(1024, 8)
            callSync(ex, inst, inst.module.findExport(name, ExternKind.FUNC))
            expect(ex.stack.readInt32LE(0)).toBe(7)
        }
        // the argument base moved to the frame's last slot (two results need two slots)
        const d = findOp(img, 0, Op.CALL_IMPORT)
        const direct = Buffer.from(img)
        direct.writeUInt16LE(d.frameBytes - 8, d.at + 5)
        expect(() => loadImage(reseal(direct))).toThrow(ImageError)
        expect(() => loadImage(reseal(direct))).toThrow(/call arguments at \d+ leave too little of a \d+-byte frame for 2 values/)
        const i = findOp(img, 1, Op.CALL_INDIRECT)
        const indirect = Buffer.from(img)
        indirect.writeUInt16LE(i.frameBytes - 8, i.at + 11)
        expect(() => loadImage(reseal(indirect))).toThrow(ImageError)
        // the last base that leaves room still loads
        const ok = Buffer.from(img)
        ok.writeUInt16LE(d.frameBytes - 16, d.at + 5)
        expect(() => loadImage(reseal(ok))).not.toThrow()
        // and the same checks hold for an image copied into an app's account (relocated while checked)
        const account = new Arena(16 * ARENA_PAGE).account("app", 16 * ARENA_PAGE)
        await expect(loadImageInto(account, reseal(Buffer.from(direct)))).rejects.toThrow(/leave too little/)
        const inArena = instantiate(await loadImageInto(account, img), host)
        const ex = new Execution(1024, 8)
        callSync(ex, inArena, inArena.module.findExport("indirect", ExternKind.FUNC))
        expect(ex.stack.readInt32LE(0)).toBe(7)
    })
})
