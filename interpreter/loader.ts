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
    /**
     * Value-stack bytes and Wasm frames that any call of an export (or the start function) can
     * need, as the host worked them out (image-format.ts Hdr.STACK_BYTES); 0 = unknown.
     */
    stackBytesNeeded = 0
    callDepthNeeded = 0

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
    // the stacks a call needs: both known (the value stack in whole 8-byte slots) or both 0
    const stackBytes = image.getAt(base + Hdr.STACK_BYTES, "u32")
    const depth = image.getAt(base + Hdr.CALL_DEPTH, "u32")
    if ((stackBytes === 0) !== (depth === 0) || (stackBytes & 7) !== 0) fail(`bad stack needs ${stackBytes} B, ${depth} frames`)
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
    private tables: TableCheck = null
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
            if (this.tables === null) this.tables = new TableCheck(image, this.base, this.len)
            else if (this.tables.step()) this.module = this.tables.m
            return false
        }
        // One budget for the whole step, however many (small) functions it covers.
        const m = this.module
        let budget = VERIFY_STEP_INSTRS
        while (this.func < m.funcCount) {
            if (budget <= 0) return false
            if (this.verifier === null) this.verifier = new CodeVerifier(m, this.func, this.tables.importArity)
            budget = this.verifier.step(budget)
            if (budget < 0) return false
            this.verifier = null
            this.func++
        }
        this.tables = null
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

/** Writes an image of `length` bytes into buf at `at` (the app manager decompresses one there). */
export interface ImageFill {
    length: number
    fill(buf: Buffer, at: number): Promise<void>
}

/**
 * Loads an image into the app's arena account, so that the app's code comes out of its quota like
 * everything else it uses: copied from `src`, or written there by `fill` (no copy in the heap).
 * It is relocated in place while it is checked; a bad image gives its block back and throws
 * ImageError. module.release() frees it.
 */
export async function loadImageInto(account: ArenaAccount, src: Buffer, fill?: ImageFill): Promise<LoadedModule> {
    const buf = account.arena.buf
    const len = src !== null ? src.length : fill.length
    const at = account.alloc(len, "code")
    try {
        if (src !== null) buf.blitAt(at, src, 0, len)
        else await fill.fill(buf, at)
        const job = new LoadJob(buf, at, len)
        while (!job.step()) await yieldSlice()
        job.module.account = account
        return job.module
    } catch (e) {
        account.free(at, len)
        throw e
    }
}

/** Phases of TableCheck, in order: one per kind of record. */
const enum Phase {
    TYPES,
    IMPORTS,
    GLOBALS,
    EXPORTS,
    ELEMS,
    ITEMS,
    DATAS,
    FUNCS,
    DONE,
}

/** Records checked per load step (each costs a few dozen DeviceScript steps). */
const TABLE_STEP_RECORDS = 64

/**
 * Checks every record table of the image at `base` in bounded steps (a module may have
 * thousands of exports), so that nothing later reads outside the image or follows a wild index.
 * Offsets in the image are relative to its start: every read adds `base`. An image that is not
 * at offset 0 of its Buffer (one copied into the arena) also gets every offset it holds moved
 * by `base`, each right after it was checked: the header's section offsets at the end, branch
 * targets as the code verifier passes them. Then the engine runs it exactly like an image of its
 * own, with absolute offsets and no cost per instruction.
 */
class TableCheck {
    readonly m: LoadedModule
    private phase = Phase.TYPES
    private i = 0
    private importedMems = 0
    private typeCount: number
    private importsOff: number
    private importCount: number
    private memCount: number
    private globalsOff: number
    private globalCount: number
    private exportsOff: number
    private exportCount: number
    private elemsOff: number
    private elemCount: number
    private datasOff: number
    private dataCount: number
    private itemsOff: number
    private itemCount: number
    private codeOff: number
    private codeEnd: number
    /** max(params, results) of each imported function, for the code verifier (verify.ts). */
    readonly importArity: Buffer

    constructor(
        private readonly image: Buffer,
        private readonly base: number,
        private readonly len: number,
    ) {
        const m = new LoadedModule(image)
        m.base = base
        m.length = len
        m.stackBytesNeeded = image.getAt(base + Hdr.STACK_BYTES, "u32")
        m.callDepthNeeded = image.getAt(base + Hdr.CALL_DEPTH, "u32")
        this.m = m
        // (relative offsets until every table is checked: see endPhase)
        m.typesOff = this.table(Sec.TYPES, TypeRec.SIZE, "type")
        this.typeCount = this.secCount(Sec.TYPES)
        this.importsOff = this.table(Sec.IMPORTS, ImportRec.SIZE, "import")
        this.importCount = this.secCount(Sec.IMPORTS)
        this.importArity = Buffer.alloc(this.importCount)
        m.funcsOff = this.table(Sec.FUNCS, FuncRec.SIZE, "function")
        m.funcCount = this.secCount(Sec.FUNCS)
        this.table(Sec.TABLES, TableRec.SIZE, "table")
        this.memCount = this.secCount(Sec.MEMORIES)
        this.table(Sec.MEMORIES, MemRec.SIZE, "memory")
        this.globalsOff = this.table(Sec.GLOBALS, GlobalRec.SIZE, "global")
        this.globalCount = this.secCount(Sec.GLOBALS)
        this.exportsOff = this.table(Sec.EXPORTS, ExportRec.SIZE, "export")
        this.exportCount = this.secCount(Sec.EXPORTS)
        this.elemsOff = this.table(Sec.ELEMS, ElemRec.SIZE, "element segment")
        this.elemCount = this.secCount(Sec.ELEMS)
        this.datasOff = this.table(Sec.DATAS, DataRec.SIZE, "data segment")
        this.dataCount = this.secCount(Sec.DATAS)
        this.itemsOff = this.table(Sec.ELEM_ITEMS, ExprRec.SIZE, "element item")
        this.itemCount = this.secCount(Sec.ELEM_ITEMS)
        this.codeOff = this.secOff(Sec.CODE)
        this.codeEnd = this.codeOff + this.secCount(Sec.CODE)
        if (this.codeOff < HEADER_SIZE || this.codeEnd + CODE_TAIL > len) fail("code out of bounds")
    }

    private secOff(s: number): number {
        return this.image.getAt(this.base + Hdr.SECTIONS + s * 8, "u32")
    }

    private secCount(s: number): number {
        return this.image.getAt(this.base + Hdr.SECTIONS + s * 8 + 4, "u32")
    }

    private table(s: number, recSize: number, name: string): number {
        const off = this.secOff(s)
        const count = this.secCount(s)
        if (count > 0 && (off < HEADER_SIZE || off + count * recSize > this.len)) fail(`${name} table out of bounds`)
        return off
    }

    /** Checks the u32 offset of a string at `at` (relative); relocates it. */
    private checkString(at: number, what: string): void {
        const off = this.image.getAt(this.base + at, "u32")
        if (off < HEADER_SIZE || off + 2 > this.len || off + 2 + this.image.getAt(this.base + off, "u16") > this.len) fail(`${what} name out of bounds`)
        this.relocate(at)
    }

    private checkExpr(off: number, what: string): void {
        const m = this.m
        const kind = this.image[this.base + off + ExprRec.KIND]
        const a = this.image.getAt(this.base + off + ExprRec.A, "u32")
        if (kind > ExprKind.GLOBAL_GET) fail(`${what}: unknown expression kind ${kind}`)
        if (kind === ExprKind.REF_FUNC && a >= m.totalFuncs()) fail(`${what}: function index out of range`)
        if (kind === ExprKind.GLOBAL_GET && a >= m.totalGlobals()) fail(`${what}: global index out of range`)
    }

    /** Moves the u32 offset at `at` (relative) by base. */
    private relocate(at: number): void {
        if (this.base !== 0) this.image.setAt(this.base + at, "u32", this.image.getAt(this.base + at, "u32") + this.base)
    }

    /** Checks up to TABLE_STEP_RECORDS records; true when every table is checked. */
    step(): boolean {
        let budget = TABLE_STEP_RECORDS
        while (this.phase !== Phase.DONE) {
            const n = this.phaseCount()
            if (this.i >= n) {
                this.endPhase()
                this.phase++
                this.i = 0
                continue
            }
            if (budget-- <= 0) return false
            this.checkRecord(this.i)
            this.i++
        }
        return true
    }

    private phaseCount(): number {
        const p = this.phase
        if (p === Phase.TYPES) return this.typeCount
        if (p === Phase.IMPORTS) return this.importCount
        if (p === Phase.GLOBALS) return this.globalCount
        if (p === Phase.EXPORTS) return this.exportCount
        if (p === Phase.ELEMS) return this.elemCount
        if (p === Phase.ITEMS) return this.itemCount
        if (p === Phase.DATAS) return this.dataCount
        return this.m.funcCount
    }

    private checkRecord(i: number): void {
        const m = this.m
        const image = this.image
        const base = this.base
        const len = this.len
        const p = this.phase
        if (p === Phase.TYPES) {
            const at = m.typesOff + i * TypeRec.SIZE
            const s = image.getAt(base + at + TypeRec.SIG, "u32")
            if (s < HEADER_SIZE || s + 2 > len || s + 2 + image[base + s] + image[base + s + 1] > len) fail(`type ${i} out of bounds`)
            if (image.getAt(base + at + TypeRec.CANON, "u16") > i) fail(`type ${i} has a bad canonical index`)
            this.relocate(at + TypeRec.SIG)
        } else if (p === Phase.IMPORTS) {
            const rec = this.importsOff + i * ImportRec.SIZE
            this.checkString(rec + ImportRec.MODULE, "import module")
            this.checkString(rec + ImportRec.NAME, "import")
            const kind = image[base + rec + ImportRec.KIND]
            if (kind === ExternKind.FUNC) {
                const t = image.getAt(base + rec + ImportRec.INDEX, "u32")
                if (t >= this.typeCount) fail(`import ${i} has an unknown type`)
                // (the TYPES phase checked the signature and already made its offset absolute)
                const sig = image.getAt(base + m.typesOff + t * TypeRec.SIZE + TypeRec.SIG, "u32")
                this.importArity[m.importedFuncs] = Math.max(image[sig], image[sig + 1])
                m.importedFuncs++
            } else if (kind === ExternKind.TABLE) m.importedTables++
            else if (kind === ExternKind.MEMORY) this.importedMems++
            else if (kind === ExternKind.GLOBAL) m.importedGlobals++
            else fail(`import ${i} has unknown kind ${kind}`)
        } else if (p === Phase.GLOBALS) {
            this.checkExpr(this.globalsOff + i * GlobalRec.SIZE + GlobalRec.INIT, `global ${i}`)
        } else if (p === Phase.EXPORTS) {
            const rec = this.exportsOff + i * ExportRec.SIZE
            this.checkString(rec + ExportRec.NAME, "export")
            const kind = image[base + rec + ExportRec.KIND]
            const idx = image.getAt(base + rec + ExportRec.INDEX, "u32")
            const limit =
                kind === ExternKind.FUNC ? m.totalFuncs() : kind === ExternKind.TABLE ? m.totalTables() : kind === ExternKind.MEMORY ? m.memories : kind === ExternKind.GLOBAL ? m.totalGlobals() : 0
            if (idx >= limit) fail(`export ${i} index out of range`)
        } else if (p === Phase.ELEMS) {
            const rec = this.elemsOff + i * ElemRec.SIZE
            const first = image.getAt(base + rec + ElemRec.ITEMS, "u32")
            const count = image.getAt(base + rec + ElemRec.COUNT, "u32")
            if (first + count > this.itemCount) fail(`element segment ${i} items out of range`)
            const mode = image[base + rec + ElemRec.MODE]
            if (mode > 2) fail(`element segment ${i} has unknown mode ${mode}`)
            if (mode === 0) {
                if (image.getAt(base + rec + ElemRec.TABLE, "u32") >= m.totalTables()) fail(`element segment ${i} table out of range`)
                this.checkExpr(rec + ElemRec.OFFSET, `element segment ${i}`)
            }
        } else if (p === Phase.ITEMS) {
            this.checkExpr(this.itemsOff + i * ExprRec.SIZE, `element item ${i}`)
        } else if (p === Phase.DATAS) {
            const rec = this.datasOff + i * DataRec.SIZE
            const off = image.getAt(base + rec + DataRec.BYTES, "u32")
            const n = image.getAt(base + rec + DataRec.LENGTH, "u32")
            if (n > 0 && (off < HEADER_SIZE || off + n > len)) fail(`data segment ${i} out of bounds`)
            const mode = image[base + rec + DataRec.MODE]
            if (mode > 1) fail(`data segment ${i} has unknown mode ${mode}`)
            if (mode === 0) {
                if (m.memories === 0) fail(`data segment ${i} without a memory`)
                this.checkExpr(rec + DataRec.OFFSET, `data segment ${i}`)
            }
            this.relocate(rec + DataRec.BYTES)
        } else {
            const rec = m.funcsOff + i * FuncRec.SIZE
            const start = image.getAt(base + rec + FuncRec.CODE, "u32")
            const end = image.getAt(base + rec + FuncRec.CODE_END, "u32")
            if (start < this.codeOff || end > this.codeEnd || start >= end) fail(`function ${i} code out of bounds`)
            if (image.getAt(base + rec + FuncRec.TYPE, "u16") >= this.typeCount) fail(`function ${i} has an unknown type`)
            const params = image.getAt(base + rec + FuncRec.PARAM_SLOTS, "u16")
            const locals = image.getAt(base + rec + FuncRec.LOCAL_SLOTS, "u16")
            const frame = image.getAt(base + rec + FuncRec.FRAME_SLOTS, "u16")
            if (params + locals > frame || frame * 8 > 0xffff) fail(`function ${i} has a bad frame`)
            this.relocate(rec + FuncRec.CODE)
            this.relocate(rec + FuncRec.CODE_END)
        }
    }

    /** What a phase decides once all its records are seen. */
    private endPhase(): void {
        const m = this.m
        if (this.phase === Phase.IMPORTS) {
            m.memories = this.importedMems + this.memCount
            if (m.memories > 1) fail("more than one memory")
            const startCount = this.secCount(Sec.START)
            if (startCount === 1) {
                m.start = this.secOff(Sec.START)
                if (m.start >= m.totalFuncs()) fail("start function out of range")
            } else if (startCount !== 0) fail("bad start section")
        } else if (this.phase === Phase.FUNCS && this.base !== 0) {
            // everything is checked: the header's section offsets (not START's function index)
            for (let s = 0; s < Sec.COUNT; s++) if (s !== Sec.START) this.relocate(Hdr.SECTIONS + s * 8)
            m.typesOff += this.base
            m.funcsOff += this.base
        }
    }
}
