// The WASI preview1 subset for command modules (module wasi_snapshot_preview1): fd_write of the
// standard streams to the app's console, fd_fdstat_get, fd_seek, fd_close and fd_prestat_get with
// the errnos a file-less system gives, clocks, random_get, args and environ, proc_exit.
// wasi-libc's start-up code calls several of these before main().
import { Trap } from "../interpreter/index"
import { arg, checked, readGuest, setI64 } from "./guest"
import type { Runtime } from "./runtime"

const W = "wasi_snapshot_preview1."
const ESUCCESS = 0
const EBADF = 8
const ESPIPE = 70

function ret(S: Buffer, at: number, v: number): void {
    S.setAt(at, "i32", v)
}

/** Nanoseconds for ms, as an i64 at ptr. */
function writeNs(mem: any, ptr: number, ms: number): void {
    const ns = ms * 1000000
    const hi = Math.floor(ns / 4294967296)
    setI64(mem, ptr, (ns - hi * 4294967296) | 0, hi)
}

/** argv or environ: the count and total bytes (sizes), or the pointers and strings (get). */
function strings(S: Buffer, at: number, mem: any, list: string[], sizes: boolean): void {
    let p0 = arg(S, at, 0)
    let p1 = arg(S, at, 1)
    let total = 0
    for (let i = 0; i < list.length; i++) {
        const b = Buffer.from(list[i] + "\u0000")
        if (!sizes) {
            mem.store(checked(mem, p0 + i * 4, 4), 4, p1 + total)
            mem.writeBytes(checked(mem, p1 + total, b.length), b, 0, b.length)
        }
        total += b.length
    }
    if (sizes) {
        mem.store(checked(mem, p0, 4), 4, list.length)
        mem.store(checked(mem, p1, 4), 4, total)
    }
    ret(S, at, ESUCCESS)
}

export function defineWasi(rt: Runtime): void {
    rt.def(W + "fd_write", "iiii", "i", (S, at, app) => {
        const fd = arg(S, at, 0)
        const mem = app.memory
        if (fd !== 1 && fd !== 2) {
            ret(S, at, EBADF)
            return
        }
        const iovs = arg(S, at, 1)
        let n = 0
        for (let i = 0; i < arg(S, at, 2); i++) {
            const io = checked(mem, iovs + i * 8, 8)
            const len = mem.load(io + 4, 4)
            rt.write(app, readGuest(mem, mem.load(io, 4), len).toString())
            n += len >>> 0
        }
        mem.store(checked(mem, arg(S, at, 3), 4), 4, n)
        ret(S, at, ESUCCESS)
    })
    rt.def(W + "fd_read", "iiii", "i", (S, at, app) => {
        // stdin is empty: end of file
        if (arg(S, at, 0) !== 0) return ret(S, at, EBADF)
        app.memory.store(checked(app.memory, arg(S, at, 3), 4), 4, 0)
        ret(S, at, ESUCCESS)
    })
    rt.def(W + "fd_fdstat_get", "ii", "i", (S, at, app) => {
        const fd = arg(S, at, 0)
        if (fd < 0 || fd > 2) return ret(S, at, EBADF)
        // filetype character device, no flags, rights: fd_read or fd_write (no seek: a tty)
        const b = Buffer.alloc(24)
        b[0] = 2
        b[8] = fd === 0 ? 2 : 64
        app.memory.writeBytes(checked(app.memory, arg(S, at, 1), 24), b, 0, 24)
        ret(S, at, ESUCCESS)
    })
    rt.def(W + "fd_seek", "iIii", "i", (S, at) => {
        const fd = arg(S, at, 0)
        ret(S, at, fd >= 0 && fd <= 2 ? ESPIPE : EBADF)
    })
    rt.def(W + "fd_close", "i", "i", (S, at) => {
        const fd = arg(S, at, 0)
        ret(S, at, fd >= 0 && fd <= 2 ? ESUCCESS : EBADF)
    })
    // no preopened directories: wasi-libc asks fd 3, 4, … until EBADF
    rt.def(W + "fd_prestat_get", "ii", "i", (S, at) => ret(S, at, EBADF))
    rt.def(W + "fd_prestat_dir_name", "iii", "i", (S, at) => ret(S, at, EBADF))
    rt.def(W + "clock_time_get", "iIi", "i", (S, at, app) => {
        writeNs(app.memory, arg(S, at, 2), rt.clock.now())
        ret(S, at, ESUCCESS)
    })
    rt.def(W + "clock_res_get", "ii", "i", (S, at, app) => {
        writeNs(app.memory, arg(S, at, 1), 1)
        ret(S, at, ESUCCESS)
    })
    rt.def(W + "random_get", "ii", "i", (S, at, app) => {
        const p = checked(app.memory, arg(S, at, 0), arg(S, at, 1))
        for (let i = 0; i < arg(S, at, 1); i++) app.memory.storeByte(p + i, Math.floor(Math.random() * 256))
        ret(S, at, ESUCCESS)
    })
    rt.def(W + "args_sizes_get", "ii", "i", (S, at, app) => strings(S, at, app.memory, app.args, true))
    rt.def(W + "args_get", "ii", "i", (S, at, app) => strings(S, at, app.memory, app.args, false))
    rt.def(W + "environ_sizes_get", "ii", "i", (S, at, app) => strings(S, at, app.memory, [], true))
    rt.def(W + "environ_get", "ii", "i", (S, at, app) => strings(S, at, app.memory, [], false))
    rt.def(W + "sched_yield", "", "i", (S, at) => ret(S, at, ESUCCESS))
    rt.def(W + "proc_exit", "i", "", (S, at, app) => {
        app.exitCode = arg(S, at, 0) >>> 0
        throw new Trap(`proc_exit(${app.exitCode})`)
    })
}
