// A JIT instance's linear memory: one flat ArrayBuffer, replaced (copied) on memory.grow.
//
// Generated code reads and writes through `dv` (a DataView), whose own range check is the
// bounds check: an access past the end throws RangeError, which the call boundary turns into
// the spec's "out of bounds memory access" trap (traps.ts). Instances that use the memory keep
// `dv` in a closure variable and register a listener to refresh it after growth.
//
// load/store/loadByte/storeByte/writeBytes/byteLength are the method set host/wasi/wasi.ts
// uses (WasiMemory), so WASI runs unchanged on either engine.

import { trap, TRAP_MEMORY_OOB } from "../../interpreter/trap"

export const PAGE_BYTES = 65536
/** The spec's limit (4 GiB); an allocation the machine refuses also makes memory.grow fail. */
export const MAX_PAGES = 65536

export class JitMemory {
    buffer: ArrayBuffer
    dv: DataView
    u8: Uint8Array
    private readonly listeners: (() => void)[] = []

    /** `max` is the declared maximum in pages (undefined: none). */
    constructor(public pages: number, readonly max?: number) {
        this.buffer = new ArrayBuffer(pages * PAGE_BYTES)
        this.dv = new DataView(this.buffer)
        this.u8 = new Uint8Array(this.buffer)
    }

    get byteLength(): number {
        return this.buffer.byteLength
    }

    /** Called after every growth (the buffer is then a new one). */
    onGrow(f: () => void): void {
        this.listeners.push(f)
    }

    /** memory.grow: the old size in pages, or -1. */
    grow(delta: number): number {
        const old = this.pages
        const limit = this.max === undefined ? MAX_PAGES : Math.min(this.max, MAX_PAGES)
        if (delta > limit - old) return -1
        if (delta === 0) return old
        let next: ArrayBuffer
        try {
            next = new ArrayBuffer((old + delta) * PAGE_BYTES)
        } catch {
            return -1
        }
        new Uint8Array(next).set(this.u8)
        this.buffer = next
        this.dv = new DataView(next)
        this.u8 = new Uint8Array(next)
        this.pages = old + delta
        for (const f of this.listeners) f()
        return old
    }

    /** Throws the spec's trap unless [ea, ea + n) is inside the memory (ea, n: non-negative). */
    check(ea: number, n: number): void {
        if (ea + n > this.buffer.byteLength) trap(TRAP_MEMORY_OOB)
    }

    // --- the WasiMemory method set (addresses already checked by the caller) ---

    /** n = 1, 2: zero-extended; n = 4: a signed int32. */
    load(ea: number, n: number): number {
        return n === 4 ? this.dv.getInt32(ea, true) : n === 2 ? this.dv.getUint16(ea, true) : this.u8[ea]
    }
    store(ea: number, n: number, v: number): void {
        if (n === 4) this.dv.setInt32(ea, v, true)
        else if (n === 2) this.dv.setInt16(ea, v, true)
        else this.u8[ea] = v
    }
    loadByte(ea: number): number {
        return this.u8[ea]
    }
    storeByte(ea: number, v: number): void {
        this.u8[ea] = v
    }
    writeBytes(ea: number, src: Uint8Array, srcOff: number, n: number): void {
        this.u8.set(src.subarray(srcOff, srcOff + n), ea)
    }
}
