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
import { ArenaAccount } from "./arena"
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
    /** The Buffer holding the image: its own, or the arena's (see loadImageInto). */
    image: Buffer
    /** Where the image starts in `image`; every offset the loader hands out is absolute. */
    base = 0
    /** The image's length in bytes. */
    length = 0
    /** The arena account that holds the image (release() gives it back), or null. */
    account: ArenaAccount = null
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
        return this.image.getAt(this.base + Hdr.SECTIONS + s * 8, "u32")
    }

    /** Number of records in section s (Sec.CODE: the code's length in bytes). */
    count(s: Sec): number {
        return this.image.getAt(this.base + Hdr.SECTIONS + s * 8 + 4, "u32")
    }

    /** Gives an image held in the arena back (no instance of it may run any more). */
    release(): void {
        if (this.account !== null) this.account.free(this.base, this.length)
        this.account = null
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

/** Checks the header of the `len` bytes at `base`; returns len. */
function checkHeader(image: Buffer, base: number, len: number): number {
    if (len < HEADER_SIZE) fail(`truncated: ${len} bytes is shorter than the header`)
    if (image.getAt(base + Hdr.MAGIC, "u32") !== IMAGE_MAGIC) fail("not a wasmlet image (magic)")
    const version = image.getAt(base + Hdr.VERSION, "u16")
    if (version !== IMAGE_VERSION) fail(`unsupported image version ${version}`)
    const declared = image.getAt(base + Hdr.LENGTH, "u32")
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

    /** The image is the `len` bytes at `base` in `image` (default: all of it). */
    constructor(
        private readonly image: Buffer,
        private readonly base = 0,
        len = -1,
    ) {
        this.len = checkHeader(image, base, len < 0 ? image.length - base : len)
    }

    /** Does some work; true when the module is loaded and fully checked. Throws ImageError. */
    step(): boolean {
        const image = this.image
        if (this.sumAt < this.len) {
            const to = Math.min(this.len, this.sumAt + CHECKSUM_STEP)
            this.sum = imageChecksum(image, this.base + this.sumAt, this.base + to, this.sum)
            this.sumAt = to
            if (to === this.len && this.sum !== image.getAt(this.base + Hdr.CHECKSUM, "i32")) fail("checksum mismatch (corrupt image)")
            return false
        }
        if (this.module === null) {
            this.module = checkTables(image, this.base, this.len)
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

/**
 * Copies an image into the app's arena account and loads it there, so that the app's code
 * comes out of its quota like everything else it uses. The copy is relocated in place while it
 * is checked; a bad image gives its block back and throws ImageError. module.release() frees it.
 */
export async function loadImageInto(account: ArenaAccount, src: Buffer): Promise<LoadedModule> {
    const buf = account.arena.buf
    const at = account.alloc(src.length, "code")
    try {
        buf.blitAt(at, src, 0, src.length)
        const job = new LoadJob(buf, at, src.length)
        while (!job.step()) await yieldSlice()
        job.module.account = account
        return job.module
    } catch (e) {
        account.free(at, src.length)
        throw e
    }
}

/**
 * Checks every table of the image at `base` (offsets in it are relative to its start), then, for
 * an image that is not at offset 0, relocates them (see relocate).
 */
function checkTables(image: Buffer, base: number, len: number): LoadedModule {
    const m = new LoadedModule(image)
    m.base = base
    m.length = len
    // reads at an image-relative offset
    // (DeviceScript wants a literal format in every getAt: one helper per format)
    const g32 = (off: number) => image.getAt(base + off, "u32")
    const g16 = (off: number) => image.getAt(base + off, "u16")
    const b = (off: number) => image[base + off]
    const secOff = (s: number) => g32(Hdr.SECTIONS + s * 8)
    const secCount = (s: number) => g32(Hdr.SECTIONS + s * 8 + 4)
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
        if (off < HEADER_SIZE || off + 2 > len || off + 2 + g16(off) > len) fail(`${what} name out of bounds`)
    }
    for (let t = 0; t < typeCount; t++) {
        const s = g32(m.typesOff + t * TypeRec.SIZE + TypeRec.SIG)
        if (s < HEADER_SIZE || s + 2 > len || s + 2 + b(s) + b(s + 1) > len) fail(`type ${t} out of bounds`)
        if (g16(m.typesOff + t * TypeRec.SIZE + TypeRec.CANON) > t) fail(`type ${t} has a bad canonical index`)
    }
    let importedMems = 0
    for (let i = 0; i < importCount; i++) {
        const rec = importsOff + i * ImportRec.SIZE
        checkString(g32(rec + ImportRec.MODULE), "import module")
        checkString(g32(rec + ImportRec.NAME), "import")
        const kind = b(rec + ImportRec.KIND)
        if (kind === ExternKind.FUNC) {
            if (g32(rec + ImportRec.INDEX) >= typeCount) fail(`import ${i} has an unknown type`)
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
        const kind = b(off + ExprRec.KIND)
        const a = g32(off + ExprRec.A)
        if (kind > ExprKind.GLOBAL_GET) fail(`${what}: unknown expression kind ${kind}`)
        if (kind === ExprKind.REF_FUNC && a >= m.totalFuncs()) fail(`${what}: function index out of range`)
        if (kind === ExprKind.GLOBAL_GET && a >= m.totalGlobals()) fail(`${what}: global index out of range`)
    }
    for (let g = 0; g < globalCount; g++) checkExpr(globalsOff + g * GlobalRec.SIZE + GlobalRec.INIT, `global ${g}`)
    for (let i = 0; i < exportCount; i++) {
        const rec = exportsOff + i * ExportRec.SIZE
        checkString(g32(rec + ExportRec.NAME), "export")
        const kind = b(rec + ExportRec.KIND)
        const idx = g32(rec + ExportRec.INDEX)
        const limit =
            kind === ExternKind.FUNC ? m.totalFuncs() : kind === ExternKind.TABLE ? m.totalTables() : kind === ExternKind.MEMORY ? m.memories : kind === ExternKind.GLOBAL ? m.totalGlobals() : 0
        if (idx >= limit) fail(`export ${i} index out of range`)
    }
    for (let i = 0; i < elemCount; i++) {
        const rec = elemsOff + i * ElemRec.SIZE
        const first = g32(rec + ElemRec.ITEMS)
        const count = g32(rec + ElemRec.COUNT)
        if (first + count > itemCount) fail(`element segment ${i} items out of range`)
        const mode = b(rec + ElemRec.MODE)
        if (mode > 2) fail(`element segment ${i} has unknown mode ${mode}`)
        if (mode === 0) {
            if (g32(rec + ElemRec.TABLE) >= m.totalTables()) fail(`element segment ${i} table out of range`)
            checkExpr(rec + ElemRec.OFFSET, `element segment ${i}`)
        }
    }
    for (let i = 0; i < itemCount; i++) checkExpr(itemsOff + i * ExprRec.SIZE, `element item ${i}`)
    for (let i = 0; i < dataCount; i++) {
        const rec = datasOff + i * DataRec.SIZE
        const off = g32(rec + DataRec.BYTES)
        const n = g32(rec + DataRec.LENGTH)
        if (n > 0 && (off < HEADER_SIZE || off + n > len)) fail(`data segment ${i} out of bounds`)
        const mode = b(rec + DataRec.MODE)
        if (mode > 1) fail(`data segment ${i} has unknown mode ${mode}`)
        if (mode === 0) {
            if (m.memories === 0) fail(`data segment ${i} without a memory`)
            checkExpr(rec + DataRec.OFFSET, `data segment ${i}`)
        }
    }
    const codeEnd = codeOff + codeLen
    for (let f = 0; f < m.funcCount; f++) {
        const rec = m.funcsOff + f * FuncRec.SIZE
        const start = g32(rec + FuncRec.CODE)
        const end = g32(rec + FuncRec.CODE_END)
        if (start < codeOff || end > codeEnd || start >= end) fail(`function ${f} code out of bounds`)
        if (g16(rec + FuncRec.TYPE) >= typeCount) fail(`function ${f} has an unknown type`)
        const params = g16(rec + FuncRec.PARAM_SLOTS)
        const locals = g16(rec + FuncRec.LOCAL_SLOTS)
        const frame = g16(rec + FuncRec.FRAME_SLOTS)
        if (params + locals > frame || frame * 8 > 0xffff) fail(`function ${f} has a bad frame`)
    }
    if (base !== 0) relocate(m, importCount, exportCount, dataCount)
    return m
}

/**
 * An image that is not at offset 0 of its Buffer (one copied into the arena) gets every offset
 * it holds moved by its base, once, after the checks: the header's section offsets and those in
 * its records here, branch targets as the code verifier passes them. Then the engine runs it
 * exactly like an image of its own, with absolute offsets and no cost per instruction.
 */
function relocate(m: LoadedModule, importCount: number, exportCount: number, dataCount: number): void {
    const image = m.image
    const base = m.base
    const add = (at: number) => image.setAt(at, "u32", image.getAt(at, "u32") + base)
    for (let s = 0; s < Sec.COUNT; s++) if (s !== Sec.START) add(base + Hdr.SECTIONS + s * 8)
    m.typesOff += base
    m.funcsOff += base
    for (let t = 0; t < m.count(Sec.TYPES); t++) add(m.typesOff + t * TypeRec.SIZE + TypeRec.SIG)
    const importsOff = m.offset(Sec.IMPORTS)
    for (let i = 0; i < importCount; i++) {
        add(importsOff + i * ImportRec.SIZE + ImportRec.MODULE)
        add(importsOff + i * ImportRec.SIZE + ImportRec.NAME)
    }
    for (let f = 0; f < m.funcCount; f++) {
        add(m.funcsOff + f * FuncRec.SIZE + FuncRec.CODE)
        add(m.funcsOff + f * FuncRec.SIZE + FuncRec.CODE_END)
    }
    const exportsOff = m.offset(Sec.EXPORTS)
    for (let i = 0; i < exportCount; i++) add(exportsOff + i * ExportRec.SIZE + ExportRec.NAME)
    const datasOff = m.offset(Sec.DATAS)
    for (let i = 0; i < dataCount; i++) add(datasOff + i * DataRec.SIZE + DataRec.BYTES)
}
