// `wasmlet run` as a user runs it (node host/bin/wasmlet.mjs run ...): several apps together with
// their lines prefixed, exit codes (a WASI command's own, a trap 1, a module that does not validate
// 1 with the validator's message, a usage error 2), --invoke, --for, on the JIT, on the framework
// (--interp) and once inside the DeviceScript simulator (--sim, slow).
import { describe, expect, it, beforeAll } from "vitest"
import { execFile } from "node:child_process"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { compileApp } from "../../compiler/index"
import { watToWasm } from "../engine/helpers"

const ROOT = join(import.meta.dirname, "../..")
const CLI = join(ROOT, "host/bin/wasmlet.mjs")
const SAMPLES = join(ROOT, "apps/samples")
const sample = (name: string) => join(SAMPLES, name, name + ".wasm")

interface Run {
    code: number
    stdout: string
    stderr: string
}

function wasmlet(args: string[], timeoutMs = 60_000): Promise<Run> {
    return new Promise(resolve => {
        execFile(process.execPath, [CLI, "run", ...args], { cwd: ROOT, timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
            const code = err ? (typeof (err as any).code === "number" ? (err as any).code : -1) : 0
            resolve({ code, stdout, stderr })
        })
    })
}

const lines = (s: string) => s.split("\n").filter(l => l !== "")

// WASI commands: prints "hi <argc>" and exits 3; traps; a plain module with an export
const EXIT3 = `(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fw (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $asg (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 100) "hi ?\\n")
  (func (export "_start")
    (drop (call $asg (i32.const 0) (i32.const 4)))
    (i32.store8 (i32.const 103) (i32.add (i32.const 48) (i32.load (i32.const 0))))
    (i32.store (i32.const 16) (i32.const 100))
    (i32.store (i32.const 20) (i32.const 5))
    (drop (call $fw (i32.const 1) (i32.const 16) (i32.const 1) (i32.const 24)))
    (call $exit (i32.const 3))))`
const TRAP = `(module
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (func (export "_start") unreachable))`
const ANSWER = `(module
  (func (export "answer") (result i32) (i32.const 42))
  (func (export "_start")))`
const INVALID = `(module (func (export "f") (result i32) (i64.const 0)))`

let dir: string
const file = (name: string) => join(dir, name)

beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wasmlet-run-cli-"))
    for (const [name, src] of [["exit3.wasm", EXIT3], ["trap.wasm", TRAP], ["answer.wasm", ANSWER], ["bad.wasm", INVALID]])
        writeFileSync(join(dir, name), await watToWasm(src))
})

describe("wasmlet run", () => {
    it("a WASI command's exit code and output, on the JIT and on the framework (--interp)", async () => {
        for (const opt of [[], ["--interp"]]) {
            const r = await wasmlet([...opt, file("exit3.wasm"), "--", "x", "y"])
            expect(r.code, `${opt} ${r.stderr}`).toBe(3)
            expect(r.stdout).toBe("hi 3\n")
        }
    })

    it("a trap is exit 1, with the trap on stderr", async () => {
        for (const opt of [[], ["--interp"]]) {
            const r = await wasmlet([...opt, file("trap.wasm")])
            expect(r.code).toBe(1)
            expect(r.stderr).toContain("unreachable")
            expect(r.stdout).toBe("")
        }
    })

    it("a module that does not validate is exit 1 with the validator's message; usage errors are exit 2", async () => {
        let message = ""
        try {
            compileApp(await watToWasm(INVALID))
        } catch (e: any) {
            message = e.message
        }
        expect(message).toMatch(/type mismatch/)
        const bad = await wasmlet([file("bad.wasm")])
        expect(bad.code).toBe(1)
        expect(bad.stderr.trim()).toBe(`wasmlet run: bad: ${message}`)
        for (const args of [["--bogus", file("exit3.wasm")], [], ["--for", "soon", file("exit3.wasm")], [file("exit3.wasm"), `exit3=${file("exit3.wasm")}`]]) {
            const r = await wasmlet(args)
            expect(r.code, args.join(" ")).toBe(2)
            expect(r.stderr).toContain("usage: wasmlet run")
        }
        const help = await wasmlet(["--help"])
        expect(help.code).toBe(0)
        expect(help.stdout).toContain("usage: wasmlet run")
    })

    it("--invoke calls an export and prints its result, on both engines; a missing export is exit 1", async () => {
        for (const opt of [[], ["--interp"]]) {
            const r = await wasmlet([...opt, "--invoke", "answer", file("answer.wasm")])
            expect(r.code, r.stderr).toBe(0)
            expect(r.stdout).toBe("42\n")
        }
        const missing = await wasmlet(["--interp", "--invoke", "nothing", file("answer.wasm")])
        expect(missing.code).toBe(1)
        expect(missing.stderr).toContain("nothing")
    })

    it("several apps run together, each line prefixed with its app; --for stops them with exit 0", async () => {
        const t0 = Date.now()
        const r = await wasmlet(["--for", "2500", sample("timer"), sample("event_publisher"), sample("event_subscriber")])
        const ms = Date.now() - t0
        expect(r.code, r.stderr).toBe(0)
        expect(ms).toBeGreaterThanOrEqual(2500)
        const out = lines(r.stdout)
        for (const l of out) expect(l).toMatch(/^\[(timer|event_publisher|event_subscriber)\] /)
        expect(out.filter(l => l.startsWith("[timer] Timer update "))).toEqual(["[timer] Timer update 0", "[timer] Timer update 1"])
        expect(out.filter(l => l === "[event_subscriber] ### user over heat event handler called").length).toBe(2)
        // names given on the command line, and one app alone: no prefix
        const one = await wasmlet(["--for", "1500", `clock=${sample("timer")}`])
        expect(one.code).toBe(0)
        expect(lines(one.stdout)).toEqual(["Timer update 0"])
    })

    it("--sim: timer, publisher and subscriber inside the DeviceScript simulator, prefixed lines", async () => {
        const r = await wasmlet(["--sim", "--for", "2500", sample("timer"), sample("event_publisher"), sample("event_subscriber")], 300_000)
        expect(r.code, r.stderr).toBe(0)
        const out = lines(r.stdout)
        for (const l of out) expect(l).toMatch(/^\[(timer|event_publisher|event_subscriber)\] /)
        const timer = out.filter(l => l.startsWith("[timer] Timer update "))
        expect(timer.length).toBeGreaterThanOrEqual(1)
        timer.forEach((l, i) => expect(l).toBe(`[timer] Timer update ${i}`))
        expect(out.filter(l => l === "[event_subscriber] ### user over heat event handler called").length).toBeGreaterThanOrEqual(1)
    }, 300_000)
})
