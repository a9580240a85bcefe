// The host's stack bound on the device benchmark kernels (../shared/bench/device): each kernel
// with a known bound returns its expected checksum on stacks of exactly that size and traps
// "call stack exhausted" with one value slot or one frame less; the recursive one (fib) is unknown.
import { describe, it, expect } from "vitest"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, instantiate, Execution, callSync, ExternKind, Trap, Instance } from "../../interpreter/index"

const dir = fileURLToPath(new URL("../../../shared/bench/device/", import.meta.url))
const table = existsSync(dir + "expected.tsv") ? readFileSync(dir + "expected.tsv", "utf8").trim().split("\n").slice(1) : []

/** The kernel's result (as the expected table writes it) on stacks of the given size, or the trap. */
function runOn(inst: Instance, stackBytes: number, depth: number, wide: boolean): string {
    const ex = new Execution(stackBytes, depth)
    try {
        callSync(ex, inst, inst.module.findExport("run", ExternKind.FUNC))
    } catch (e) {
        if (e instanceof Trap) return e.message
        throw e
    }
    const lo = BigInt(ex.stack.readUInt32LE(0))
    return (wide ? (BigInt(ex.stack.readUInt32LE(4)) << 32n) | lo : lo).toString()
}

describe.skipIf(table.length === 0)("stack bounds of the device benchmark kernels", () => {
    for (const line of table) {
        const [name, , expected] = line.split("\t")
        it(`${name}: the header's bound is exact, or unknown for recursion`, () => {
            const mod = loadImage(Buffer.from(compileToImage(readFileSync(`${dir}wasm/${name}.wasm`))))
            const inst = instantiate(mod, null)
            const bytes = mod.stackBytesNeeded
            const depth = mod.callDepthNeeded
            const wide = BigInt(expected) > 0xffffffffn
            if (name === "fib") {
                expect([bytes, depth]).toEqual([0, 0])
                return
            }
            expect(depth).toBeGreaterThan(0)
            expect(runOn(inst, bytes, depth, wide)).toBe(expected)
            expect(runOn(inst, bytes - 8, depth, wide)).toBe("call stack exhausted")
            expect(runOn(inst, bytes, depth - 1, wide)).toBe("call stack exhausted")
        })
    }
})
