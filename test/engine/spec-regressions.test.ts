// Minimal reproductions of engine bugs found by running the official spec testsuite
// (`wasmlet spectest`). Each test names the script and line that exposed it.
import { describe, expect, it } from "vitest"
import { call, instantiateWat, watToWasm } from "./helpers"
import { compileToImage } from "../../compiler/index"
import { Execution, ExternKind, LoadJob, run, RunState, startCall } from "../../interpreter/index"

describe("spec regressions", () => {
    // bulk.wast:221 — the reference interpreter reports the table index of a null entry:
    // (assert_trap (invoke "call" (i32.const 2)) "uninitialized element 2")
    it("bulk.wast:221 call_indirect of a null entry traps with 'uninitialized element <index>'", async () => {
        const inst = await instantiateWat(`(module
          (table 3 funcref)
          (func (export "call") (param i32) (result i32)
            (call_indirect (result i32) (local.get 0))))`)
        expect(() => call(inst, "call", [2])).toThrow(/^uninitialized element 2$/)
    })

    // bulk.wast:94-96 inside the DeviceScript simulator (`wasmlet spectest --sim`): memory.copy with
    // overlapping ranges, destination above the source, inside one chunk, smears bytes. DeviceScript's
    // Buffer.blitAt copies forward byte by byte (memcpy), while the Node shim's blitAt is Buffer.copy
    // (memmove), which hides the bug on Node. This test gives blitAt DeviceScript's behaviour.
    it("bulk.wast:90-96 memory.copy overlapping upwards is right with DeviceScript's forward blitAt", async () => {
        const inst = await instantiateWat(`(module
          (memory 1)
          (data (i32.const 7) "\\00\\aa\\bb\\cc\\dd\\cc\\dd")
          (func (export "copy") (param i32 i32 i32) (memory.copy (local.get 0) (local.get 1) (local.get 2)))
          (func (export "load8_u") (param i32) (result i32) (i32.load8_u (local.get 0))))`)
        const proto = Buffer.prototype as any
        const nodeBlit = proto.blitAt
        proto.blitAt = function (this: Buffer, off: number, src: Buffer, srcOff: number, len: number) {
            len = Math.min(len, this.length - off, src.length - srcOff)
            for (let k = 0; k < len; k++) this[off + k] = src[srcOff + k]
        }
        try {
            call(inst, "copy", [10, 7, 6], "")
        } finally {
            proto.blitAt = nodeBlit
        }
        const got = [10, 11, 12, 13, 14, 15].map(a => call(inst, "load8_u", [a])[0])
        expect(got).toEqual([0, 0xaa, 0xbb, 0xcc, 0xdd, 0xcc])
    })

    // br_if, if, call_indirect, left-to-right, skip-stack-guard-page in the simulator: loading their
    // first module panics with InfiniteLoop inside interpreter/verify.ts. LoadJob.step() keeps
    // verifying functions while each one finishes within its own STEP_INSTRS budget, so a module of
    // many small functions is verified in ONE step (the budget is per function, not per step).
    it("br_if.wast in the simulator: LoadJob.step() bounds the work of one step across many small functions", async () => {
        const funcs = Array.from({ length: 600 }, (_, i) => `(func (export "f${i}") (param i32) (result i32) (i32.add (local.get 0) (i32.const ${i})))`)
        const image = Buffer.from(compileToImage(await watToWasm(`(module ${funcs.join("\n")})`)))
        const job = new LoadJob(image)
        let steps = 0
        while (!job.step()) steps++
        // about 600 * 3 instructions: with a budget of a few hundred instructions per step, verifying
        // them must take several steps besides the checksum steps and the table check.
        const checksumSteps = Math.ceil(image.length / 4096)
        expect(steps - checksumSteps - 1).toBeGreaterThanOrEqual(4)
    })

    // call_indirect.wast in the simulator: "runaway" (endless recursion through call_indirect) panics
    // with InfiniteLoop before it reaches "call stack exhausted": CALL_INDIRECT (and CALL_IMPORT)
    // charge CALL_FUEL but never suspend when the fuel is used up, unlike CALL.
    it("call_indirect.wast:339 in the simulator: recursion through call_indirect suspends when the slice's fuel is used", async () => {
        const inst = await instantiateWat(`(module
          (type $t (func (param i32) (result i32)))
          (table funcref (elem $f))
          (func $f (export "f") (type $t)
            (if (result i32) (i32.eqz (local.get 0))
              (then (i32.const 0))
              (else (i32.add (i32.const 1) (call_indirect (type $t) (i32.sub (local.get 0) (i32.const 1)) (i32.const 0)))))))`)
        const ex = new Execution(1 << 20, 10000)
        ex.stack.writeInt32LE(500, 0)
        startCall(ex, inst, inst.module.findExport("f", ExternKind.FUNC))
        expect(run(ex, 200)).toBe(RunState.SUSPENDED)
        let slices = 1
        while (run(ex, 200) === RunState.SUSPENDED) slices++
        expect(ex.stack.readInt32LE(0)).toBe(500)
        expect(slices).toBeGreaterThan(10)
    })
})
