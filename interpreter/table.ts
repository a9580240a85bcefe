// A Wasm table, stored in the arena: one i32 per element (0 = null). A funcref is a function
// handle (see instance.ts resolveHandle); an externref is whatever number the host gave, plus one.
// Growing moves the elements to a larger arena block (tables grow rarely). Small tables share
// an arena page with the instance's globals (ArenaAccount.allocSmall).

import { ArenaAccount } from "./arena"
import { trap, TRAP_TABLE_OOB } from "./trap"

export class Table {
    /** The arena Buffer and the offset of element 0 in it (call_indirect reads elements there). */
    buf: Buffer
    off = 0
    /** Elements the current block holds. */
    capacity = 0

    constructor(public size: number, public max: number, public readonly elemType: number, readonly account: ArenaAccount) {
        this.buf = account.arena.buf
        if (size > 0) {
            this.off = account.allocSmall(size * 4, "table")
            this.capacity = size
        }
    }

    get(i: number): number {
        if (i < 0 || i >= this.size) trap(TRAP_TABLE_OOB)
        return this.buf.getAt(this.off + i * 4, "i32")
    }

    set(i: number, v: number): void {
        if (i < 0 || i >= this.size) trap(TRAP_TABLE_OOB)
        this.buf.setAt(this.off + i * 4, "i32", v)
    }

    /**
     * table.fill of n elements from i (checked by the caller) with v. A few Buffer calls, not
     * one per element: on DeviceScript a per-element loop over a big table outlasts a slice.
     */
    fill(i: number, v: number, n: number): void {
        if (n === 0) return
        const at = this.off + i * 4
        if (v === 0) {
            this.buf.fillAt(at, n * 4, 0)
            return
        }
        this.buf.setAt(at, "i32", v)
        // double the filled prefix: each copy reads elements already written, below its target
        let done = 1
        while (done < n) {
            const len = done < n - done ? done : n - done
            this.buf.blitAt(at + done * 4, this.buf, at, len * 4)
            done += len
        }
    }

    /** table.copy of n elements from src at s to this table at d (checked by the caller). */
    copyFrom(src: Table, d: number, s: number, n: number): void {
        const to = this.off + d * 4
        const from = src.off + s * 4
        // DeviceScript's blitAt copies forwards: right unless this is an overlapping upward move
        if (src !== this || d <= s || d >= s + n) {
            this.buf.blitAt(to, src.buf, from, n * 4)
            return
        }
        // Upward overlap: blocks of at most the distance, from the end, each below what was
        // already written and not overlapping its own target.
        const gap = d - s
        let end = n
        while (end > 0) {
            const len = gap < end ? gap : end
            end -= len
            this.buf.blitAt(to + end * 4, this.buf, from + end * 4, len * 4)
        }
    }

    /** table.grow: the old size, or -1 when the maximum (or the runtime's limit) is exceeded. */
    grow(delta: number, init: number, limit: number): number {
        const old = this.size
        const max = this.max < limit ? this.max : limit
        if (delta < 0 || old + delta > max) return -1
        const size = old + delta
        if (size > this.capacity) {
            let off: number
            try {
                off = this.account.allocSmall(size * 4, "table")
            } catch (e) {
                return -1 // out of arena: the spec lets table.grow fail
            }
            if (old > 0) this.buf.blitAt(off, this.buf, this.off, old * 4)
            if (this.capacity > 0) this.account.freeSmall(this.off, this.capacity * 4)
            this.off = off
            this.capacity = size
        }
        this.fill(old, init, size - old)
        this.size = size
        return old
    }

    /** Returns the elements to the arena (the owning instance is gone). */
    release(): void {
        if (this.capacity > 0) this.account.freeSmall(this.off, this.capacity * 4)
        this.capacity = 0
        this.size = 0
    }
}
