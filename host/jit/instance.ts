// Compiling a module once (JitModule) and instantiating it (JitInstance): linking imports,
// creating memory, tables and globals, running the factory for the functions, applying
// segments and running the start function, in the spec's order.
//
// Imports and exports are JIT objects, so JIT instances link with each other directly: a
// function is the JS function itself (with its `sig`), memories, tables and globals are the
// shared JitMemory / JitTable / JitGlobal.

import "../../interpreter/platform/node-core"
import { loadModule } from "../../compiler/load-module"
import { ConstExpr, Limits, ValType, WasmModule } from "../../compiler/wasm-types"
import { LinkError } from "../../interpreter/instance"
import { trap, TRAP_MEMORY_OOB, TRAP_TABLE_OOB } from "../../interpreter/trap"
import { EMPTY_BYTES, EMPTY_ELEMS, WasmFunction } from "./bulk"
import { f32FromBits, f64FromHalves } from "./float-bits"
import { sigKey } from "./function-source"
import { JitGlobal } from "./global"
import { JitMemory, MAX_PAGES } from "./memory"
import { compileFactory, Factory, RUNTIME, shapeOf } from "./module-source"
import { JitTable, MAX_TABLE_SIZE } from "./table"
import { callWasm } from "./traps"

export type JitExtern = WasmFunction | JitMemory | JitTable | JitGlobal

/** The value to bind to an import, or null/undefined when there is none. */
export type JitResolver = (module: string, name: string) => JitExtern | null | undefined

export class JitModule {
    readonly factory: Factory
    constructor(readonly module: WasmModule) {
        this.factory = compileFactory(module)
    }
}

/** Decodes, validates and compiles a module (WasmDecodeError / WasmValidationError as compileToImage). */
export function compileJit(wasm: Uint8Array): JitModule {
    return new JitModule(loadModule(wasm))
}

export class JitInstance {
    readonly exports = new Map<string, JitExtern>()
    funcs: WasmFunction[] = []
    memory: JitMemory = null
    readonly tables: JitTable[] = []
    readonly globals: JitGlobal[] = []
    constructor(readonly module: JitModule) {}

    /** An exported function, or undefined. */
    func(name: string): WasmFunction | undefined {
        const e = this.exports.get(name)
        return typeof e === "function" ? e : undefined
    }

    /** Calls an exported function; traps come out as Trap. Results: undefined, a value, or an array. */
    call(name: string, ...args: unknown[]): unknown {
        const f = this.func(name)
        if (f === undefined) throw new Error(`no exported function "${name}"`)
        return callWasm(f, args)
    }
}

function limitsMatch(size: number, max: number | undefined, want: Limits): boolean {
    if (size < want.min) return false
    if (want.max === undefined) return true
    return max !== undefined && max <= want.max
}

function link(inst: JitInstance, resolve: JitResolver, imports: WasmFunction[]): void {
    const m = inst.module.module
    for (const imp of m.imports) {
        const what = `import ${imp.module}.${imp.name}`
        const v = resolve === null ? null : resolve(imp.module, imp.name)
        if (v === null || v === undefined) throw new LinkError(`unknown import: ${what} (${imp.desc.kind})`)
        const d = imp.desc
        if (d.kind === "func") {
            const want = sigKey(m.types[d.typeIndex])
            if (typeof v !== "function") throw new LinkError(`incompatible import type: ${what} is not a function`)
            if (v.sig !== want) throw new LinkError(`incompatible import type: ${what} has type ${v.sig}, expected ${want}`)
            imports.push(v)
        } else if (d.kind === "global") {
            if (!(v instanceof JitGlobal)) throw new LinkError(`incompatible import type: ${what} is not a global`)
            if (v.type !== d.global.type || v.mutable !== d.global.mutable) throw new LinkError(`incompatible import type: ${what} global type differs`)
            inst.globals.push(v)
        } else if (d.kind === "memory") {
            if (!(v instanceof JitMemory)) throw new LinkError(`incompatible import type: ${what} is not a memory`)
            if (!limitsMatch(v.pages, v.max, d.limits)) throw new LinkError(`incompatible import type: ${what} memory limits differ`)
            inst.memory = v
        } else {
            if (!(v instanceof JitTable)) throw new LinkError(`incompatible import type: ${what} is not a table`)
            if (v.elem !== d.table.elem) throw new LinkError(`incompatible import type: ${what} element type differs`)
            if (!limitsMatch(v.size, v.max, d.table.limits)) throw new LinkError(`incompatible import type: ${what} table limits differ`)
            inst.tables.push(v)
        }
    }
}

function evalConst(inst: JitInstance, e: ConstExpr): unknown {
    switch (e.op) {
        case "i32.const":
            return e.value
        case "i64.const":
            return BigInt.asIntN(64, (BigInt(e.hi) << 32n) | BigInt(e.lo >>> 0))
        case "f32.const":
            return f32FromBits(e.bits)
        case "f64.const":
            return f64FromHalves(e.lo, e.hi)
        case "ref.null":
            return null
        case "ref.func":
            return inst.funcs[e.funcIndex]
        case "global.get":
            return inst.globals[e.globalIndex].value
    }
}

/** Creates an instance and runs its start function. Throws LinkError or Trap. */
export function instantiateJit(mod: JitModule, resolve: JitResolver = null): JitInstance {
    const inst = new JitInstance(mod)
    const m = mod.module
    const imports: WasmFunction[] = []
    link(inst, resolve, imports)

    // Cells first (the functions refer to them), values once the functions exist (ref.func).
    const own = m.globals.map(g => new JitGlobal(undefined, g.type.type, g.type.mutable))
    inst.globals.push(...own)
    for (const t of m.tables) {
        if (t.limits.min > MAX_TABLE_SIZE) throw new LinkError(`table of ${t.limits.min} elements exceeds the limit of ${MAX_TABLE_SIZE}`)
        inst.tables.push(new JitTable(t.limits.min, t.limits.max, t.elem))
    }
    if (m.memories.length > 0) {
        const l = m.memories[0]
        if (l.min > MAX_PAGES) throw new LinkError(`memory of ${l.min} pages exceeds the limit of ${MAX_PAGES} pages`)
        inst.memory = new JitMemory(l.min, l.max)
    }
    const datas = m.datas.map(d => d.bytes)
    const elems: unknown[][] = m.elems.map(() => EMPTY_ELEMS)
    inst.funcs = mod.factory(RUNTIME, { memory: inst.memory, tables: inst.tables, globals: inst.globals, datas, elems, imports }) as WasmFunction[]
    m.globals.forEach((g, i) => (own[i].value = evalConst(inst, g.init)))
    m.elems.forEach((e, i) => (elems[i] = e.items.map(item => evalConst(inst, item))))

    for (const ex of m.exports) {
        const v = ex.kind === "func" ? inst.funcs[ex.index] : ex.kind === "table" ? inst.tables[ex.index] : ex.kind === "memory" ? inst.memory : inst.globals[ex.index]
        inst.exports.set(ex.name, v)
    }

    // Active element segments, then data segments, in order: a trap leaves earlier writes in place.
    m.elems.forEach((e, i) => {
        if (e.mode.kind === "passive") return
        const items = elems[i]
        elems[i] = EMPTY_ELEMS
        if (e.mode.kind === "declarative") return
        const table = inst.tables[e.mode.table]
        const offset = (evalConst(inst, e.mode.offset) as number) >>> 0
        if (offset + items.length > table.size) trap(TRAP_TABLE_OOB)
        for (let k = 0; k < items.length; k++) table.elems[offset + k] = items[k]
    })
    m.datas.forEach((d, i) => {
        if (d.mode.kind !== "active") return
        datas[i] = EMPTY_BYTES
        const offset = (evalConst(inst, d.mode.offset) as number) >>> 0
        if (offset + d.bytes.length > inst.memory.byteLength) trap(TRAP_MEMORY_OOB)
        inst.memory.u8.set(d.bytes, offset)
    })
    if (m.start !== undefined) callWasm(inst.funcs[m.start], [])
    return inst
}

/**
 * A host function to import into JIT instances: `fn` gets and returns JIT values (i64 as
 * BigInt; several results as an array followed by a null, see function-source.ts returnStmt).
 */
export function hostFunction(params: ValType[], results: ValType[], fn: (...args: unknown[]) => unknown): WasmFunction {
    const f = fn.bind(null) as WasmFunction // a new function to carry the signature
    f.sig = sigKey({ params, results })
    return f
}

export { shapeOf }
