// The DeviceScript-side runner, for real, in the simulator: a good suite counts its tests, a
// failing one fails, and the two ways of running no test at all are reported as failures.
import { readdirSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT, devs, judgeDevsSuite, makeBuildDir } from "../../scripts/lib/devs"
import { devsSuites } from "../../scripts/test"

async function runSuite(source: string, args = ["--test", "--test-self-exit"]) {
    const b = makeBuildDir()
    try {
        writeFileSync(join(b.dir, "probe.test.ts"), source)
        const r = await devs(["run", "probe.test.ts", ...args, "-T", "60000"], { cwd: b.dir, timeoutMs: 120_000 })
        return { r, v: judgeDevsSuite(r) }
    } finally {
        b.dispose()
    }
}

const twoTests = `import { describe, test, expect } from "@devicescript/test"
describe("probe", () => {
    test("adds", () => { expect(1 + 1).toBe(2) })
    test("int32 wraps", () => { expect((0x7fffffff + 1) | 0).toBe(-2147483648) })
})
`

describe("DeviceScript suites in the simulator", () => {
    test("a passing suite counts 2 passed", async () => {
        const { r, v } = await runSuite(twoTests)
        expect(r.code).toBe(0)
        expect(v).toEqual({ passed: 2, failed: 0, problem: undefined })
    })

    test("a failing expect counts as a failure", async () => {
        const { r, v } = await runSuite(`import { describe, test, expect } from "@devicescript/test"
describe("probe", () => {
    test("ok", () => { expect(1).toBe(1) })
    test("wrong", () => { expect(1 + 1).toBe(3) })
})
`)
        expect(r.code).not.toBe(0)
        expect(v).toMatchObject({ passed: 1, failed: 1 })
    })

    test("a suite with zero tests is reported as a failure", async () => {
        const { v } = await runSuite(`import { describe } from "@devicescript/test"
describe("empty", () => {})
`)
        expect(v.failed).toBe(1)
        expect(v.passed).toBe(0)
    })

    test("the trap: without --test-self-exit no test runs, exit code 0, and the runner says failure", async () => {
        const { r, v } = await runSuite(twoTests, ["--test"])
        expect(r.code).toBe(0) // what devs itself says
        expect(v.failed).toBe(1) // what npm test says
        expect(v.passed).toBe(0)
    })

    test("npm test picks up every test/devs/*.test.ts", () => {
        const suites = devsSuites()
        const all = readdirSync(join(ROOT, "test/devs")).filter(f => f.endsWith(".test.ts"))
        expect(suites).toEqual(all.sort().map(f => "test/devs/" + f))
        for (const s of suites) expect(s).toMatch(/^test\/devs\/[^/]+\.test\.ts$/) // helpers (numeric-ops.ts) are not suites
    })
})
