// The module contract of sdk/libc/libc.wasm (framework/README.md, "libc module contract"),
// read from the committed binary: it imports only env.memory (minimum 0 pages) and
// wasmlet.console_write, exports exactly WAMR's libc-builtin set with WAMR's i32 signatures
// plus __wasmlet_libc_init, has no data segments and no start function, and never touches its
// shadow stack (the only global it writes is its state pointer). When clang is installed, a
// rebuild gives the same bytes. Also prints the sizes (wasm, device image).
import { describe, it, expect } from "vitest"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import initWabt from "wabt"
import { libcWasm, libcImage } from "./libc-host"

/** Export name -> [parameters, results], all i32 (WAMR's libc-builtin signatures). */
const SIGNATURES: Record<string, [number, number]> = {
    printf: [2, 1], vprintf: [2, 1], sprintf: [3, 1], vsprintf: [3, 1], snprintf: [4, 1], vsnprintf: [4, 1], puts: [1, 1], putchar: [1, 1],
    memcmp: [3, 1], memcpy: [3, 1], memmove: [3, 1], memset: [3, 1], memchr: [3, 1],
    strlen: [1, 1], strcmp: [2, 1], strncmp: [3, 1], strcpy: [2, 1], strncpy: [3, 1], strchr: [2, 1], strstr: [2, 1], strspn: [2, 1], strcspn: [2, 1],
    strdup: [1, 1], _strdup: [1, 1], strncasecmp: [3, 1], atoi: [1, 1], strtol: [3, 1], strtoul: [3, 1],
    malloc: [1, 1], calloc: [2, 1], realloc: [2, 1], free: [1, 0],
    isupper: [1, 1], isalpha: [1, 1], isspace: [1, 1], isgraph: [1, 1], isprint: [1, 1], isdigit: [1, 1], isxdigit: [1, 1], isalnum: [1, 1], tolower: [1, 1], toupper: [1, 1],
    __wasmlet_libc_init: [2, 1],
}

async function wat(bytes: Uint8Array): Promise<string> {
    const wabt = await initWabt()
    const mod = wabt.readWasm(bytes, { readDebugNames: true, bulk_memory: true, sign_extension: true, mutable_globals: true })
    mod.applyNames()
    try {
        return mod.toText({ foldExprs: false })
    } finally {
        mod.destroy()
    }
}

/** Ids of the module's sections, in order. */
function sectionIds(b: Uint8Array): number[] {
    const ids: number[] = []
    let at = 8
    const leb = () => {
        let v = 0, shift = 0, x
        do {
            x = b[at++]
            v |= (x & 0x7f) << shift
            shift += 7
        } while (x & 0x80)
        return v >>> 0
    }
    while (at < b.length) {
        ids.push(b[at++])
        const size = leb()
        at += size
    }
    return ids
}

describe("libc.wasm contract", () => {
    const bytes = libcWasm()

    it("imports env.memory (0 pages minimum) and wasmlet.console_write only", async () => {
        const mod = new WebAssembly.Module(bytes)
        expect(WebAssembly.Module.imports(mod).map((i) => `${i.module}.${i.name}:${i.kind}`).sort()).toEqual(["env.memory:memory", "wasmlet.console_write:function"])
        const text = await wat(bytes)
        expect(text).toMatch(/\(import "env" "memory" \(memory \(;0;\) 0\)\)/)
        expect(text).toMatch(/\(import "wasmlet" "console_write" \(func \$console_write \(type \d+\)\)\)/)
    })

    it("exports WAMR's libc-builtin set with its signatures, and nothing else", async () => {
        const mod = new WebAssembly.Module(bytes)
        const exports = WebAssembly.Module.exports(mod)
        expect(exports.map((e) => e.name).sort()).toEqual(Object.keys(SIGNATURES).sort())
        expect(exports.every((e) => e.kind === "function")).toBe(true)
        const text = await wat(bytes)
        const types = new Map<string, string>()
        for (const m of text.matchAll(/\(type \(;(\d+);\) \(func(.*)\)\)/g)) types.set(m[1], m[2])
        for (const [name, [params, results]] of Object.entries(SIGNATURES)) {
            const fn = new RegExp(`\\(export "${name}" \\(func \\$?([\\w.]+)`).exec(text)
            expect(fn, name).not.toBeNull()
            const def = new RegExp(`\\(func \\$${fn[1].replace(".", "\\.")} \\(type (\\d+)\\)`).exec(text)
            const sig = types.get(def[1])
            const want = (params ? ` (param${" i32".repeat(params)})` : "") + (results ? " (result i32)" : "")
            expect(sig, name).toBe(want)
        }
    })

    it("has no data segments, no start function, and never uses a shadow stack", async () => {
        const ids = sectionIds(bytes)
        expect(ids).not.toContain(11) // data
        expect(ids).not.toContain(12) // data count
        expect(ids).not.toContain(8) // start
        expect(ids).not.toContain(4) // table: instantiation makes nothing but the one global
        expect(ids).not.toContain(5) // memory of its own
        const text = await wat(bytes)
        const sets = [...text.matchAll(/global\.set (\S+)/g)].map((m) => m[1])
        expect(new Set(sets)).toEqual(new Set(["$__wasmlet_libc_state"]))
        expect(text).not.toMatch(/global\.get \$__stack_pointer/)
        // one global, the state pointer, 0 until init runs
        expect([...text.matchAll(/^\s*\(global /gm)].length).toBe(1)
        expect(text).toMatch(/\(global \$__wasmlet_libc_state \(mut i32\) \(i32\.const 0\)\)/)
    })

    it("compiles to a device image (sizes)", () => {
        const image = libcImage()
        expect(image.length).toBeGreaterThan(0)
        console.log(`libc.wasm ${bytes.length} B, device image ${image.length} B`)
    })

    const hasClang = (() => {
        try {
            execFileSync("clang", ["--version"], { stdio: "ignore" })
            execFileSync("wasm-objdump", ["--version"], { stdio: "ignore" })
            return true
        } catch {
            return false
        }
    })()
    it.skipIf(!hasClang)("rebuilds to the same bytes (build.sh is deterministic and its checks pass)", () => {
        const dir = mkdtempSync(join(tmpdir(), "libc-"))
        try {
            const out = join(dir, "libc.wasm")
            execFileSync("sh", [fileURLToPath(new URL("../../sdk/libc/build.sh", import.meta.url))], { env: { ...process.env, LIBC_OUT: out }, stdio: "pipe" })
            expect(Buffer.compare(readFileSync(out), Buffer.from(bytes)), "committed libc.wasm is the build of sdk/libc/src").toBe(0)
        } finally {
            rmSync(dir, { recursive: true, force: true })
        }
    })
    it.skipIf(!hasClang)("printf-reference.json is what printf-reference.c prints with the host's glibc", () => {
        const dir = mkdtempSync(join(tmpdir(), "libc-ref-"))
        try {
            const exe = join(dir, "ref")
            execFileSync("clang", ["-O1", "-w", "-o", exe, fileURLToPath(new URL("./printf-reference.c", import.meta.url))])
            const now = execFileSync(exe, { maxBuffer: 1 << 24 }).toString()
            expect(now === readFileSync(new URL("./printf-reference.json", import.meta.url), "utf8")).toBe(true)
        } finally {
            rmSync(dir, { recursive: true, force: true })
        }
    })
})
