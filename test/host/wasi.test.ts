// `wasmlet run`: WASI command programs on the Node-hosted engine. The fast benchmark programs of
// ../shared/bench/host (beside the repo) must print exactly their .expected lines; the WASI calls
// themselves are checked on small hand-written programs, on the interpreter and on the JIT
// (test/jit/programs.test.ts runs the slower bench programs on the JIT).
import { existsSync, readFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { watToWasm } from "../engine/helpers"
import { runWasiProgram as runOnInterpreter } from "../../host/wasi/run"
import { runWasiProgramJit } from "../../host/jit/run-wasi"
import { capture } from "./capture"

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..")
const BENCH = join(ROOT, "../shared/bench/host/wasm")
const haveBench = existsSync(BENCH)

describe.skipIf(!haveBench)("bench host programs (../shared/bench/host)", () => {
    // The quick ones (well under a few seconds on the Node-hosted engine).
    for (const name of ["startup", "sensor"]) {
        it(`${name}.wasm prints its expected checksum lines`, () => {
            const io = capture()
            const r = runOnInterpreter(new Uint8Array(readFileSync(join(BENCH, name + ".wasm"))), { args: [name], ...io.opts })
            expect(r.trap).toBeUndefined()
            expect(r.exitCode).toBe(0)
            expect(io.stdout()).toBe(readFileSync(join(BENCH, name + ".expected"), "utf8"))
        }, 120_000)
    }
})

if (!haveBench) {
    describe("bench host programs", () => {
        it.skip(`skipped: ${BENCH} is absent (shared/ must sit beside the repo as ../shared)`, () => {})
    })
}

for (const [engine, runWasiProgram] of [["interpreter", runOnInterpreter], ["JIT", runWasiProgramJit]] as const) {
    describe(`minimal wasi_snapshot_preview1 (${engine})`, () => {
        const prelude = `
          (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "environ_sizes_get" (func $environ_sizes_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_fdstat_get" (func $fd_fdstat_get (param i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_seek" (func $fd_seek (param i32 i64 i32 i32) (result i32)))
          (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
          (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
          (memory (export "memory") 1)`

        it("writes iovecs to stdout and stderr, and reports the bytes written", async () => {
            const wasm = await watToWasm(`(module ${prelude}
              (data (i32.const 100) "hello, ")
              (data (i32.const 120) "world\\n")
              (data (i32.const 140) "oops\\n")
              (func (export "_start")
                ;; iovecs at 0: {100, 7}, {120, 6}
                (i32.store (i32.const 0) (i32.const 100)) (i32.store (i32.const 4) (i32.const 7))
                (i32.store (i32.const 8) (i32.const 120)) (i32.store (i32.const 12) (i32.const 6))
                (if (call $fd_write (i32.const 1) (i32.const 0) (i32.const 2) (i32.const 16)) (then unreachable))
                (if (i32.ne (i32.load (i32.const 16)) (i32.const 13)) (then unreachable))
                (i32.store (i32.const 0) (i32.const 140)) (i32.store (i32.const 4) (i32.const 5))
                (if (call $fd_write (i32.const 2) (i32.const 0) (i32.const 1) (i32.const 16)) (then unreachable))
                ;; a bad fd gives EBADF (8), a bad pointer EFAULT (21), not a trap
                (if (i32.ne (call $fd_write (i32.const 7) (i32.const 0) (i32.const 1) (i32.const 16)) (i32.const 8)) (then unreachable))
                (if (i32.ne (call $fd_write (i32.const 1) (i32.const 65534) (i32.const 1) (i32.const 16)) (i32.const 21)) (then unreachable))))`)
            const io = capture()
            const r = runWasiProgram(wasm, io.opts)
            expect(r.trap).toBeUndefined()
            expect(io.stdout()).toBe("hello, world\n")
            expect(io.stderr()).toBe("oops\n")
            expect(r.exitCode).toBe(0)
        })

        it("passes arguments, an empty environment, a running clock, stdio as a character device; proc_exit sets the exit code", async () => {
            const wasm = await watToWasm(`(module ${prelude}
              (func (export "_start") (local $t0 i64)
                (drop (call $args_sizes_get (i32.const 0) (i32.const 4)))
                ;; argc = 3 ("prog", "a", "bc"), buffer = 5 + 2 + 3 = 10
                (if (i32.ne (i32.load (i32.const 0)) (i32.const 3)) (then (call $proc_exit (i32.const 10))))
                (if (i32.ne (i32.load (i32.const 4)) (i32.const 10)) (then (call $proc_exit (i32.const 11))))
                (drop (call $args_get (i32.const 16) (i32.const 64)))
                ;; argv[2] points at "bc"
                (if (i32.ne (i32.load16_u (i32.load (i32.const 24))) (i32.const 0x6362)) (then (call $proc_exit (i32.const 12))))
                (drop (call $environ_sizes_get (i32.const 0) (i32.const 4)))
                (if (i32.or (i32.load (i32.const 0)) (i32.load (i32.const 4))) (then (call $proc_exit (i32.const 13))))
                (if (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 200)) (then (call $proc_exit (i32.const 14))))
                (local.set $t0 (i64.load (i32.const 200)))
                (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 200)))
                (if (i64.lt_u (i64.load (i32.const 200)) (local.get $t0)) (then (call $proc_exit (i32.const 15))))
                (if (call $fd_fdstat_get (i32.const 1) (i32.const 300)) (then (call $proc_exit (i32.const 16))))
                (if (i32.ne (i32.load8_u (i32.const 300)) (i32.const 2)) (then (call $proc_exit (i32.const 17))))
                (if (i32.ne (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 0)) (i32.const 70)) (then (call $proc_exit (i32.const 18))))
                (if (call $fd_close (i32.const 1)) (then (call $proc_exit (i32.const 19))))
                (call $proc_exit (i32.const 42))
                unreachable))`)
            const r = runWasiProgram(wasm, { args: ["prog", "a", "bc"], ...capture().opts })
            expect(r.trap).toBeUndefined()
            expect(r.exitCode).toBe(42)
        })

        it("reports a trap with exit code 1", async () => {
            const wasm = await watToWasm(`(module ${prelude} (func (export "_start") unreachable))`)
            const r = runWasiProgram(wasm, capture().opts)
            expect(r.exitCode).toBe(1)
            expect(r.trap).toBe("unreachable")
        })
    })
}
