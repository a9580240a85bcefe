// Runs decode + validate over the official WebAssembly spec testsuite, converted with wast2json.
// The suite is NOT part of the repo: point WASM_SPEC_JSON at a directory of wast2json output
// (default /tmp/wast-json); without it this suite is skipped.
//
//   test/compiler/make-spec-json.sh PATH/TO/testsuite /tmp/wast-json
//
// Checks: every `module` must load; `assert_malformed` (binary) must throw WasmDecodeError;
// `assert_invalid` must throw WasmValidationError. Modules that use SIMD are counted as skipped.
// Reason texts are compared as prefixes (as the reference interpreter does) and reported.

import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { loadModule } from "../../compiler/load-module"
import { WasmDecodeError, WasmValidationError } from "../../compiler/wasm-types"

const dir = process.env.WASM_SPEC_JSON ?? "/tmp/wast-json"
const present = existsSync(dir) && readdirSync(dir).some((f) => f.endsWith(".json"))

interface Command {
    type: string
    line: number
    filename?: string
    text?: string
    module_type?: string
}

describe.skipIf(!present)("spec testsuite (wast2json output in " + dir + ")", () => {
    it("decodes and validates every binary module as the spec requires", () => {
        const failures: string[] = []
        const messageMismatches: string[] = []
        const counts = { modules: 0, malformed: 0, invalid: 0, simdSkipped: 0, malformedAsInvalid: 0 }
        for (const file of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
            if (file.startsWith("simd_")) continue
            const script = JSON.parse(readFileSync(join(dir, file), "utf8")) as { commands: Command[] }
            for (const cmd of script.commands) {
                let kind = cmd.type
                if (kind === "assert_unlinkable" || kind === "assert_uninstantiable") kind = "module" // valid, fail later
                if (kind !== "module" && kind !== "assert_malformed" && kind !== "assert_invalid") continue
                if (cmd.module_type === "text" || !cmd.filename || !cmd.filename.endsWith(".wasm")) continue
                const where = `${file}:${cmd.line}`
                const bytes = new Uint8Array(readFileSync(join(dir, cmd.filename)))
                let error: unknown
                try {
                    loadModule(bytes)
                } catch (e) {
                    error = e
                }
                const reason = error instanceof WasmDecodeError || error instanceof WasmValidationError ? error.reason : String(error)
                if (error && /SIMD/.test(reason)) {
                    counts.simdSkipped++
                    continue
                }
                if (kind === "module") {
                    counts.modules++
                    if (error) failures.push(`${where}: valid module rejected: ${error}`)
                    continue
                }
                if (kind === "assert_malformed") {
                    counts.malformed++
                    if (error instanceof WasmValidationError) counts.malformedAsInvalid++
                    else if (!(error instanceof WasmDecodeError)) {
                        failures.push(`${where}: malformed module ${error ? "threw " + error : "accepted"} (expected "${cmd.text}")`)
                        continue
                    }
                } else {
                    counts.invalid++
                    if (!(error instanceof WasmValidationError)) {
                        failures.push(`${where}: invalid module ${error ? "threw " + error : "accepted"} (expected "${cmd.text}")`)
                        continue
                    }
                }
                if (cmd.text && !reason.startsWith(cmd.text)) messageMismatches.push(`${where}: expected "${cmd.text}", got "${reason}"`)
            }
        }
        const report = [
            `counts: ${JSON.stringify(counts)}`,
            `failures: ${failures.length}`,
            ...failures,
            `message mismatches: ${messageMismatches.length}`,
            ...messageMismatches,
        ].join("\n")
        writeFileSync("/tmp/spec-testsuite-report.txt", report + "\n")
        console.log(report.split("\n").slice(0, 60).join("\n"))
        expect(failures).toEqual([])
    })
})
