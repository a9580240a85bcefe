// The counting rules of `npm test` and the build checks, on canned inputs.
import { describe, expect, test } from "vitest"
import { judgeDevsSuite, parseDevsTestSummary, stripAnsi, summaryLine } from "../../scripts/lib/devs"
import { parseHeapProbe } from "../../scripts/firmware-metrics"
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

describe("heap probe", () => {
    test("heap probe output is parsed, and must end in OutOfMemory", () => {
        const out = "heap-probe: start chunk=128\nheap-probe: 1\nheap-probe: 2\nException: OutOfMemory\nPANIC 60004"
        expect(parseHeapProbe(out)).toMatchObject({ chunks: 2, chunkBytes: 128 })
        expect(() => parseHeapProbe("heap-probe: start chunk=128\nheap-probe: 1\n")).toThrow(/out of memory/)
        expect(() => parseHeapProbe("")).toThrow(/did not start/)
    })
})
