// Wasm linear memory, chunked, sparse and drawn from the arena.
//
// DeviceScript has no 64 KiB buffer (one allocation is at most ~57 KB) and only a ~64 KB heap,
// so memory is a table of CHUNK-byte arena pages indexed by address >> CHUNK_SHIFT. The table is
// itself in the arena (one i32 per chunk, at `table`; chunk(i) reads it). It covers the chunks
// up to the highest one ever written (chunks past its end are untouched) and grows on demand,
// so declaring or growing memory costs nothing. Entry i is
//   -(v + 1)     a uniform chunk: every byte is v, costs nothing; -1 (all zeros) is also what
//                a chunk never written holds, and what memory.fill of whole chunks leaves;
//   <= -257      a run-length chunk: a few runs of equal bytes (what partial fills and copies of
//                filled ranges leave), kept in a 64-byte arena slot at -p - 257 (memory-runs.ts);
//   p >= 0       the byte offset of the chunk's page in the arena's Buffer.
// A page is taken from the app's arena account on the first write that needs one. Every access is bounds-checked against `byteLength` before any
// Buffer is touched (DeviceScript does not check negative offsets). Accesses that straddle two
// chunks take the byte-by-byte slow path.

import { ArenaAccount } from "./arena"
import { CHUNK, CHUNK_MASK, CHUNK_SHIFT, PAGE_BYTES } from "./memory-layout"
import { chargeBulk } from "./state"
import { aStart, aVal, bStart, bVal, cStart, cVal, readRuns, RUNS_MAX, RUNS_SLOT, slotByte, spliceRuns, writeRuns } from "./memory-runs"

/** A chunk entry at or below this is a run-length chunk (its slot is at RUNS - entry). */
const RUNS = -257

/**
 * Fuel charged per chunk a bulk operation touches, and extra for editing run lists (fuel is
 * about a code byte: an instruction of ~7 bytes costs ~50 DeviceScript steps; a piece blit is
 * a few dozen steps, a run-list edit a few hundred).
 */
const BULK_PIECE_FUEL = 8
const RUNS_FUEL = 48

/**
 * Run lists one part of a memory.copy may edit (copyPart). Each edit is a few thousand
 * DeviceScript steps with a dozen runs: a 64 KiB copy over run-length chunks (128 edits)
 * outlasted a 128K-step slice in the simulator.
 */
const RUN_EDITS_PER_PART = 6
let runEdits = 0

export { CHUNK, CHUNK_MASK, CHUNK_SHIFT, MAX_PAGES } from "./memory-layout"
export const PAGE = PAGE_BYTES

export class Memory {
    /** The arena Buffer every chunk of this memory lives in. */
    readonly buf: Buffer
    /** Arena offset of the chunk table (one i32 per chunk), and how many chunks it covers. */
    table = -1
    tableChunks = 0
    pages: number
    byteLength: number
    /** Largest page count allowed: the declared maximum and the runtime quota, whichever is lower. */
    maxPages: number
    /** Chunks allocated so far (what this memory really costs). */
    chunkCount = 0
    /** The maximum the module declared (0xffffffff when none), for import matching. */
    declaredMax = 0xffffffff

    constructor(pages: number, maxPages: number, readonly account: ArenaAccount) {
        this.buf = account.arena.buf
        this.pages = pages
        this.byteLength = pages * PAGE_BYTES
        this.maxPages = maxPages
    }

    /** Entry of chunk ci (an address already checked against byteLength). */
    chunk(ci: number): number {
        return ci < this.tableChunks ? this.buf.getAt(this.table + ci * 4, "i32") : -1
    }

    /** Sets the entry of chunk ci; the table covers it (ensureTable). */
    private setChunk(ci: number, v: number): void {
        this.buf.setAt(this.table + ci * 4, "i32", v)
    }

    /**
     * Makes the table cover chunk ci, moving it to a larger arena block when needed (at least
     * doubling). Done before anything else is allocated for the chunk, so a Trap (out of arena)
     * leaves the memory as it was.
     */
    private ensureTable(ci: number): void {
        const old = this.tableChunks
        if (ci < old) return
        let n = old * 2
        if (n < 64) n = 64
        if (n < ci + 1) n = ci + 1
        const all = this.pages * (PAGE_BYTES >> CHUNK_SHIFT)
        if (n > all) n = all
        const at = this.account.allocSmall(n * 4, "linear memory's chunk table")
        this.buf.fillAt(at, n * 4, 0xff) // -1: untouched
        if (old > 0) {
            this.buf.blitAt(at, this.buf, this.table, old * 4)
            this.account.freeSmall(this.table, old * 4)
        }
        this.table = at
        this.tableChunks = n
    }

    /** memory.grow: returns the old page count, or -1. Allocates nothing (memory is sparse). */
    grow(delta: number): number {
        const old = this.pages
        if (delta < 0 || old + delta > this.maxPages) return -1
        this.pages = old + delta
        this.byteLength = this.pages * PAGE_BYTES
        return old
    }

    /** Offset in buf of the page of the chunk holding ea, taken from the arena when it has none. */
    chunkFor(ea: number): number {
        const ci = ea >>> CHUNK_SHIFT
        let p = this.chunk(ci)
        if (p < 0) {
            this.ensureTable(ci)
            const was = p
            p = this.account.alloc(CHUNK, "linear memory") // zeroed
            if (was <= RUNS) {
                const n = readRuns(this.buf, RUNS - was, aStart, aVal)
                for (let k = 0; k < n; k++) this.buf.fillAt(p + aStart[k], (k + 1 < n ? aStart[k + 1] : CHUNK) - aStart[k], aVal[k])
                this.account.freeSmall(RUNS - was, RUNS_SLOT)
            } else if (was !== -1) this.buf.fillAt(p, CHUNK, -was - 1)
            this.setChunk(ci, p)
            this.chunkCount++
        }
        return p
    }

    /** Chunk value p (not a page) as runs in (starts, vals); returns their count. */
    private runsOf(p: number, starts: number[], vals: number[]): number {
        if (p <= RUNS) return readRuns(this.buf, RUNS - p, starts, vals)
        starts[0] = 0
        vals[0] = -p - 1
        return 1
    }

    /**
     * Chunk ci (not a page) becomes the n runs in cStart/cVal: uniform for one run, a slot for
     * a few, a page when there are more than a slot holds.
     */
    private setRuns(ci: number, n: number): void {
        const p = this.chunk(ci)
        const slot = p <= RUNS ? RUNS - p : -1
        this.ensureTable(ci)
        if (n === 1) {
            if (slot >= 0) this.account.freeSmall(slot, RUNS_SLOT)
            this.setChunk(ci, -cVal[0] - 1)
        } else if (n <= RUNS_MAX) {
            const at = slot >= 0 ? slot : this.account.allocSmall(RUNS_SLOT, "linear memory")
            writeRuns(this.buf, at, cStart, cVal, n)
            this.setChunk(ci, RUNS - at)
        } else {
            const page = this.account.alloc(CHUNK, "linear memory")
            for (let k = 0; k < n; k++) this.buf.fillAt(page + cStart[k], (k + 1 < n ? cStart[k + 1] : CHUNK) - cStart[k], cVal[k])
            if (slot >= 0) this.account.freeSmall(slot, RUNS_SLOT)
            this.setChunk(ci, page)
            this.chunkCount++
        }
    }

    /** Makes chunk ci uniform (every byte v), giving back its page if it had one. */
    private setUniform(ci: number, v: number): void {
        const p = this.chunk(ci)
        if (p === -v - 1) return // already so (zeros past the table's end included)
        this.ensureTable(ci)
        if (p >= 0) {
            this.account.free(p, CHUNK)
            this.chunkCount--
        } else if (p <= RUNS) this.account.freeSmall(RUNS - p, RUNS_SLOT)
        this.setChunk(ci, -v - 1)
    }

    /**
     * Returns every chunk and the table to the arena (the owning instance is gone). The memory is
     * then empty: any access is out of bounds.
     */
    release(): void {
        const n = this.tableChunks
        for (let i = 0; i < n; i++) {
            const p = this.chunk(i)
            if (p >= 0) this.account.free(p, CHUNK)
            else if (p <= RUNS) this.account.freeSmall(RUNS - p, RUNS_SLOT)
        }
        if (n > 0) this.account.freeSmall(this.table, n * 4)
        this.table = -1
        this.tableChunks = 0
        this.chunkCount = 0
        this.pages = 0
        this.byteLength = 0
        this.maxPages = 0
    }

    loadByte(ea: number): number {
        const p = this.chunk(ea >>> CHUNK_SHIFT)
        if (p >= 0) return this.buf[p + (ea & CHUNK_MASK)]
        if (p <= RUNS) return slotByte(this.buf, RUNS - p, ea & CHUNK_MASK)
        return -p - 1
    }

    storeByte(ea: number, v: number): void {
        this.buf[this.chunkFor(ea) + (ea & CHUNK_MASK)] = v & 0xff
    }

    /** Little-endian read of n ≤ 4 bytes at ea (already bounds-checked), as an unsigned-ish int32. */
    loadSlow(ea: number, n: number): number {
        let v = 0
        for (let k = n - 1; k >= 0; k--) v = (v << 8) | this.loadByte(ea + k)
        return v
    }

    storeSlow(ea: number, n: number, v: number): void {
        for (let k = 0; k < n; k++) {
            this.storeByte(ea + k, v & 0xff)
            v = v >> 8
        }
    }


    /**
     * Reads n (1, 2 or 4) bytes at a checked ea: zero-extended for n < 4, a signed int32 for
     * n = 4. (The machine inlines the 4-byte case; everything else comes here.)
     */
    load(ea: number, n: number): number {
        const o = ea & CHUNK_MASK
        if (o > CHUNK - n) return this.loadSlow(ea, n)
        const p = this.chunk(ea >>> CHUNK_SHIFT)
        if (p <= RUNS) return n === 4 ? this.loadSlow(ea, 4) | 0 : this.loadSlow(ea, n)
        if (p < 0) {
            // uniform chunk: every byte is -p-1
            const b = -p - 1
            return n === 4 ? Math.imul(b, 0x01010101) : n === 2 ? b * 0x101 : b
        }
        if (n === 4) return this.buf.getAt(p + o, "i32")
        if (n === 2) return this.buf.getAt(p + o, "u16")
        return this.buf[p + o]
    }

    /** Writes the low n (1, 2 or 4) bytes of v at a checked ea. */
    store(ea: number, n: number, v: number): void {
        const o = ea & CHUNK_MASK
        if (o > CHUNK - n) {
            this.storeSlow(ea, n, v)
            return
        }
        const p = this.chunkFor(ea) + o
        // "i32"/"u16" stores saturate on DeviceScript: pass values already in range.
        if (n === 4) this.buf.setAt(p, "i32", v | 0)
        else if (n === 2) this.buf.setAt(p, "u16", v & 0xffff)
        else this.buf[p] = v & 0xff
    }

    /** memory.fill over a checked range. Whole chunks become uniform: no page, no cost. */
    fill(ea: number, value: number, n: number): void {
        value = value & 0xff
        while (n > 0) {
            const o = ea & CHUNK_MASK
            const len = Math.min(n, CHUNK - o)
            const ci = ea >>> CHUNK_SHIFT
            const p = this.chunk(ci)
            chargeBulk(BULK_PIECE_FUEL)
            if (len === CHUNK) this.setUniform(ci, value)
            else if (p >= 0) this.buf.fillAt(p + o, len, value)
            else {
                // part of a chunk without a page: its runs with [o, o + len) set to value
                chargeBulk(RUNS_FUEL)
                const na = this.runsOf(p, aStart, aVal)
                if (na > 1 || aVal[0] !== value) {
                    bStart[0] = 0
                    bVal[0] = value
                    this.setRuns(ci, spliceRuns(na, o, len, 1, 0, CHUNK))
                }
            }
            ea += len
            n -= len
        }
    }

    /** Copies n bytes from src (a Buffer at srcOff) into memory at a checked ea. */
    writeBytes(ea: number, src: Buffer, srcOff: number, n: number): void {
        while (n > 0) {
            const o = ea & CHUNK_MASK
            const len = Math.min(n, CHUNK - o)
            chargeBulk(BULK_PIECE_FUEL)
            this.buf.blitAt(this.chunkFor(ea) + o, src, srcOff, len)
            ea += len
            srcOff += len
            n -= len
        }
    }

    /**
     * Part of memory.copy within this memory (ranges already checked): continues after `done`
     * bytes and returns how many are done when it stops, at the end or after RUN_EDITS_PER_PART
     * run-list edits (a few thousand DeviceScript steps each: a 64 KiB copy over run-length
     * chunks would outlast a slice), so that the machine can yield and come back (misc.ts).
     * Works in pieces that stay inside one source and one destination chunk (one blit each),
     * forward when the destination is below the source (done counts from the start), backward
     * otherwise (done counts from the end).
     */
    copyPart(dst: number, src: number, n: number, done: number): number {
        if (dst === src || n === 0) return n
        runEdits = 0
        if (dst < src) {
            let left = n - done
            dst += done
            src += done
            while (left > 0) {
                if (runEdits >= RUN_EDITS_PER_PART) return n - left
                let len = left
                const sRoom = CHUNK - (src & CHUNK_MASK)
                const dRoom = CHUNK - (dst & CHUNK_MASK)
                if (sRoom < len) len = sRoom
                if (dRoom < len) len = dRoom
                this.copyPiece(dst, src, len)
                dst += len
                src += len
                left -= len
            }
        } else {
            let end = n - done
            while (end > 0) {
                if (runEdits >= RUN_EDITS_PER_PART) return n - end
                // the piece [end-len, end) must not cross a chunk start on either side
                let len = end
                const sIn = ((src + end - 1) & CHUNK_MASK) + 1
                const dIn = ((dst + end - 1) & CHUNK_MASK) + 1
                if (sIn < len) len = sIn
                if (dIn < len) len = dIn
                this.copyPiece(dst + end - len, src + end - len, len)
                end -= len
            }
        }
        return n
    }

    /** Copies len bytes that lie inside one chunk on each side. */
    private copyPiece(dst: number, src: number, len: number): void {
        const s = this.chunk(src >>> CHUNK_SHIFT)
        chargeBulk(BULK_PIECE_FUEL)
        if (s < 0) {
            chargeBulk(RUNS_FUEL)
            // a source without a page (zeros, uniform, runs): copy its runs
            const so = src & CHUNK_MASK
            const dOff = dst & CHUNK_MASK
            const nb = this.runsOf(s, bStart, bVal)
            const dci = dst >>> CHUNK_SHIFT
            const d = this.chunk(dci)
            if (d >= 0) {
                for (let k = 0; k < nb; k++) {
                    const from = bStart[k] > so ? bStart[k] : so
                    const to = k + 1 < nb && bStart[k + 1] < so + len ? bStart[k + 1] : so + len
                    if (to > from) this.buf.fillAt(d + dOff + from - so, to - from, bVal[k])
                }
            } else {
                runEdits++
                this.setRuns(dci, spliceRuns(this.runsOf(d, aStart, aVal), dOff, len, nb, so, CHUNK))
            }
            return
        }
        const dOff = dst & CHUNK_MASK
        const from = s + (src & CHUNK_MASK)
        const to = this.chunkFor(dst) + dOff
        const buf = this.buf
        if (to > from && to < from + len) {
            // DeviceScript's blitAt copies forwards: an overlapping upward move must go backwards.
            for (let k = len - 1; k >= 0; k--) buf[to + k] = buf[from + k]
            return
        }
        buf.blitAt(to, buf, from, len)
    }

    /** Bytes [ea, ea+n) as a new Buffer (host-side reads of app memory). */
    readBytes(ea: number, n: number): Buffer {
        const out = Buffer.alloc(n)
        for (let k = 0; k < n; k++) out[k] = this.loadByte(ea + k)
        return out
    }
}

/**
 * memory.copy within mem in one go (ranges already checked; host side, tests). A function, not
 * a method: the firmware never refers to it, so DeviceScript leaves it out of the device build.
 */
export function copyWithin(mem: Memory, dst: number, src: number, n: number): void {
    let done = 0
    while (done < n) done = mem.copyPart(dst, src, n, done)
}
