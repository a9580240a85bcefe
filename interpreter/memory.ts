// Wasm linear memory, chunked and sparse.
//
// DeviceScript has no 64 KiB buffer (one allocation is at most ~57 KB) and only a ~64 KB heap,
// so memory is an array of CHUNK-byte Buffers indexed by address >> CHUNK_SHIFT. A chunk is
// created on the first write that touches it; a missing chunk reads as zeros. Every access is
// bounds-checked against `byteLength` before any Buffer is touched (DeviceScript does not check
// negative offsets). Accesses that straddle two chunks take the byte-by-byte slow path.

import { trap, TRAP_MEMORY_OOB } from "./trap"

export const CHUNK_SHIFT = 10
export const CHUNK = 1 << CHUNK_SHIFT
export const CHUNK_MASK = CHUNK - 1
export const PAGE = 65536
export const MAX_PAGES = 65536

export class Memory {
    chunks: Buffer[] = []
    pages: number
    byteLength: number
    /** Largest page count allowed: the declared maximum and the runtime quota, whichever is lower. */
    maxPages: number
    /** Chunks allocated so far (what this memory really costs). */
    chunkCount = 0
    /** The maximum the module declared (0xffffffff when none), for import matching. */
    declaredMax = 0xffffffff

    constructor(pages: number, maxPages: number) {
        this.pages = pages
        this.byteLength = pages * PAGE
        this.maxPages = maxPages
    }

    /** memory.grow: returns the old page count, or -1. Allocates nothing (memory is sparse). */
    grow(delta: number): number {
        const old = this.pages
        if (delta < 0 || old + delta > this.maxPages) return -1
        this.pages = old + delta
        this.byteLength = this.pages * PAGE
        return old
    }

    /** The chunk that holds address ea, created when missing. */
    chunkFor(ea: number): Buffer {
        const ci = ea >>> CHUNK_SHIFT
        let c = this.chunks[ci]
        if (c === undefined || c === null) {
            c = Buffer.alloc(CHUNK)
            this.chunks[ci] = c
            this.chunkCount++
        }
        return c
    }

    loadByte(ea: number): number {
        const c = this.chunks[ea >>> CHUNK_SHIFT]
        if (c === undefined || c === null) return 0
        return c[ea & CHUNK_MASK]
    }

    storeByte(ea: number, v: number): void {
        this.chunkFor(ea)[ea & CHUNK_MASK] = v & 0xff
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

    /** Bounds check: returns the effective address of an n-byte access at (addr + offset). */
    checked(addr: number, offset: number, n: number): number {
        const ea = (addr >>> 0) + offset
        if (ea + n > this.byteLength) trap(TRAP_MEMORY_OOB)
        return ea
    }

    /** Reads 4 bytes at a checked ea as a signed int32. */
    load32(ea: number): number {
        const o = ea & CHUNK_MASK
        if (o > CHUNK - 4) return this.loadSlow(ea, 4) | 0
        const c = this.chunks[ea >>> CHUNK_SHIFT]
        if (c === undefined || c === null) return 0
        return c.getAt(o, "i32")
    }

    store32(ea: number, v: number): void {
        const o = ea & CHUNK_MASK
        if (o > CHUNK - 4) this.storeSlow(ea, 4, v)
        // "i32" stores saturate on DeviceScript: v must already be a signed int32.
        else this.chunkFor(ea).setAt(o, "i32", v | 0)
    }

    /** memory.fill over a checked range. Zero-filling a missing chunk costs nothing. */
    fill(ea: number, value: number, n: number): void {
        value = value & 0xff
        while (n > 0) {
            const o = ea & CHUNK_MASK
            const len = Math.min(n, CHUNK - o)
            const ci = ea >>> CHUNK_SHIFT
            const c = this.chunks[ci]
            if (c !== undefined && c !== null) c.fillAt(o, len, value)
            else if (value !== 0) this.chunkFor(ea).fillAt(o, len, value)
            ea += len
            n -= len
        }
    }

    /** Copies n bytes from src (a Buffer at srcOff) into memory at a checked ea. */
    writeBytes(ea: number, src: Buffer, srcOff: number, n: number): void {
        while (n > 0) {
            const o = ea & CHUNK_MASK
            const len = Math.min(n, CHUNK - o)
            this.chunkFor(ea).blitAt(o, src, srcOff, len)
            ea += len
            srcOff += len
            n -= len
        }
    }

    /**
     * memory.copy within this memory (ranges already checked). Works in pieces that stay inside
     * one source and one destination chunk (one blit each), so a 64 KiB copy is ~64 blits, not
     * 64K byte moves (which would trip DeviceScript's step limit). Overlap: forward when the
     * destination is below the source, backward otherwise.
     */
    copyWithin(dst: number, src: number, n: number): void {
        if (dst === src || n === 0) return
        if (dst < src) {
            while (n > 0) {
                const len = this.pieceForward(dst, src, n)
                this.copyPiece(dst, src, len)
                dst += len
                src += len
                n -= len
            }
        } else {
            let end = n
            while (end > 0) {
                // the piece [end-len, end) must not cross a chunk start on either side
                const sEnd = src + end
                const dEnd = dst + end
                let len = end
                const sIn = ((sEnd - 1) & CHUNK_MASK) + 1
                const dIn = ((dEnd - 1) & CHUNK_MASK) + 1
                if (sIn < len) len = sIn
                if (dIn < len) len = dIn
                this.copyPiece(dst + end - len, src + end - len, len)
                end -= len
            }
        }
    }

    private pieceForward(dst: number, src: number, n: number): number {
        let len = n
        const sRoom = CHUNK - (src & CHUNK_MASK)
        const dRoom = CHUNK - (dst & CHUNK_MASK)
        if (sRoom < len) len = sRoom
        if (dRoom < len) len = dRoom
        return len
    }

    /** Copies len bytes that lie inside one chunk on each side. */
    private copyPiece(dst: number, src: number, len: number): void {
        const s = this.chunks[src >>> CHUNK_SHIFT]
        const dOff = dst & CHUNK_MASK
        if (s === undefined || s === null) {
            // source never written: zeros
            const d = this.chunks[dst >>> CHUNK_SHIFT]
            if (d !== undefined && d !== null) d.fillAt(dOff, len, 0)
            return
        }
        const d = this.chunkFor(dst)
        const sOff = src & CHUNK_MASK
        if (d === s && dOff > sOff && dOff < sOff + len) {
            // DeviceScript's blitAt copies forwards: an overlapping upward move must go backwards.
            for (let k = len - 1; k >= 0; k--) d[dOff + k] = d[sOff + k]
            return
        }
        d.blitAt(dOff, s, sOff, len)
    }

    /** Bytes [ea, ea+n) as a new Buffer (host-side reads of app memory). */
    readBytes(ea: number, n: number): Buffer {
        const out = Buffer.alloc(n)
        for (let k = 0; k < n; k++) out[k] = this.loadByte(ea + k)
        return out
    }
}
