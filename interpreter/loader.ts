// Loads a device image (image-format.ts) without trusting it: checks the checksum, then that
// every table, string, data segment and function lies inside the image and every index is in
// range, so that nothing later reads outside the image or follows a wild index.
// The image itself is kept as is (it may live in flash); records are read in place with getAt.

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
    Sec,
    TableRec,
    TypeRec,
    imageChecksum,
} from "./image-format"
import { CodeVerifier, VERIFY_STEP_INSTRS } from "./verify"
import { yieldSlice } from "./platform/index"

export class ImageError extends Error {
    constructor(message: string) {
        super("bad image: " + message)
        this.name = "ImageError"
    }
}

function fail(msg: string): never {
    throw new ImageError(msg)
}

/**
 * A checked image. Every installed app keeps one on the heap, so it holds only what the run loop
 * reads often; the other section offsets and counts are read from the image header on demand
 * (the loader checked them, and the image does not change afterwards).
 */
export class LoadedModule {
    image: Buffer
    typesOff = 0
    funcsOff = 0
    funcCount = 0 // defined functions
    // counts of imports by kind (they come first in each index space)
    importedFuncs = 0
    importedTables = 0
    importedGlobals = 0
    /** Memories, imported or defined (0 or 1). */
    memories = 0
    start = -1

    constructor(image: Buffer) {
        this.image = image
    }

    /** Offset of section s's first record (Sec.CODE: of the code blob). */
    offset(s: Sec): number {
        return this.image.getAt(Hdr.SECTIONS + s * 8, "u32")
    }

    /** Number of records in section s (Sec.CODE: the code's length in bytes). */
    count(s: Sec): number {
        return this.image.getAt(Hdr.SECTIONS + s * 8 + 4, "u32")
    }

    totalFuncs(): number {
        return this.importedFuncs + this.funcCount
    }
    totalTables(): number {
        return this.importedTables + this.count(Sec.TABLES)
    }
    totalGlobals(): number {
        return this.importedGlobals + this.count(Sec.GLOBALS)
    }

    /** A string stored as [u16 len][utf-8]. */
    str(off: number): string {
        const n = this.image.getAt(off, "u16")
        return this.image.slice(off + 2, off + 2 + n).toString()
    }

    /** Byte offset of the signature [np][nr][types...] of type t. */
    sig(t: number): number {
        return this.image.getAt(this.typesOff + t * TypeRec.SIZE + TypeRec.SIG, "u32")
    }

    canonType(t: number): number {
        return this.image.getAt(this.typesOff + t * TypeRec.SIZE + TypeRec.CANON, "u16")
    }

    /** Type index of function f (imported or defined). */
    funcType(f: number): number {
        if (f < this.importedFuncs) {
            let seen = 0
            const importsOff = this.offset(Sec.IMPORTS)
            for (let i = 0; i < this.count(Sec.IMPORTS); i++) {
                const rec = importsOff + i * ImportRec.SIZE
                if (this.image[rec + ImportRec.KIND] !== ExternKind.FUNC) continue
                if (seen === f) return this.image.getAt(rec + ImportRec.INDEX, "u32")
                seen++
            }
        }
        return this.image.getAt(this.funcsOff + (f - this.importedFuncs) * FuncRec.SIZE + FuncRec.TYPE, "u16")
    }

    /** Index of the export called `name` of the given kind, or -1. */
    findExport(name: string | Buffer, kind: number): number {
        const rec = this.exportRecord(name)
        if (rec < 0 || this.image[rec + ExportRec.KIND] !== kind) return -1
        return this.image.getAt(rec + ExportRec.INDEX, "u32")
    }

    /**
     * Offset of the export record called `name` (a string or its UTF-8 bytes), or -1. Names are
     * compared as UTF-8 bytes: DeviceScript's strings are lossy (U+FFFF becomes U+FFFD), bytes are not.
     */
    exportRecord(name: string | Buffer): number {
        const want = typeof name === "string" ? Buffer.from(name as string) : (name as Buffer)
        const img = this.image
        const exportsOff = this.offset(Sec.EXPORTS)
        const exportCount = this.count(Sec.EXPORTS)
        for (let i = 0; i < exportCount; i++) {
            const rec = exportsOff + i * ExportRec.SIZE
            const s = img.getAt(rec + ExportRec.NAME, "u32")
            const n = img.getAt(s, "u16")
            if (n !== want.length) continue
            let k = 0
            while (k < n && img[s + 2 + k] === want[k]) k++
            if (k === n) return rec
        }
        return -1
    }
}

/** Checks the header; returns the image length. */
function checkHeader(image: Buffer): number {
    const len = image.length
    if (len < HEADER_SIZE) fail(`truncated: ${len} bytes is shorter than the header`)
    if (image.getAt(Hdr.MAGIC, "u32") !== IMAGE_MAGIC) fail("not a wasmlet image (magic)")
    const version = image.getAt(Hdr.VERSION, "u16")
    if (version !== IMAGE_VERSION) fail(`unsupported image version ${version}`)
    const declared = image.getAt(Hdr.LENGTH, "u32")
    if (declared !== len) fail(`length mismatch: header says ${declared}, got ${len} (truncated upload?)`)
    return len
}

/** Bytes checksummed per step: keeps one step far below DeviceScript's 128K-op slice. */
const CHECKSUM_STEP = 4096

/**
 * Loading as a resumable job: each step() does a bounded amount of work, so the device can
 * yield between steps (a 40 KB image would otherwise trip DeviceScript's InfiniteLoop guard).
 */
export class LoadJob {
    module: LoadedModule = null
    private len: number
    private sumAt = Hdr.CHECKSUM + 4
    private sum = 0x811c9dc5 | 0
    private func = 0
    private verifier: CodeVerifier = null

    constructor(private readonly image: Buffer) {
        this.len = checkHeader(image)
    }

    /** Does some work; true when the module is loaded and fully checked. Throws ImageError. */
    step(): boolean {
        const image = this.image
        if (this.sumAt < this.len) {
            const to = Math.min(this.len, this.sumAt + CHECKSUM_STEP)
            this.sum = imageChecksum(image, this.sumAt, to, this.sum)
            this.sumAt = to
            if (to === this.len && this.sum !== image.getAt(Hdr.CHECKSUM, "i32")) fail("checksum mismatch (corrupt image)")
            return false
        }
        if (this.module === null) {
            this.module = checkTables(image, this.len)
            return false
        }
        // One budget for the whole step, however many (small) functions it covers.
        const m = this.module
        let budget = VERIFY_STEP_INSTRS
        while (this.func < m.funcCount) {
            if (budget <= 0) return false
            if (this.verifier === null) this.verifier = new CodeVerifier(m, this.func)
            budget = this.verifier.step(budget)
            if (budget < 0) return false
            this.verifier = null
            this.func++
        }
        return true
    }
}

/** Parses and checks an image in one go (host side, tests, small images). Throws ImageError. */
export function loadImage(image: Buffer): LoadedModule {
    const job = new LoadJob(image)
    while (!job.step()) {}
    return job.module
}

/** The same, yielding to DeviceScript between steps. */
export async function loadImageAsync(image: Buffer): Promise<LoadedModule> {
    const job = new LoadJob(image)
    while (!job.step()) await yieldSlice()
    return job.module
}

function checkTables(image: Buffer, len: number): LoadedModule {
    const m = new LoadedModule(image)
    const secOff = (s: number) => image.getAt(Hdr.SECTIONS + s * 8, "u32")
    const secCount = (s: number) => image.getAt(Hdr.SECTIONS + s * 8 + 4, "u32")
    const table = (s: number, recSize: number, name: string): number => {
        const off = secOff(s)
        const count = secCount(s)
        if (count > 0 && (off < HEADER_SIZE || off + count * recSize > len)) fail(`${name} table out of bounds`)
        return off
    }
    m.typesOff = table(Sec.TYPES, TypeRec.SIZE, "type")
    const typeCount = secCount(Sec.TYPES)
    const importsOff = table(Sec.IMPORTS, ImportRec.SIZE, "import")
    const importCount = secCount(Sec.IMPORTS)
    m.funcsOff = table(Sec.FUNCS, FuncRec.SIZE, "function")
    m.funcCount = secCount(Sec.FUNCS)
    table(Sec.TABLES, TableRec.SIZE, "table")
    const memCount = secCount(Sec.MEMORIES)
    table(Sec.MEMORIES, MemRec.SIZE, "memory")
    const globalsOff = table(Sec.GLOBALS, GlobalRec.SIZE, "global")
    const globalCount = secCount(Sec.GLOBALS)
    const exportsOff = table(Sec.EXPORTS, ExportRec.SIZE, "export")
    const exportCount = secCount(Sec.EXPORTS)
    const elemsOff = table(Sec.ELEMS, ElemRec.SIZE, "element segment")
    const elemCount = secCount(Sec.ELEMS)
    const datasOff = table(Sec.DATAS, DataRec.SIZE, "data segment")
    const dataCount = secCount(Sec.DATAS)
    const itemsOff = table(Sec.ELEM_ITEMS, ExprRec.SIZE, "element item")
    const itemCount = secCount(Sec.ELEM_ITEMS)
    const codeOff = secOff(Sec.CODE)
    const codeLen = secCount(Sec.CODE)
    if (codeOff < HEADER_SIZE || codeOff + codeLen + CODE_TAIL > len) fail("code out of bounds")

    const checkString = (off: number, what: string) => {
        if (off < HEADER_SIZE || off + 2 > len || off + 2 + image.getAt(off, "u16") > len) fail(`${what} name out of bounds`)
    }
    for (let t = 0; t < typeCount; t++) {
        const s = m.sig(t)
        if (s < HEADER_SIZE || s + 2 > len || s + 2 + image[s] + image[s + 1] > len) fail(`type ${t} out of bounds`)
        if (m.canonType(t) > t) fail(`type ${t} has a bad canonical index`)
    }
    let importedMems = 0
    for (let i = 0; i < importCount; i++) {
        const rec = importsOff + i * ImportRec.SIZE
        checkString(image.getAt(rec + ImportRec.MODULE, "u32"), "import module")
        checkString(image.getAt(rec + ImportRec.NAME, "u32"), "import")
        const kind = image[rec + ImportRec.KIND]
        if (kind === ExternKind.FUNC) {
            if (image.getAt(rec + ImportRec.INDEX, "u32") >= typeCount) fail(`import ${i} has an unknown type`)
            m.importedFuncs++
        } else if (kind === ExternKind.TABLE) m.importedTables++
        else if (kind === ExternKind.MEMORY) importedMems++
        else if (kind === ExternKind.GLOBAL) m.importedGlobals++
        else fail(`import ${i} has unknown kind ${kind}`)
    }
    m.memories = importedMems + memCount
    if (m.memories > 1) fail("more than one memory")
    const startCount = secCount(Sec.START)
    if (startCount === 1) {
        m.start = secOff(Sec.START)
        if (m.start >= m.totalFuncs()) fail("start function out of range")
    } else if (startCount !== 0) fail("bad start section")

    const checkExpr = (off: number, what: string) => {
        const kind = image[off + ExprRec.KIND]
        const a = image.getAt(off + ExprRec.A, "u32")
        if (kind > ExprKind.GLOBAL_GET) fail(`${what}: unknown expression kind ${kind}`)
        if (kind === ExprKind.REF_FUNC && a >= m.totalFuncs()) fail(`${what}: function index out of range`)
        if (kind === ExprKind.GLOBAL_GET && a >= m.totalGlobals()) fail(`${what}: global index out of range`)
    }
    for (let g = 0; g < globalCount; g++) checkExpr(globalsOff + g * GlobalRec.SIZE + GlobalRec.INIT, `global ${g}`)
    for (let i = 0; i < exportCount; i++) {
        const rec = exportsOff + i * ExportRec.SIZE
        checkString(image.getAt(rec + ExportRec.NAME, "u32"), "export")
        const kind = image[rec + ExportRec.KIND]
        const idx = image.getAt(rec + ExportRec.INDEX, "u32")
        const limit =
            kind === ExternKind.FUNC ? m.totalFuncs() : kind === ExternKind.TABLE ? m.totalTables() : kind === ExternKind.MEMORY ? m.memories : kind === ExternKind.GLOBAL ? m.totalGlobals() : 0
        if (idx >= limit) fail(`export ${i} index out of range`)
    }
    for (let i = 0; i < elemCount; i++) {
        const rec = elemsOff + i * ElemRec.SIZE
        const first = image.getAt(rec + ElemRec.ITEMS, "u32")
        const count = image.getAt(rec + ElemRec.COUNT, "u32")
        if (first + count > itemCount) fail(`element segment ${i} items out of range`)
        const mode = image[rec + ElemRec.MODE]
        if (mode > 2) fail(`element segment ${i} has unknown mode ${mode}`)
        if (mode === 0) {
            if (image.getAt(rec + ElemRec.TABLE, "u32") >= m.totalTables()) fail(`element segment ${i} table out of range`)
            checkExpr(rec + ElemRec.OFFSET, `element segment ${i}`)
        }
    }
    for (let i = 0; i < itemCount; i++) checkExpr(itemsOff + i * ExprRec.SIZE, `element item ${i}`)
    for (let i = 0; i < dataCount; i++) {
        const rec = datasOff + i * DataRec.SIZE
        const off = image.getAt(rec + DataRec.BYTES, "u32")
        const n = image.getAt(rec + DataRec.LENGTH, "u32")
        if (n > 0 && (off < HEADER_SIZE || off + n > len)) fail(`data segment ${i} out of bounds`)
        const mode = image[rec + DataRec.MODE]
        if (mode > 1) fail(`data segment ${i} has unknown mode ${mode}`)
        if (mode === 0) {
            if (m.memories === 0) fail(`data segment ${i} without a memory`)
            checkExpr(rec + DataRec.OFFSET, `data segment ${i}`)
        }
    }
    const codeEnd = codeOff + codeLen
    for (let f = 0; f < m.funcCount; f++) {
        const rec = m.funcsOff + f * FuncRec.SIZE
        const start = image.getAt(rec + FuncRec.CODE, "u32")
        const end = image.getAt(rec + FuncRec.CODE_END, "u32")
        if (start < codeOff || end > codeEnd || start >= end) fail(`function ${f} code out of bounds`)
        if (image.getAt(rec + FuncRec.TYPE, "u16") >= typeCount) fail(`function ${f} has an unknown type`)
        const params = image.getAt(rec + FuncRec.PARAM_SLOTS, "u16")
        const locals = image.getAt(rec + FuncRec.LOCAL_SLOTS, "u16")
        const frame = image.getAt(rec + FuncRec.FRAME_SLOTS, "u16")
        if (params + locals > frame || frame * 8 > 0xffff) fail(`function ${f} has a bad frame`)
    }
    return m
}
