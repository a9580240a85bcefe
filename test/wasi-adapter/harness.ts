// Test harness for sdk/wasi/wasi.wasm, the WASI preview1 adapter: one interface over two
// engines, Node's own WebAssembly (the reference for Wasm semantics) and wasmlet's interpreter
// (compileToImage + loadImage + instantiate, the engine the boards run), with JS stand-ins for
// the natives it imports (console_write, args_count/args_copy, proc_exit, env.clock). Also runs
// a WASI command module against the adapter the way the firmware will: the program's own memory
// turned into the import env.memory (importOwnMemoryBinary below), one memory for both.
import "../../interpreter/platform/node-core"
import { readFileSync, mkdtempSync, writeFileSync } from "node:fs"
import { spawnSync, execFileSync } from "node:child_process"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { compileToImage } from "../../compiler/index"
import { Arena, ARENA_PAGE, Memory, HostFunc, FuncRef, Execution, ExternKind, callSync, instantiate, loadImage } from "../../interpreter/index"
import type { Instance } from "../../interpreter/index"

export const WASI_PATH = fileURLToPath(new URL("../../sdk/wasi/wasi.wasm", import.meta.url))
export const wasiWasm = (): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(WASI_PATH))

export type EngineName = "node" | "wasmlet"
export const ENGINES: EngineName[] = ["node", "wasmlet"]

/** What the natives answer: the app's arguments and the board's clock (microseconds). */
export interface NativeOptions {
    args?: string[]
    clockUs?: () => bigint
}

/** Thrown by the proc_exit stand-in: the host ends the app there. */
export class ProcExit extends Error {
    constructor(readonly code: number) {
        super(`proc_exit(${code})`)
    }
}

/** The natives' side of an app: what it wrote, how, and how it ended. */
export interface NativeLog {
    console: string
    /** the length of every console_write call, in order */
    writes: number[]
    clockCalls: number
    exitCode: number | null
}

/** An adapter instance on a fresh memory, its exports callable directly. */
export interface AdapterHost extends NativeLog {
    readonly engine: EngineName
    /** Calls an export; i64 parameters as bigint. Returns its i32 result (0 for none). */
    call(name: string, ...args: (number | bigint)[]): number
    read(at: number, n: number): Uint8Array
    write(at: number, bytes: Uint8Array): void
    u16(at: number): number
    u32(at: number): number
    u64(at: number): bigint
}

function argBytes(args: string[]): Buffer {
    return Buffer.concat(args.map((a) => Buffer.from(a + "\0", "utf8")))
}

/** The natives as plain JS over a byte view of the memory (got fresh on each call). */
function natives(log: NativeLog, opts: NativeOptions, bytes: () => Uint8Array) {
    const args = argBytes(opts.args ?? [])
    return {
        console_write(p: number, n: number) {
            log.console += Buffer.from(bytes().subarray(p >>> 0, (p >>> 0) + (n >>> 0))).toString("utf8")
            log.writes.push(n)
        },
        args_count: () => (opts.args ?? []).length,
        args_copy(buf: number, size: number) {
            if (size >>> 0 >= args.length) bytes().set(args, buf >>> 0)
            return args.length
        },
        proc_exit(code: number): never {
            log.exitCode = code >>> 0
            throw new ProcExit(code >>> 0)
        },
        clock(): bigint {
            log.clockCalls++
            return (opts.clockUs ?? (() => 1_000_000n))()
        },
    }
}

function newLog(): NativeLog {
    return { console: "", writes: [], clockCalls: 0, exitCode: null }
}

// ---- Node's WebAssembly -----------------------------------------------------------------------

function nodeAdapter(memory: WebAssembly.Memory, log: NativeLog, opts: NativeOptions): WebAssembly.Instance {
    const n = natives(log, opts, () => new Uint8Array(memory.buffer))
    return new WebAssembly.Instance(new WebAssembly.Module(wasiWasm()), {
        env: { memory, clock: n.clock },
        wasmlet: { console_write: n.console_write, args_count: n.args_count, args_copy: n.args_copy, proc_exit: n.proc_exit },
    })
}

// ---- wasmlet's interpreter --------------------------------------------------------------------

let image: Uint8Array | undefined
/** The device image of wasi.wasm (compiled once per test file). */
export function wasiImage(): Uint8Array {
    image ??= compileToImage(wasiWasm())
    return image
}

interface WasmletWorld {
    memory: Memory
    ex: Execution
    adapter: Instance
}

function wasmletWorld(pages: number, log: NativeLog, opts: NativeOptions): WasmletWorld {
    const arena = new Arena(1024 * ARENA_PAGE)
    const account = arena.account("app", 1024 * ARENA_PAGE)
    const memory = new Memory(pages, 256, account)
    const ex = new Execution(1 << 16, 256)
    const n = natives(log, opts, () => new Uint8Array(memory.readBytes(0, memory.byteLength)))
    const i32 = (S: Buffer, at: number, k: number) => S.readInt32LE(at + k * 8)
    const host: Record<string, HostFunc> = {
        "wasmlet.console_write": new HostFunc("ii", "", (S, at) => {
            const p = i32(S, at, 0) >>> 0, len = i32(S, at, 1) >>> 0
            log.console += Buffer.from(memory.readBytes(p, len)).toString("utf8")
            log.writes.push(len)
        }),
        "wasmlet.args_count": new HostFunc("", "i", (S, at) => S.writeInt32LE(n.args_count(), at)),
        "wasmlet.args_copy": new HostFunc("ii", "i", (S, at) => {
            const buf = i32(S, at, 0) >>> 0, size = i32(S, at, 1) >>> 0
            const args = argBytes(opts.args ?? [])
            if (size >= args.length) memory.writeBytes(buf, args, 0, args.length)
            S.writeInt32LE(args.length, at)
        }),
        "wasmlet.proc_exit": new HostFunc("i", "", (S, at) => n.proc_exit(i32(S, at, 0))),
        "env.clock": new HostFunc("", "I", (S, at) => S.writeBigInt64LE(BigInt.asIntN(64, n.clock()), at)),
    }
    const adapter = instantiate(loadImage(Buffer.from(wasiImage())), (mod, name, kind) => {
        if (mod === "env" && name === "memory" && kind === ExternKind.MEMORY) return memory
        return kind === ExternKind.FUNC ? host[`${mod}.${name}`] ?? null : null
    })
    return { memory, ex, adapter }
}

function callWasmlet(w: WasmletWorld, inst: Instance, name: string, args: (number | bigint)[]): number {
    const f = inst.module.findExport(name, ExternKind.FUNC)
    if (f < 0) throw new Error(`no export ${name}`)
    args.forEach((a, i) => {
        if (typeof a === "bigint") w.ex.stack.writeBigInt64LE(BigInt.asIntN(64, a), w.ex.base + i * 8)
        else w.ex.stack.writeInt32LE(a | 0, w.ex.base + i * 8)
    })
    callSync(w.ex, inst, f)
    return w.ex.stack.readInt32LE(w.ex.base)
}

// ---- the adapter on its own -------------------------------------------------------------------

/** An adapter instance with a fresh memory of `pages`. */
export function makeAdapter(engine: EngineName, opts: NativeOptions = {}, pages = 1): AdapterHost {
    const log = newLog()
    let call: AdapterHost["call"]
    let read: AdapterHost["read"]
    let write: AdapterHost["write"]
    if (engine === "node") {
        const memory = new WebAssembly.Memory({ initial: pages })
        const inst = nodeAdapter(memory, log, opts)
        call = (name, ...args) => {
            const f = inst.exports[name] as (...a: (number | bigint)[]) => number | undefined
            if (typeof f !== "function") throw new Error(`no export ${name}`)
            return f(...args) ?? 0
        }
        read = (at, n) => new Uint8Array(memory.buffer, at, n).slice()
        write = (at, bytes) => new Uint8Array(memory.buffer).set(bytes, at)
    } else {
        const w = wasmletWorld(pages, log, opts)
        call = (name, ...args) => callWasmlet(w, w.adapter, name, args)
        read = (at, n) => new Uint8Array(w.memory.readBytes(at, n))
        write = (at, bytes) => w.memory.writeBytes(at, Buffer.from(bytes), 0, bytes.length)
    }
    const view = (at: number, n: number) => new DataView(read(at, n).buffer)
    return Object.assign(log, {
        engine,
        call,
        read,
        write,
        u16: (at: number) => view(at, 2).getUint16(0, true),
        u32: (at: number) => view(at, 4).getUint32(0, true),
        u64: (at: number) => view(at, 8).getBigUint64(0, true),
    })
}

// ---- a WASI program on the adapter ------------------------------------------------------------

function leb(n: number): number[] {
    const out: number[] = []
    do {
        let b = n & 0x7f
        n >>>= 7
        if (n) b |= 0x80
        out.push(b)
    } while (n)
    return out
}

function readLeb(b: Uint8Array, at: number): [number, number] {
    let v = 0, shift = 0
    for (;;) {
        const x = b[at++]
        v += (x & 0x7f) * 2 ** shift
        shift += 7
        if (!(x & 0x80)) return [v, at]
    }
}

/**
 * The binary rewrite the host does when it compiles a WASI app (compiler/import-memory.ts does it
 * on the decoded module): the module's one memory becomes the import env.memory with the same
 * limits, placed first among the imports. Memory index 0, every function index and the memory
 * export keep their meaning. Returns the new bytes and the memory's limits.
 */
export function importOwnMemoryBinary(wasm: Uint8Array): { wasm: Uint8Array<ArrayBuffer>; min: number; max?: number } {
    const sections: { id: number; body: Uint8Array }[] = []
    for (let at = 8; at < wasm.length; ) {
        const id = wasm[at]
        const [size, body] = readLeb(wasm, at + 1)
        sections.push({ id, body: wasm.subarray(body, body + size) })
        at = body + size
    }
    const mi = sections.findIndex((s) => s.id === 5)
    if (mi < 0) throw new Error("the module defines no memory")
    const mem = sections[mi].body
    const [count, limitsAt] = readLeb(mem, 0)
    if (count !== 1) throw new Error(`the module defines ${count} memories`)
    const limits = mem.subarray(limitsAt)
    const [min, maxAt] = readLeb(limits, 1)
    const max = limits[0] & 1 ? readLeb(limits, maxAt)[0] : undefined
    const name = (s: string) => [...leb(s.length), ...Buffer.from(s)]
    const entry = [...name("env"), ...name("memory"), 0x02, ...limits]
    sections.splice(mi, 1)
    const ii = sections.findIndex((s) => s.id === 2)
    if (ii >= 0) {
        const [n, rest] = readLeb(sections[ii].body, 0)
        sections[ii].body = new Uint8Array([...leb(n + 1), ...entry, ...sections[ii].body.subarray(rest)])
    } else {
        const after = sections.findIndex((s) => s.id !== 0 && s.id > 2)
        sections.splice(after < 0 ? sections.length : after, 0, { id: 2, body: new Uint8Array([1, ...entry]) })
    }
    const out: number[] = [...wasm.subarray(0, 8)]
    for (const s of sections) out.push(s.id, ...leb(s.body.length), ...s.body)
    return { wasm: new Uint8Array(out), min, max }
}

export interface ProgramRun extends NativeLog {
    /** what _start threw other than proc_exit, or null */
    error: unknown
}

/** Runs a WASI command module's _start against the adapter, sharing one memory. */
export function runProgram(engine: EngineName, program: Uint8Array, opts: NativeOptions = {}): ProgramRun {
    const rewritten = importOwnMemoryBinary(program)
    const log = newLog()
    let error: unknown = null
    const catchExit = (f: () => void) => {
        try {
            f()
        } catch (e) {
            if (log.exitCode === null) error = e
        }
    }
    if (engine === "node") {
        const memory = new WebAssembly.Memory({ initial: rewritten.min, ...(rewritten.max !== undefined ? { maximum: rewritten.max } : {}) })
        const adapter = nodeAdapter(memory, log, opts)
        const app = new WebAssembly.Instance(new WebAssembly.Module(rewritten.wasm), {
            env: { memory },
            wasi_snapshot_preview1: adapter.exports,
        })
        catchExit(() => (app.exports._start as () => void)())
    } else {
        const w = wasmletWorld(rewritten.min, log, opts)
        const app = instantiate(loadImage(Buffer.from(compileToImage(rewritten.wasm))), (mod, name, kind) => {
            if (mod === "env" && name === "memory" && kind === ExternKind.MEMORY) return w.memory
            if (mod === "wasi_snapshot_preview1" && kind === ExternKind.FUNC) {
                const f = w.adapter.module.findExport(name, ExternKind.FUNC)
                return f < 0 ? null : new FuncRef(w.adapter, f)
            }
            return null
        })
        catchExit(() => callWasmlet(w, app, "_start", []))
    }
    return Object.assign(log, { error })
}

// ---- building C programs ----------------------------------------------------------------------

/** clang with a wasm32-wasi sysroot and linker, or false (the tests that need it are skipped). */
export const haveClang: boolean =
    spawnSync("clang", ["--version"], { stdio: "ignore" }).status === 0 &&
    spawnSync("wasm-ld", ["--version"], { stdio: "ignore" }).status === 0

export const NO_CLANG =
    "test/wasi-adapter: clang / wasm-ld / wasi-libc not installed, the C program tests are skipped (apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32)"

/** Compiles C source with clang --target=wasm32-wasi (wasi-libc) into a temp dir; the .wasm bytes. */
export function buildWasi(source: string, flags: string[] = []): Uint8Array<ArrayBuffer> {
    const dir = mkdtempSync(join(tmpdir(), "wasi-adapter-"))
    const c = join(dir, "prog.c"), out = join(dir, "prog.wasm")
    writeFileSync(c, source)
    // without node_modules/.bin on the PATH: clang runs any wasm-opt it finds there after
    // linking (binaryen's, in JavaScript: seconds per build, and other output)
    const PATH = (process.env.PATH ?? "").split(":").filter((d) => !d.includes("node_modules")).join(":")
    execFileSync("clang", ["--target=wasm32-wasi", "-O2", ...flags, c, "-o", out], { stdio: "pipe", env: { ...process.env, PATH } })
    return new Uint8Array(readFileSync(out))
}
