// The loader never trusts an image: truncated, corrupted or tampered images (even with a
// recomputed checksum) are rejected with ImageError, and whatever does load runs without the
// engine failing in any way other than a Wasm trap.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, loadImageInto, LoadJob, LoadedModule, InstantiateJob, HostFunc, createInstance, instances, instantiate, ImageError, Execution, callSync, callExport, ExternKind, Trap, LinkError, startCall, run, Arena, ARENA_PAGE, Limits, Instance } from "../../interpreter/index"
import { Hdr, imageChecksum, Sec, FuncRec } from "../../interpreter/image-format"
import { Op } from "../../interpreter/opcodes"
import { instanceUsage } from "../../interpreter/usage"
import { watToWasm, call, seededRandom } from "./helpers"

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

/** A copy of img with 1 to 4 random bytes after the header changed, and its checksum recomputed. */
function tampered(img: Buffer, rnd: (n: number) => number): Buffer {
    const bad = Buffer.from(img)
    const flips = 1 + rnd(4)
    for (let k = 0; k < flips; k++) bad[Hdr.SECTIONS + rnd(bad.length - Hdr.SECTIONS)] = rnd(256)
    return reseal(bad)
}

/** Instantiates a loaded image and runs its "run" export, if any, on a bounded amount of fuel (a tampered branch may loop forever). */
function runBounded(mod: LoadedModule, limits: Limits): Instance {
    const inst = instantiate(mod, null, limits)
    const f = inst.module.findExport("run", ExternKind.FUNC)
    if (f >= 0) {
        const ex = new Execution(4096, 64)
        ex.stack.writeInt32LE(3, 0)
        startCall(ex, inst, f)
        run(ex, 100000)
    }
    return inst
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
        const rnd = seededRandom(12345)
        const outcomes = { rejected: 0, ran: 0, trapped: 0 }
        for (let round = 0; round < 3000; round++) {
            const bad = tampered(img, rnd)
            try {
                runBounded(loadImage(bad), null)
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

describe("images in the arena (relocated as they are checked)", () => {
    it("an image copied into an app's account runs like one of its own; release gives the pages back", async () => {
        const arena = new Arena(64 * ARENA_PAGE)
        const account = arena.account("app", 64 * ARENA_PAGE)
        account.alloc(1, "something before") // so the image does not start at offset 0
        const img = await image()
        const mod = await loadImageInto(account, img)
        expect(mod.image).toBe(arena.buf)
        expect(mod.base).toBe(ARENA_PAGE)
        const limits = new Limits()
        limits.account = account
        const inst = instantiate(mod, null, limits)
        expect(await callExport(inst, "run", [5])).toBe(9) // element 2 holds f(2) = 2 + 7
        expect(instanceUsage(inst).imageBytes).toBe(img.length)
        const codePages = Math.ceil(img.length / ARENA_PAGE)
        inst.dispose()
        expect(account.used).toBe((1 + codePages) * ARENA_PAGE)
        mod.release()
        expect(account.used).toBe(ARENA_PAGE)
    })

    it("a bad image gives its block back and leaves the rest of the arena alone", async () => {
        const arena = new Arena(16 * ARENA_PAGE)
        const account = arena.account("app", 16 * ARENA_PAGE)
        const img = await image()
        const bad = Buffer.from(img)
        bad[bad.length - 1] ^= 1 // checksum mismatch
        await expect(loadImageInto(account, bad)).rejects.toThrow(/checksum mismatch/)
        expect(account.used).toBe(0)
        await expect(loadImageInto(arena.account("none", 0), img)).rejects.toThrow(/out of arena memory for code: needed 1024 bytes, available 0/)
    })

    it("survives random tampering at an offset: rejected or run, never writing outside its block", async () => {
        const img = await image()
        const rnd = seededRandom(777)
        const codeArena = new Arena(8 * ARENA_PAGE)
        const code = codeArena.account("code", 8 * ARENA_PAGE)
        // memory, tables, globals and stacks from elsewhere: the code arena holds only the image
        const limits = new Limits()
        limits.account = new Arena(64 * ARENA_PAGE).account("data", 64 * ARENA_PAGE)
        let rejected = 0
        for (let round = 0; round < 600; round++) {
            codeArena.buf.fill(0x5a)
            const padBytes = 1 + rnd(3) * ARENA_PAGE
            const pad = code.alloc(padBytes, "pad")
            const bad = tampered(img, rnd)
            let mod: LoadedModule = null
            try {
                mod = await loadImageInto(code, bad)
                runBounded(mod, limits).dispose()
            } catch (e: any) {
                if (e instanceof ImageError || e instanceof LinkError) rejected++
                else if (!(e instanceof Trap)) throw new Error(`round ${round}: unexpected ${e?.name}: ${e?.message}\n${e?.stack}`)
            }
            // every byte outside the image's block (and the pad) is as it was; the image went
            // to the first free page after the pad (also when it was rejected)
            expect(pad).toBe(0)
            const from = Math.ceil(padBytes / ARENA_PAGE) * ARENA_PAGE
            if (mod !== null) expect(mod.base).toBe(from)
            for (let i = 0; i < codeArena.buf.length; i++) {
                // (whole pages: an allocation zeroes them)
                if (i >= pad && i < from) continue
                if (i >= from && i < from + Math.ceil(bad.length / ARENA_PAGE) * ARENA_PAGE) continue
                if (codeArena.buf[i] !== 0x5a) throw new Error(`round ${round}: byte ${i} outside the image changed`)
            }
            if (mod !== null) mod.release()
            code.free(pad, padBytes)
            expect(code.used).toBe(0)
        }
        expect(rejected).toBeGreaterThan(150)
    })
})

describe("loading in bounded steps", () => {
    it("a module with 2000 exports is checked 64 records per step (a device yields between steps)", async () => {
        const exports = Array.from({ length: 2000 }, (_, i) => `(export "e${i}" (func 0))`).join(" ")
        const img = Buffer.from(compileToImage(await watToWasm(`(module (func (result i32) (i32.const 7)) ${exports})`)))
        const job = new LoadJob(img)
        let steps = 0
        while (!job.step()) steps++
        expect(steps).toBeGreaterThan(2000 / 64)
        const inst = instantiate(job.module, null)
        expect(call(inst, "e1999")[0]).toBe(7)
    })
})

describe("instantiating in bounded steps", () => {
    it("1000 imports and 1000 globals are bound and set 32 records per step", async () => {
        const globals = Array.from({ length: 1000 }, (_, i) => `(global (mut i32) (i32.const ${i}))`).join(" ")
        const imports = Array.from({ length: 1000 }, (_, i) => `(import "env" "f${i}" (func (result i32)))`).join(" ")
        const img = Buffer.from(compileToImage(await watToWasm(`(module ${imports} ${globals} (func (export "run") (result i32) (i32.add (call 999) (global.get 999))))`)))
        const seven = new HostFunc("", "i", (S: Buffer, at: number) => S.writeInt32LE(7, at))
        const job = new InstantiateJob(loadImage(img), () => seven, null)
        let steps = 0
        while (!job.step()) steps++
        expect(steps + 1).toBeGreaterThanOrEqual(2000 / 32) // (the last step says done)
        expect(call(job.inst, "run")[0]).toBe(1006)
        job.inst.dispose()
    })

    it("an import that does not link stops it and leaves nothing behind", async () => {
        const arena = new Arena(8 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("app", 8 * ARENA_PAGE)
        const img = Buffer.from(compileToImage(await watToWasm(`(module (import "env" "g" (global i32)) (global (mut i32) (i32.const 1)) (memory 1))`)))
        const before = instances.length
        expect(() => createInstance(loadImage(img), () => null, limits)).toThrow(/unknown import: import env.g \(global\)/)
        expect(instances.length).toBe(before)
        expect(limits.account.used).toBe(0)
    })
})
