// Builds a one-file C app with the SDK (sdk/c/wasmlet-cc) for a test, in a temporary folder.
// node_modules/.bin is left off PATH: binaryen's wasm-opt there (from assemblyscript) would
// change clang's output.
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const WASMLET_CC = join(import.meta.dirname, "../../sdk/c/wasmlet-cc")
export const haveClang = spawnSync("clang", ["--version"]).status === 0

export function buildCApp(src: string): Uint8Array {
    const dir = mkdtempSync(join(tmpdir(), "wasmlet-c-app-"))
    try {
        writeFileSync(join(dir, "app.c"), src)
        const PATH = (process.env.PATH ?? "").split(":").filter(p => !p.includes("node_modules")).join(":")
        execFileSync(WASMLET_CC, ["-o", join(dir, "app.wasm"), join(dir, "app.c")], { env: { ...process.env, PATH } })
        return readFileSync(join(dir, "app.wasm"))
    } finally {
        rmSync(dir, { recursive: true, force: true })
    }
}
