// The module contract of sdk/wasi/wasi.wasm, read from the committed binary: it imports only
// env.memory (minimum 0 pages) and the natives (wasmlet.console_write/args_count/args_copy/
// proc_exit, env.clock), exports every wasi_snapshot_preview1 function with the witx signature,
// has no data segments, no start function, no table, and one global (the PRNG state, the only
// one written; the shadow stack pointer is gone). With clang installed: a program that takes
// every __wasi_* function of wasi-libc links against the adapter's exports on both engines, and
// a rebuild gives the same bytes. Also prints the sizes (wasm, device image).
import { describe, it, expect } from "vitest"
import { execFileSync, spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { compileToImage } from "../../compiler/index"
import { loadModule } from "../../compiler/load-module"
import type { WasmModule } from "../../compiler/wasm-types"
import { loadImage, instantiate, FuncRef, ExternKind, Memory, Arena, ARENA_PAGE, HostFunc } from "../../interpreter/index"
import { wasiWasm, wasiImage, makeAdapter, buildWasi, haveClang, NO_CLANG, importOwnMemoryBinary } from "./harness"

/** wasi_snapshot_preview1 (witx) as core Wasm types: i = i32, I = i64, "params:results". */
const SIGNATURES: Record<string, string> = {
    args_get: "ii:i", args_sizes_get: "ii:i", environ_get: "ii:i", environ_sizes_get: "ii:i",
    clock_res_get: "ii:i", clock_time_get: "iIi:i",
    fd_advise: "iIIi:i", fd_allocate: "iII:i", fd_close: "i:i", fd_datasync: "i:i", fd_fdstat_get: "ii:i",
    fd_fdstat_set_flags: "ii:i", fd_fdstat_set_rights: "iII:i", fd_filestat_get: "ii:i", fd_filestat_set_size: "iI:i",
    fd_filestat_set_times: "iIIi:i", fd_pread: "iiiIi:i", fd_prestat_get: "ii:i", fd_prestat_dir_name: "iii:i",
    fd_pwrite: "iiiIi:i", fd_read: "iiii:i", fd_readdir: "iiiIi:i", fd_renumber: "ii:i", fd_seek: "iIii:i",
    fd_sync: "i:i", fd_tell: "ii:i", fd_write: "iiii:i",
    path_create_directory: "iii:i", path_filestat_get: "iiiii:i", path_filestat_set_times: "iiiiIIi:i",
    path_link: "iiiiiii:i", path_open: "iiiiiIIii:i", path_readlink: "iiiiii:i", path_remove_directory: "iii:i",
    path_rename: "iiiiii:i", path_symlink: "iiiii:i", path_unlink_file: "iii:i",
    poll_oneoff: "iiii:i", proc_exit: "i:", proc_raise: "i:i", sched_yield: ":i", random_get: "ii:i",
    sock_accept: "iii:i", sock_recv: "iiiiii:i", sock_send: "iiiii:i", sock_shutdown: "ii:i",
}

function typeString(m: WasmModule, typeIndex: number): string {
    const t = m.types[typeIndex]
    const letter = (v: number) => (v === 0x7f ? "i" : v === 0x7e ? "I" : `?${v}`)
    return t.params.map(letter).join("") + ":" + t.results.map(letter).join("")
}

/** Export name -> signature of a module's function exports. */
function exportTypes(m: WasmModule): Record<string, string> {
    const nImported = m.imports.filter((im) => im.desc.kind === "func").length
    const out: Record<string, string> = {}
    for (const e of m.exports) if (e.kind === "func") out[e.name] = typeString(m, m.funcs[e.index - nImported])
    return out
}

/** Ids of the module's sections, in order. */
function sectionIds(b: Uint8Array): number[] {
    const ids: number[] = []
    for (let at = 8; at < b.length; ) {
        ids.push(b[at++])
        let size = 0, shift = 0, x
        do {
            x = b[at++]
            size += (x & 0x7f) * 2 ** shift
            shift += 7
        } while (x & 0x80)
        at += size
    }
    return ids
}

/** Every function wasi-libc declares in <wasi/api.h> (its prototypes, not ours): all of
 * preview1 but proc_raise, which this wasi-libc (2022) no longer declares. */
const PROBE = `
#include <wasi/api.h>
#define F(name) (void *)__wasi_##name,
void *probe[] = {
    F(args_get) F(args_sizes_get) F(environ_get) F(environ_sizes_get) F(clock_res_get) F(clock_time_get)
    F(fd_advise) F(fd_allocate) F(fd_close) F(fd_datasync) F(fd_fdstat_get) F(fd_fdstat_set_flags)
    F(fd_fdstat_set_rights) F(fd_filestat_get) F(fd_filestat_set_size) F(fd_filestat_set_times) F(fd_pread)
    F(fd_prestat_get) F(fd_prestat_dir_name) F(fd_pwrite) F(fd_read) F(fd_readdir) F(fd_renumber) F(fd_seek)
    F(fd_sync) F(fd_tell) F(fd_write) F(path_create_directory) F(path_filestat_get) F(path_filestat_set_times)
    F(path_link) F(path_open) F(path_readlink) F(path_remove_directory) F(path_rename) F(path_symlink)
    F(path_unlink_file) F(poll_oneoff) F(proc_exit) F(sched_yield) F(random_get)
    F(sock_accept) F(sock_recv) F(sock_send) F(sock_shutdown)
};
int main(void) { return probe[0] == 0; }
`

describe("wasi.wasm contract", () => {
    const bytes = wasiWasm()
    const m = loadModule(bytes)

    it("imports env.memory (0 pages minimum, no maximum) and the natives, nothing else", () => {
        const imports = m.imports.map((im) => `${im.module}.${im.name}:` + (im.desc.kind === "func" ? typeString(m, im.desc.typeIndex) : im.desc.kind))
        expect(imports.sort()).toEqual([
            "env.clock::I",
            "env.memory:memory",
            "wasmlet.args_copy:ii:i",
            "wasmlet.args_count::i",
            "wasmlet.console_write:ii:",
            "wasmlet.proc_exit:i:",
        ])
        const mem = m.imports.find((im) => im.desc.kind === "memory")!.desc as { limits: { min: number; max?: number } }
        expect(mem.limits.min).toBe(0)
        expect(mem.limits.max).toBeUndefined()
    })

    it("exports every wasi_snapshot_preview1 function with its witx signature, and nothing else", () => {
        expect(m.exports.every((e) => e.kind === "func")).toBe(true)
        expect(exportTypes(m)).toEqual(SIGNATURES)
    })

    it("no data, no start function, no table; one global, the PRNG state, starting at 0", () => {
        const ids = sectionIds(bytes)
        for (const id of [4, 8, 9, 11, 12]) expect(ids, `section ${id}`).not.toContain(id) // table, start, elem, data, data count
        expect(m.datas.length).toBe(0)
        expect(m.tables.length).toBe(0)
        expect(m.start).toBeUndefined()
        expect(m.globals.length).toBe(1)
        expect(m.globals[0].type).toMatchObject({ type: 0x7e, mutable: true })
        expect(m.globals[0].init).toEqual({ op: "i64.const", lo: 0, hi: 0 })
    })

    it("writes no memory when instantiated and touches none until called", () => {
        // a memory of 0 pages: any store at instantiation would trap
        const memory = new WebAssembly.Memory({ initial: 0 })
        const noop = () => 0
        const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
            env: { memory, clock: () => 0n },
            wasmlet: { console_write: noop, args_count: noop, args_copy: noop, proc_exit: noop },
        })
        expect((inst.exports.sched_yield as () => number)()).toBe(0)
        expect((inst.exports.fd_close as (fd: number) => number)(9)).toBe(8)
    })

    it("compiles to a device image (sizes)", () => {
        const image = wasiImage()
        expect(image.length).toBeGreaterThan(0)
        // the image links and runs: one call through the interpreter
        expect(makeAdapter("wasmlet").call("fd_close", 1)).toBe(0)
        console.log(`wasi.wasm ${bytes.length} B, device image ${image.length} B`)
    })

    describe.skipIf(!haveClang)("with clang", () => {
        it("every __wasi_* function of wasi-libc links to the adapter (Node and wasmlet check the types)", () => {
            const probe = buildWasi(PROBE)
            const pm = loadModule(probe)
            const wanted = pm.imports.filter((im) => im.module === "wasi_snapshot_preview1")
            expect(wanted.map((im) => im.name).sort()).toEqual(Object.keys(SIGNATURES).filter((n) => n !== "proc_raise").sort())
            for (const im of wanted) expect(`${im.name}=${typeString(pm, (im.desc as { typeIndex: number }).typeIndex)}`).toBe(`${im.name}=${SIGNATURES[im.name]}`)
            // Node: a LinkError if any import is missing or of another type
            const rewritten = importOwnMemoryBinary(probe)
            const memory = new WebAssembly.Memory({ initial: rewritten.min })
            const noop = () => 0
            const adapter = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
                env: { memory, clock: () => 0n },
                wasmlet: { console_write: noop, args_count: noop, args_copy: noop, proc_exit: noop },
            })
            expect(() => new WebAssembly.Instance(new WebAssembly.Module(rewritten.wasm), { env: { memory }, wasi_snapshot_preview1: adapter.exports })).not.toThrow()
            // wasmlet: the same through FuncRefs
            const arena = new Arena(512 * ARENA_PAGE)
            const mem = new Memory(rewritten.min, 256, arena.account("app", 512 * ARENA_PAGE))
            const ad = instantiate(loadImage(Buffer.from(wasiImage())), (mod, name, kind) => {
                if (kind === ExternKind.MEMORY) return mem
                const sig = m.imports.find((im) => im.module === mod && im.name === name)!.desc as { typeIndex: number }
                const [p, r] = typeString(m, sig.typeIndex).split(":")
                return new HostFunc(p, r, () => {})
            })
            expect(() =>
                instantiate(loadImage(Buffer.from(compileToImage(rewritten.wasm))), (mod, name, kind) => {
                    if (kind === ExternKind.MEMORY) return mem
                    const f = ad.module.findExport(name, ExternKind.FUNC)
                    return mod === "wasi_snapshot_preview1" && f >= 0 ? new FuncRef(ad, f) : null
                }),
            ).not.toThrow()
        })

        const hasObjdump = spawnSync("wasm-objdump", ["--version"], { stdio: "ignore" }).status === 0
        it.skipIf(!hasObjdump)("rebuilds to the same bytes (build.sh is deterministic and its checks pass)", () => {
            const dir = mkdtempSync(join(tmpdir(), "wasi-"))
            try {
                const out = join(dir, "wasi.wasm")
                const PATH = (process.env.PATH ?? "").split(":").filter((d) => !d.includes("node_modules")).join(":")
                execFileSync("sh", [fileURLToPath(new URL("../../sdk/wasi/build.sh", import.meta.url))], { env: { ...process.env, PATH, WASI_OUT: out }, stdio: "pipe" })
                expect(Buffer.compare(readFileSync(out), Buffer.from(bytes)), "committed wasi.wasm is the build of sdk/wasi/src").toBe(0)
            } finally {
                rmSync(dir, { recursive: true, force: true })
            }
        })
    })
})

if (!haveClang) console.warn(NO_CLANG)
