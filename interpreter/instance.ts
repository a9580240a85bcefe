// Instantiation: binds a loaded module's imports, creates its globals, tables and memory,
// applies its element and data segments and runs its start function.

import {
    DataRec,
    ElemRec,
    ExportRec,
    ExprKind,
    ExprRec,
    ExternKind,
    GlobalRec,
    ImportRec,
    MemRec,
    NO_MAX,
    Sec,
    SegMode,
    TableRec,
    ValTypeCode,
} from "./image-format"
import { LoadedModule } from "./loader"
import { Memory, MAX_PAGES } from "./memory"
import { ArenaAccount, defaultAccount } from "./arena"
import { Table } from "./table"
import { trap, TRAP_MEMORY_OOB, TRAP_TABLE_OOB } from "./trap"

/** A native function an app can import. Parameters are read from, and results written to, S at `at`. */
export class HostFunc {
    constructor(
        /** Signature as value-type letters: i i32, I i64, f f32, F f64, r funcref, x externref. */
        public readonly params: string,
        public readonly results: string,
        public readonly fn: (S: Buffer, at: number, caller: Instance) => void,
    ) {}
}

/** A global's storage: 8 bytes at `off` in `buf`, shared by every instance that imports it. */
export class GlobalCell {
    constructor(public buf: Buffer, public off: number, public readonly type: number, public readonly mutable: boolean) {}
}

/** A function of some instance, as an import or export value. */
export class FuncRef {
    constructor(public readonly inst: Instance, public readonly index: number) {}
}

export type Extern = FuncRef | HostFunc | Memory | Table | GlobalCell

/** Returns the value to bind to an import, or null when there is none. */
export type ImportResolver = (module: string, name: string, kind: number) => Extern

export class LinkError extends Error {
    constructor(message: string) {
        super(message)
        this.name = "LinkError"
    }
}

/**
 * Value-stack bytes and call depth of the executions the engine creates for an instance: with
 * the 64 frame records (8 bytes each) the stacks take exactly four 1 KiB arena pages.
 */
export const DEFAULT_STACK_BYTES = 3584
export const DEFAULT_CALL_DEPTH = 64
/**
 * Fuel per slice on a device: about this many bytes of code between yields. Measured in the
 * simulator: i64-heavy loops cost ~150 DeviceScript steps per instruction, and 4000 tripped the
 * 128K-step InfiniteLoop guard (spec fac.wast); 1500 leaves room.
 */
export const DEVICE_SLICE_FUEL = 1500

/** Runtime limits for one instance (from the board profile). */
export class Limits {
    maxMemoryPages = MAX_PAGES
    maxTableSize = 10000000
    /** Where the instance's memory comes from; null: the shared default arena. */
    account: ArenaAccount = null
    /** Stacks of the executions the engine creates for calls into this instance. */
    stackBytes = DEFAULT_STACK_BYTES
    callDepth = DEFAULT_CALL_DEPTH
    /** Fuel per slice of those calls. */
    sliceFuel = DEVICE_SLICE_FUEL

    /**
     * Sizes the stacks from what the host worked out for the modules an execution calls into
     * (an app, and its libc or WASI adapter when the runtime calls those on the app's stacks):
     * the largest bound of each. Keeps the current values (the profile's defaults) when any of
     * the bounds is unknown. Returns whether the bounds were used.
     */
    fitStacks(mods: LoadedModule[]): boolean {
        let bytes = 0
        let depth = 0
        for (let i = 0; i < mods.length; i++) {
            const m = mods[i]
            if (m.stackBytesNeeded === 0 || m.callDepthNeeded === 0) return false
            if (m.stackBytesNeeded > bytes) bytes = m.stackBytesNeeded
            if (m.callDepthNeeded > depth) depth = m.callDepthNeeded
        }
        if (depth === 0) return false
        this.stackBytes = bytes
        this.callDepth = depth
        return true
    }
}

let sharedDefaultLimits: Limits = null
/** The limits of instances created without any: one shared object (each costs heap). */
function defaultLimits(): Limits {
    if (sharedDefaultLimits === null) sharedDefaultLimits = new Limits()
    return sharedDefaultLimits
}

/** Every live instance; a funcref handle is resolved by scanning their handle ranges. */
export const instances: Instance[] = []
let nextHandle = 1

function typeLetter(t: number): string {
    if (t === ValTypeCode.I32) return "i"
    if (t === ValTypeCode.I64) return "I"
    if (t === ValTypeCode.F32) return "f"
    if (t === ValTypeCode.F64) return "F"
    if (t === ValTypeCode.FUNCREF) return "r"
    return "x"
}

export class Instance {
    readonly module: LoadedModule
    readonly code: Buffer
    /** Imported functions: importFuncs[i] is a FuncRef or a HostFunc. */
    importFuncs: Extern[] = []
    memory: Memory = null
    tables: Table[] = []
    /** Global i lives at globalBufs[i] + globalOffs[i] (imported globals point at their owner). */
    globalBufs: Buffer[] = []
    globalOffs: number[] = []
    /** The imported globals' cells (cells of the instance's own globals are made when exported). */
    importedGlobalCells: GlobalCell[] = []
    /**
     * One flag per data segment, then one per element segment (from m.count(Sec.DATAS)): dropped
     * (or applied, if active). Read and set where it happens (misc.ts, the segments below).
     */
    dropped: Buffer
    /** Arena offset of the instance's own globals (-1: it has none). */
    globalsAt = -1
    /** True when the memory was created by this instance (not imported): dispose frees it. */
    ownsMemory = false
    /** Tables created by this instance: the last ownTables entries of `tables`. */
    ownTables = 0
    /** funcref handle of function i is handleBase + i. */
    handleBase: number
    limits: Limits

    constructor(m: LoadedModule, limits: Limits) {
        this.module = m
        this.code = m.image
        this.limits = limits
        this.handleBase = nextHandle
        nextHandle += m.totalFuncs()
        this.dropped = Buffer.alloc(m.count(Sec.DATAS) + m.count(Sec.ELEMS))
    }


    /** Signature of function f as letters "params:results" (for linking checks). */
    signature(f: number): string {
        return sigString(this.module, this.module.funcType(f))
    }

    /** The value an export names, or null. */
    getExport(name: string | Buffer): Extern {
        const m = this.module
        const rec = m.exportRecord(name)
        if (rec < 0) return null
        return this.externOf(m.image[rec + ExportRec.KIND], m.image.getAt(rec + ExportRec.INDEX, "u32"))
    }

    externOf(kind: number, idx: number): Extern {
        if (kind === ExternKind.FUNC) return idx < this.module.importedFuncs ? this.importFuncs[idx] : new FuncRef(this, idx)
        if (kind === ExternKind.TABLE) return this.tables[idx]
        if (kind === ExternKind.MEMORY) return this.memory
        const m = this.module
        if (idx < m.importedGlobals) return this.importedGlobalCells[idx]
        const rec = m.offset(Sec.GLOBALS) + (idx - m.importedGlobals) * GlobalRec.SIZE
        return new GlobalCell(this.globalBufs[idx], this.globalOffs[idx], m.image[rec + GlobalRec.VALTYPE], m.image[rec + GlobalRec.MUT] === 1)
    }

    /** The arena account this instance's memory and tables come from. */
    account(): ArenaAccount {
        return this.limits.account === null ? defaultAccount() : this.limits.account
    }

    /** Forgets this instance's function handles and returns its memory, tables and globals to the arena. */
    dispose(): void {
        if (this.globalsAt >= 0) {
            // another live instance may have imported one of them: then they stay
            const buf = this.account().arena.buf
            const from = this.globalsAt
            const to = from + this.module.count(Sec.GLOBALS) * 8
            let shared = false
            for (let k = 0; k < instances.length; k++) {
                const other = instances[k]
                if (other === this) continue
                for (let g = 0; g < other.importedGlobalCells.length; g++) {
                    const c = other.importedGlobalCells[g]
                    if (c.buf === buf && c.off >= from && c.off < to) shared = true
                }
            }
            if (!shared) this.account().freeSmall(from, to - from)
            this.globalsAt = -1
        }
        if (this.ownsMemory && this.memory !== null) {
            // another live instance may have imported it: then it stays
            let shared = false
            for (let k = 0; k < instances.length; k++) if (instances[k] !== this && instances[k].memory === this.memory) shared = true
            if (!shared) this.memory.release()
        }
        for (let t = this.tables.length - this.ownTables; t < this.tables.length; t++) {
            const table = this.tables[t]
            let shared = false
            for (let k = 0; k < instances.length; k++) if (instances[k] !== this && instances[k].tables.indexOf(table) >= 0) shared = true
            if (!shared) table.release()
        }
        // (no splice on DeviceScript: shift the tail down by hand)
        const i = instances.indexOf(this)
        if (i < 0) return
        for (let k = i; k < instances.length - 1; k++) instances[k] = instances[k + 1]
        instances.pop()
    }
}

function sigString(m: LoadedModule, t: number): string {
    const s = m.sig(t)
    const np = m.image[s]
    const nr = m.image[s + 1]
    let out = ""
    for (let k = 0; k < np; k++) out += typeLetter(m.image[s + 2 + k])
    out += ":"
    for (let k = 0; k < nr; k++) out += typeLetter(m.image[s + 2 + np + k])
    return out
}

/** The instance and function index a funcref handle names, or null for a dangling handle. */
export function resolveHandle(h: number): Instance {
    for (let i = 0; i < instances.length; i++) {
        const inst = instances[i]
        if (h >= inst.handleBase && h < inst.handleBase + inst.module.totalFuncs()) return inst
    }
    return null
}

/** Reads a constant expression into `out` at `at` (8 bytes). */
function evalExpr(inst: Instance, off: number, out: Buffer, at: number): void {
    const img = inst.module.image
    const kind = img[off + ExprRec.KIND]
    const a = img.getAt(off + ExprRec.A, "i32")
    const b = img.getAt(off + ExprRec.B, "i32")
    if (kind === ExprKind.GLOBAL_GET) {
        out.blitAt(at, inst.globalBufs[a], inst.globalOffs[a], 8)
        return
    }
    let lo = 0
    let hi = 0
    if (kind === ExprKind.I32 || kind === ExprKind.F32) lo = a
    else if (kind === ExprKind.I64 || kind === ExprKind.F64) {
        lo = a
        hi = b
    } else if (kind === ExprKind.REF_FUNC) lo = inst.handleBase + a
    out.setAt(at, "i32", lo)
    out.setAt(at + 4, "i32", hi)
}

const scratch = Buffer.alloc(8)
function evalI32(inst: Instance, off: number): number {
    evalExpr(inst, off, scratch, 0)
    return scratch.getAt(0, "i32")
}

function externKindName(kind: number): string {
    return kind === ExternKind.FUNC ? "function" : kind === ExternKind.TABLE ? "table" : kind === ExternKind.MEMORY ? "memory" : "global"
}

function limitsMatch(min: number, max: number, wantMin: number, wantMax: number): boolean {
    if (min < wantMin) return false
    if (wantMax === NO_MAX) return true
    return max !== NO_MAX && max <= wantMax
}

/** Binds import i (imports are bound in order: each kind's index space starts with them). */
function bindImport(inst: Instance, resolve: ImportResolver, i: number): void {
    const m = inst.module
    const img = m.image
    {
        const rec = m.offset(Sec.IMPORTS) + i * ImportRec.SIZE
        const kind = img[rec + ImportRec.KIND]
        const modName = m.str(img.getAt(rec + ImportRec.MODULE, "u32"))
        const name = m.str(img.getAt(rec + ImportRec.NAME, "u32"))
        const what = `import ${modName}.${name}`
        const v = resolve === null ? null : resolve(modName, name, kind)
        if (v === null || v === undefined) throw new LinkError(`unknown import: ${what} (${externKindName(kind)})`)
        if (kind === ExternKind.FUNC) {
            const want = sigString(m, img.getAt(rec + ImportRec.INDEX, "u32"))
            let got: string = null
            if (v instanceof HostFunc) got = v.params + ":" + v.results
            else if (v instanceof FuncRef) got = v.inst.signature(v.index)
            if (got === null) throw new LinkError(`incompatible import type: ${what} is not a function`)
            if (got !== want) throw new LinkError(`incompatible import type: ${what} has type ${got}, expected ${want}`)
            inst.importFuncs.push(v)
        } else if (kind === ExternKind.GLOBAL) {
            if (!(v instanceof GlobalCell)) throw new LinkError(`incompatible import type: ${what} is not a global`)
            const mut = img[rec + ImportRec.MUT] === 1
            if (v.type !== img[rec + ImportRec.VALTYPE] || v.mutable !== mut) throw new LinkError(`incompatible import type: ${what} global type differs`)
            inst.globalBufs.push(v.buf)
            inst.globalOffs.push(v.off)
            inst.importedGlobalCells.push(v)
        } else if (kind === ExternKind.MEMORY) {
            if (!(v instanceof Memory)) throw new LinkError(`incompatible import type: ${what} is not a memory`)
            const declaredMax = v.declaredMax
            if (!limitsMatch(v.pages, declaredMax, img.getAt(rec + ImportRec.MIN, "u32"), img.getAt(rec + ImportRec.MAX, "u32")))
                throw new LinkError(`incompatible import type: ${what} memory limits differ`)
            inst.memory = v
        } else {
            if (!(v instanceof Table)) throw new LinkError(`incompatible import type: ${what} is not a table`)
            if (v.elemType !== img[rec + ImportRec.VALTYPE]) throw new LinkError(`incompatible import type: ${what} element type differs`)
            if (!limitsMatch(v.size, v.max, img.getAt(rec + ImportRec.MIN, "u32"), img.getAt(rec + ImportRec.MAX, "u32")))
                throw new LinkError(`incompatible import type: ${what} table limits differ`)
            inst.tables.push(v)
        }
    }
}

/** Records (imports, globals, segments) an instantiation step handles: each is a few hundred
 * DeviceScript steps, and a module may have thousands of them. */
const INSTANTIATE_STEP_RECORDS = 32

const enum IPhase {
    IMPORTS,
    GLOBALS,
    TABLES_AND_MEMORY,
    ELEMS,
    DATAS,
    DONE,
}

/**
 * Instantiation as a resumable job, like loading: binds the imports, creates globals, tables and
 * memory, then applies element and data segments, a bounded number of records per step, so a
 * device can yield between steps. The start function is not run here: the callers run it
 * through the machine (index.ts), so that it executes in slices like any other call.
 *
 * Whatever the instance allocated before it is registered (globals, tables, memory) is given
 * back if a link error or a limit stops it. A trap while applying segments is thrown after the
 * earlier writes took effect (the instance stays registered then, as the spec says: segments it
 * wrote into an imported table may refer to its functions).
 */
export class InstantiateJob {
    readonly inst: Instance
    private phase = IPhase.IMPORTS
    private i = 0

    constructor(
        m: LoadedModule,
        private readonly resolve: ImportResolver,
        limits: Limits,
    ) {
        this.inst = new Instance(m, limits === null || limits === undefined ? defaultLimits() : limits)
    }

    /** Does some work; true when the instance is ready. Throws LinkError or Trap. */
    step(): boolean {
        const inst = this.inst
        const m = inst.module
        let budget = INSTANTIATE_STEP_RECORDS
        try {
            while (this.phase !== IPhase.DONE) {
                const n = this.phase === IPhase.IMPORTS ? m.count(Sec.IMPORTS) : this.phase === IPhase.GLOBALS ? m.count(Sec.GLOBALS) : this.phase === IPhase.ELEMS ? m.count(Sec.ELEMS) : this.phase === IPhase.DATAS ? m.count(Sec.DATAS) : 1
                if (this.i >= n) {
                    this.phase++
                    this.i = 0
                    continue
                }
                if (budget-- <= 0) return false
                if (this.phase === IPhase.IMPORTS) bindImport(inst, this.resolve, this.i)
                else if (this.phase === IPhase.GLOBALS) initGlobal(inst, this.i)
                else if (this.phase === IPhase.TABLES_AND_MEMORY) {
                    createTablesAndMemory(inst)
                    instances.push(inst)
                } else if (this.phase === IPhase.ELEMS) applyElemSegment(inst, this.i)
                else applyDataSegment(inst, this.i)
                this.i++
            }
        } catch (e) {
            if (instances.indexOf(inst) < 0) inst.dispose()
            throw e
        }
        return true
    }
}

/** Creates an instance in one go (host side, tests, small modules). */
export function createInstance(m: LoadedModule, resolve: ImportResolver, limits: Limits): Instance {
    const job = new InstantiateJob(m, resolve, limits)
    while (!job.step()) {}
    return job.inst
}

/** Global g of the instance's own: its block in the arena comes with the first one. */
function initGlobal(inst: Instance, g: number): void {
    const m = inst.module
    const account = inst.account()
    const gbuf = account.arena.buf
    if (g === 0) inst.globalsAt = account.allocSmall(m.count(Sec.GLOBALS) * 8, "globals")
    const at = inst.globalsAt + g * 8
    evalExpr(inst, m.offset(Sec.GLOBALS) + g * GlobalRec.SIZE + GlobalRec.INIT, gbuf, at)
    inst.globalBufs.push(gbuf)
    inst.globalOffs.push(at)
}

function createTablesAndMemory(inst: Instance): void {
    const m = inst.module
    const img = m.image
    const tablesOff = m.offset(Sec.TABLES)
    for (let t = 0; t < m.count(Sec.TABLES); t++) {
        const rec = tablesOff + t * TableRec.SIZE
        const min = img.getAt(rec + TableRec.MIN, "u32")
        const max = img.getAt(rec + TableRec.MAX, "u32")
        if (min > inst.limits.maxTableSize) throw new LinkError(`table of ${min} elements exceeds the limit of ${inst.limits.maxTableSize}`)
        inst.tables.push(new Table(min, max === NO_MAX ? 0xffffffff : max, img[rec + TableRec.ELEM], inst.account()))
        inst.ownTables++
    }
    if (m.count(Sec.MEMORIES) > 0) {
        const memsOff = m.offset(Sec.MEMORIES)
        const min = img.getAt(memsOff + MemRec.MIN, "u32")
        const max = img.getAt(memsOff + MemRec.MAX, "u32")
        const quota = inst.limits.maxMemoryPages
        if (min > quota) throw new LinkError(`memory of ${min} pages exceeds the limit of ${quota} pages`)
        inst.memory = new Memory(min, max === NO_MAX || max > quota ? quota : max, inst.account())
        inst.memory.declaredMax = max
        inst.ownsMemory = true
    }
}

/** Active element segment e is written into its table; declarative ones are only dropped. */
function applyElemSegment(inst: Instance, e: number): void {
    const m = inst.module
    const img = m.image
    const rec = m.offset(Sec.ELEMS) + e * ElemRec.SIZE
    const mode = img[rec + ElemRec.MODE]
    if (mode === SegMode.PASSIVE) return
    inst.dropped[m.count(Sec.DATAS) + e] = 1
    if (mode === SegMode.DECLARATIVE) return
    const table = inst.tables[img.getAt(rec + ElemRec.TABLE, "u32")]
    const offset = evalI32(inst, rec + ElemRec.OFFSET) >>> 0
    const count = img.getAt(rec + ElemRec.COUNT, "u32")
    if (offset + count > table.size) trap(TRAP_TABLE_OOB)
    copyElemItems(inst, table, offset, img.getAt(rec + ElemRec.ITEMS, "u32"), count)
}

function applyDataSegment(inst: Instance, d: number): void {
    const m = inst.module
    const img = m.image
    const rec = m.offset(Sec.DATAS) + d * DataRec.SIZE
    if (img[rec + DataRec.MODE] !== SegMode.ACTIVE) return
    inst.dropped[d] = 1
    const offset = evalI32(inst, rec + DataRec.OFFSET) >>> 0
    const n = img.getAt(rec + DataRec.LENGTH, "u32")
    const mem = inst.memory
    if (offset + n > mem.byteLength) trap(TRAP_MEMORY_OOB)
    mem.writeBytes(offset, img, img.getAt(rec + DataRec.BYTES, "u32"), n)
}

/**
 * Writes n element items from `first` into table elements from d (checked by the caller). The
 * common items (ref.func, ref.null) are decoded in the loop itself: a call per element would let
 * a big segment outlast a DeviceScript slice.
 */
export function copyElemItems(inst: Instance, table: Table, d: number, first: number, n: number): void {
    const img = inst.module.image
    const items = inst.module.offset(Sec.ELEM_ITEMS)
    const handleBase = inst.handleBase
    const buf = table.buf
    const at = table.off + d * 4
    for (let k = 0; k < n; k++) {
        const off = items + (first + k) * ExprRec.SIZE
        const kind = img[off + ExprRec.KIND]
        let h: number
        if (kind === ExprKind.REF_FUNC) h = handleBase + img.getAt(off + ExprRec.A, "i32")
        else if (kind === ExprKind.REF_NULL) h = 0
        else h = elemItem(inst, first + k)
        buf.setAt(at + k * 4, "i32", h)
    }
}

/** Value of element item i (a funcref handle, or 0 for null). */
export function elemItem(inst: Instance, item: number): number {
    const m = inst.module
    evalExpr(inst, m.offset(Sec.ELEM_ITEMS) + item * ExprRec.SIZE, scratch, 0)
    return scratch.getAt(0, "i32")
}
