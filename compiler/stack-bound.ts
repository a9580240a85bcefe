// How much of an Execution's two stacks a call into a module can need, worked out on the host
// from the compiled image, so that each app's stacks can be sized from what is known instead of
// a profile's default. It reads exactly what the run loop (interpreter/machine.ts) checks:
//
//  - entering a Wasm function puts its frame (FuncRec.FRAME_SLOTS x 8 bytes) at the callee's
//    frame pointer and takes one frame record; the run loop traps when the frame would end past
//    the value stack or the records are used up;
//  - a call (CALL, CALL_IMPORT, CALL_INDIRECT) puts the callee's frame pointer at the caller's
//    fp + the call's argument base (operand `a`), so frames overlap their callers' tails;
//  - a host function runs on the caller's frame (arguments and results at fp + args) and takes
//    no frame record; a function of another Wasm instance costs what that instance's own bound
//    says, counted from its frame pointer.
//
// Over the call graph: need(f) = max(frame(f), max over call sites (args + need(callee))) bytes
// and 1 + max(depth(callee)) frames. A call from the host starts at the stack's base with depth
// 0, so need(export) is exactly the (stackBytes, callDepth) an Execution must have.
//
// A call_indirect can only reach, of the functions whose type is the call's, those the module
// ever turns into a reference (ref.func in its code, element segments or global initialisers):
// nothing else can get into its tables when they are closed, i.e. no table is imported or
// exported and no function reference comes in from outside (imported funcref globals, exported
// mutable ones, imported functions returning one, exported functions taking one). When they are
// not closed, a call_indirect makes the bound unknown.
//
// The bound is unknown (0) when recursion is reachable, a reachable call_indirect can reach any
// function, or a reachable import's cost is unknown.

import { FuncRec, Hdr, Sec } from "../interpreter/image-format"
import { Op } from "../interpreter/opcodes"
import { layout } from "../interpreter/verify"
import type { FuncType, WasmModule } from "./wasm-types"

/** Value-stack bytes and Wasm frames; both 0 = unknown. */
export interface StackNeed {
    stackBytes: number
    depth: number
}

/**
 * What calling an imported function costs the calling execution: "host" for a host function
 * (it runs on the caller's frame), a StackNeed for a function of another Wasm instance (its own
 * worst case, from its frame pointer; depth 0 = unknown), or "unknown".
 */
export type ImportCost = "host" | "unknown" | StackNeed
export type ImportCostFn = (module: string, name: string, type: FuncType) => ImportCost

/** Without other knowledge: WASI's functions are host functions, anything else is unknown. */
export const defaultImportCost: ImportCostFn = module => (module === "wasi_snapshot_preview1" ? "host" : "unknown")

export interface StackBound {
    /** Worst case over every exported function and the start function; 0 = unknown. */
    stackBytes: number
    callDepth: number
    /** Per exported function, by export name. */
    exports: Map<string, StackNeed>
    /** The start function's, when there is one. */
    start?: StackNeed
    /** Frame bytes of each defined function. */
    frameBytes: number[]
    /** Why the bound is unknown (the first reason met), or "". */
    unknownBecause: string
}

interface CallSite {
    op: number // Op.CALL, Op.CALL_IMPORT or Op.CALL_INDIRECT
    target: number // function index (CALL, CALL_IMPORT); type index (CALL_INDIRECT)
    args: number // argument base, bytes from the caller's fp
}

const isRef = (t: number): boolean => t === 0x70 /* funcref */

function sameType(a: FuncType, b: FuncType): boolean {
    return a.params.length === b.params.length && a.results.length === b.results.length && a.params.every((t, i) => t === b.params[i]) && a.results.every((t, i) => t === b.results[i])
}

/**
 * Every function a table of m can ever hold (see the header), or a reason why that is not known.
 */
export function tableCandidates(m: WasmModule): number[] | string {
    const funcTypes: FuncType[] = []
    for (const im of m.imports) {
        const d = im.desc
        if (d.kind === "table") return `an imported table (${im.module}.${im.name})`
        if (d.kind === "global" && isRef(d.global.type)) return `an imported function reference (${im.module}.${im.name})`
        if (d.kind === "func") {
            if (m.types[d.typeIndex].results.some(isRef)) return `an imported function returning a function reference (${im.module}.${im.name})`
            funcTypes.push(m.types[d.typeIndex])
        }
    }
    for (const t of m.funcs) funcTypes.push(m.types[t])
    const importedGlobals = m.imports.filter(im => im.desc.kind === "global").length
    for (const e of m.exports) {
        if (e.kind === "table") return `an exported table (${e.name})`
        if (e.kind === "func" && funcTypes[e.index].params.some(isRef)) return `an exported function taking a function reference (${e.name})`
        if (e.kind === "global" && e.index >= importedGlobals) {
            const g = m.globals[e.index - importedGlobals].type
            if (g.mutable && isRef(g.type)) return `an exported mutable function reference (${e.name})`
        }
    }
    const refs = new Set<number>()
    for (const e of m.elems) for (const it of e.items) if (it.op === "ref.func") refs.add(it.funcIndex)
    for (const g of m.globals) if (g.init.op === "ref.func") refs.add(g.init.funcIndex)
    for (const b of m.bodies) for (const ins of b.instrs) if (ins.op === 0xd2) refs.add(ins.index!)
    return [...refs].sort((a, b) => a - b)
}

const UNKNOWN: StackNeed = { stackBytes: 0, depth: 0 }

/** The call sites of one defined function, walked with the verifier's operand layouts. */
function callSites(img: Buffer, start: number, end: number): CallSite[] {
    const sites: CallSite[] = []
    let pc = start
    while (pc < end) {
        const op = img[pc]
        const lay = layout(op)
        if (lay === "?") throw new Error(`stack bound: unknown opcode ${op} at ${pc}`)
        let p = pc + 1
        if (op === Op.CALL || op === Op.CALL_IMPORT) sites.push({ op, target: img.readUInt32LE(p), args: img.readUInt16LE(p + 4) })
        else if (op === Op.CALL_INDIRECT) sites.push({ op, target: img.readUInt32LE(p), args: img.readUInt16LE(p + 10) })
        for (const c of lay) {
            if (c === "k") p += 1
            else if (c === "r" || c === "a") p += 2
            else if (c === "n") {
                const n = img.readUInt32LE(p)
                const k = img.readUInt32LE(p + 4)
                p += 8 + 4 * k + (k <= 256 ? 1 : 2) * (n + 1)
            } else p += 4
        }
        pc = p
    }
    return sites
}

/**
 * The stack bound of a compiled image (header sections already written) of module m.
 * importCost says what each imported function costs (default: defaultImportCost).
 */
export function stackBound(image: Uint8Array, m: WasmModule, importCost: ImportCostFn = defaultImportCost): StackBound {
    const img = Buffer.from(image.buffer, image.byteOffset, image.byteLength)
    const funcImports = m.imports.filter(im => im.desc.kind === "func")
    const imported = funcImports.length
    const funcsOff = img.readUInt32LE(Hdr.SECTIONS + Sec.FUNCS * 8)
    const frameBytes: number[] = []
    const sites: CallSite[][] = []
    for (let f = 0; f < m.funcs.length; f++) {
        const rec = funcsOff + f * FuncRec.SIZE
        frameBytes.push(img.readUInt16LE(rec + FuncRec.FRAME_SLOTS) * 8)
        sites.push(callSites(img, img.readUInt32LE(rec + FuncRec.CODE), img.readUInt32LE(rec + FuncRec.CODE_END)))
    }
    let unknownBecause = ""
    /** Notes the first reason the bound is unknown; null stands for unknown below. */
    const unknown = (why: string): null => {
        if (unknownBecause === "") unknownBecause = why
        return null
    }
    const importCosts = new Map<number, StackNeed | null>()
    /** What calling imported function f costs: bytes from the callee's fp, frames. */
    const importNeed = (f: number): StackNeed | null => {
        if (importCosts.has(f)) return importCosts.get(f)
        const im = funcImports[f]
        const type = m.types[(im.desc as { typeIndex: number }).typeIndex]
        const cost = importCost(im.module, im.name, type)
        let need: StackNeed | null
        if (cost === "host") need = { stackBytes: 8 * Math.max(type.params.length, type.results.length), depth: 0 }
        else if (cost === "unknown" || cost.depth <= 0 || cost.stackBytes <= 0) need = unknown(`import ${im.module}.${im.name} of unknown cost`)
        else need = { stackBytes: cost.stackBytes, depth: cost.depth }
        importCosts.set(f, need)
        return need
    }
    const candidates = tableCandidates(m)
    const funcType = (f: number): FuncType => m.types[f < imported ? (funcImports[f].desc as { typeIndex: number }).typeIndex : m.funcs[f - imported]]
    /** The functions a call_indirect of type t can enter, or null (unknown). */
    const indirectTargets = (t: number, caller: number): number[] | null => {
        if (typeof candidates === "string") return unknown(`call_indirect in function ${caller} with ${candidates}`)
        return candidates.filter(f => sameType(funcType(f), m.types[t]))
    }
    // 0 unvisited, 1 on the current path, 2 done (needs[] holds the result)
    const state = new Uint8Array(m.funcs.length)
    const needs: (StackNeed | null)[] = []
    const visit = (func: number): StackNeed | null => {
        if (func < imported) return importNeed(func)
        const f = func - imported
        if (state[f] === 2) return needs[f]
        if (state[f] === 1) return unknown(`recursion through function ${func}`)
        state[f] = 1
        let bytes = frameBytes[f]
        let depth = 0
        let known = true
        for (const s of sites[f]) {
            const targets = s.op === Op.CALL_INDIRECT ? indirectTargets(s.target, func) : [s.target]
            if (targets === null) {
                known = false
                continue
            }
            for (const t of targets) {
                const callee = visit(t)
                if (callee === null) known = false
                else {
                    bytes = Math.max(bytes, s.args + callee.stackBytes)
                    depth = Math.max(depth, callee.depth)
                }
            }
        }
        state[f] = 2
        needs[f] = known ? { stackBytes: bytes, depth: depth + 1 } : null
        return needs[f]
    }
    const exports = new Map<string, StackNeed>()
    let worst: StackNeed | null = { stackBytes: 0, depth: 0 }
    const root = (func: number): StackNeed => {
        const need = visit(func)
        if (need === null) worst = null
        else if (worst !== null) worst = { stackBytes: Math.max(worst.stackBytes, need.stackBytes), depth: Math.max(worst.depth, need.depth) }
        return need ?? UNKNOWN
    }
    for (const e of m.exports) if (e.kind === "func") exports.set(e.name, root(e.index))
    const start = m.start === undefined ? undefined : root(m.start)
    if (worst === null || worst.depth === 0) worst = UNKNOWN
    return { stackBytes: worst.stackBytes, callDepth: worst.depth, exports, start, frameBytes, unknownBecause }
}
