// Writes a validated WasmModule as a device image (layout: interpreter/image-format.ts).
// The code blob comes right after the header so that branch targets, which are absolute image
// offsets, are known while each function is compiled.

import { ConstExpr, FuncType, ValType, WasmModule } from "../wasm-types"
import {
    DataRec,
    ElemRec,
    ExportRec,
    ExprKind,
    ExprRec,
    ExternKind,
    FuncRec,
    GlobalRec,
    HEADER_SIZE,
    Hdr,
    IMAGE_MAGIC,
    IMAGE_VERSION,
    CODE_TAIL,
    ImportRec,
    MemRec,
    NO_MAX,
    Sec,
    SegMode,
    TableRec,
    TypeRec,
    imageChecksum,
} from "../../interpreter/image-format"
import { installDeviceScriptBuffer } from "../../interpreter/platform/node-buffer"
import { ByteWriter } from "./byte-writer"
import { CompiledFunction, FunctionCompiler } from "./function-compiler"
import { ModuleIndex } from "./module-index"
import { ImportCostFn, StackBound, stackBound } from "../stack-bound"

const EXTERN_KIND: Record<string, number> = {
    func: ExternKind.FUNC,
    table: ExternKind.TABLE,
    memory: ExternKind.MEMORY,
    global: ExternKind.GLOBAL,
}

function sameType(a: FuncType, b: FuncType): boolean {
    return (
        a.params.length === b.params.length &&
        a.results.length === b.results.length &&
        a.params.every((t, i) => t === b.params[i]) &&
        a.results.every((t, i) => t === b.results[i])
    )
}

/** A fixed-size record table; fields are written by offset inside each record. */
class RecordTable {
    readonly data: Uint8Array
    private view: DataView
    constructor(readonly count: number, readonly recSize: number) {
        this.data = new Uint8Array(count * recSize)
        this.view = new DataView(this.data.buffer)
    }
    u8(rec: number, field: number, v: number) {
        this.view.setUint8(rec * this.recSize + field, v & 0xff)
    }
    u16(rec: number, field: number, v: number) {
        this.view.setUint16(rec * this.recSize + field, v & 0xffff, true)
    }
    u32(rec: number, field: number, v: number) {
        this.view.setUint32(rec * this.recSize + field, v >>> 0, true)
    }
}

function writeExpr(t: RecordTable, rec: number, field: number, e: ConstExpr): void {
    let kind: number
    let a = 0
    let b = 0
    switch (e.op) {
        case "i32.const":
            kind = ExprKind.I32
            a = e.value
            break
        case "i64.const":
            kind = ExprKind.I64
            a = e.lo
            b = e.hi
            break
        case "f32.const":
            kind = ExprKind.F32
            a = e.bits
            break
        case "f64.const":
            kind = ExprKind.F64
            a = e.lo
            b = e.hi
            break
        case "ref.null":
            kind = ExprKind.REF_NULL
            break
        case "ref.func":
            kind = ExprKind.REF_FUNC
            a = e.funcIndex
            break
        case "global.get":
            kind = ExprKind.GLOBAL_GET
            a = e.globalIndex
            break
    }
    t.u8(rec, field + ExprRec.KIND, kind)
    t.u32(rec, field + ExprRec.A, a)
    t.u32(rec, field + ExprRec.B, b)
}

export interface ImageStats {
    codeBytes: number
    functions: { index: number; codeBytes: number; frameSlots: number }[]
    /** The stacks a call into the module needs (what the header records), when asked for. */
    stack?: StackBound
}

/**
 * Writes the image of a validated module. importCost says what calling each imported function
 * costs the caller's stacks (see stack-bound.ts; default: WASI's are host functions, the rest
 * unknown), for the header's stack bound.
 */
export function writeImage(m: WasmModule, stats?: ImageStats, importCost?: ImportCostFn): Uint8Array {
    const w = new ByteWriter()
    for (let i = 0; i < HEADER_SIZE; i++) w.u8(0)
    const sections: [number, number][] = []
    for (let s = 0; s < Sec.COUNT; s++) sections.push([0, 0])

    // ---- code first (absolute branch targets)
    const index = new ModuleIndex(m)
    const importedFuncCount = index.importedFuncCount
    const funcs = new RecordTable(m.funcs.length, FuncRec.SIZE)
    const codeStart = w.length
    for (let f = 0; f < m.funcs.length; f++) {
        const type = m.types[m.funcs[f]]
        const body = m.bodies[f]
        const start = w.length
        // Compiled twice when the first pass finds constants inside loops: the second keeps
        // them in slots written once per call (see PooledConst).
        const trial = new FunctionCompiler(index, importedFuncCount + f, type, body.locals, body.instrs, new ByteWriter()).compile()
        const fc = new FunctionCompiler(index, importedFuncCount + f, type, body.locals, body.instrs, w, trial.loopConstants)
        const compiled: CompiledFunction = fc.compile()
        funcs.u32(f, FuncRec.CODE, start)
        funcs.u16(f, FuncRec.TYPE, m.funcs[f])
        funcs.u16(f, FuncRec.PARAM_SLOTS, compiled.paramSlots)
        funcs.u16(f, FuncRec.LOCAL_SLOTS, compiled.localSlots)
        funcs.u16(f, FuncRec.FRAME_SLOTS, compiled.frameSlots)
        funcs.u32(f, FuncRec.CODE_END, w.length)
        stats?.functions.push({ index: importedFuncCount + f, codeBytes: w.length - start, frameSlots: compiled.frameSlots })
    }
    sections[Sec.CODE] = [codeStart, w.length - codeStart]
    if (stats) stats.codeBytes = w.length - codeStart
    for (let i = 0; i < CODE_TAIL; i++) w.u8(0)

    // ---- variable-length data: strings and signatures
    const strings = new Map<string, number>()
    const stringOffset = (s: string): number => {
        let off = strings.get(s)
        if (off === undefined) {
            const bytes = new TextEncoder().encode(s)
            off = w.length
            w.u16(bytes.length)
            w.bytes(bytes)
            strings.set(s, off)
        }
        return off
    }
    const types = new RecordTable(m.types.length, TypeRec.SIZE)
    m.types.forEach((t, i) => {
        types.u32(i, TypeRec.SIG, w.length)
        w.u8(t.params.length)
        w.u8(t.results.length)
        for (const p of t.params) w.u8(p)
        for (const r of t.results) w.u8(r)
        const canon = m.types.findIndex(u => sameType(t, u))
        types.u16(i, TypeRec.CANON, canon)
    })
    const dataOffsets = m.datas.map(d => {
        const off = w.length
        w.bytes(d.bytes)
        return off
    })

    const imports = new RecordTable(m.imports.length, ImportRec.SIZE)
    m.imports.forEach((im, i) => {
        imports.u8(i, ImportRec.KIND, EXTERN_KIND[im.desc.kind])
        imports.u32(i, ImportRec.MODULE, stringOffset(im.module))
        imports.u32(i, ImportRec.NAME, stringOffset(im.name))
        imports.u32(i, ImportRec.MAX, NO_MAX)
        const d = im.desc
        if (d.kind === "func") imports.u32(i, ImportRec.INDEX, d.typeIndex)
        else if (d.kind === "global") {
            imports.u8(i, ImportRec.VALTYPE, d.global.type)
            imports.u8(i, ImportRec.MUT, d.global.mutable ? 1 : 0)
        } else {
            const limits = d.kind === "table" ? d.table.limits : d.limits
            if (d.kind === "table") imports.u8(i, ImportRec.VALTYPE, d.table.elem)
            imports.u32(i, ImportRec.MIN, limits.min)
            imports.u32(i, ImportRec.MAX, limits.max ?? NO_MAX)
        }
    })

    const tables = new RecordTable(m.tables.length, TableRec.SIZE)
    m.tables.forEach((t, i) => {
        tables.u8(i, TableRec.ELEM, t.elem)
        tables.u32(i, TableRec.MIN, t.limits.min)
        tables.u32(i, TableRec.MAX, t.limits.max ?? NO_MAX)
    })
    const mems = new RecordTable(m.memories.length, MemRec.SIZE)
    m.memories.forEach((l, i) => {
        mems.u32(i, MemRec.MIN, l.min)
        mems.u32(i, MemRec.MAX, l.max ?? NO_MAX)
    })
    const globals = new RecordTable(m.globals.length, GlobalRec.SIZE)
    m.globals.forEach((g, i) => {
        globals.u8(i, GlobalRec.VALTYPE, g.type.type)
        globals.u8(i, GlobalRec.MUT, g.type.mutable ? 1 : 0)
        writeExpr(globals, i, GlobalRec.INIT, g.init)
    })
    const exports = new RecordTable(m.exports.length, ExportRec.SIZE)
    m.exports.forEach((e, i) => {
        exports.u8(i, ExportRec.KIND, EXTERN_KIND[e.kind])
        exports.u32(i, ExportRec.INDEX, e.index)
        exports.u32(i, ExportRec.NAME, stringOffset(e.name))
    })
    const itemCount = m.elems.reduce((n, e) => n + e.items.length, 0)
    const items = new RecordTable(itemCount, ExprRec.SIZE)
    const elems = new RecordTable(m.elems.length, ElemRec.SIZE)
    let item = 0
    m.elems.forEach((e, i) => {
        const mode = e.mode.kind === "active" ? SegMode.ACTIVE : e.mode.kind === "passive" ? SegMode.PASSIVE : SegMode.DECLARATIVE
        elems.u8(i, ElemRec.MODE, mode)
        elems.u8(i, ElemRec.ELEM, e.type)
        if (e.mode.kind === "active") {
            elems.u32(i, ElemRec.TABLE, e.mode.table)
            writeExpr(elems, i, ElemRec.OFFSET, e.mode.offset)
        }
        elems.u32(i, ElemRec.ITEMS, item)
        elems.u32(i, ElemRec.COUNT, e.items.length)
        for (const it of e.items) writeExpr(items, item++, 0, it)
    })
    const datas = new RecordTable(m.datas.length, DataRec.SIZE)
    m.datas.forEach((d, i) => {
        datas.u8(i, DataRec.MODE, d.mode.kind === "active" ? SegMode.ACTIVE : SegMode.PASSIVE)
        if (d.mode.kind === "active") writeExpr(datas, i, DataRec.OFFSET, d.mode.offset)
        datas.u32(i, DataRec.BYTES, dataOffsets[i])
        datas.u32(i, DataRec.LENGTH, d.bytes.length)
    })

    const place = (sec: number, t: RecordTable) => {
        while (w.length & 3) w.u8(0) // records start word-aligned
        sections[sec] = [w.length, t.count]
        w.bytes(t.data)
    }
    place(Sec.TYPES, types)
    place(Sec.IMPORTS, imports)
    place(Sec.FUNCS, funcs)
    place(Sec.TABLES, tables)
    place(Sec.MEMORIES, mems)
    place(Sec.GLOBALS, globals)
    place(Sec.EXPORTS, exports)
    place(Sec.ELEMS, elems)
    place(Sec.DATAS, datas)
    place(Sec.ELEM_ITEMS, items)
    sections[Sec.START] = m.start === undefined ? [0, 0] : [m.start, 1]
    while (w.length & 3) w.u8(0)

    // ---- header
    w.patchU32(Hdr.MAGIC, IMAGE_MAGIC)
    w.patchU16(Hdr.VERSION, IMAGE_VERSION)
    w.patchU16(Hdr.FLAGS, 0)
    w.patchU32(Hdr.LENGTH, w.length)
    sections.forEach(([off, count], s) => {
        w.patchU32(Hdr.SECTIONS + s * 8, off)
        w.patchU32(Hdr.SECTIONS + s * 8 + 4, count)
    })
    const bytes = w.toBytes()
    // the stacks a call needs, from the code as written (the header's sections are in place)
    const bound = stackBound(bytes, m, importCost)
    if (stats) stats.stack = bound
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    view.setUint32(Hdr.STACK_BYTES, bound.stackBytes, true)
    view.setUint32(Hdr.CALL_DEPTH, bound.callDepth, true)
    // The loader's own checksum function, run on a Buffer (DeviceScript's getAt via the shim).
    installDeviceScriptBuffer()
    const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    buf.writeInt32LE(imageChecksum(buf, Hdr.CHECKSUM + 4, bytes.length, 0x811c9dc5 | 0), Hdr.CHECKSUM)
    return bytes
}
