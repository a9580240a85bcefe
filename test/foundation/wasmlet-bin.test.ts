// The package's bin: usage, the Node platform alias, unknown commands.
import { readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { ROOT, run } from "../../scripts/lib/devs"

const BIN = join(ROOT, "host/bin/wasmlet.mjs")

describe("host/bin/wasmlet.mjs", () => {
    test("is the package bin and executable", () => {
        const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"))
        expect(pkg.bin.wasmlet).toBe("host/bin/wasmlet.mjs")
        expect(statSync(BIN).mode & 0o111).not.toBe(0)
    })

    test("prints usage", async () => {
        const r = await run(process.execPath, [BIN, "help"], { timeoutMs: 60_000 })
        expect(r.code).toBe(0)
        expect(r.output).toMatch(/usage: wasmlet <command>/)
    })

    test("runs TypeScript from interpreter/ with @devicescript/core aliased to the Node shim, from any folder", async () => {
        const r = await run(process.execPath, [BIN, "selftest"], { cwd: "/", timeoutMs: 60_000 })
        expect(r.output).toMatch(/selftest: ok/)
        expect(r.code).toBe(0)
    })

    test("rejects an unknown command with exit code 2", async () => {
        const r = await run(process.execPath, [BIN, "no-such-command"], { timeoutMs: 60_000 })
        expect(r.code).toBe(2)
        expect(r.output).toMatch(/unknown command/)
    })
})
