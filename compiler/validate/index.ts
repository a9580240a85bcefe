// Wasm 2.0 (no SIMD) module validator. Throws WasmValidationError with the spec testsuite's wording.
// Also fills in `type` on drop / select instructions (the operand type), for the compiler.

import { getSideInfo, DecodePositions } from "../decode/side-info"
import {
    ConstExpr,
    FuncBody,
    FuncType,
    GlobalType,
    Instr,
    Limits,
    TableType,
    ValType,
    WasmModule,
    WasmValidationError,
} from "../wasm-types"

/** The bottom type of the polymorphic stack (unreachable code): matches anything. */
const UNKNOWN = 0 as ValType

const MAX_MEMORY_PAGES = 65536

function isNum(t: ValType): boolean {
    return t === ValType.I32 || t === ValType.I64 || t === ValType.F32 || t === ValType.F64
}

const TYPE_NAMES: Record<number, string> = {
    [ValType.I32]: "i32",
    [ValType.I64]: "i64",
    [ValType.F32]: "f32",
    [ValType.F64]: "f64",
    [ValType.V128]: "v128",
    [ValType.FuncRef]: "funcref",
    [ValType.ExternRef]: "externref",
}

/** Readable name of a value type, for messages. */
export function typeName(t: ValType): string {
    return TYPE_NAMES[t] ?? "?"
}

function isRef(t: ValType): boolean {
    return t === ValType.FuncRef || t === ValType.ExternRef
}

// Operand signatures of the instructions without immediates that matter for typing.
// "ii>i" = two i32 in, one i32 out; I = i64, f = f32, F = f64.
const SIG_RANGES: [number, number, string][] = [
    [0x28, 0x28, "i>i"],
    [0x29, 0x29, "i>I"],
    [0x2a, 0x2a, "i>f"],
    [0x2b, 0x2b, "i>F"],
    [0x2c, 0x2f, "i>i"],
    [0x30, 0x35, "i>I"],
    [0x36, 0x36, "ii>"],
    [0x37, 0x37, "iI>"],
    [0x38, 0x38, "if>"],
    [0x39, 0x39, "iF>"],
    [0x3a, 0x3b, "ii>"],
    [0x3c, 0x3e, "iI>"],
    [0x45, 0x45, "i>i"],
    [0x46, 0x4f, "ii>i"],
    [0x50, 0x50, "I>i"],
    [0x51, 0x5a, "II>i"],
    [0x5b, 0x60, "ff>i"],
    [0x61, 0x66, "FF>i"],
    [0x67, 0x69, "i>i"],
    [0x6a, 0x78, "ii>i"],
    [0x79, 0x7b, "I>I"],
    [0x7c, 0x8a, "II>I"],
    [0x8b, 0x91, "f>f"],
    [0x92, 0x98, "ff>f"],
    [0x99, 0x9f, "F>F"],
    [0xa0, 0xa6, "FF>F"],
    [0xa7, 0xa7, "I>i"],
    [0xa8, 0xa9, "f>i"],
    [0xaa, 0xab, "F>i"],
    [0xac, 0xad, "i>I"],
    [0xae, 0xaf, "f>I"],
    [0xb0, 0xb1, "F>I"],
    [0xb2, 0xb3, "i>f"],
    [0xb4, 0xb5, "I>f"],
    [0xb6, 0xb6, "F>f"],
    [0xb7, 0xb8, "i>F"],
    [0xb9, 0xba, "I>F"],
    [0xbb, 0xbb, "f>F"],
    [0xbc, 0xbc, "f>i"],
    [0xbd, 0xbd, "F>I"],
    [0xbe, 0xbe, "i>f"],
    [0xbf, 0xbf, "I>F"],
    [0xc0, 0xc1, "i>i"],
    [0xc2, 0xc4, "I>I"],
    [0xfc00, 0xfc01, "f>i"],
    [0xfc02, 0xfc03, "F>i"],
    [0xfc04, 0xfc05, "f>I"],
    [0xfc06, 0xfc07, "F>I"],
]

const LETTER: Record<string, ValType> = { i: ValType.I32, I: ValType.I64, f: ValType.F32, F: ValType.F64 }

const SIGS = new Map<number, FuncType>()
for (const [from, to, sig] of SIG_RANGES) {
    const [p, r] = sig.split(">")
    const t: FuncType = { params: [...p].map((c) => LETTER[c]), results: [...r].map((c) => LETTER[c]) }
    for (let op = from; op <= to; op++) SIGS.set(op, t)
}

/** log2 of the natural alignment of each load/store opcode (0x28..0x3e). */
const NATURAL_ALIGN = [2, 3, 2, 3, 0, 0, 1, 1, 0, 0, 1, 1, 2, 2, 2, 3, 2, 3, 0, 1, 0, 1, 2]

interface Ctrl {
    op: number // 0x02 block (also the function body), 0x03 loop, 0x04 if, 0x05 else
    params: ValType[]
    results: ValType[]
    height: number
    unreachable: boolean
}

interface ModuleContext {
    m: WasmModule
    types: FuncType[]
    funcs: FuncType[] // type of every function, imports first
    tables: TableType[]
    mems: Limits[]
    globals: GlobalType[]
    numImportedGlobals: number
    numImportedFuncs: number
    numDatas: number
    refs: Set<number> // C.refs: functions that may be used by ref.func in bodies
    positions?: DecodePositions
}

function fail(message: string, offset: number, funcIndex?: number): never {
    throw new WasmValidationError(message, offset, funcIndex)
}

function checkLimits(l: Limits, range: number, rangeMsg: string, at: number): void {
    if (l.min > range) fail(rangeMsg, at)
    if (l.max !== undefined) {
        if (l.max > range) fail(rangeMsg, at)
        if (l.min > l.max) fail("size minimum must not be greater than maximum", at)
    }
}

function collectRefs(e: ConstExpr, refs: Set<number>): void {
    if (e.op === "ref.func") refs.add(e.funcIndex)
}

function constExprType(c: ModuleContext, e: ConstExpr, at: number): ValType {
    switch (e.op) {
        case "i32.const":
            return ValType.I32
        case "i64.const":
            return ValType.I64
        case "f32.const":
            return ValType.F32
        case "f64.const":
            return ValType.F64
        case "ref.null":
            return e.type
        case "ref.func":
            if (e.funcIndex >= c.funcs.length) fail(`unknown function ${e.funcIndex}`, at)
            return ValType.FuncRef
        case "global.get": {
            // Wasm 2.0: only imported globals are visible in constant expressions, and only immutable ones.
            if (e.globalIndex >= c.numImportedGlobals) fail(`unknown global ${e.globalIndex}`, at)
            const g = c.globals[e.globalIndex]
            if (g.mutable) fail("constant expression required", at)
            return g.type
        }
    }
}

function checkConstExpr(c: ModuleContext, e: ConstExpr, expected: ValType, fallbackPos: number): void {
    const at = c.positions?.constExprs.get(e) ?? fallbackPos
    const t = constExprType(c, e, at)
    if (t !== expected) fail(`type mismatch: expected ${typeName(expected)}, got ${typeName(t)}`, at)
}

/** Validates a decoded module; throws WasmValidationError. Fills in drop/select operand types. */
export function validateModule(m: WasmModule): void {
    const side = getSideInfo(m)
    if (side && side.deferred.length > 0) throw side.deferred[0]
    const P = side?.positions
    const posOf = (list: number[] | undefined, i: number): number => list?.[i] ?? 0

    const c: ModuleContext = {
        m,
        types: m.types,
        funcs: [],
        tables: [],
        mems: [],
        globals: [],
        numImportedGlobals: 0,
        numImportedFuncs: 0,
        numDatas: m.dataCount ?? m.datas.length,
        refs: new Set(),
        positions: P,
    }

    // Imports
    m.imports.forEach((imp, i) => {
        const at = posOf(P?.imports, i)
        const d = imp.desc
        switch (d.kind) {
            case "func": {
                const t = m.types[d.typeIndex]
                if (!t) fail(`unknown type ${d.typeIndex}`, at)
                c.funcs.push(t)
                c.numImportedFuncs++
                break
            }
            case "table":
                checkLimits(d.table.limits, 0xffffffff, "table size must be at most 2^32-1", at)
                c.tables.push(d.table)
                break
            case "memory":
                checkLimits(d.limits, MAX_MEMORY_PAGES, "memory size must be at most 65536 pages (4GiB)", at)
                c.mems.push(d.limits)
                break
            case "global":
                c.globals.push(d.global)
                c.numImportedGlobals++
                break
        }
    })

    // Function declarations
    m.funcs.forEach((ti, i) => {
        const t = m.types[ti]
        if (!t) fail(`unknown type ${ti}`, posOf(P?.funcs, i))
        c.funcs.push(t)
    })
    if (m.bodies.length !== m.funcs.length) fail("function and code section have inconsistent lengths", 0)

    // Tables, memories
    m.tables.forEach((t, i) => {
        checkLimits(t.limits, 0xffffffff, "table size must be at most 2^32-1", posOf(P?.tables, i))
        c.tables.push(t)
    })
    m.memories.forEach((l, i) => {
        checkLimits(l, MAX_MEMORY_PAGES, "memory size must be at most 65536 pages (4GiB)", posOf(P?.memories, i))
        c.mems.push(l)
    })
    if (c.mems.length > 1) fail("multiple memories", posOf(P?.memories, m.memories.length - 1))

    // C.refs: functions referenced outside function bodies.
    for (const g of m.globals) collectRefs(g.init, c.refs)
    for (const e of m.elems) {
        for (const item of e.items) collectRefs(item, c.refs)
        if (e.mode.kind === "active") collectRefs(e.mode.offset, c.refs)
    }
    for (const d of m.datas) if (d.mode.kind === "active") collectRefs(d.mode.offset, c.refs)
    for (const ex of m.exports) if (ex.kind === "func") c.refs.add(ex.index)

    // Globals: initialisers only see imported globals (Wasm 2.0).
    m.globals.forEach((g, i) => {
        checkConstExpr(c, g.init, g.type.type, posOf(P?.globals, i))
    })
    for (const g of m.globals) c.globals.push(g.type)

    // Element segments
    m.elems.forEach((e, i) => {
        const at = posOf(P?.elems, i)
        for (const item of e.items) checkConstExpr(c, item, e.type, at)
        if (e.mode.kind === "active") {
            const t = c.tables[e.mode.table]
            if (!t) fail(`unknown table ${e.mode.table}`, at)
            checkConstExpr(c, e.mode.offset, ValType.I32, at)
            if (t.elem !== e.type) fail(`type mismatch: ${typeName(e.type)} segment for a ${typeName(t.elem)} table`, at)
        }
    })

    // Data segments
    m.datas.forEach((d, i) => {
        const at = posOf(P?.datas, i)
        if (d.mode.kind === "active") {
            if (d.mode.memory >= c.mems.length) fail(`unknown memory ${d.mode.memory}`, at)
            checkConstExpr(c, d.mode.offset, ValType.I32, at)
        }
    })

    // Function bodies
    m.bodies.forEach((body, i) => {
        const funcIndex = c.numImportedFuncs + i
        validateBody(c, funcIndex, c.funcs[funcIndex], body)
    })

    // Start function
    if (m.start !== undefined) {
        const at = P?.start ?? 0
        const t = c.funcs[m.start]
        if (!t) fail(`unknown function ${m.start}`, at)
        if (t.params.length !== 0 || t.results.length !== 0) fail("start function", at)
    }

    // Exports
    const names = new Set<string>()
    m.exports.forEach((ex, i) => {
        const at = posOf(P?.exports, i)
        let count: number
        switch (ex.kind) {
            case "func":
                count = c.funcs.length
                break
            case "table":
                count = c.tables.length
                break
            case "memory":
                count = c.mems.length
                break
            case "global":
                count = c.globals.length
                break
        }
        if (ex.index >= count) fail(`unknown ${ex.kind === "func" ? "function" : ex.kind} ${ex.index}`, at)
        if (names.has(ex.name)) fail("duplicate export name", at)
        names.add(ex.name)
    })
}

function sameTypes(a: ValType[], b: ValType[]): boolean {
    if (a.length !== b.length) return false
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
    return true
}

function validateBody(c: ModuleContext, funcIndex: number, type: FuncType, body: FuncBody): void {
    const locals = type.params.concat(body.locals)
    const vals: ValType[] = []
    const ctrls: Ctrl[] = []
    const instrs = body.instrs
    let ins: Instr = instrs[0] ?? { op: 0x0b, pos: body.pos }

    const err = (msg: string): never => fail(msg, ins.pos, funcIndex)

    const push = (t: ValType): void => {
        vals.push(t)
    }
    const pop = (expected?: ValType): ValType => {
        const f = ctrls[ctrls.length - 1]
        if (vals.length === f.height) {
            if (f.unreachable) return UNKNOWN
            err(`type mismatch: expected ${expected ? typeName(expected) : "a value"}, but the stack is empty`)
        }
        return vals.pop()!
    }
    const popExpect = (t: ValType): ValType => {
        const a = pop(t)
        if (a !== t && a !== UNKNOWN && t !== UNKNOWN) err(`type mismatch: expected ${typeName(t)}, got ${typeName(a)}`)
        return a
    }
    const popVals = (ts: ValType[]): ValType[] => {
        const out = new Array<ValType>(ts.length)
        for (let k = ts.length - 1; k >= 0; k--) out[k] = popExpect(ts[k])
        return out
    }
    const pushVals = (ts: ValType[]): void => {
        for (const t of ts) vals.push(t)
    }
    const pushCtrl = (op: number, params: ValType[], results: ValType[]): void => {
        ctrls.push({ op, params, results, height: vals.length, unreachable: false })
        pushVals(params)
    }
    const popCtrl = (): Ctrl => {
        const f = ctrls[ctrls.length - 1]
        popVals(f.results)
        if (vals.length !== f.height) err(`type mismatch: ${vals.length - f.height} value(s) left at the end of the block`)
        ctrls.pop()
        return f
    }
    const labelTypes = (f: Ctrl): ValType[] => (f.op === 0x03 ? f.params : f.results)
    const label = (depth: number): Ctrl => {
        if (depth >= ctrls.length) err("unknown label")
        return ctrls[ctrls.length - 1 - depth]
    }
    const unreachable = (): void => {
        const f = ctrls[ctrls.length - 1]
        vals.length = f.height
        f.unreachable = true
    }
    const local = (i: number): ValType => {
        if (i >= locals.length) err(`unknown local ${i}`)
        return locals[i]
    }
    const global = (i: number): GlobalType => {
        if (i >= c.globals.length) err(`unknown global ${i}`)
        return c.globals[i]
    }
    const table = (i: number): TableType => {
        if (i >= c.tables.length) err(`unknown table ${i}`)
        return c.tables[i]
    }
    const memory = (): void => {
        if (c.mems.length === 0) err("unknown memory 0")
    }
    const elemSeg = (i: number): ValType => {
        if (i >= c.m.elems.length) err(`unknown elem segment ${i}`)
        return c.m.elems[i].type
    }
    const dataSeg = (i: number): void => {
        if (i >= c.numDatas) err(`unknown data segment ${i}`)
    }
    const blockSig = (): FuncType => {
        if (!ins.block) err(`unknown type ${ins.index ?? ""}`.trim())
        return ins.block!
    }

    ctrls.push({ op: 0x02, params: [], results: type.results, height: 0, unreachable: false })

    for (let i = 0; i < instrs.length; i++) {
        ins = instrs[i]
        if (ctrls.length === 0) err("unexpected instruction after the end of the function")
        const op = ins.op
        const sig = SIGS.get(op)
        if (sig) {
            if (op >= 0x28 && op <= 0x3e) {
                memory()
                if ((ins.align ?? 0) > NATURAL_ALIGN[op - 0x28]) err("alignment must not be larger than natural")
            }
            popVals(sig.params)
            pushVals(sig.results)
            continue
        }
        switch (op) {
            case 0x00: // unreachable
                unreachable()
                break
            case 0x01: // nop
                break
            case 0x02: // block
            case 0x03: {
                // loop
                const bt = blockSig()
                popVals(bt.params)
                pushCtrl(op, bt.params, bt.results)
                break
            }
            case 0x04: {
                // if
                const bt = blockSig()
                popExpect(ValType.I32)
                popVals(bt.params)
                pushCtrl(op, bt.params, bt.results)
                break
            }
            case 0x05: {
                // else
                const f = popCtrl()
                if (f.op !== 0x04) err("misplaced ELSE opcode")
                pushCtrl(0x05, f.params, f.results)
                break
            }
            case 0x0b: {
                // end
                const f = popCtrl()
                if (f.op === 0x04 && !sameTypes(f.params, f.results)) err(`type mismatch: if without else must have equal params and results`)
                pushVals(f.results)
                break
            }
            case 0x0c: // br
                popVals(labelTypes(label(ins.index!)))
                unreachable()
                break
            case 0x0d: {
                // br_if
                popExpect(ValType.I32)
                const lt = labelTypes(label(ins.index!))
                popVals(lt)
                pushVals(lt)
                break
            }
            case 0x0e: {
                // br_table
                popExpect(ValType.I32)
                const labels = ins.labels!
                const dflt = labelTypes(label(labels[labels.length - 1]))
                const arity = dflt.length
                for (let k = 0; k < labels.length - 1; k++) {
                    const lt = labelTypes(label(labels[k]))
                    if (lt.length !== arity) err(`type mismatch: br_table targets of different arity (${lt.length} vs ${arity})`)
                    pushVals(popVals(lt))
                }
                popVals(dflt)
                unreachable()
                break
            }
            case 0x0f: // return
                popVals(ctrls[0].results)
                unreachable()
                break
            case 0x10: {
                // call
                const t = c.funcs[ins.index!]
                if (!t) err(`unknown function ${ins.index}`)
                popVals(t.params)
                pushVals(t.results)
                break
            }
            case 0x11: {
                // call_indirect
                const tab = table(ins.index2!)
                if (tab.elem !== ValType.FuncRef) err(`type mismatch: call_indirect needs a funcref table`)
                const t = c.types[ins.index!]
                if (!t) err(`unknown type ${ins.index}`)
                popExpect(ValType.I32)
                popVals(t.params)
                pushVals(t.results)
                break
            }
            case 0x1a: {
                // drop
                const t = pop()
                ins.type = t === UNKNOWN ? undefined : t
                break
            }
            case 0x1b: {
                // select (untyped: numeric operands only)
                popExpect(ValType.I32)
                const t1 = pop()
                const t2 = pop()
                if ((t1 !== UNKNOWN && !isNum(t1)) || (t2 !== UNKNOWN && !isNum(t2)))
                    err(`type mismatch: select without a type needs numeric operands`)
                if (t1 !== t2 && t1 !== UNKNOWN && t2 !== UNKNOWN) err(`type mismatch: select operands ${typeName(t2)} and ${typeName(t1)}`)
                const t = t1 === UNKNOWN ? t2 : t1
                push(t)
                ins.type = t === UNKNOWN ? undefined : t
                break
            }
            case 0x1c: {
                // select t
                const t = ins.type
                if (t === undefined) err("invalid result arity")
                popExpect(ValType.I32)
                popExpect(t!)
                popExpect(t!)
                push(t!)
                break
            }
            case 0x20: // local.get
                push(local(ins.index!))
                break
            case 0x21: // local.set
                popExpect(local(ins.index!))
                break
            case 0x22: {
                // local.tee
                const t = local(ins.index!)
                popExpect(t)
                push(t)
                break
            }
            case 0x23: // global.get
                push(global(ins.index!).type)
                break
            case 0x24: {
                // global.set
                const g = global(ins.index!)
                if (!g.mutable) err("global is immutable")
                popExpect(g.type)
                break
            }
            case 0x25: {
                // table.get
                const t = table(ins.index!)
                popExpect(ValType.I32)
                push(t.elem)
                break
            }
            case 0x26: {
                // table.set
                const t = table(ins.index!)
                popExpect(t.elem)
                popExpect(ValType.I32)
                break
            }
            case 0x3f: // memory.size
                memory()
                push(ValType.I32)
                break
            case 0x40: // memory.grow
                memory()
                popExpect(ValType.I32)
                push(ValType.I32)
                break
            case 0x41:
                push(ValType.I32)
                break
            case 0x42:
                push(ValType.I64)
                break
            case 0x43:
                push(ValType.F32)
                break
            case 0x44:
                push(ValType.F64)
                break
            case 0xd0: // ref.null
                push(ins.type!)
                break
            case 0xd1: {
                // ref.is_null
                const t = pop()
                if (t !== UNKNOWN && !isRef(t)) err(`type mismatch: expected a reference, got ${typeName(t)}`)
                push(ValType.I32)
                break
            }
            case 0xd2: {
                // ref.func
                const x = ins.index!
                if (x >= c.funcs.length) err(`unknown function ${x}`)
                if (!c.refs.has(x)) err("undeclared function reference")
                push(ValType.FuncRef)
                break
            }
            case 0xfc08: // memory.init
                memory()
                dataSeg(ins.index!)
                popVals([ValType.I32, ValType.I32, ValType.I32])
                break
            case 0xfc09: // data.drop
                dataSeg(ins.index!)
                break
            case 0xfc0a: // memory.copy
            case 0xfc0b: // memory.fill
                memory()
                popVals([ValType.I32, ValType.I32, ValType.I32])
                break
            case 0xfc0c: {
                // table.init: index = elem segment, index2 = table
                const t = table(ins.index2!)
                const et = elemSeg(ins.index!)
                if (t.elem !== et) err(`type mismatch: ${typeName(et)} segment for a ${typeName(t.elem)} table`)
                popVals([ValType.I32, ValType.I32, ValType.I32])
                break
            }
            case 0xfc0d: // elem.drop
                elemSeg(ins.index!)
                break
            case 0xfc0e: {
                // table.copy: index = destination, index2 = source
                const dst = table(ins.index!)
                const src = table(ins.index2!)
                if (dst.elem !== src.elem) err(`type mismatch: copy from a ${typeName(src.elem)} table to a ${typeName(dst.elem)} table`)
                popVals([ValType.I32, ValType.I32, ValType.I32])
                break
            }
            case 0xfc0f: {
                // table.grow
                const t = table(ins.index!)
                popExpect(ValType.I32)
                popExpect(t.elem)
                push(ValType.I32)
                break
            }
            case 0xfc10: // table.size
                table(ins.index!)
                push(ValType.I32)
                break
            case 0xfc11: {
                // table.fill
                const t = table(ins.index!)
                popExpect(ValType.I32)
                popExpect(t.elem)
                popExpect(ValType.I32)
                break
            }
            default:
                err(`illegal opcode ${op.toString(16)}`)
        }
    }
    if (ctrls.length !== 0) err("END opcode expected")
}
