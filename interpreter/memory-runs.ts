// Run-length chunks: a linear-memory chunk whose bytes are a few runs of equal values (what
// memory.fill and memory.copy of filled ranges leave behind) is kept as its list of runs in a
// 64-byte arena slot instead of a 1 KiB page. A store into such a chunk turns it into a page.
//
// Slot layout: u8 count, then count x (u16 start offset in the chunk, u8 byte value), starts
// ascending from 0; neighbouring runs have different values.
//
// The lists being edited live in module-level arrays (no allocation per operation). Never
// shrink them with `length =` (that corrupts DeviceScript's heap): counts are kept beside them.

export const RUNS_SLOT = 64
/** Most runs a slot holds; a chunk that would need more becomes a page. */
export const RUNS_MAX = 21

/** Scratch lists: A = a chunk's runs, B = runs being copied in, C = the result. */
export const aStart: number[] = []
export const aVal: number[] = []
export const bStart: number[] = []
export const bVal: number[] = []
export const cStart: number[] = []
export const cVal: number[] = []

/** Reads the runs in the slot at `at` into (starts, vals); returns their count. */
export function readRuns(buf: Buffer, at: number, starts: number[], vals: number[]): number {
    const n = buf[at]
    for (let k = 0; k < n; k++) {
        starts[k] = buf.getAt(at + 1 + k * 3, "u16")
        vals[k] = buf[at + 3 + k * 3]
    }
    return n
}

export function writeRuns(buf: Buffer, at: number, starts: number[], vals: number[], n: number): void {
    buf[at] = n
    for (let k = 0; k < n; k++) {
        buf.setAt(at + 1 + k * 3, "u16", starts[k])
        buf[at + 3 + k * 3] = vals[k]
    }
}

/** The byte at offset o of a run list. */
export function runByte(starts: number[], vals: number[], n: number, o: number): number {
    let k = n - 1
    while (k > 0 && starts[k] > o) k--
    return vals[k]
}

let cn = 0
function emit(start: number, v: number): void {
    if (cn > 0 && cVal[cn - 1] === v) return // same value as the run before: one run
    cStart[cn] = start
    cVal[cn] = v
    cn++
}

/**
 * C = A (na runs over the whole chunk) with [o, o + len) replaced by the B runs (nb runs whose
 * starts are relative to `bFrom`, the offset in B's own chunk that lands on o). Returns C's count.
 */
export function spliceRuns(na: number, o: number, len: number, nb: number, bFrom: number, chunk: number): number {
    cn = 0
    // A before o
    for (let k = 0; k < na && aStart[k] < o; k++) emit(aStart[k], aVal[k])
    // B's runs that overlap [bFrom, bFrom + len), moved to o
    for (let k = 0; k < nb; k++) {
        const s = bStart[k]
        const e = k + 1 < nb ? bStart[k + 1] : chunk
        if (e <= bFrom || s >= bFrom + len) continue
        emit(o + (s > bFrom ? s - bFrom : 0), bVal[k])
    }
    // A from o + len on (the run covering o + len restarts there)
    const end = o + len
    if (end < chunk) {
        emit(end, runByte(aStart, aVal, na, end))
        for (let k = 0; k < na; k++) if (aStart[k] > end) emit(aStart[k], aVal[k])
    }
    return cn
}

/** The byte at offset o of the runs in the slot at `at` (read in place). */
export function slotByte(buf: Buffer, at: number, o: number): number {
    let k = buf[at] - 1
    while (k > 0 && buf.getAt(at + 1 + k * 3, "u16") > o) k--
    return buf[at + 3 + k * 3]
}
