// sdk/wasi/wasi.wasm export by export, called directly on both engines: what each writes into
// the app's memory and which errno it returns (bad descriptors, no preopens, unknown clocks,
// the streams' stat and rights), the PRNG against a JS SplitMix64, args from the natives, and
// traps on out-of-range pointers.
import { describe, it, expect } from "vitest"
import { ENGINES, makeAdapter, AdapterHost, ProcExit } from "./harness"

const E = { SUCCESS: 0, BADF: 8, INVAL: 28, NODEV: 43, NOSYS: 52, NOTDIR: 54, NOTSOCK: 57, NOTSUP: 58, SPIPE: 70 }
const RIGHT = { READ: 1n << 1n, SEEK: 1n << 2n, TELL: 1n << 5n, WRITE: 1n << 6n }
const OUT = 1024 // results
const IOV = 2048 // iovec arrays
const DATA = 4096 // bytes the iovecs point at
const SENTINEL = 0xa5a5a5a5

function setU32(h: AdapterHost, at: number, v: number): void {
    const b = new Uint8Array(4)
    new DataView(b.buffer).setUint32(0, v >>> 0, true)
    h.write(at, b)
}

function setU64(h: AdapterHost, at: number, v: bigint): void {
    const b = new Uint8Array(8)
    new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v), true)
    h.write(at, b)
}

/** Fills [at, at+n) with 0xa5 so a test can tell what a call wrote. */
function poison(h: AdapterHost, at: number, n: number): void {
    h.write(at, new Uint8Array(n).fill(0xa5))
}

const untouched = (h: AdapterHost, at: number, n: number) => expect([...h.read(at, n)]).toEqual(new Array(n).fill(0xa5))

/** ciovecs {buf, len} for the strings, laid out at IOV with their bytes at DATA. */
function iovecs(h: AdapterHost, parts: string[]): number {
    let d = DATA
    parts.forEach((p, i) => {
        const b = Buffer.from(p)
        h.write(d, b)
        setU32(h, IOV + i * 8, d)
        setU32(h, IOV + i * 8 + 4, b.length)
        d += b.length
    })
    return parts.length
}

/** The adapter's generator, written from its description: SplitMix64, seeded clock ^ K on first use, one word per 8 bytes or part of them. */
function splitmix(seedUs: bigint) {
    let s = BigInt.asUintN(64, seedUs ^ 0x5deece66d2545f49n)
    const M = (x: bigint) => BigInt.asUintN(64, x)
    return (len: number): number[] => {
        const out: number[] = []
        while (out.length < len) {
            s = M(s + 0x9e3779b97f4a7c15n)
            let z = s
            z = M((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n)
            z = M((z ^ (z >> 27n)) * 0x94d049bb133111ebn)
            z ^= z >> 31n
            for (let k = 0; k < 8 && out.length < len; k++) out.push(Number((z >> BigInt(8 * k)) & 0xffn))
        }
        return out
    }
}

describe.each(ENGINES)("WASI adapter exports (%s)", (engine) => {
    it("fd_write: fd 1 and 2 go to the console, one call per non-empty iovec; other fds EBADF", () => {
        const h = makeAdapter(engine)
        for (const fd of [1, 2]) {
            const n = iovecs(h, ["hello, ", "", "wasi", "\n"])
            setU32(h, OUT, SENTINEL)
            expect(h.call("fd_write", fd, IOV, n, OUT)).toBe(E.SUCCESS)
            expect(h.u32(OUT)).toBe(12)
        }
        expect(h.console).toBe("hello, wasi\nhello, wasi\n")
        expect(h.writes).toEqual([7, 4, 1, 7, 4, 1])
        // no iovecs: nothing written, nwritten 0
        setU32(h, OUT, SENTINEL)
        expect(h.call("fd_write", 1, IOV, 0, OUT)).toBe(E.SUCCESS)
        expect(h.u32(OUT)).toBe(0)
        for (const fd of [0, 3, 4, 100, -1]) {
            poison(h, OUT, 4)
            expect(h.call("fd_write", fd, IOV, iovecs(h, ["x"]), OUT)).toBe(E.BADF)
            untouched(h, OUT, 4)
        }
        expect(h.writes.length).toBe(6)
    })

    it("fd_read: fd 0 is at end of file (nread 0), every other fd EBADF", () => {
        const h = makeAdapter(engine)
        setU32(h, IOV, DATA)
        setU32(h, IOV + 4, 16)
        poison(h, DATA, 16)
        setU32(h, OUT, SENTINEL)
        expect(h.call("fd_read", 0, IOV, 1, OUT)).toBe(E.SUCCESS)
        expect(h.u32(OUT)).toBe(0)
        untouched(h, DATA, 16)
        for (const fd of [1, 2, 3, 7]) {
            poison(h, OUT, 4)
            expect(h.call("fd_read", fd, IOV, 1, OUT)).toBe(E.BADF)
            untouched(h, OUT, 4)
        }
    })

    it("fd_fdstat_get: the streams are character devices with a tty's rights; other fds EBADF", () => {
        const h = makeAdapter(engine)
        for (const fd of [0, 1, 2]) {
            poison(h, OUT, 24)
            expect(h.call("fd_fdstat_get", fd, OUT)).toBe(E.SUCCESS)
            expect(h.read(OUT, 1)[0]).toBe(2) // CHARACTER_DEVICE
            expect(h.u16(OUT + 2)).toBe(0) // no fdflags
            const base = h.u64(OUT + 8)
            expect(base & RIGHT.READ).toBe(fd === 0 ? RIGHT.READ : 0n)
            expect(base & RIGHT.WRITE).toBe(fd === 0 ? 0n : RIGHT.WRITE)
            // no seek or tell: wasi-libc's isatty() needs that
            expect(base & (RIGHT.SEEK | RIGHT.TELL)).toBe(0n)
            expect(h.u64(OUT + 16)).toBe(0n)
        }
        poison(h, OUT, 24)
        expect(h.call("fd_fdstat_get", 3, OUT)).toBe(E.BADF)
        untouched(h, OUT, 24)
    })

    it("fd_filestat_get: the streams are character devices; other fds EBADF", () => {
        const h = makeAdapter(engine)
        for (const fd of [0, 1, 2]) {
            poison(h, OUT, 64)
            expect(h.call("fd_filestat_get", fd, OUT)).toBe(E.SUCCESS)
            expect(h.read(OUT + 16, 1)[0]).toBe(2)
            expect(h.u64(OUT + 24)).toBe(1n) // nlink
            expect(h.u64(OUT + 32)).toBe(0n) // size
            expect(h.u64(OUT + 56)).toBe(0n) // ctim
        }
        poison(h, OUT, 64)
        expect(h.call("fd_filestat_get", 5, OUT)).toBe(E.BADF)
        untouched(h, OUT, 64)
    })

    it("positions, close, flags, sync: the answers of a terminal; EBADF past fd 2", () => {
        const h = makeAdapter(engine)
        poison(h, OUT, 8)
        for (const fd of [0, 1, 2]) {
            expect(h.call("fd_seek", fd, 0n, 0, OUT)).toBe(E.SPIPE)
            expect(h.call("fd_tell", fd, OUT)).toBe(E.SPIPE)
            expect(h.call("fd_pread", fd, IOV, 0, 0n, OUT)).toBe(E.SPIPE)
            expect(h.call("fd_pwrite", fd, IOV, 0, 5n, OUT)).toBe(E.SPIPE)
            expect(h.call("fd_advise", fd, 0n, 10n, 0)).toBe(E.SPIPE)
            expect(h.call("fd_allocate", fd, 0n, 10n)).toBe(E.NODEV)
            expect(h.call("fd_sync", fd)).toBe(E.INVAL)
            expect(h.call("fd_datasync", fd)).toBe(E.INVAL)
            expect(h.call("fd_filestat_set_size", fd, 0n)).toBe(E.INVAL)
            expect(h.call("fd_filestat_set_times", fd, 0n, 0n, 0)).toBe(E.NOTSUP)
            expect(h.call("fd_fdstat_set_rights", fd, 0n, 0n)).toBe(E.NOTSUP)
            expect(h.call("fd_readdir", fd, DATA, 64, 0n, OUT)).toBe(E.NOTDIR)
            expect(h.call("fd_fdstat_set_flags", fd, 0b10101)).toBe(E.SUCCESS) // append, nonblock, sync
            expect(h.call("fd_fdstat_set_flags", fd, 0x20)).toBe(E.INVAL) // no such flag
            expect(h.call("fd_close", fd)).toBe(E.SUCCESS)
        }
        expect(h.call("fd_renumber", 1, 2)).toBe(E.NOTSUP)
        for (const fd of [3, 4, 64, -1]) {
            expect(h.call("fd_seek", fd, 0n, 0, OUT)).toBe(E.BADF)
            expect(h.call("fd_tell", fd, OUT)).toBe(E.BADF)
            expect(h.call("fd_pread", fd, IOV, 0, 0n, OUT)).toBe(E.BADF)
            expect(h.call("fd_pwrite", fd, IOV, 0, 0n, OUT)).toBe(E.BADF)
            expect(h.call("fd_advise", fd, 0n, 0n, 0)).toBe(E.BADF)
            expect(h.call("fd_allocate", fd, 0n, 0n)).toBe(E.BADF)
            expect(h.call("fd_sync", fd)).toBe(E.BADF)
            expect(h.call("fd_datasync", fd)).toBe(E.BADF)
            expect(h.call("fd_filestat_set_size", fd, 0n)).toBe(E.BADF)
            expect(h.call("fd_filestat_set_times", fd, 0n, 0n, 0)).toBe(E.BADF)
            expect(h.call("fd_fdstat_set_rights", fd, 0n, 0n)).toBe(E.BADF)
            expect(h.call("fd_fdstat_set_flags", fd, 0)).toBe(E.BADF)
            expect(h.call("fd_readdir", fd, DATA, 64, 0n, OUT)).toBe(E.BADF)
            expect(h.call("fd_close", fd)).toBe(E.BADF)
            expect(h.call("fd_renumber", fd, 1)).toBe(E.BADF)
            expect(h.call("fd_renumber", 1, fd)).toBe(E.BADF)
        }
        untouched(h, OUT, 8)
    })

    it("no preopens: fd_prestat_get and fd_prestat_dir_name are EBADF for every fd", () => {
        const h = makeAdapter(engine)
        poison(h, OUT, 8)
        for (const fd of [0, 1, 2, 3, 4, 5, 1000]) {
            expect(h.call("fd_prestat_get", fd, OUT)).toBe(E.BADF)
            expect(h.call("fd_prestat_dir_name", fd, OUT, 8)).toBe(E.BADF)
        }
        untouched(h, OUT, 8)
    })

    it("paths and sockets: ENOTDIR / ENOTSOCK on the streams, EBADF elsewhere, nothing written", () => {
        const h = makeAdapter(engine)
        h.write(DATA, Buffer.from("a.txt"))
        poison(h, OUT, 64)
        const pathCalls: [string, (fd: number) => (number | bigint)[]][] = [
            ["path_open", (fd) => [fd, 1, DATA, 5, 1, 0x3fffffffn, 0x3fffffffn, 0, OUT]],
            ["path_create_directory", (fd) => [fd, DATA, 5]],
            ["path_remove_directory", (fd) => [fd, DATA, 5]],
            ["path_unlink_file", (fd) => [fd, DATA, 5]],
            ["path_filestat_get", (fd) => [fd, 1, DATA, 5, OUT]],
            ["path_filestat_set_times", (fd) => [fd, 1, DATA, 5, 0n, 0n, 0]],
            ["path_readlink", (fd) => [fd, DATA, 5, OUT, 64, OUT + 60]],
            ["path_symlink", (fd) => [DATA, 5, fd, DATA, 5]],
            ["path_link", (fd) => [fd, 0, DATA, 5, fd, DATA, 5]],
            ["path_rename", (fd) => [fd, DATA, 5, fd, DATA, 5]],
        ]
        for (const [name, args] of pathCalls) {
            for (const fd of [0, 1, 2]) expect(h.call(name, ...args(fd)), `${name}(${fd})`).toBe(E.NOTDIR)
            for (const fd of [3, 9]) expect(h.call(name, ...args(fd)), `${name}(${fd})`).toBe(E.BADF)
        }
        // two directories: EBADF when either is not open
        expect(h.call("path_link", 1, 0, DATA, 5, 3, DATA, 5)).toBe(E.BADF)
        expect(h.call("path_rename", 3, DATA, 5, 1, DATA, 5)).toBe(E.BADF)
        for (const fd of [0, 1, 2]) {
            expect(h.call("sock_accept", fd, 0, OUT)).toBe(E.NOTSOCK)
            expect(h.call("sock_recv", fd, IOV, 0, 0, OUT, OUT + 4)).toBe(E.NOTSOCK)
            expect(h.call("sock_send", fd, IOV, 0, 0, OUT)).toBe(E.NOTSOCK)
            expect(h.call("sock_shutdown", fd, 3)).toBe(E.NOTSOCK)
        }
        expect(h.call("sock_accept", 3, 0, OUT)).toBe(E.BADF)
        expect(h.call("sock_recv", 4, IOV, 0, 0, OUT, OUT + 4)).toBe(E.BADF)
        expect(h.call("sock_send", 5, IOV, 0, 0, OUT)).toBe(E.BADF)
        expect(h.call("sock_shutdown", 6, 3)).toBe(E.BADF)
        untouched(h, OUT, 64)
    })

    it("clocks: all four ids read env.clock in ns, resolution 1 us; an unknown id is EINVAL", () => {
        let us = 1_234_567_890_123n
        const h = makeAdapter(engine, { clockUs: () => us })
        for (const id of [0, 1, 2, 3]) {
            poison(h, OUT, 8)
            expect(h.call("clock_time_get", id, 1n, OUT)).toBe(E.SUCCESS)
            expect(h.u64(OUT)).toBe(us * 1000n)
            us += 17n
            poison(h, OUT, 8)
            expect(h.call("clock_res_get", id, OUT)).toBe(E.SUCCESS)
            expect(h.u64(OUT)).toBe(1000n)
        }
        const calls = h.clockCalls
        for (const id of [4, 5, 0x7fffffff, -1]) {
            poison(h, OUT, 8)
            expect(h.call("clock_time_get", id, 0n, OUT)).toBe(E.INVAL)
            expect(h.call("clock_res_get", id, OUT)).toBe(E.INVAL)
            untouched(h, OUT, 8)
        }
        expect(h.clockCalls).toBe(calls)
        // unaligned result pointers are fine
        expect(h.call("clock_time_get", 1, 0n, OUT + 3)).toBe(E.SUCCESS)
        expect(h.u64(OUT + 3)).toBe(us * 1000n)
    })

    it("random_get: SplitMix64 seeded once from env.clock, any length, the tail of a word dropped", () => {
        const seed = 987_654_321n
        const h = makeAdapter(engine, { clockUs: () => seed })
        const ref = splitmix(seed)
        for (const len of [13, 8, 1, 0, 3, 40, 7]) {
            poison(h, DATA, 48)
            expect(h.call("random_get", DATA + 1, len)).toBe(E.SUCCESS)
            expect([...h.read(DATA + 1, len)]).toEqual(ref(len))
            expect(h.read(DATA, 1)[0]).toBe(0xa5)
            expect(h.read(DATA + 1 + len, 1)[0]).toBe(0xa5)
        }
        expect(h.clockCalls).toBe(1)
        // another seed, another stream
        const other = makeAdapter(engine, { clockUs: () => seed + 1n })
        other.call("random_get", DATA, 32)
        h.call("random_get", DATA + 64, 32)
        expect([...other.read(DATA, 32)]).toEqual(splitmix(seed + 1n)(32))
        expect([...other.read(DATA, 32)]).not.toEqual([...h.read(DATA + 64, 32)])
    })

    it("random_get: 32 KiB look uniform (chi-square over byte values, bit balance)", () => {
        const h = makeAdapter(engine, { clockUs: () => 42n })
        const n = 32768
        expect(h.call("random_get", DATA, n)).toBe(E.SUCCESS)
        const bytes = h.read(DATA, n)
        const counts = new Array(256).fill(0)
        let ones = 0
        for (const b of bytes) {
            counts[b]++
            for (let v = b; v; v >>= 1) ones += v & 1
        }
        const expected = n / 256
        const chi2 = counts.reduce((s, c) => s + (c - expected) ** 2 / expected, 0)
        // 255 degrees of freedom: p = 0.001 bounds are about 190 and 330
        expect(chi2).toBeGreaterThan(190)
        expect(chi2).toBeLessThan(330)
        expect(Math.abs(ones / (n * 8) - 0.5)).toBeLessThan(0.005)
    })

    it("args_sizes_get / args_get: the natives' strings, NUL-terminated, one pointer each", () => {
        const args = ["prog", "héllo wörld", "", "-x=1"]
        const h = makeAdapter(engine, { args })
        const total = args.reduce((s, a) => s + Buffer.byteLength(a) + 1, 0)
        poison(h, OUT, 8)
        expect(h.call("args_sizes_get", OUT, OUT + 4)).toBe(E.SUCCESS)
        expect(h.u32(OUT)).toBe(4)
        expect(h.u32(OUT + 4)).toBe(total)
        poison(h, IOV, 20)
        poison(h, DATA, total + 1)
        expect(h.call("args_get", IOV, DATA)).toBe(E.SUCCESS)
        const got = args.map((_, i) => {
            const p = h.u32(IOV + i * 4)
            const b = h.read(p, 64)
            return Buffer.from(b.subarray(0, b.indexOf(0))).toString("utf8")
        })
        expect(got).toEqual(args)
        expect(h.u32(IOV)).toBe(DATA)
        untouched(h, IOV + 16, 4) // argv has argc entries, no more
        expect(h.read(DATA + total, 1)[0]).toBe(0xa5)
        // no arguments
        const none = makeAdapter(engine)
        poison(none, OUT, 8)
        expect(none.call("args_sizes_get", OUT, OUT + 4)).toBe(E.SUCCESS)
        expect([none.u32(OUT), none.u32(OUT + 4)]).toEqual([0, 0])
        poison(none, IOV, 4)
        expect(none.call("args_get", IOV, DATA)).toBe(E.SUCCESS)
        untouched(none, IOV, 4)
    })

    it("environ is empty; sched_yield succeeds; proc_raise is ENOSYS; proc_exit ends in the host", () => {
        const h = makeAdapter(engine)
        poison(h, OUT, 8)
        expect(h.call("environ_sizes_get", OUT, OUT + 4)).toBe(E.SUCCESS)
        expect([h.u32(OUT), h.u32(OUT + 4)]).toEqual([0, 0])
        poison(h, OUT, 8)
        expect(h.call("environ_get", OUT, OUT + 4)).toBe(E.SUCCESS)
        untouched(h, OUT, 8)
        expect(h.call("sched_yield")).toBe(E.SUCCESS)
        expect(h.call("proc_raise", 6)).toBe(E.NOSYS)
        let thrown: unknown = null
        try {
            h.call("proc_exit", 7)
        } catch (e) {
            thrown = e
        }
        expect(thrown).not.toBeNull()
        expect(h.exitCode).toBe(7)
        if (engine === "node") expect(thrown).toBeInstanceOf(ProcExit)
    })

    it("an out-of-range pointer traps in the adapter", () => {
        const h = makeAdapter(engine, { args: ["a"] }, 1)
        const end = 65536
        iovecs(h, ["x"])
        expect(() => h.call("fd_write", 1, IOV, 1, end - 2)).toThrow(/out of bounds/)
        expect(() => h.call("fd_write", 1, end - 4, 1, OUT)).toThrow(/out of bounds/)
        expect(() => h.call("clock_time_get", 0, 0n, end - 7)).toThrow(/out of bounds/)
        expect(() => h.call("random_get", end - 10, 11)).toThrow(/out of bounds/)
        expect(() => h.call("fd_fdstat_get", 1, -8)).toThrow(/out of bounds/)
        expect(() => h.call("args_sizes_get", OUT, end)).toThrow(/out of bounds/)
        // in range up to the last byte is fine
        expect(h.call("clock_time_get", 0, 0n, end - 8)).toBe(E.SUCCESS)
        expect(h.call("random_get", end - 11, 11)).toBe(E.SUCCESS)
    })
})
