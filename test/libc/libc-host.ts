// Test harness for sdk/libc/libc.wasm: one interface over two engines, Node's own WebAssembly
// (quick, and the reference for Wasm semantics) and wasmlet's (compileToImage + loadImage +
// instantiate, the engine the boards run, with an interpreter Memory made here), so every libc
// test can run on both. Also lays out clang's wasm32 varargs blocks and C strings.
import "../../interpreter/platform/node-core"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { compileToImage } from "../../compiler/index"
import { Arena, ARENA_PAGE, Memory, HostFunc, Execution, ExternKind, callSync, instantiate, loadImage } from "../../interpreter/index"
import type { Instance } from "../../interpreter/index"

export const LIBC_PATH = fileURLToPath(new URL("../../sdk/libc/libc.wasm", import.meta.url))
export const libcWasm = (): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(LIBC_PATH))

export interface LibcHost {
    readonly engine: string
    call(name: string, ...args: number[]): number
    read(at: number, n: number): Uint8Array
    write(at: number, bytes: Uint8Array): void
    /** Bytes of the memory now. */
    memoryBytes(): number
    /** Everything console_write received, and how many calls it took. */
    console: string
    consoleCalls: number
}

export type EngineName = "node" | "wasmlet"
export const ENGINES: EngineName[] = ["node", "wasmlet"]

/** A libc instance with a fresh memory of `pages` (growable to maxPages). Not initialised. */
export function makeHost(engine: EngineName, pages = 2, maxPages = pages): LibcHost {
    return engine === "node" ? nodeHost(pages, maxPages) : wasmletHost(pages, maxPages)
}

/** On Node's engine; `bytes`: another build of the module (an instrumented one). */
export function nodeHost(pages: number, maxPages: number, bytes: Uint8Array<ArrayBuffer> = libcWasm()): LibcHost & { instance: WebAssembly.Instance } {
    const memory = new WebAssembly.Memory({ initial: pages, maximum: maxPages })
    const host: LibcHost & { instance: WebAssembly.Instance } = {
        instance: null,
        engine: "node",
        console: "",
        consoleCalls: 0,
        call: (name, ...args) => {
            const f = instance.exports[name] as (...a: number[]) => number
            if (typeof f !== "function") throw new Error(`no export ${name}`)
            return f(...args) ?? 0
        },
        read: (at, n) => new Uint8Array(memory.buffer, at, n).slice(),
        write: (at, bytes) => new Uint8Array(memory.buffer).set(bytes, at),
        memoryBytes: () => memory.buffer.byteLength,
    }
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
        env: { memory },
        wasmlet: {
            console_write(p: number, n: number) {
                host.console += Buffer.from(memory.buffer, p, n).toString("latin1")
                host.consoleCalls++
            },
        },
    })
    host.instance = instance
    return host
}

let image: Uint8Array | undefined
/** The device image of libc.wasm (compiled once per test file). */
export function libcImage(): Uint8Array {
    image ??= compileToImage(libcWasm())
    return image
}

function wasmletHost(pages: number, maxPages: number): LibcHost {
    const arena = new Arena(512 * ARENA_PAGE)
    const account = arena.account("app", 512 * ARENA_PAGE)
    const memory = new Memory(pages, maxPages, account)
    const ex = new Execution(1 << 16, 256)
    let inst: Instance
    const host: LibcHost = {
        engine: "wasmlet",
        console: "",
        consoleCalls: 0,
        call: (name, ...args) => {
            const f = inst.module.findExport(name, ExternKind.FUNC)
            if (f < 0) throw new Error(`no export ${name}`)
            args.forEach((a, i) => ex.stack.writeInt32LE(a | 0, ex.base + i * 8))
            callSync(ex, inst, f)
            return ex.stack.readInt32LE(ex.base)
        },
        read: (at, n) => new Uint8Array(memory.readBytes(at, n)),
        write: (at, bytes) => memory.writeBytes(at, Buffer.from(bytes), 0, bytes.length),
        memoryBytes: () => memory.byteLength,
    }
    const consoleWrite = new HostFunc("ii", "", (S: Buffer, at: number) => {
        host.console += Buffer.from(memory.readBytes(S.readInt32LE(at), S.readInt32LE(at + 8))).toString("latin1")
        host.consoleCalls++
    })
    inst = instantiate(loadImage(Buffer.from(libcImage())), (mod, name, kind) => {
        if (mod === "env" && name === "memory" && kind === ExternKind.MEMORY) return memory
        if (mod === "wasmlet" && name === "console_write" && kind === ExternKind.FUNC) return consoleWrite
        return null
    })
    return host
}

// ---- memory helpers -------------------------------------------------------------------------

export function u32(host: LibcHost, at: number): number {
    return new DataView(host.read(at, 4).buffer).getUint32(0, true)
}

export function setU32(host: LibcHost, at: number, v: number): void {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, v >>> 0, true)
    host.write(at, b)
}

/** Writes s (latin1) and a NUL at `at`; returns at. */
export function putString(host: LibcHost, at: number, s: string): number {
    const b = Buffer.from(s + "\0", "latin1")
    host.write(at, new Uint8Array(b))
    return at
}

export function getString(host: LibcHost, at: number, max = 65536): string {
    const b = host.read(at, Math.min(max, host.memoryBytes() - at))
    const end = b.indexOf(0)
    return Buffer.from(b.subarray(0, end < 0 ? b.length : end)).toString("latin1")
}

/** A varargs value as clang passes it on wasm32. */
export type VaArg =
    | { i32: number } // int, unsigned, char, pointer, long, size_t: 4 bytes
    | { i64: bigint } // long long: 8 bytes, 8-aligned
    | { f64: number } // float and double (as double): 8 bytes, 8-aligned
    | { f64bits: bigint }

/** Writes an argument block at `at` (8-aligned) the way clang lays it out; returns its size. */
export function putVarargs(host: LibcHost, at: number, args: VaArg[]): number {
    const buf = new DataView(new ArrayBuffer(args.length * 16 + 8))
    let off = 0
    for (const a of args) {
        if ("i32" in a) {
            off = (off + 3) & ~3
            buf.setInt32(off, a.i32 | 0, true)
            off += 4
        } else {
            off = (off + 7) & ~7
            if ("i64" in a) buf.setBigInt64(off, BigInt.asIntN(64, a.i64), true)
            else if ("f64" in a) buf.setFloat64(off, a.f64, true)
            else buf.setBigUint64(off, a.f64bits, true)
            off += 8
        }
    }
    host.write(at, new Uint8Array(buf.buffer, 0, off))
    return off
}

/** Memory layout the tests use: strings and argument blocks low, the heap above HEAP_BASE. */
export const FMT_AT = 1024
export const VA_AT = 4096
export const STR_AT = 6144
export const DST_AT = 12288
export const HEAP_BASE = 20480

/** A host with its heap initialised over [HEAP_BASE, memory end). */
export function initHost(engine: EngineName, pages = 2, maxPages = pages): LibcHost {
    const host = makeHost(engine, pages, maxPages)
    const r = host.call("__wasmlet_libc_init", HEAP_BASE, pages * 65536)
    if (r !== 0) throw new Error(`__wasmlet_libc_init: ${r}`)
    return host
}
