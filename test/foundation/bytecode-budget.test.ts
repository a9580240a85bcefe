// The firmware's bytecode budget: DeviceScript's verifier rule (header + 16 B per function +
// bytecode < 64 KiB), the parsing of what `devs build` writes, the shares by source folder, and
// boards/budgets.json — on small synthetic inputs, so every rule can be seen to fail; and once on
// a real build, against the image's own section table.
import { describe, expect, test } from "vitest"
import { buildFirmware, imageFunctionsEnd, parseBytecodeDbg, parseBytecodeSizes } from "../../scripts/lib/devs"
import { MAIN_ENTRY, VERIFIER_LIMIT_BYTES, bytecodeShares, checkBudgets, describeBytecode, readBudgets } from "../../scripts/firmware-metrics"

// Sources laid end to end: main.ts 0..99, machine.ts 100..299, app.ts 300..349, array.ts 350..379, profile.ts 380..399.
const dbg = {
    sizes: { header: 112, floats: 16, strings: 900, roles: 0, align: 4 },
    sources: [
        { path: "firmware/src/main.ts", length: 100, index: 0 },
        { path: "interpreter/machine.ts", length: 200, index: 1 },
        { path: "framework/app.ts", length: 50, index: 2 },
        { path: "node_modules/@devicescript/core/src/array.ts", length: 30, index: 3 },
        { path: "boards/profile.ts", length: 20, index: 4 },
    ],
    functions: [
        { name: "main", location: [0, 40], size: 120 },
        { name: "run", location: [100, 150], size: 1016 },
        { name: "step", location: [299, 1], size: 36 },
        { name: "onInit", location: [300, 20], size: 60 },
        { name: "push", location: [355, 10], size: 28 },
        { name: "profile", location: [380, 5], size: 24 },
        { name: "generated", size: 20 },
    ],
}

describe("bytecode-dbg.json", () => {
    test("functions, descriptors, code and the verifier's figure", () => {
        const s = parseBytecodeDbg(JSON.stringify(dbg))
        const sizes = 120 + 1016 + 36 + 60 + 28 + 24 + 20
        expect(s.functionCount).toBe(7)
        expect(s.functions).toBe(sizes) // each size already includes its 16-byte descriptor
        expect(s.code).toBe(sizes - 7 * 16)
        expect(s.header).toBe(112)
        expect(s.total).toBe(112 + 7 * 16 + s.code)
        expect(s.data).toBe(16 + 900 + 4) // after the functions: not counted
        expect(s.topFunctions[0]).toEqual({ name: "run", size: 1016 })
    })
    test("each function gets the source file its location falls in", () => {
        const s = parseBytecodeDbg(dbg)
        const path = (n: string) => s.list.find(f => f.name === n)!.path
        expect(path("main")).toBe("firmware/src/main.ts")
        expect(path("step")).toBe("interpreter/machine.ts") // last character of machine.ts
        expect(path("onInit")).toBe("framework/app.ts") // first character of app.ts
        expect(path("push")).toBe("node_modules/@devicescript/core/src/array.ts")
        expect(path("generated")).toBe("")
    })
    test("shares by folder add up to the functions", () => {
        const shares = bytecodeShares(parseBytecodeDbg(dbg).list)
        const by = Object.fromEntries(shares.map(s => [s.name, [s.bytes, s.functions]]))
        expect(by).toEqual({
            engine: [1052, 2],
            framework: [60, 1],
            "app manager": [0, 0],
            firmware: [120, 1],
            "DeviceScript libraries": [28, 1],
            other: [44, 2], // boards/ and the function without a location
        })
        expect(describeBytecode(parseBytecodeDbg(dbg))[1]).toMatch(/engine 1052 B in 2 functions; framework 60 B in 1 functions/)
    })
    test("malformed input is refused", () => {
        expect(() => parseBytecodeDbg("{}")).toThrow(/functions/)
        expect(() => parseBytecodeDbg({ ...dbg, functions: [{ name: "x", size: 4 }] })).toThrow(/x has no valid size/)
    })
})

describe("bytecode-sizes.md", () => {
    const md = `## Data

Size | Name
---: | ----------
 112 | header
  44 | strings
 156 | Data TOTAL

## Functions

Size | Name           | Users
---: | -------------- | -----
  20 | \`prototype\`    |
  48 | \`main\`         |
  68 | Function TOTAL |
 224 | TOTAL          |
`
    test("gives the same figures without source files", () => {
        const s = parseBytecodeSizes(md)
        expect(s).toMatchObject({ header: 112, data: 44, functionCount: 2, functions: 68, code: 68 - 32, total: 112 + 68 })
        expect(s.topFunctions[0]).toEqual({ name: "main", size: 48 })
    })
    test("a function table that does not add up is refused", () => {
        expect(() => parseBytecodeSizes(md.replace("  68 | Function TOTAL", "  69 | Function TOTAL"))).toThrow(/add up/)
    })
})

describe("the image itself", () => {
    test("the functions end where the functions_data section ends", () => {
        const img = Buffer.alloc(160)
        img.write("DevS\n", 0, "latin1")
        img.writeUInt32LE(112, 32) // function descriptors: 2 × 16 B
        img.writeUInt32LE(32, 36)
        img.writeUInt32LE(144, 40) // functions_data
        img.writeUInt32LE(16, 44)
        expect(imageFunctionsEnd(img)).toBe(160)
        expect(() => imageFunctionsEnd(Buffer.alloc(160))).toThrow(/not a DeviceScript image/)
    })
})

describe("budgets", () => {
    test("boards/budgets.json leaves at least 2 KB under the verifier's limit, and 16 KB idle heap or less", () => {
        const b = readBudgets()
        expect(b.bytecodeBytes).toBeGreaterThan(48 * 1024)
        expect(VERIFIER_LIMIT_BYTES - b.bytecodeBytes).toBeGreaterThanOrEqual(2048)
        expect(b.idleHeapBytes).toBeGreaterThan(0)
        expect(b.idleHeapBytes).toBeLessThanOrEqual(16 * 1024)
    })
    test("malformed budgets are rejected", () => {
        expect(() => readBudgets('{"bytecodeBytes": 1}')).toThrow(/idleHeapBytes/)
        expect(() => readBudgets('{"bytecodeBytes": -1, "idleHeapBytes": 5}')).toThrow(/bytecodeBytes/)
        expect(() => readBudgets('{"bytecodeBytes": 65536, "idleHeapBytes": 5}')).toThrow(/limit of 65536/)
    })
    test("the verifier's limit: 65535 B passes, 65536 B fails, whatever the budget", () => {
        const b = { bytecodeBytes: 70000, idleHeapBytes: 500 }
        const [limit, bc] = checkBudgets({ bytecodeBytes: 65535, idleHeapBytes: 0 }, b)
        expect([limit.name, limit.ok, bc.ok]).toEqual(["bytecodeLimit", true, true])
        const [limit2, bc2] = checkBudgets({ bytecodeBytes: 65536, idleHeapBytes: 0 }, b)
        expect([limit2.ok, bc2.ok]).toEqual([false, true])
        expect(limit2.line).toMatch(/NOT below/)
    })
    test("a value over its budget fails, at the budget passes", () => {
        const b = { bytecodeBytes: 1000, idleHeapBytes: 500 }
        const [, bc, heap] = checkBudgets({ bytecodeBytes: 1001, idleHeapBytes: 500 }, b)
        expect(bc.ok).toBe(false)
        expect(bc.line).toMatch(/OVER BUDGET/)
        expect(heap.ok).toBe(true)
        const [, bc2, heap2] = checkBudgets({ bytecodeBytes: 1000, idleHeapBytes: 501 }, b)
        expect(bc2.ok).toBe(true)
        expect(heap2.ok).toBe(false)
    })

    test("the program image (flash) is checked when a budget for it is given", () => {
        const b = { bytecodeBytes: 1000, idleHeapBytes: 500, programImageBytes: 110336 }
        const over = checkBudgets({ bytecodeBytes: 1, idleHeapBytes: 1, imageBytes: 110337 }, b).find(c => c.name === "programImage")
        expect(over.ok).toBe(false)
        expect(over.line).toMatch(/program image.*OVER BUDGET/)
        expect(checkBudgets({ bytecodeBytes: 1, idleHeapBytes: 1, imageBytes: 110336 }, b).find(c => c.name === "programImage").ok).toBe(true)
        expect(readBudgets().programImageBytes).toBe(110336)
        expect(() => readBudgets('{"bytecodeBytes": 1, "idleHeapBytes": 5, "programImageBytes": -3}')).toThrow(/programImageBytes/)
    })
})

describe("a real build of the firmware", () => {
    test("the verifier's figure from bytecode-dbg.json is where the image's functions end", async () => {
        const r = await buildFirmware(MAIN_ENTRY)
        expect(r.ok, r.output).toBe(true)
        const s = r.sizes!
        expect(r.functionsEnd).toBe(s.total)
        expect(s.total).toBe(s.header + 16 * s.functionCount + s.code)
        const shares = bytecodeShares(s.list)
        expect(shares.reduce((n, x) => n + x.bytes, 0)).toBe(s.functions)
        expect(shares.reduce((n, x) => n + x.functions, 0)).toBe(s.functionCount)
        expect(shares.find(x => x.name === "engine")!.functions).toBeGreaterThan(100) // every function found its file
        expect(shares.find(x => x.name === "other")!.bytes).toBeLessThan(s.functions / 20)
    }, 240_000)
})
