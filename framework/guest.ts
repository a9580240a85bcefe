// An app's pointers, checked: every pointer and length an app passes to a native function is
// checked against its own memory, and a bad one traps that app ("out of bounds memory access",
// WAMR's wording), never the firmware; so does a buffer too long to copy into the heap.
import { Memory, Trap } from "../interpreter/index"

const OOB = "out of bounds memory access"

/** ptr as an unsigned offset, after checking that [ptr, ptr+len) lies in mem. */
export function checked(mem: Memory, ptr: number, len: number): number {
    const p = ptr >>> 0
    if (mem === null || len < 0 || p + (len >>> 0) > mem.byteLength) throw new Trap(OOB)
    return p
}

/**
 * Longest buffer a native copies out of an app's memory (a request, a response, connection data):
 * the copy is in the DeviceScript heap, where running out restarts the board.
 */
export const MAX_COPY = 1024

/** A copy of [ptr, ptr+len) of mem; a range outside it, or longer than MAX_COPY, traps. */
export function readGuest(mem: Memory, ptr: number, len: number): Buffer {
    const p = checked(mem, ptr, len)
    if (len >>> 0 > MAX_COPY) throw new Trap(`a message of ${len >>> 0} B: at most ${MAX_COPY} B`)
    return mem.readBytes(p, len >>> 0)
}

export function writeGuest(mem: Memory, ptr: number, data: Buffer): void {
    mem.writeBytes(checked(mem, ptr, data.length), data, 0, data.length)
}

/** A NUL-terminated string of at most max bytes (a longer or unterminated one traps). */
export function readCString(mem: Memory, ptr: number, max: number): string {
    const p = checked(mem, ptr, 1)
    let n = 0
    while (true) {
        if (p + n >= mem.byteLength || n > max) throw new Trap(OOB)
        if (mem.loadByte(p + n) === 0) break
        n++
    }
    return mem.readBytes(p, n).toString()
}

/** Parameter i (an i32) of a native call whose slots start at `at`. */
export function arg(S: Buffer, at: number, i: number): number {
    return S.getAt(at + i * 8, "i32")
}

export function setI64(mem: Memory, ptr: number, lo: number, hi: number): void {
    const p = checked(mem, ptr, 8)
    mem.store(p, 4, lo | 0)
    mem.store(p + 4, 4, hi | 0)
}
