// `wasmlet spectest`: the runner on small hand-made wast2json scripts (every command kind, and
// that wrong results, wrong trap texts and wrong error classes are counted as failures).
// The official testsuite itself runs with `npx wasmlet spectest DIR` (scripts/spectest-setup.sh);
// set WASMLET_SPECTEST_JSON=DIR to also run it here.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it, vi } from "vitest"
import { watToWasm } from "../engine/helpers"
import { runScript } from "../../host/spectest/runner"
import { main } from "../../host/cli/spectest"
import { planScript } from "../../host/spectest/sim"
import { runSpecSteps } from "../../host/spectest/device-runner"
import { setDefaultArenaBytes } from "../../interpreter/index"
import { NODE_ARENA_BYTES } from "../../interpreter/platform/node-core"
import { JitEngine } from "../../host/spectest/jit-engine"

const dir = mkdtempSync(join(tmpdir(), "wasmlet-spectest-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let n = 0
let kindsScript = ""
/** Writes a .wasm beside the script; returns its file name. */
async function wasm(src: string): Promise<string> {
    const name = `m${n++}.wasm`
    writeFileSync(join(dir, name), await watToWasm(src))
    return name
}
function raw(bytes: number[]): string {
    const name = `m${n++}.wasm`
    writeFileSync(join(dir, name), Buffer.from(bytes))
    return name
}
function script(name: string, commands: object[]): string {
    const p = join(dir, name + ".json")
    writeFileSync(p, JSON.stringify({ source_filename: name + ".wast", commands }))
    return p
}
const i32 = (v: number) => ({ type: "i32", value: String(v >>> 0) })
const invoke = (field: string, args: object[] = [], module?: string) => ({ type: "invoke", field, args, ...(module ? { module } : {}) })

describe("spectest runner", () => {
    it("runs every command kind and counts passes, failures and skips", async () => {
        const lib = await wasm(`(module
          (global (export "g") (mut i32) (i32.const 7))
          (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`)
        const main = await wasm(`(module
          (import "lib" "add" (func $add (param i32 i32) (result i32)))
          (import "spectest" "global_i32" (global $g i32))
          (import "spectest" "print_i32" (func $print (param i32)))
          (import "spectest" "table" (table 10 20 funcref))
          (import "spectest" "memory" (memory 1 2))
          (func (export "add3") (param i32) (result i32) (call $print (local.get 0)) (call $add (local.get 0) (i32.const 3)))
          (func (export "g666") (result i32) (global.get $g))
          (func (export "i64") (result i64) (i64.const -1))
          (func (export "nan") (result f32 f64) (f32.div (f32.const 0) (f32.const 0)) (f64.const nan:0x4))
          (func (export "ext") (param externref) (result externref) (local.get 0))
          (func (export "nullfunc") (result funcref) (ref.null func))
          (func (export "div") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
          (func $loop (export "deep") (call $loop)))`)
        const unlinkable = await wasm(`(module (import "lib" "nope" (func)))`)
        const uninstantiable = await wasm(`(module (func $s unreachable) (start $s))`)
        const invalid = await wasm(`(module (func (result i32) (i64.const 0)))`)
        const malformed = raw([0, 0x61, 0x73, 0x6d, 2, 0, 0, 0])
        const r = runScript(
            script("kinds", [
                { type: "module", line: 1, filename: lib, name: "$lib" },
                { type: "register", line: 2, name: "$lib", as: "lib" },
                { type: "assert_return", line: 3, action: { type: "get", field: "g" }, expected: [i32(7)] },
                { type: "module", line: 4, filename: main },
                { type: "assert_return", line: 5, action: invoke("add3", [i32(-5)]), expected: [i32(-2)] },
                { type: "assert_return", line: 6, action: invoke("g666"), expected: [i32(666)] },
                { type: "assert_return", line: 7, action: invoke("i64"), expected: [{ type: "i64", value: "18446744073709551615" }] },
                { type: "assert_return", line: 8, action: invoke("nan"), expected: [{ type: "f32", value: "nan:canonical" }, { type: "f64", value: String(0x7ff0000000000004n) }] },
                { type: "assert_return", line: 9, action: invoke("ext", [{ type: "externref", value: "5" }]), expected: [{ type: "externref", value: "5" }] },
                { type: "assert_return", line: 10, action: invoke("ext", [{ type: "externref", value: "null" }]), expected: [{ type: "externref", value: "null" }] },
                { type: "assert_return", line: 11, action: invoke("nullfunc"), expected: [{ type: "funcref", value: "null" }] },
                { type: "action", line: 12, action: invoke("add", [i32(1), i32(2)], "$lib"), expected: [] },
                { type: "assert_trap", line: 13, action: invoke("div", [i32(0)]), text: "integer divide by zero", expected: [] },
                { type: "assert_exhaustion", line: 14, action: invoke("deep"), text: "call stack exhausted", expected: [] },
                { type: "assert_unlinkable", line: 15, filename: unlinkable, text: "unknown import", module_type: "binary" },
                { type: "assert_uninstantiable", line: 16, filename: uninstantiable, text: "unreachable", module_type: "binary" },
                { type: "assert_invalid", line: 17, filename: invalid, text: "type mismatch", module_type: "binary" },
                { type: "assert_malformed", line: 18, filename: malformed, text: "unknown binary version", module_type: "binary" },
                { type: "assert_malformed", line: 19, filename: "x.wat", text: "unexpected token", module_type: "text" },
            ]),
        )
        expect(r.failures).toEqual([])
        expect([r.passed, r.failed, r.skipped]).toEqual([18, 0, 1])
        kindsScript = join(dir, "kinds.json")
    })

    it("counts wrong results, wrong trap texts and wrong error classes as failures", async () => {
        const m = await wasm(`(module
          (func (export "one") (result i32) (i32.const 1))
          (func (export "nan") (result f32) (f32.const nan:0x600000))
          (func (export "div") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))`)
        const invalid = await wasm(`(module (func (result i32) (i64.const 0)))`)
        const r = runScript(
            script("wrong", [
                { type: "module", line: 1, filename: m },
                { type: "assert_return", line: 2, action: invoke("one"), expected: [i32(2)] },
                { type: "assert_return", line: 3, action: invoke("nan"), expected: [{ type: "f32", value: "nan:canonical" }] },
                { type: "assert_return", line: 4, action: invoke("nan"), expected: [{ type: "f32", value: "nan:arithmetic" }] },
                { type: "assert_trap", line: 5, action: invoke("div", [i32(0)]), text: "integer overflow", expected: [] },
                { type: "assert_trap", line: 6, action: invoke("one"), text: "unreachable", expected: [] },
                { type: "assert_return", line: 7, action: invoke("missing"), expected: [] },
                { type: "assert_malformed", line: 8, filename: invalid, text: "x", module_type: "binary" },
                { type: "assert_invalid", line: 9, filename: m, text: "x", module_type: "binary" },
            ]),
        )
        expect([r.passed, r.failed, r.skipped]).toEqual([2, 7, 0])
        expect(r.failures[0]).toMatch(/^line 2: .*got i32:1/)
    })

    it("--jit: the same scripts give the same counts on the JIT", () => {
        const kinds = runScript(kindsScript, {}, new JitEngine())
        expect(kinds.failures).toEqual([])
        expect([kinds.passed, kinds.failed, kinds.skipped]).toEqual([18, 0, 1])
        const wrong = runScript(join(dir, "wrong.json"), {}, new JitEngine())
        expect([wrong.passed, wrong.failed, wrong.skipped]).toEqual([2, 7, 0])
        expect(wrong.failures[0]).toMatch(/^line 2: .*got i32:1/)
    })

    it("--sim: the steps planned for the device give the same counts (device runner executed on Node)", async () => {
        for (const [file, want] of [
            [kindsScript, [18, 0, 1]],
            [join(dir, "wrong.json"), [2, 7, 0]],
        ] as [string, number[]][]) {
            const plan = planScript(file)
            const lines: string[] = []
            const spy = vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s))
            try {
                await runSpecSteps(plan.images.map(b => Buffer.from(b)), plan.strs, plan.steps)
            } finally {
                spy.mockRestore()
                // the device runner sizes the default arena as a board would: give Node's back
                setDefaultArenaBytes(NODE_ARENA_BYTES)
            }
            const done = /^spec> done (\d+) (\d+)$/.exec(lines[lines.length - 1])
            expect(done, lines.join("\n")).not.toBeNull()
            const r = plan.result
            expect([r.passed + +done[1], r.failed + +done[2], r.skipped]).toEqual(want)
        }
    })

    it("prints one line per file and the closing line; exit status 1 on failures", async () => {
        const m = await wasm(`(module (func (export "one") (result i32) (i32.const 1)))`)
        const good = script("cli-good", [
            { type: "module", line: 1, filename: m },
            { type: "assert_return", line: 2, action: invoke("one"), expected: [i32(1)] },
        ])
        const bad = script("cli-bad", [
            { type: "module", line: 1, filename: m },
            { type: "assert_return", line: 2, action: invoke("one"), expected: [i32(3)] },
        ])
        const lines: string[] = []
        const spy = vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s))
        try {
            expect(await main([good])).toBe(0)
            expect(lines).toEqual(["cli-good: 2 passed, 0 failed, 0 skipped", "2 passed, 0 failed, 0 skipped"])
            lines.length = 0
            expect(await main(["-v", good, bad])).toBe(1)
            expect(lines[1]).toBe("cli-bad: 1 passed, 1 failed, 0 skipped")
            expect(lines[2]).toMatch(/^ {2}FAIL line 2:/)
            expect(lines[lines.length - 1]).toBe("3 passed, 1 failed, 0 skipped")
        } finally {
            spy.mockRestore()
        }
    })
})

const suite = process.env.WASMLET_SPECTEST_JSON
describe.skipIf(!suite || !existsSync(suite))(`official testsuite in WASMLET_SPECTEST_JSON (${suite ?? "unset"})`, () => {
    for (const engine of ["interpreter", "JIT"])
        it(`passes every command (${engine})`, async () => {
            const lines: string[] = []
            const spy = vi.spyOn(console, "log").mockImplementation((s: string) => void lines.push(s))
            let code: number
            try {
                code = await main(engine === "JIT" ? ["--jit", "-v", suite] : ["-v", suite])
            } finally {
                spy.mockRestore()
            }
            expect(lines.filter(l => / [1-9]\d* failed/.test(l) || l.startsWith("  FAIL"))).toEqual([])
            expect(code).toBe(0)
        }, 600_000)
})
