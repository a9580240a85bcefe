// What the run loop reports when a slice throws: running out of an execution's value stack or
// frame records is "call stack exhausted" (the run loop's own checks); any other error (an engine
// or host-function bug) is "runtime error: <its message>", even when that message mentions a
// stack or a range.
import { describe, it, expect } from "vitest"
import "../../interpreter/platform/node-core"
import { Execution, callSync, ExternKind, HostFunc, Trap, Instance } from "../../interpreter/index"
import { instantiateWat } from "./helpers"

const RECURSE = `(module (func $f (export "f") (param i32) (result i32)
  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
    (else (i32.add (i32.const 1) (call $f (i32.sub (local.get 0) (i32.const 1))))))))`

/** The message of the Trap that calling export `name` throws (fails if it throws anything else). */
function trapOf(inst: Instance, name: string, ex: Execution, arg = 0): string {
    ex.stack.writeInt32LE(arg, ex.base)
    try {
        callSync(ex, inst, inst.module.findExport(name, ExternKind.FUNC))
    } catch (e) {
        expect(e).toBeInstanceOf(Trap)
        return (e as Trap).message
    }
    return "returned " + ex.stack.readInt32LE(ex.base)
}

/** A module whose export "run" calls the host function given. */
async function callingHost(fn: (S: Buffer, at: number) => void): Promise<Instance> {
    return instantiateWat(`(module (import "h" "f" (func $h (param i32) (result i32)))
      (func (export "run") (param i32) (result i32) (call $h (local.get 0))))`, () => new HostFunc("i", "i", fn))
}

describe("traps from exhausted stacks and from errors inside a slice", () => {
    it("deep recursion runs out of the value stack, or of frame records, as call stack exhausted", async () => {
        const inst = await instantiateWat(RECURSE)
        expect(trapOf(inst, "f", new Execution(1 << 16, 1000), 100)).toBe("returned 100")
        expect(trapOf(inst, "f", new Execution(256, 1000), 100)).toBe("call stack exhausted")
        expect(trapOf(inst, "f", new Execution(1 << 16, 50), 100)).toBe("call stack exhausted")
    })

    it("a host function storing past the end of the stacks' Buffer is a host bug, not exhausted stacks", async () => {
        // (its own results always fit: the verifier keeps them inside the caller's frame)
        const inst = await callingHost((S, at) => S.setAt(S.length - 2, "i32", 1))
        expect(trapOf(inst, "run", new Execution(64, 4))).toBe("runtime error: buffer store out of range")
        const fits = await callingHost((S, at) => S.setAt(at, "i32", S.getAt(at, "i32") + 1))
        expect(trapOf(fits, "run", new Execution(16, 1), 41)).toBe("returned 42")
    })

    it("any other error keeps its message, even one about a stack or a range", async () => {
        const cases: [unknown, string][] = [
            [new TypeError("boom"), "runtime error: boom"],
            [new RangeError("Maximum call stack size exceeded"), "runtime error: Maximum call stack size exceeded"],
            [new RangeError("index out of range"), "runtime error: index out of range"],
            [new Error("stack"), "runtime error: stack"],
            ["range", "runtime error: range"],
        ]
        for (const [thrown, want] of cases) {
            const inst = await callingHost(() => {
                throw thrown
            })
            expect(trapOf(inst, "run", new Execution(1024, 8))).toBe(want)
        }
    })

    it("an engine bug inside the run loop is a runtime error, not stack exhaustion", async () => {
        // a module whose table entry is broken behind the engine's back: the call reads a missing
        // instance and fails with a TypeError inside run()
        const inst = await instantiateWat(`(module (type $t (func (result i32))) (table 1 funcref) (elem (i32.const 0) $g)
          (func $g (result i32) (i32.const 1))
          (func (export "run") (param i32) (result i32) (call_indirect (type $t) (i32.const 0))))`)
        ;(inst as any).tables[0] = null
        expect(trapOf(inst, "run", new Execution(1024, 8))).toMatch(/^runtime error: /)
    })

    it("the Node Buffer shim throws DeviceScript's RangeError for a store past the end", () => {
        const b = Buffer.alloc(8)
        for (const [off, fmt, v] of [[6, "i32", 1], [8, "u8", 1], [4, "f64", 1.5], [7, "u16", 3], [5, "i32", 0.5]] as const) {
            let err: any
            try {
                b.setAt(off, fmt, v)
            } catch (e) {
                err = e
            }
            expect(err).toBeInstanceOf(RangeError)
            expect(err.message).toBe("buffer store out of range")
        }
        b.setAt(4, "i32", 7) // the last word still fits
        expect(b.readInt32LE(4)).toBe(7)
    })
})
