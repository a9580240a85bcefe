// `npm test`: everything that must pass, in four parts, then ONE closing line "N passed, M failed"
// (totals over all parts). Exits 1 on any failure.
//   1. tsc -p . --noEmit                                  (counts as one test)
//   2. vitest on Node (test/**/*.test.ts but test/devs)   (its own test count)
//   3. every DeviceScript-side suite test/devs/*.test.ts inside the simulator:
//      devs run <suite> --test --test-self-exit; a suite that reports zero tests FAILS
//   4. build checks: the firmware's generated image files up to date, bytecode and idle-heap budgets (one test each)
// Options: --only tsc,vitest,devs,build   run some parts only;   -- <vitest args> passed to vitest.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { pathToFileURL } from "node:url"
import { generate } from "./gen-firmware-images"
import { measureAndCheck } from "./firmware-metrics"
import { ROOT, devs, judgeDevsSuite, makeBuildDir, run, summaryLine } from "./lib/devs"

let passed = 0
let failed = 0
const failures: string[] = []
const count = (ok: boolean, what: string) => {
    if (ok) passed++
    else {
        failed++
        failures.push(what)
    }
}
const say = (s: string) => console.log(s)
const header = (s: string) => say(`\n=== ${s}`)

async function partTsc() {
    header("tsc -p . --noEmit")
    const r = await run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ".", "--noEmit"], {
        onLine: l => say(l),
        timeoutMs: 300_000,
    })
    say(r.code === 0 ? `tsc: ok (${r.ms} ms)` : `tsc: FAILED`)
    count(r.code === 0, "tsc")
}

/** Counts from vitest's JSON report; undefined if there is none. */
export function vitestCounts(json: string): { passed: number; failed: number; total: number } | undefined {
    try {
        const j = JSON.parse(json)
        const failedTests = j.numFailedTests ?? 0
        // A test file that fails to load has no tests but a failed suite.
        const brokenFiles = (j.testResults ?? []).filter((f: any) => f.status === "failed" && !(f.assertionResults ?? []).length).length
        return { passed: j.numPassedTests ?? 0, failed: failedTests + brokenFiles, total: j.numTotalTests ?? 0 }
    } catch {
        return undefined
    }
}

async function partVitest(extra: string[]) {
    header("vitest")
    const dir = mkdtempSync(join(tmpdir(), "wasmlet-vitest-"))
    const out = join(dir, "report.json")
    try {
        const r = await run(
            process.execPath,
            [join(ROOT, "node_modules/vitest/vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${out}`, ...extra],
            { onLine: l => say(l), timeoutMs: 900_000 }
        )
        const c = existsSync(out) ? vitestCounts(readFileSync(out, "utf8")) : undefined
        if (!c) {
            say(`vitest: no report (exit code ${r.code}${r.timedOut ? ", timed out" : ""})`)
            count(false, "vitest (no report)")
            return
        }
        passed += c.passed
        failed += c.failed
        if (c.failed) failures.push(`vitest: ${c.failed} failed`)
        if (c.total === 0) count(false, "vitest ran no test")
        if (r.code !== 0 && c.failed === 0) count(false, `vitest exited with ${r.code}`)
        say(`vitest: ${c.passed} passed, ${c.failed} failed`)
    } finally {
        rmSync(dir, { recursive: true, force: true })
    }
}

export function devsSuites(): string[] {
    const dir = join(ROOT, "test/devs")
    if (!existsSync(dir)) return []
    return readdirSync(dir)
        .filter(f => f.endsWith(".test.ts"))
        .sort()
        .map(f => `test/devs/${f}`)
}

export async function runDevsSuite(file: string, timeoutMs = 600_000) {
    // A private build folder per suite: suites run side by side without sharing .devicescript/bin.
    const b = makeBuildDir()
    try {
        const r = await devs(["run", file, "--test", "--test-self-exit", "-T", String(timeoutMs)], {
            cwd: b.dir,
            timeoutMs: timeoutMs + 60_000,
        })
        return { result: r, verdict: judgeDevsSuite(r) }
    } finally {
        b.dispose()
    }
}

async function partDevs() {
    const suites = devsSuites()
    header(`DeviceScript suites in the simulator (${suites.length})`)
    if (!suites.length) {
        say("no test/devs/*.test.ts")
        return
    }
    const queue = [...suites]
    const worker = async () => {
        for (let f = queue.shift(); f; f = queue.shift()) {
            const { result, verdict } = await runDevsSuite(f)
            const lines = result.output.split("\n").filter(l => /WASM> /.test(l) || /test (OK|failed)|error|Error/.test(l))
            say(`--- ${f} (${result.ms} ms, exit ${result.code})`)
            for (const l of lines.slice(-60)) say("  " + l.replace(/^WASM> /, ""))
            say(`${f}: ${verdict.passed} passed, ${verdict.failed} failed${verdict.problem ? ` (${verdict.problem})` : ""}`)
            passed += verdict.passed
            failed += verdict.failed
            if (verdict.failed) failures.push(`${f}: ${verdict.problem ?? "failed"}`)
        }
    }
    await Promise.all([worker(), worker()])
}

async function partBuild() {
    header("build checks")
    for (const f of generate().files) {
        say(f.upToDate ? `${f.path}: up to date` : `${f.path}: OUT OF DATE (run \`npm run build\` and commit it)`)
        count(f.upToDate, `${f.path} up to date`)
    }
    try {
        const checks = await measureAndCheck(say)
        for (const c of checks) count(c.ok, `budget ${c.name}`)
    } catch (e: any) {
        say(`measuring the firmware failed: ${e.message}`)
        count(false, "firmware metrics")
    }
}

async function main() {
    const argv = process.argv.slice(2)
    const dd = argv.indexOf("--")
    const vitestArgs = dd >= 0 ? argv.slice(dd + 1) : []
    const own = dd >= 0 ? argv.slice(0, dd) : argv
    const oi = own.indexOf("--only")
    const only = oi >= 0 ? new Set(own[oi + 1].split(",")) : undefined
    const want = (p: string) => !only || only.has(p)
    const t0 = Date.now()
    if (want("tsc")) await partTsc()
    if (want("vitest")) await partVitest(vitestArgs)
    if (want("devs")) await partDevs()
    if (want("build")) await partBuild()
    say(`\n=== done in ${Math.round((Date.now() - t0) / 1000)} s${failures.length ? "; failed: " + failures.join("; ") : ""}`)
    say(summaryLine(passed, failed))
    process.exitCode = failed === 0 && passed > 0 ? 0 : 1
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    main().catch(e => {
        console.error(e)
        console.log(summaryLine(passed, failed + 1))
        process.exitCode = 1
    })
}
