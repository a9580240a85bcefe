// Handlers for the less frequent ops (Op.MISC_BASE and up): memory access other than i32,
// globals of 8 bytes, bulk memory, tables, references and select. Each takes the pc of its
// opcode and the frame pointer, and returns the pc of the next instruction.
// Operand layouts are documented in ../opcodes.ts.

import { S, code, inst, mem, ex, chargeBulk } from "../state"
import { LoadKind, Op, StoreKind } from "../opcodes"
import { CHUNK, CHUNK_MASK, CHUNK_SHIFT } from "../memory-layout"
import { DataRec, ElemRec, Sec } from "../image-format"
import { copyElemItems } from "../instance"
import { trap, TRAP_MEMORY_OOB, TRAP_TABLE_OOB } from "../trap"

export type MiscOp = (pc: number, fp: number) => number

function reg(pc: number): number {
    return code.getAt(pc, "u16")
}

function u32(pc: number): number {
    return code.getAt(pc, "u32")
}

/** Unsigned value of the i32 in a register (memory addresses and lengths are u32). */
function regU32(fp: number, pc: number): number {
    return S.getAt(fp + code.getAt(pc, "u16"), "i32") >>> 0
}

function globalGet64(pc: number, fp: number): number {
    const g = u32(pc + 3)
    S.blitAt(fp + reg(pc + 1), inst.globalBufs[g], inst.globalOffs[g], 8)
    return pc + 7
}

function globalSet64(pc: number, fp: number): number {
    const g = u32(pc + 1)
    inst.globalBufs[g].blitAt(inst.globalOffs[g], S, fp + reg(pc + 5), 8)
    return pc + 7
}

// load and store are the hottest handlers here: they read operands in words (as the run loop
// does) and take a page-backed chunk directly, leaving chunk edges, untouched and uniform chunks
// to Memory. LOAD_A / STORE_A share them: the same layout plus an addend at the end.

function load(pc: number, fp: number): number {
    const w = code.getAt(pc, "i32") // op, kind, d
    const kind = (w >>> 8) & 0xff
    const d = fp + (w >>> 16)
    let base = S.getAt(fp + code.getAt(pc + 4, "u16"), "i32")
    let next = pc + 10
    if ((w & 0xff) === Op.LOAD_A) {
        base = (base + code.getAt(pc + 10, "i32")) | 0
        next = pc + 14
    }
    const ea = (base >>> 0) + code.getAt(pc + 6, "u32")
    // bytes the kind reads (inline: a helper call would cost as much as the load)
    const n = kind <= LoadKind.F64 ? (kind === LoadKind.F32 ? 4 : 8) : kind <= LoadKind.I32_16U ? (kind <= LoadKind.I32_8U ? 1 : 2) : kind <= LoadKind.I64_8U ? 1 : kind <= LoadKind.I64_16U ? 2 : 4
    if (mem === null || ea + n > mem.byteLength) trap(TRAP_MEMORY_OOB)
    const o = ea & CHUNK_MASK
    const ci = ea >>> CHUNK_SHIFT
    // its chunk-table entry: Memory.chunk(ci) written out, as in the run loop (a method call
    // costs as much as the access itself)
    const p = ci < mem.tableChunks ? mem.buf.getAt(mem.table + (ci << 2), "i32") : -1
    const direct = o <= CHUNK - n && p >= 0
    if (n === 8) {
        if (direct) S.blitAt(d, mem.buf, p + o, 8)
        else {
            S.setAt(d, "i32", mem.load(ea, 4))
            S.setAt(d + 4, "i32", mem.load(ea + 4, 4))
        }
        return next
    }
    let v: number
    if (!direct) v = mem.load(ea, n)
    else if (n === 4) v = mem.buf.getAt(p + o, "i32")
    else if (n === 1) v = mem.buf[p + o]
    else v = mem.buf.getAt(p + o, "u16")
    if (kind === LoadKind.F32) {
        S.setAt(d, "i32", v)
        return next
    }
    const signed = kind === LoadKind.I32_8S || kind === LoadKind.I32_16S || kind === LoadKind.I64_8S || kind === LoadKind.I64_16S || kind === LoadKind.I64_32S
    if (signed && n === 1) v = (v << 24) >> 24
    else if (signed && n === 2) v = (v << 16) >> 16
    S.setAt(d, "i32", v | 0)
    if (kind >= LoadKind.I64_8S) S.setAt(d + 4, "i32", signed && v < 0 ? -1 : 0)
    return next
}

function store(pc: number, fp: number): number {
    const w = code.getAt(pc, "i32") // op, kind, base
    const kind = (w >>> 8) & 0xff
    let base = S.getAt(fp + (w >>> 16), "i32")
    const v = fp + code.getAt(pc + 4, "u16")
    let next = pc + 10
    if ((w & 0xff) === Op.STORE_A) {
        base = (base + code.getAt(pc + 10, "i32")) | 0
        next = pc + 14
    }
    const ea = (base >>> 0) + code.getAt(pc + 6, "u32")
    const n = kind === StoreKind.I64 ? 8 : kind === StoreKind.I8 ? 1 : kind === StoreKind.I16 ? 2 : 4
    if (mem === null || ea + n > mem.byteLength) trap(TRAP_MEMORY_OOB)
    const o = ea & CHUNK_MASK
    const ci = ea >>> CHUNK_SHIFT
    const p = ci < mem.tableChunks ? mem.buf.getAt(mem.table + (ci << 2), "i32") : -1
    if (o <= CHUNK - n && p >= 0) {
        const at = p + o
        if (n === 8) mem.buf.blitAt(at, S, v, 8)
        else if (n === 4) mem.buf.setAt(at, "i32", S.getAt(v, "i32"))
        else if (n === 1) mem.buf[at] = S[v] // the low byte (little endian)
        else mem.buf.setAt(at, "u16", S.getAt(v, "u16"))
        return next
    }
    mem.store(ea, n === 8 ? 4 : n, S.getAt(v, "i32"))
    if (n === 8) mem.store(ea + 4, 4, S.getAt(v + 4, "i32"))
    return next
}

function memoryFill(pc: number, fp: number): number {
    const dst = regU32(fp, pc + 1)
    const value = S.getAt(fp + reg(pc + 3), "i32")
    const n = regU32(fp, pc + 5)
    if (dst + n > mem.byteLength) trap(TRAP_MEMORY_OOB)
    mem.fill(dst, value, n)
    return pc + 7
}

function memoryCopy(pc: number, fp: number): number {
    const dst = regU32(fp, pc + 1)
    const src = regU32(fp, pc + 3)
    const n = regU32(fp, pc + 5)
    if (dst + n > mem.byteLength || src + n > mem.byteLength) trap(TRAP_MEMORY_OOB)
    // A long copy over run-length chunks is done in parts: this instruction runs again after a
    // yield (same pc and fp) and goes on where the execution noted it stopped.
    const resumed = ex.bulkPc === pc && ex.bulkFp === fp
    const done = mem.copyPart(dst, src, n, resumed ? ex.bulkDone : 0)
    if (done < n) {
        ex.bulkPc = pc
        ex.bulkFp = fp
        ex.bulkDone = done
        chargeBulk(1000000) // ends the slice
        return pc
    }
    ex.bulkPc = -1
    return pc + 7
}

/**
 * The rare misc ops in one handler, told apart by their opcode (each DeviceScript function costs
 * 16 B of descriptor on top of its code): memory.size/grow/init, data.drop, the table ops,
 * elem.drop and ref.func. memory.fill/copy (memset and memcpy), select and the wide globals,
 * loads and stores have handlers of their own.
 */
function rareOp(pc: number, fp: number): number {
    const op = code[pc]
    if (op === Op.MEMORY_SIZE) {
        S.setAt(fp + reg(pc + 1), "i32", mem.pages)
        return pc + 3
    }
    if (op === Op.MEMORY_GROW) {
        const delta = regU32(fp, pc + 3)
        S.setAt(fp + reg(pc + 1), "i32", mem.grow(delta))
        return pc + 5
    }
    const m = inst.module
    if (op === Op.MEMORY_INIT) {
        const seg = u32(pc + 1)
        const dst = regU32(fp, pc + 5)
        const src = regU32(fp, pc + 7)
        const n = regU32(fp, pc + 9)
        const rec = m.offset(Sec.DATAS) + seg * DataRec.SIZE
        const len = inst.dropped[seg] !== 0 ? 0 : m.image.getAt(rec + DataRec.LENGTH, "u32")
        if (src + n > len || dst + n > mem.byteLength) trap(TRAP_MEMORY_OOB)
        mem.writeBytes(dst, m.image, m.image.getAt(rec + DataRec.BYTES, "u32") + src, n)
        return pc + 11
    }
    if (op === Op.DATA_DROP || op === Op.ELEM_DROP) {
        // the instance's flags: data segments first, then element segments
        inst.dropped[(op === Op.ELEM_DROP ? m.count(Sec.DATAS) : 0) + u32(pc + 1)] = 1
        return pc + 5
    }
    if (op === Op.REF_FUNC) {
        S.setAt(fp + reg(pc + 1), "i32", inst.handleBase + u32(pc + 3))
        return pc + 7
    }
    if (op === Op.TABLE_INIT) {
        const seg = u32(pc + 1)
        const t = inst.tables[u32(pc + 5)]
        const d = regU32(fp, pc + 9)
        const s = regU32(fp, pc + 11)
        const n = regU32(fp, pc + 13)
        const rec = m.offset(Sec.ELEMS) + seg * ElemRec.SIZE
        const len = inst.dropped[m.count(Sec.DATAS) + seg] !== 0 ? 0 : m.image.getAt(rec + ElemRec.COUNT, "u32")
        if (s + n > len || d + n > t.size) trap(TRAP_TABLE_OOB)
        copyElemItems(inst, t, d, m.image.getAt(rec + ElemRec.ITEMS, "u32") + s, n)
        chargeBulk(2 * n) // ~15 DeviceScript steps an element
        return pc + 15
    }
    // the other table ops: U table, then registers
    const t = inst.tables[u32(pc + 1)]
    if (op === Op.TABLE_GET) {
        S.setAt(fp + reg(pc + 5), "i32", t.get(S.getAt(fp + reg(pc + 7), "i32")))
        return pc + 9
    }
    if (op === Op.TABLE_SET) {
        t.set(S.getAt(fp + reg(pc + 5), "i32"), S.getAt(fp + reg(pc + 7), "i32"))
        return pc + 9
    }
    if (op === Op.TABLE_SIZE) {
        S.setAt(fp + reg(pc + 5), "i32", t.size)
        return pc + 7
    }
    if (op === Op.TABLE_GROW) {
        const init = S.getAt(fp + reg(pc + 7), "i32")
        const n = regU32(fp, pc + 9)
        S.setAt(fp + reg(pc + 5), "i32", t.grow(n, init, inst.limits.maxTableSize))
        return pc + 11
    }
    if (op === Op.TABLE_FILL) {
        const i = regU32(fp, pc + 5)
        const v = S.getAt(fp + reg(pc + 7), "i32")
        const n = regU32(fp, pc + 9)
        if (i + n > t.size) trap(TRAP_TABLE_OOB)
        t.fill(i, v, n)
        chargeBulk(8)
        return pc + 11
    }
    // TABLE_COPY: U dst table, U src table, R d, R s, R n
    const st = inst.tables[u32(pc + 5)]
    const d = regU32(fp, pc + 9)
    const s = regU32(fp, pc + 11)
    const n = regU32(fp, pc + 13)
    if (d + n > t.size || s + n > st.size) trap(TRAP_TABLE_OOB)
    t.copyFrom(st, d, s, n)
    chargeBulk(8)
    return pc + 15
}

function select32(pc: number, fp: number): number {
    const ab = code.getAt(pc + 3, "i32") // both candidates
    const src = S.getAt(fp + code.getAt(pc + 7, "u16"), "i32") !== 0 ? ab & 0xffff : ab >>> 16
    S.setAt(fp + ((code.getAt(pc, "i32") >>> 8) & 0xffff), "i32", S.getAt(fp + src, "i32"))
    return pc + 9
}

function select64(pc: number, fp: number): number {
    const c = S.getAt(fp + reg(pc + 7), "i32")
    const src = fp + reg(c !== 0 ? pc + 3 : pc + 5)
    const d = fp + reg(pc + 1)
    S.setAt(d, "i32", S.getAt(src, "i32"))
    S.setAt(d + 4, "i32", S.getAt(src + 4, "i32"))
    return pc + 9
}

function unused(pc: number, fp: number): number {
    return trap("internal error: unused opcode")
}

/** Indexed by op - Op.MISC_BASE; the order is the order of Op's misc range. */
export const MISC: MiscOp[] = [
    globalGet64,
    globalSet64,
    load,
    store,
    rareOp, // MEMORY_SIZE
    rareOp, // MEMORY_GROW
    memoryFill,
    memoryCopy,
    rareOp, // MEMORY_INIT
    rareOp, // DATA_DROP
    rareOp, // TABLE_GET
    rareOp, // TABLE_SET
    rareOp, // TABLE_SIZE
    rareOp, // TABLE_GROW
    rareOp, // TABLE_FILL
    rareOp, // TABLE_COPY
    rareOp, // TABLE_INIT
    rareOp, // ELEM_DROP
    rareOp, // REF_FUNC
    select32,
    select64,
    unused,
    load, // LOAD_A
    store, // STORE_A
]
