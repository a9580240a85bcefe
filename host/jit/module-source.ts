// A whole module -> the source of one JS "factory" function, compiled once with new Function
// and run per instance: its prelude binds the runtime helpers and the instance's memory,
// tables, globals, segments and imported functions to short names, then come the module's
// functions (function-source.ts); it returns every function, imports first.

import { ValType, WasmModule } from "../../compiler/wasm-types"
import { FunctionSource, ModuleShape, sigKey } from "./function-source"
import * as numeric from "./numeric"
import * as floatBits from "./float-bits"
import * as bulk from "./bulk"
import * as pairs from "./pairs"
import { trap } from "../../interpreter/trap"

/** Everything generated code calls by name. */
export const RUNTIME: Record<string, unknown> = { ...numeric, ...floatBits, ...bulk, ...pairs, trap }

/** What the factory is given for one instance. */
export interface FactoryEnv {
    memory: unknown
    tables: unknown[]
    globals: unknown[]
    datas: Uint8Array[]
    elems: unknown[][]
    imports: unknown[]
}

export type Factory = (rt: Record<string, unknown>, env: FactoryEnv) => ((...args: unknown[]) => unknown)[]

export function shapeOf(m: WasmModule): ModuleShape {
    const funcTypes = m.imports.filter(i => i.desc.kind === "func").map(i => m.types[(i.desc as { typeIndex: number }).typeIndex])
    for (const t of m.funcs) funcTypes.push(m.types[t])
    const globalTypes: ValType[] = []
    const tableTypes: ValType[] = []
    for (const i of m.imports) {
        if (i.desc.kind === "global") globalTypes.push(i.desc.global.type)
        if (i.desc.kind === "table") tableTypes.push(i.desc.table.elem)
    }
    for (const g of m.globals) globalTypes.push(g.type.type)
    for (const t of m.tables) tableTypes.push(t.elem)
    return { types: m.types, funcTypes, globalTypes, tableTypes }
}

export function moduleSource(m: WasmModule): string {
    const shape = shapeOf(m)
    const nImported = shape.funcTypes.length - m.funcs.length
    const count = (kind: string, own: number) => m.imports.filter(i => i.desc.kind === kind).length + own
    const constants: string[] = []
    const bodies: string[] = []
    for (let i = 0; i < m.funcs.length; i++) {
        const index = nImported + i
        const fs = new FunctionSource(shape, constants)
        bodies.push(fs.compile(index, shape.funcTypes[index], m.bodies[i].locals, m.bodies[i].instrs))
        bodies.push(`f${index}.sig = ${JSON.stringify(sigKey(shape.funcTypes[index]))};`)
    }
    const lines = [
        `"use strict";`,
        `const { ${Object.keys(RUNTIME).join(", ")} } = rt;`,
        `const M = env.memory;`,
        `let dv = M ? M.dv : null;`,
        `if (M) M.onGrow(() => { dv = M.dv; });`,
        `const D = env.datas, E = env.elems;`,
    ]
    for (let t = 0; t < count("table", m.tables.length); t++) lines.push(`const T${t} = env.tables[${t}];`)
    for (let g = 0; g < count("global", m.globals.length); g++) lines.push(`const G${g} = env.globals[${g}];`)
    for (let f = 0; f < nImported; f++) lines.push(`const f${f} = env.imports[${f}];`)
    lines.push(...constants, ...bodies)
    lines.push(`return [${shape.funcTypes.map((_, i) => `f${i}`).join(", ")}];`)
    return lines.join("\n")
}

export function compileFactory(m: WasmModule): Factory {
    return new Function("rt", "env", moduleSource(m)) as Factory
}
