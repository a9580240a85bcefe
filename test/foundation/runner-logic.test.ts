// The counting rules of `npm test` and the build checks, on canned inputs.
import { describe, expect, test } from "vitest"
import { judgeDevsSuite, parseBytecodeSizes, parseDevsTestSummary, stripAnsi, summaryLine } from "../../scripts/lib/devs"
import { checkBudgets, parseHeapProbe, readBudgets } from "../../scripts/firmware-metrics"
import { vitestCounts } from "../../scripts/test"

const devsOk = `WASM> \x1b[95mrunning 3 tests\x1b[0m
WASM> \x1b[95mtests: 3, pass: 3, error: 0\x1b[0m
WASM> RESTART requested
test OK`

describe("summary line", () => {
    test("is exactly 'N passed, M failed'", () => {
        expect(summaryLine(12, 0)).toBe("12 passed, 0 failed")
        expect(summaryLine(3, 2)).toMatch(/^\d+ passed, \d+ failed$/)
    })
})

describe("DeviceScript suite verdicts", () => {
    test("reads the @devicescript/test summary through colours", () => {
        expect(stripAnsi("\x1b[95mx\x1b[0m")).toBe("x")
        expect(parseDevsTestSummary(devsOk)).toEqual({ total: 3, pass: 3, error: 0 })
    })
    test("a passing suite counts its tests", () => {
        expect(judgeDevsSuite({ code: 0, output: devsOk })).toEqual({ passed: 3, failed: 0, problem: undefined })
    })
    test("failing tests are counted", () => {
        const out = "tests: 4, pass: 1, error: 3\nError: test errors\ntest failed"
        expect(judgeDevsSuite({ code: 1, output: out })).toMatchObject({ passed: 1, failed: 3 })
    })
    test("the trap: exit 0 without any test output is a failure", () => {
        const out = "WASM> preparing to run tests...\nWASM> RESTART requested\ntest OK"
        const v = judgeDevsSuite({ code: 0, output: out })
        expect(v.failed).toBe(1)
        expect(v.passed).toBe(0)
        expect(v.problem).toMatch(/no test summary/)
    })
    test("a suite reporting zero tests is a failure", () => {
        const v = judgeDevsSuite({ code: 0, output: "running 0 tests\ntests: 0, pass: 0, error: 0\ntest OK" })
        expect(v).toMatchObject({ passed: 0, failed: 1 })
        expect(v.problem).toMatch(/zero tests/)
    })
    test("all skipped is a failure", () => {
        expect(judgeDevsSuite({ code: 0, output: "tests: 2, pass: 0, error: 0" }).failed).toBe(1)
    })
    test("a panic after passing tests is a failure", () => {
        const v = judgeDevsSuite({ code: 1, output: "tests: 2, pass: 2, error: 0\nPANIC 60004" })
        expect(v).toMatchObject({ passed: 2, failed: 1 })
    })
    test("a timeout is a failure", () => {
        expect(judgeDevsSuite({ code: null, output: "running 5 tests", timedOut: true }).failed).toBe(1)
    })
})

describe("vitest JSON report", () => {
    test("counts passed and failed, and files that failed to load", () => {
        const j = {
            numPassedTests: 5,
            numFailedTests: 1,
            numTotalTests: 6,
            testResults: [
                { status: "passed", assertionResults: [{}, {}] },
                { status: "failed", assertionResults: [] },
            ],
        }
        expect(vitestCounts(JSON.stringify(j))).toEqual({ passed: 5, failed: 2, total: 6 })
        expect(vitestCounts("not json")).toBeUndefined()
    })
})

describe("budgets", () => {
    test("boards/budgets.json parses and starts at 56 KB bytecode, 16 KB idle heap or less", () => {
        const b = readBudgets()
        expect(b.bytecodeBytes).toBeGreaterThan(0)
        expect(b.bytecodeBytes).toBeLessThanOrEqual(56 * 1024)
        expect(b.idleHeapBytes).toBeGreaterThan(0)
        expect(b.idleHeapBytes).toBeLessThanOrEqual(16 * 1024)
    })
    test("malformed budgets are rejected", () => {
        expect(() => readBudgets('{"bytecodeBytes": 1}')).toThrow(/idleHeapBytes/)
        expect(() => readBudgets('{"bytecodeBytes": -1, "idleHeapBytes": 5}')).toThrow(/bytecodeBytes/)
    })
    test("a value over its budget fails, at the budget passes", () => {
        const b = { bytecodeBytes: 1000, idleHeapBytes: 500 }
        const [bc, heap] = checkBudgets({ bytecodeBytes: 1001, idleHeapBytes: 500 }, b)
        expect(bc.ok).toBe(false)
        expect(bc.line).toMatch(/OVER BUDGET/)
        expect(heap.ok).toBe(true)
        const [, heap2] = checkBudgets({ bytecodeBytes: 10, idleHeapBytes: 501 }, b)
        expect(heap2.ok).toBe(false)
    })
    test("bytecode-sizes.md is parsed", () => {
        const md = `## Data

Size | Name
---: | ----------
 112 | header
  44 | strings
 168 | Data TOTAL

## Functions

Size | Name           | Users
---: | -------------- | -----
  20 | \`prototype\`    |
  48 | \`main\`         |
  68 | Function TOTAL |
 236 | TOTAL          |
`
        const s = parseBytecodeSizes(md)
        expect(s).toMatchObject({ data: 168, functions: 68, total: 236 })
        expect(s.topFunctions[0]).toEqual({ name: "main", size: 48 })
    })
    test("heap probe output is parsed, and must end in OutOfMemory", () => {
        const out = "heap-probe: start chunk=128\nheap-probe: 1\nheap-probe: 2\nException: OutOfMemory\nPANIC 60004"
        expect(parseHeapProbe(out)).toMatchObject({ chunks: 2, chunkBytes: 128 })
        expect(() => parseHeapProbe("heap-probe: start chunk=128\nheap-probe: 1\n")).toThrow(/out of memory/)
        expect(() => parseHeapProbe("")).toThrow(/did not start/)
    })
})
