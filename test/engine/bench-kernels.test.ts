// The eight device benchmark kernels (../shared/bench/device) must return their expected
// checksums on the Node build of the engine. They exercise calls, loops, i64, f32/f64 and memory.
import { describe, it, expect } from "vitest"
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import "../../interpreter/platform/node-core"
import { compileToImage } from "../../compiler/index"
import { loadImage, loadImageInto, instantiate, Execution, callSync, ExternKind, Arena, ARENA_PAGE, Limits, DEFAULT_STACK_BYTES, DEFAULT_CALL_DEPTH } from "../../interpreter/index"

const dir = fileURLToPath(new URL("../../../shared/bench/device/", import.meta.url))
const table = existsSync(dir + "expected.tsv") ? readFileSync(dir + "expected.tsv", "utf8").trim().split("\n").slice(1) : []

describe.skipIf(table.length === 0)("device benchmark kernels on Node", () => {
    for (const line of table) {
        const [name, , expected] = line.split("\t")
        it(`${name} returns ${expected}`, () => {
            const wasm = readFileSync(`${dir}wasm/${name}.wasm`)
            const inst = instantiate(loadImage(Buffer.from(compileToImage(wasm))), null)
            const ex = new Execution(65536, 1000)
            const f = inst.module.findExport("run", ExternKind.FUNC)
            callSync(ex, inst, f)
            // i32 results read as unsigned; i64 results as unsigned 64-bit
            const lo = BigInt(ex.stack.readUInt32LE(0))
            const hi = BigInt(ex.stack.readUInt32LE(4))
            const got = BigInt(expected) > 0xffffffffn ? (hi << 32n) | lo : lo
            expect(got.toString()).toBe(expected)
        })
    }
})

describe.skipIf(table.length === 0)("the sensor kernel as an installed app", () => {
    // Everything from one 8 KB account: its code (2 pages), memory (3), globals and table (1)
    // and stacks of 2 pages (the kernel recurses little: 192 value slots and 64 frames suffice).
    const run = async (quota: number) => {
        const arena = new Arena(16 * ARENA_PAGE)
        const limits = new Limits()
        limits.account = arena.account("sensor", quota)
        const mod = await loadImageInto(limits.account, Buffer.from(compileToImage(readFileSync(`${dir}wasm/sensor.wasm`))))
        const inst = instantiate(mod, null, limits)
        const ex = new Execution(192 * 8, 64, limits.account)
        callSync(ex, inst, inst.module.findExport("run", ExternKind.FUNC))
        expect(limits.account.used).toBe(quota)
        return ((BigInt(ex.stack.readUInt32LE(ex.base + 4)) << 32n) | BigInt(ex.stack.readUInt32LE(ex.base))).toString()
    }
    const expected = table.find(l => l.startsWith("sensor\t"))?.split("\t")[2]
    it("runs within 8 KB of arena: code, memory, globals, table and stacks together", async () => {
        expect(await run(8 * 1024)).toBe(expected)
    })
    it("with 7 KB it traps, saying what it needed", async () => {
        await expect(run(7 * 1024)).rejects.toThrow(/out of arena memory for linear memory: needed 1024 bytes, available 0 of the app's 7168/)
    })
})
