// A minimal wasi_snapshot_preview1 for command programs on the Node-hosted engine: enough for
// wasi-libc programs that print results (../shared/bench/host). No files, no preopens:
//   fd_write (stdout, stderr), fd_close, fd_seek, fd_fdstat_get, fd_prestat_get (no preopens),
//   proc_exit, args_get / args_sizes_get, environ_get / environ_sizes_get (empty),
//   clock_time_get / clock_res_get, random_get, sched_yield.
//
// Each function reads its parameters from raw 8-byte slots S at `at` and writes its result (an
// errno, i32) to the first slot: the interpreter's calling convention, which `resolve` hands over
// as HostFuncs; the JIT adapts `func(name)` to its own (host/jit/wasi.ts). Guest memory is anything
// with the WasiMemory methods (the interpreter's Memory, the JIT's JitMemory). Guest pointers are
// checked against the memory's size; a bad pointer gives EFAULT, not a trap.

import { randomFillSync } from "node:crypto"
import { writeSync } from "node:fs"
import { ExternKind, HostFunc, Instance } from "../../interpreter/index"
import type { Extern } from "../../interpreter/index"

export const WASI_MODULE = "wasi_snapshot_preview1"

export const enum Errno {
    SUCCESS = 0,
    BADF = 8,
    FAULT = 21,
    INVAL = 28,
    NOSYS = 52,
    SPIPE = 70,
}

const FILETYPE_CHARACTER_DEVICE = 2
/** Rights of the standard streams: fd_read, fd_write, fd_fdstat_set_flags, poll_fd_readwrite (no seek/tell: a tty). */
const STDIO_RIGHTS = (1n << 1n) | (1n << 6n) | (1n << 3n) | (1n << 27n)

/** proc_exit unwinds the Wasm call with this (the engine reports it as a trap; exitCode tells). */
export class ProcExit extends Error {
    constructor(public readonly code: number) {
        super(`wasi proc_exit(${code})`)
        this.name = "ProcExit"
    }
}

export interface WasiOptions {
    /** argv, program name first. */
    args?: string[]
    /** Where fd 1 and fd 2 go (default: the process's stdout and stderr). */
    stdout?: (bytes: Uint8Array) => void
    stderr?: (bytes: Uint8Array) => void
}

/** The memory operations WASI uses (addresses already checked): n = 1, 2 zero-extended, 4 signed. */
export interface WasiMemory {
    readonly byteLength: number
    load(ea: number, n: number): number
    store(ea: number, n: number, v: number): void
    loadByte(ea: number): number
    storeByte(ea: number, v: number): void
    writeBytes(ea: number, src: Buffer, srcOff: number, n: number): void
}

/** One WASI function on raw slots (see above); params/results as value-type letters (HostFunc's). */
export interface WasiFunc {
    params: string
    results: string
    call(S: Buffer, at: number, mem: WasiMemory): void
}

class Fault extends Error {}

function checked(mem: WasiMemory, addr: number, n: number): number {
    if (mem === null) throw new Fault("no memory")
    const a = addr >>> 0
    if (a + n > mem.byteLength) throw new Fault("out of range")
    return a
}

function readU32(mem: WasiMemory, addr: number): number {
    return mem.load(checked(mem, addr, 4), 4) >>> 0
}

function writeU32(mem: WasiMemory, addr: number, v: number): void {
    mem.store(checked(mem, addr, 4), 4, v | 0)
}

function writeU64(mem: WasiMemory, addr: number, v: bigint): void {
    const a = checked(mem, addr, 8)
    mem.store(a, 4, Number(BigInt.asIntN(32, v)))
    mem.store(a + 4, 4, Number(BigInt.asIntN(32, v >> 32n)))
}

function writeU16(mem: WasiMemory, addr: number, v: number): void {
    const a = checked(mem, addr, 2)
    mem.storeByte(a, v & 0xff)
    mem.storeByte(a + 1, (v >> 8) & 0xff)
}

function readBytes(mem: WasiMemory, addr: number, n: number): Buffer {
    const a = checked(mem, addr, n)
    const out = Buffer.alloc(n)
    for (let k = 0; k < n; k++) out[k] = mem.loadByte(a + k)
    return out
}

function writeBytes(mem: WasiMemory, addr: number, bytes: Uint8Array): void {
    const a = checked(mem, addr, bytes.length)
    mem.writeBytes(a, Buffer.from(bytes), 0, bytes.length)
}

export class Wasi {
    readonly args: string[]
    /** Set by proc_exit. */
    exitCode: number = undefined
    private readonly out: ((bytes: Uint8Array) => void)[]
    private readonly funcs = new Map<string, WasiFunc>()
    private readonly t0 = process.hrtime.bigint()

    constructor(opts: WasiOptions = {}) {
        this.args = opts.args ?? ["prog"]
        this.out = [null, opts.stdout ?? (b => writeSync(1, b)), opts.stderr ?? (b => writeSync(2, b))]
        this.define()
    }

    /** Import resolver for the engine: wasi_snapshot_preview1 functions, nothing else. */
    resolve = (module: string, name: string, kind: number): Extern => {
        if (module !== WASI_MODULE || kind !== ExternKind.FUNC) return null
        const f = this.funcs.get(name)
        return f ? new HostFunc(f.params, f.results, (S: Buffer, at: number, caller: Instance) => f.call(S, at, caller.memory)) : null
    }

    /** A wasi_snapshot_preview1 function by name, for engines with their own calling convention. */
    func(name: string): WasiFunc | undefined {
        return this.funcs.get(name)
    }

    private def(name: string, params: string, results: string, body: (S: Buffer, at: number, mem: WasiMemory) => number | void): void {
        this.funcs.set(name, {
            params,
            results,
            call: (S: Buffer, at: number, mem: WasiMemory) => {
                let r: number
                try {
                    r = (body(S, at, mem) as number) ?? Errno.SUCCESS
                } catch (e) {
                    if (!(e instanceof Fault)) throw e
                    r = Errno.FAULT
                }
                if (results.length > 0) S.writeInt32LE(r, at)
            },
        })
    }

    private define(): void {
        const i32 = (S: Buffer, at: number, k: number) => S.readInt32LE(at + k * 8)
        const u32 = (S: Buffer, at: number, k: number) => S.readUInt32LE(at + k * 8)

        this.def("fd_write", "iiii", "i", (S, at, mem) => {
            const fd = i32(S, at, 0)
            const iovs = u32(S, at, 1)
            const n = u32(S, at, 2)
            const nwritten = u32(S, at, 3)
            if (fd !== 1 && fd !== 2) return Errno.BADF
            const parts: Buffer[] = []
            let total = 0
            for (let k = 0; k < n; k++) {
                const base = readU32(mem, iovs + k * 8)
                const len = readU32(mem, iovs + k * 8 + 4)
                parts.push(readBytes(mem, base, len))
                total += len
            }
            writeU32(mem, nwritten, total)
            if (total > 0) this.out[fd](Buffer.concat(parts, total))
        })
        this.def("fd_close", "i", "i", (S, at) => (isStdio(i32(S, at, 0)) ? Errno.SUCCESS : Errno.BADF))
        this.def("fd_seek", "iIii", "i", (S, at) => (isStdio(i32(S, at, 0)) ? Errno.SPIPE : Errno.BADF))
        this.def("fd_fdstat_get", "ii", "i", (S, at, mem) => {
            if (!isStdio(i32(S, at, 0))) return Errno.BADF
            const p = u32(S, at, 1)
            checked(mem, p, 24)
            mem.storeByte(p, FILETYPE_CHARACTER_DEVICE)
            mem.storeByte(p + 1, 0)
            writeU16(mem, p + 2, 0)
            writeU32(mem, p + 4, 0)
            writeU64(mem, p + 8, STDIO_RIGHTS)
            writeU64(mem, p + 16, 0n)
        })
        // No preopened directories: libc's preopen scan stops at the first EBADF.
        this.def("fd_prestat_get", "ii", "i", () => Errno.BADF)
        this.def("fd_prestat_dir_name", "iii", "i", () => Errno.BADF)
        this.def("proc_exit", "i", "", (S, at) => {
            this.exitCode = i32(S, at, 0)
            throw new ProcExit(this.exitCode)
        })
        const strings = (list: string[]) => list.map(s => Buffer.from(s + "\0", "utf8"))
        const sizes = (list: string[]) => (S: Buffer, at: number, mem: WasiMemory) => {
            const bufs = strings(list)
            writeU32(mem, u32(S, at, 0), bufs.length)
            writeU32(mem, u32(S, at, 1), bufs.reduce((a, b) => a + b.length, 0))
        }
        const fill = (list: string[]) => (S: Buffer, at: number, mem: WasiMemory) => {
            let ptrs = u32(S, at, 0)
            let buf = u32(S, at, 1)
            for (const b of strings(list)) {
                writeU32(mem, ptrs, buf)
                writeBytes(mem, buf, b)
                ptrs += 4
                buf += b.length
            }
        }
        this.def("args_sizes_get", "ii", "i", sizes(this.args))
        this.def("args_get", "ii", "i", fill(this.args))
        this.def("environ_sizes_get", "ii", "i", sizes([]))
        this.def("environ_get", "ii", "i", fill([]))
        this.def("clock_time_get", "iIi", "i", (S, at, mem) => {
            const id = i32(S, at, 0)
            let ns: bigint
            if (id === 0) ns = BigInt(Date.now()) * 1_000_000n // realtime
            else if (id >= 1 && id <= 3) ns = process.hrtime.bigint() - this.t0 // monotonic, process and thread CPU time
            else return Errno.INVAL
            writeU64(mem, u32(S, at, 2), ns)
        })
        this.def("clock_res_get", "ii", "i", (S, at, mem) => {
            const id = i32(S, at, 0)
            if (id < 0 || id > 3) return Errno.INVAL
            writeU64(mem, u32(S, at, 1), 1000n)
        })
        this.def("random_get", "ii", "i", (S, at, mem) => {
            const n = u32(S, at, 1)
            writeBytes(mem, u32(S, at, 0), randomFillSync(Buffer.alloc(n)))
        })
        this.def("sched_yield", "", "i", () => Errno.SUCCESS)
    }
}

function isStdio(fd: number): boolean {
    return fd >= 0 && fd <= 2
}
