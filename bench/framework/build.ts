// The apps of the framework benchmarks, made on the host: the fw_* apps (bench/framework/apps,
// C built with sdk/c/wasmlet-cc) and the samples (apps/samples, the committed .wasm), each
// compiled to a device image with compileAppImage as `wasmlet run` and the firmware do.
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { delimiter, join } from "node:path"
import { spawnSync } from "node:child_process"
import { compileAppImage } from "../../host/run/app-images"
import { ROOT } from "../../scripts/lib/devs"
import { PAIR, TRIO } from "./scenarios"

export const BENCH_APPS = ["fw_tick", "fw_print", "fw_ping", "fw_pong", "fw_pub", "fw_sub"]
export const SAMPLES = [...TRIO, ...PAIR]

/** The scenarios (scenarios.ts benchScenarios) and the apps each one installs. */
export const SCENARIO_APPS: Record<string, string[]> = {
    timer: ["fw_tick"],
    printf: ["fw_print"],
    request: ["fw_ping", "fw_pong"],
    events1: ["fw_pub", "fw_sub"],
    events3: ["fw_pub", "fw_sub"],
    "arena-trio": TRIO,
    "arena-pair": PAIR,
}
const APPS_DIR = join(ROOT, "bench/framework/apps")
const CC = join(ROOT, "sdk/c/wasmlet-cc")

export interface BuiltApp {
    name: string
    wasmBytes: number
    image: Uint8Array
}

/**
 * Builds the fw_* apps (-Oz, as the samples): `defines` go to every one (PRINTS, ROUNDS).
 * node_modules/.bin leaves PATH: binaryen's wasm-opt there would change clang's output.
 */
export function buildBenchApps(defines: Record<string, number>): BuiltApp[] {
    const tmp = mkdtempSync(join(tmpdir(), "wasmlet-fwbench-"))
    const path = (process.env.PATH ?? "").split(delimiter).filter(p => !p.includes("node_modules")).join(delimiter)
    try {
        return BENCH_APPS.map(name => {
            const out = join(tmp, name + ".wasm")
            const args = ["-Oz", ...Object.entries(defines).map(([k, v]) => `-D${k}=${v}`), "-o", out, join(APPS_DIR, name + ".c")]
            const r = spawnSync(CC, args, { encoding: "utf8", env: { ...process.env, PATH: path } })
            if (r.status !== 0) throw new Error(`wasmlet-cc ${name}: ${r.error?.message ?? ""}${r.stderr}`)
            const wasm = readFileSync(out)
            return { name, wasmBytes: wasm.length, image: compileAppImage(wasm).image }
        })
    } finally {
        rmSync(tmp, { recursive: true, force: true })
    }
}

/** The sample apps the footprint measurement installs. */
export function sampleApps(): BuiltApp[] {
    return SAMPLES.map(name => {
        const wasm = readFileSync(join(ROOT, "apps/samples", name, name + ".wasm"))
        return { name, wasmBytes: wasm.length, image: compileAppImage(wasm).image }
    })
}
