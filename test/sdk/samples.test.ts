// The committed sample apps (apps/samples/): rebuilt from source they are byte for byte the
// committed .wasm; each one validates and compiles to a device image (compileToImage), and has
// exactly the imports (with the ABI's signatures) and exports it should.

import { describe, expect, it } from "vitest"
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { compileToImage } from "../../compiler/index"
import { loadModule } from "../../compiler/load-module"
import { ENV_SIGNATURES, APP_EXPORTS } from "./abi-signatures"

const REPO = join(__dirname, "../..")
const SAMPLES_DIR = join(REPO, "apps/samples")

// Every app library build imports the transaction timer's natives (on_response can re-arm it)
// and the libc the dispatch code uses (unpack, url matching, the "no handler" message).
const LIB = ["malloc", "free", "strlen", "memcmp", "puts", "wasm_timer_restart", "wasm_timer_cancel", "wasm_get_sys_tick_ms"]
const CONTAINER_WRITE = ["calloc", "memcpy", "memmove", "memset"]

const SAMPLES: Record<string, { imports: string[]; exports: string[] }> = {
    "timer/timer.wasm": { imports: [...LIB, "printf", "wasm_create_timer"], exports: APP_EXPORTS },
    "event_publisher/event_publisher.wasm": {
        imports: [...LIB, ...CONTAINER_WRITE, "wasm_create_timer", "wasm_post_request"],
        exports: APP_EXPORTS,
    },
    "event_subscriber/event_subscriber.wasm": {
        // strdup/strcmp: the subscription list; printf/putchar: attr_container_dump
        imports: [...LIB, "printf", "putchar", "strdup", "strcmp", "wasm_sub_event"],
        exports: APP_EXPORTS,
    },
    "request_handler/request_handler.wasm": {
        imports: [...LIB, ...CONTAINER_WRITE, "printf", "putchar", "strdup", "strcmp", "wasm_register_resource", "wasm_response_send"],
        exports: APP_EXPORTS,
    },
    "request_sender/request_sender.wasm": {
        imports: [...LIB, "printf", "putchar", "memcpy", "wasm_create_timer", "wasm_post_request"],
        exports: APP_EXPORTS,
    },
    "sensor_filter/sensor_filter.wasm": {
        imports: [...LIB, "printf", "putchar", "wasm_sensor_open", "wasm_sensor_config", "wasm_sensor_close"],
        exports: APP_EXPORTS,
    },
    // the plain C program with the SDK: libc imported, main exported as WAMR's hello-world does
    "wasi_hello/hello.sdk.wasm": {
        imports: ["puts", "printf", "malloc", "free"],
        exports: ["memory", "__heap_base", "__data_end", "__main_argc_argv"],
    },
}

const WASI_HELLO = "wasi_hello/hello.wasi.wasm"

function haveToolchain(): boolean {
    return ["clang", "wasm-ld"].every((t) => spawnSync(t, ["--version"], { stdio: "ignore" }).status === 0)
}

function signature(m: ReturnType<typeof loadModule>, typeIndex: number): string {
    const t = m.types[typeIndex]
    const name = (v: number) => ({ 0x7f: "i32", 0x7e: "i64", 0x7d: "f32", 0x7c: "f64" })[v] ?? String(v)
    return `${t.params.map(name).join(",")}->${t.results.map(name).join(",")}`
}

const read = (rel: string) => new Uint8Array(readFileSync(join(SAMPLES_DIR, rel)))

describe("C sample apps", () => {
    const toolchain = haveToolchain()
    if (!toolchain) console.warn("test/sdk: clang / wasm-ld not installed, the rebuild comparison is skipped (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)")

    it.skipIf(!toolchain)("rebuild from source byte for byte (apps/samples/build.sh)", () => {
        const out = mkdtempSync(join(tmpdir(), "wasmlet-samples-"))
        try {
            execFileSync(join(SAMPLES_DIR, "build.sh"), [out], { stdio: "pipe" })
            for (const rel of [...Object.keys(SAMPLES), WASI_HELLO]) {
                const rebuilt = new Uint8Array(readFileSync(join(out, rel)))
                expect(Buffer.compare(rebuilt, read(rel)), `${rel} differs from its rebuild`).toBe(0)
            }
        } finally {
            rmSync(out, { recursive: true, force: true })
        }
    })

    for (const [rel, want] of Object.entries(SAMPLES)) {
        it(`${rel}: validates, compiles to an image, imports and exports exactly what it should`, () => {
            const wasm = read(rel)
            const m = loadModule(wasm)
            expect(compileToImage(wasm).length).toBeGreaterThan(wasm.length / 2)

            for (const imp of m.imports) {
                expect(imp.module, `${imp.name} comes from env`).toBe("env")
                expect(imp.desc.kind, `${imp.name} is a function`).toBe("func")
                if (imp.desc.kind === "func") expect(signature(m, imp.desc.typeIndex), imp.name).toBe(ENV_SIGNATURES[imp.name])
            }
            expect(m.imports.map((i) => i.name).sort()).toEqual([...want.imports].sort())
            expect(m.exports.map((e) => e.name).sort()).toEqual([...want.exports].sort())

            // §1: one page of memory, no maximum; __heap_base above __data_end plus the 4 KB stack
            expect(m.memories).toEqual([{ min: 1 }])
            const global = (name: string) => {
                const e = m.exports.find((x) => x.name === name)!
                expect(e.kind).toBe("global")
                const init = m.globals[e.index].init
                return init.op === "i32.const" ? init.value : NaN
            }
            expect(global("__heap_base") - global("__data_end")).toBeGreaterThanOrEqual(4096)
            for (const e of m.exports.filter((x) => x.name.startsWith("on_")))
                expect(m.types[m.funcs[e.index - m.imports.length]].results, `${e.name} returns nothing`).toEqual([])
        })
    }

    // (image sizes follow the compiler, which others change: those are not checked here)
    it("apps/samples/README.md gives each sample's current .wasm size", () => {
        const readme = readFileSync(join(SAMPLES_DIR, "README.md"), "utf8")
        const n = (t: string) => Number(t.replace(/,/g, ""))
        const rows = [...readme.matchAll(/^\| ([\w/.]+) \| ([\d,]+) \| [^|]* \| ([\d,]+) \| ([\d,]+) \|$/gm)]
        expect(rows.length).toBe(8)
        for (const [, name, wasmSize] of rows) {
            const rel = name.includes("/") ? name : `${name}/${name}.wasm`
            expect(n(wasmSize), rel).toBe(read(rel).length)
        }
    })

    it(`${WASI_HELLO}: a WASI command with wasi-libc inside (no env imports)`, () => {
        const wasm = read(WASI_HELLO)
        const m = loadModule(wasm)
        expect(compileToImage(wasm).length).toBeGreaterThan(wasm.length)
        expect(new Set(m.imports.map((i) => i.module))).toEqual(new Set(["wasi_snapshot_preview1"]))
        expect(m.imports.map((i) => i.name).sort()).toEqual(
            ["args_get", "args_sizes_get", "fd_close", "fd_fdstat_get", "fd_seek", "fd_write", "proc_exit"],
        )
        expect(m.exports.map((e) => e.name).sort()).toEqual(["_start", "memory"])
    })
})
