// The allocator of sdk/libc/libc.wasm on both engines: __wasmlet_libc_init's checks, a random
// stress of malloc/calloc/realloc/free with content checks (every live block keeps its bytes,
// none overlaps another or leaves the heap, all are 8-aligned), 0 when full, reuse and merging
// of freed space, and growth with memory.grow when the heap ends at the memory's end.
import { describe, it, expect } from "vitest"
import { ENGINES, makeHost, initHost, LibcHost, HEAP_BASE } from "./libc-host"
import { seededRandom } from "../engine/helpers"

type Block = { p: number; n: number; v: number }

function fill(host: LibcHost, b: Block) {
    host.write(b.p, new Uint8Array(b.n).fill(b.v))
}

function intact(host: LibcHost, b: Block, n = b.n): boolean {
    return host.read(b.p, n).every((x) => x === b.v)
}

describe.each(ENGINES)("allocator (%s)", (engine) => {
    it("init checks its range; nothing works before it", () => {
        const host = makeHost(engine, 1)
        expect(host.call("malloc", 16)).toBe(0)
        expect(host.call("printf", 0, 0)).toBe(-1)
        expect(host.call("__wasmlet_libc_init", 2000, 1000)).toBe(2)
        expect(host.call("__wasmlet_libc_init", 1000, 65537)).toBe(2)
        expect(host.call("__wasmlet_libc_init", 60000, 60100)).toBe(1)
        expect(host.call("malloc", 16)).toBe(0)
        expect(host.call("__wasmlet_libc_init", 60000, 65536)).toBe(0)
        const p = host.call("malloc", 16)
        expect(p).toBeGreaterThan(60000)
        expect(p % 8).toBe(0)
    })

    it(`survives a random stress with content checks`, () => {
        const host = initHost(engine, 2)
        const end = 2 * 65536
        const r = seededRandom(2024)
        const live: Block[] = []
        let failures = 0
        const ops = 6000
        const problems: string[] = []
        const check = (b: Block) => {
            if (b.p % 8 !== 0) problems.push(`${b.p} is not 8-aligned`)
            if (b.p < HEAP_BASE || b.p + b.n > end) problems.push(`${b.p}+${b.n} is outside the heap`)
            for (const o of live) if (o !== b && !(b.p + b.n <= o.p || o.p + o.n <= b.p)) problems.push(`${b.p}+${b.n} overlaps ${o.p}+${o.n}`)
        }
        for (let k = 0; k < ops; k++) {
            const op = r(10)
            const n = r(8) === 0 ? r(6000) : r(200)
            if (op < 4 || live.length === 0) {
                const calloc = op === 3
                const p = calloc ? host.call("calloc", n, 1) : host.call("malloc", n)
                if (p === 0) {
                    failures++
                    continue
                }
                const b = { p, n, v: 1 + r(255) }
                if (calloc) expect(host.read(p, n).every((x) => x === 0), "calloc zeroes").toBe(true)
                live.push(b)
                check(b)
                fill(host, b)
            } else if (op < 7) {
                const i = r(live.length)
                const b = live[i]
                expect(intact(host, b), "content before free").toBe(true)
                host.call("free", b.p)
                live.splice(i, 1)
            } else {
                const b = live[r(live.length)]
                const p = host.call("realloc", b.p, n)
                if (n === 0) {
                    expect(p).toBe(0)
                    live.splice(live.indexOf(b), 1)
                    continue
                }
                if (p === 0) {
                    failures++
                    expect(intact(host, b), "a failed realloc keeps the block").toBe(true)
                    continue
                }
                expect(intact(host, { ...b, p }, Math.min(b.n, n)), "realloc keeps the bytes").toBe(true)
                b.p = p
                b.n = n
                check(b)
                fill(host, b)
            }
        }
        expect(problems).toEqual([])
        for (const b of live) expect(intact(host, b)).toBe(true)
        // the stress did hit a full heap now and then, and all space comes back
        expect(failures).toBeGreaterThan(0)
        for (const b of live) host.call("free", b.p)
        const big = host.call("malloc", end - HEAP_BASE - 400)
        expect(big, "after freeing everything one block takes nearly the whole heap").not.toBe(0)
    })

    it("returns 0 when full, reuses freed space and merges neighbours", () => {
        const host = initHost(engine, 1)
        const blocks: number[] = []
        for (;;) {
            const p = host.call("malloc", 1000)
            if (p === 0) break
            blocks.push(p)
        }
        expect(blocks.length).toBeGreaterThan(40)
        expect(host.call("malloc", 1000)).toBe(0)
        expect(host.call("calloc", 0x10000, 0x10000)).toBe(0) // n * size overflows
        expect(host.call("malloc", -1)).toBe(0)
        const q = blocks[10]
        host.call("free", q)
        expect(host.call("malloc", 1000)).toBe(q)
        expect(host.call("malloc", 2000)).toBe(0)
        host.call("free", blocks[20])
        host.call("free", blocks[21])
        expect(host.call("malloc", 2000), "two free neighbours merge").toBe(blocks[20])
        // realloc grows in place into a free neighbour
        host.call("free", blocks[31])
        expect(host.call("realloc", blocks[30], 1900)).toBe(blocks[30])
        expect(host.call("free", 0)).toBe(0)
    })

    it("ignores frees of what is not a live block, and double frees", () => {
        const host = initHost(engine, 1)
        const a = host.call("malloc", 100)
        const b = host.call("malloc", 100)
        host.call("free", a)
        host.call("free", a) // double free
        host.call("free", b + 8) // inside a block
        host.call("free", b + 1) // misaligned
        host.call("free", 1000) // below the heap
        host.call("free", 65528) // past the sentinel
        expect(host.call("realloc", 1000, 10)).toBe(0)
        // the heap is intact: a and b's space is handed out exactly once each
        expect(host.call("malloc", 100)).toBe(a)
        const c = host.call("malloc", 100)
        expect(c).not.toBe(a)
        expect(c).not.toBe(b)
        host.call("free", b)
        expect(host.call("malloc", 100)).toBe(b)
    })

    it("grows the memory when heap_end was the memory's end", () => {
        const host = makeHost(engine, 1, 4)
        expect(host.call("__wasmlet_libc_init", HEAP_BASE, 65536)).toBe(0)
        const a = host.call("malloc", 60000)
        expect(a).not.toBe(0)
        expect(host.memoryBytes()).toBe(2 * 65536)
        const b = host.call("malloc", 100000)
        expect(b).toBeGreaterThan(a)
        expect(host.memoryBytes()).toBe(4 * 65536)
        expect(host.call("malloc", 100000), "past the maximum").toBe(0)
        host.call("free", a)
        host.call("free", b)
        expect(host.call("malloc", 4 * 65536 - HEAP_BASE - 400)).not.toBe(0)
        // a heap that ends below the memory's end never grows
        const fixed = makeHost(engine, 1, 4)
        expect(fixed.call("__wasmlet_libc_init", HEAP_BASE, 60000)).toBe(0)
        expect(fixed.call("malloc", 50000)).toBe(0)
        expect(fixed.memoryBytes()).toBe(65536)
    })
})
