// The loader never trusts an image: truncated, corrupted or tampered images (even with a
// recomputed checksum) are rejected with ImageError, and whatever does load runs without the
// engine failing in any way other than a Wasm trap.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, instantiate, ImageError, Execution, callSync, ExternKind, Trap, LinkError, startCall, run } from "../../interpreter/index"
import { Hdr, imageChecksum, Sec, FuncRec } from "../../interpreter/image-format"
import { Op } from "../../interpreter/opcodes"
import { watToWasm } from "./helpers"

const WAT = `(module (memory 1) (table 2 funcref) (elem (i32.const 0) $f)
  (global $g (mut i32) (i32.const 7))
  (func $f (param i32) (result i32) (i32.add (local.get 0) (global.get $g)))
  (func (export "run") (param i32) (result i32) (local i32)
    (block (loop
      (br_if 1 (i32.ge_u (local.get 1) (local.get 0)))
      (i32.store (i32.shl (local.get 1) (i32.const 2)) (call_indirect (param i32) (result i32) (local.get 1) (i32.const 0)))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br 0)))
    (i32.load (i32.const 8))))`

async function image(): Promise<Buffer> {
    return Buffer.from(compileToImage(await watToWasm(WAT)))
}

function reseal(img: Buffer): Buffer {
    img.writeInt32LE(imageChecksum(img, Hdr.CHECKSUM + 4, img.length, 0x811c9dc5 | 0), Hdr.CHECKSUM)
    return img
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

describe("image loader", () => {
    it("loads and runs a good image", async () => {
        const inst = instantiate(loadImage(await image()), null)
        const ex = new Execution(4096, 64)
        ex.stack.writeInt32LE(5, 0)
        callSync(ex, inst, inst.module.findExport("run", ExternKind.FUNC))
        expect(ex.stack.readInt32LE(0)).toBe(9)
    })

    it("rejects truncated, foreign and corrupted images", async () => {
        const img = await image()
        expect(loadError(img.subarray(0, 10))).toMatch(/truncated/)
        expect(loadError(img.subarray(0, img.length - 4))).toMatch(/length mismatch/)
        const foreign = Buffer.from(img)
        foreign.writeUInt32LE(0x6d736100, 0)
        expect(loadError(foreign)).toMatch(/magic/)
        const flipped = Buffer.from(img)
        flipped[img.length - 20] ^= 1
        expect(loadError(flipped)).toMatch(/checksum mismatch/)
    })

    it("rejects tampered code even with a valid checksum", async () => {
        const img = await image()
        const funcs = img.readUInt32LE(Hdr.SECTIONS + Sec.FUNCS * 8)
        const start = img.readUInt32LE(funcs + FuncRec.SIZE + FuncRec.CODE)
        const frame = img.readUInt16LE(funcs + FuncRec.SIZE + FuncRec.FRAME_SLOTS)
        // wild register in the first instruction's destination
        const wildReg = Buffer.from(img)
        wildReg.writeUInt16LE(frame * 8 + 64, start + 1)
        expect(loadError(reseal(wildReg))).toMatch(/register .* outside the frame/)
        // unknown opcode
        const badOp = Buffer.from(img)
        badOp[start] = 60
        expect(loadError(reseal(badOp))).toMatch(/unknown opcode/)
        // function table pointing outside the code
        const badFunc = Buffer.from(img)
        badFunc.writeUInt32LE(img.length + 100, funcs + FuncRec.CODE)
        expect(loadError(reseal(badFunc))).toMatch(/code out of bounds/)
        // a call to a function that does not exist
        const call = img.indexOf(Buffer.from([Op.CALL_INDIRECT]), start)
        expect(call).toBeGreaterThan(0)
        const badType = Buffer.from(img)
        badType.writeUInt32LE(999, call + 1)
        expect(loadError(reseal(badType))).toMatch(/bad type 999/)
    })

    it("survives random tampering: only ImageError, LinkError or a Trap, never another failure", async () => {
        const img = await image()
        let seed = 12345
        const rnd = (n: number) => {
            seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
            return seed % n
        }
        const outcomes = { rejected: 0, ran: 0, trapped: 0 }
        for (let round = 0; round < 3000; round++) {
            const bad = Buffer.from(img)
            const flips = 1 + rnd(4)
            for (let k = 0; k < flips; k++) bad[Hdr.SECTIONS + rnd(bad.length - Hdr.SECTIONS)] = rnd(256)
            reseal(bad)
            try {
                const inst = instantiate(loadImage(bad), null)
                const f = inst.module.findExport("run", ExternKind.FUNC)
                if (f < 0) continue
                const ex = new Execution(4096, 64)
                ex.stack.writeInt32LE(3, 0)
                // a tampered branch may loop forever: give it a bounded amount of fuel
                startCall(ex, inst, f)
                run(ex, 100000)
                outcomes.ran++
            } catch (e: any) {
                if (e instanceof ImageError || e instanceof LinkError) outcomes.rejected++
                else if (e instanceof Trap) outcomes.trapped++
                else throw new Error(`round ${round}: unexpected ${e?.name}: ${e?.message}\n${e?.stack}`)
            }
        }
        expect(outcomes.rejected).toBeGreaterThan(1000)
    })
})
