// Runtime helpers for generated code: tables (indirect calls, get/set) and the bulk memory and
// table instructions. Each checks its whole range first and traps with the spec's message
// before touching anything.

import {
    trap,
    TRAP_INDIRECT_TYPE,
    TRAP_MEMORY_OOB,
    TRAP_TABLE_OOB,
    TRAP_UNDEFINED_ELEMENT,
    TRAP_UNINITIALIZED_ELEMENT,
} from "../../interpreter/trap"
import type { JitMemory } from "./memory"
import type { JitTable } from "./table"

/** What data.drop / elem.drop leave behind. */
export const EMPTY_BYTES = new Uint8Array(0)
export const EMPTY_ELEMS: unknown[] = []

/** A generated (or host) function carries its signature key (function-source.ts sigKey). */
export type WasmFunction = ((...args: unknown[]) => unknown) & { sig: string }

/** call_indirect: the function at table index i, checked against the expected signature. */
export function callee(t: JitTable, i: number, sig: string): WasmFunction {
    const e = t.elems
    i = i >>> 0
    if (i >= e.length) trap(TRAP_UNDEFINED_ELEMENT + " " + i)
    const f = e[i] as WasmFunction
    if (f === null) trap(TRAP_UNINITIALIZED_ELEMENT + " " + i)
    if (f.sig !== sig) trap(TRAP_INDIRECT_TYPE)
    return f
}

export function tableGet(t: JitTable, i: number): unknown {
    i = i >>> 0
    if (i >= t.elems.length) trap(TRAP_TABLE_OOB)
    return t.elems[i]
}

export function tableSet(t: JitTable, i: number, v: unknown): void {
    i = i >>> 0
    if (i >= t.elems.length) trap(TRAP_TABLE_OOB)
    t.elems[i] = v
}

export function tableInit(t: JitTable, segs: unknown[][], x: number, d: number, s: number, n: number): void {
    const seg = segs[x]
    d >>>= 0
    s >>>= 0
    n >>>= 0
    if (s + n > seg.length || d + n > t.elems.length) trap(TRAP_TABLE_OOB)
    for (let k = 0; k < n; k++) t.elems[d + k] = seg[s + k]
}

export function tableCopy(dst: JitTable, src: JitTable, d: number, s: number, n: number): void {
    d >>>= 0
    s >>>= 0
    n >>>= 0
    if (s + n > src.elems.length || d + n > dst.elems.length) trap(TRAP_TABLE_OOB)
    const part = src.elems.slice(s, s + n)
    for (let k = 0; k < n; k++) dst.elems[d + k] = part[k]
}

export function tableFill(t: JitTable, i: number, v: unknown, n: number): void {
    i >>>= 0
    n >>>= 0
    if (i + n > t.elems.length) trap(TRAP_TABLE_OOB)
    t.elems.fill(v, i, i + n)
}

export function memoryInit(m: JitMemory, segs: Uint8Array[], x: number, d: number, s: number, n: number): void {
    const seg = segs[x]
    d >>>= 0
    s >>>= 0
    n >>>= 0
    if (s + n > seg.length || d + n > m.byteLength) trap(TRAP_MEMORY_OOB)
    m.u8.set(seg.subarray(s, s + n), d)
}

export function memoryCopy(m: JitMemory, d: number, s: number, n: number): void {
    d >>>= 0
    s >>>= 0
    n >>>= 0
    if (s + n > m.byteLength || d + n > m.byteLength) trap(TRAP_MEMORY_OOB)
    m.u8.copyWithin(d, s, s + n)
}

export function memoryFill(m: JitMemory, d: number, v: number, n: number): void {
    d >>>= 0
    n >>>= 0
    if (d + n > m.byteLength) trap(TRAP_MEMORY_OOB)
    m.u8.fill(v & 0xff, d, d + n)
}
