// Real programs through the JIT: the WASI bench programs of ../shared/bench/host print their
// .expected lines (CoreMark: its crc lines), and the device kernels of ../shared/bench/device
// return their checksums.
import { existsSync, readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"
import { runWasiProgramJit } from "../../host/jit/run-wasi"
import { compileJit, instantiateJit } from "../../host/jit/instance"
import { capture } from "../host/capture"

const shared = fileURLToPath(new URL("../../../shared/bench/", import.meta.url))
const hostDir = shared + "host/wasm/"
const deviceDir = shared + "device/"
const HOST = ["startup", "sensor", "fib", "sieve", "crc32", "i64", "matmul_f32", "nbody_f64", "sha256", "coremark"]

describe.skipIf(!existsSync(hostDir))("bench host programs on the JIT", () => {
    for (const name of HOST) {
        it(`${name}.wasm prints its expected lines`, () => {
            const io = capture()
            const r = runWasiProgramJit(new Uint8Array(readFileSync(hostDir + name + ".wasm")), { args: [name + ".wasm"], ...io.opts })
            expect(r.trap).toBeUndefined()
            expect(r.exitCode).toBe(0)
            const expected = readFileSync(hostDir + name + ".expected", "utf8")
            if (name === "coremark") {
                const crc = (s: string) => s.split("\n").filter(l => /crc/i.test(l))
                expect(crc(io.stdout())).toEqual(crc(expected))
                expect(crc(expected).length).toBe(5)
            } else expect(io.stdout()).toBe(expected)
        }, 30_000)
    }
})

const table = existsSync(deviceDir + "expected.tsv") ? readFileSync(deviceDir + "expected.tsv", "utf8").trim().split("\n").slice(1) : []

describe.skipIf(table.length === 0)("device benchmark kernels on the JIT", () => {
    for (const line of table) {
        const [name, , expected] = line.split("\t")
        it(`${name} returns ${expected}`, () => {
            const inst = instantiateJit(compileJit(readFileSync(`${deviceDir}wasm/${name}.wasm`)))
            const r = inst.call("run") as number | bigint
            const got = typeof r === "bigint" ? BigInt.asUintN(64, r) : r >>> 0
            expect(got.toString()).toBe(expected)
        })
    }
})
