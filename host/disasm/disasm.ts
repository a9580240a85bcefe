// A listing of a device image's code (host only): one line per instruction with its code offset,
// opcode name and operands, decoded with the same operand layouts the loader's verifier uses
// (interpreter/verify.ts), so what it shows is what the device will run.
//
// Opcode names come from interpreter/opcodes.ts itself (its `Op` enum is erased by the compiler),
// binary and unary numeric ops from numeric-order.ts as the Wasm opcode they stand for.

import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { LoadedModule } from "../../interpreter/loader"
import { layout } from "../../interpreter/verify"
import { FuncRec } from "../../interpreter/image-format"
import { Op } from "../../interpreter/opcodes"
import { BINARY_WASM_OPS, UNARY_WASM_OPS } from "../../interpreter/numeric-order"

let names: Map<number, string> | undefined

/** Opcode number -> name, read from the source of the Op enum. */
function opNames(): Map<number, string> {
    if (names) return names
    const src = readFileSync(fileURLToPath(new URL("../../interpreter/opcodes.ts", import.meta.url)), "utf8")
    const body = src.slice(src.indexOf("export const enum Op {"), src.indexOf("\n}", src.indexOf("export const enum Op {")))
    names = new Map()
    for (const m of body.matchAll(/^\s+([A-Z0-9_]+) = (\d+),/gm)) {
        const [name, n] = [m[1], +m[2]]
        if (/_(BASE|END)$/.test(name) || name.startsWith("BIN_")) continue
        if (!names.has(n)) names.set(n, name)
    }
    return names
}

export function opName(op: number): string {
    if (op >= Op.BIN_BASE && op < Op.UN_BASE) return `bin:0x${BINARY_WASM_OPS[op - Op.BIN_BASE]?.toString(16) ?? "?"}`
    if (op >= Op.UN_BASE && op < Op.MISC_BASE) return `un:0x${UNARY_WASM_OPS[op - Op.UN_BASE]?.toString(16) ?? "?"}`
    return opNames().get(op) ?? `op${op}`
}

/** The instructions of defined function f (0 = the first defined one) of a loaded image. */
export function disassembleFunction(m: LoadedModule, f: number): string[] {
    const img = m.image
    const rec = m.funcsOff + f * FuncRec.SIZE
    const start = img.getAt(rec + FuncRec.CODE, "u32")
    const end = img.getAt(rec + FuncRec.CODE_END, "u32")
    const frame = img.getAt(rec + FuncRec.FRAME_SLOTS, "u16")
    const out = [
        `function ${m.importedFuncs + f} (defined ${f}): params ${img.getAt(rec + FuncRec.PARAM_SLOTS, "u16")}, locals ${img.getAt(rec + FuncRec.LOCAL_SLOTS, "u16")}, frame ${frame} slots, code ${start}..${end}`,
    ]
    let pc = start
    while (pc < end) {
        const op = img[pc]
        const lay = layout(op)
        const parts: string[] = []
        let p = pc + 1
        for (const c of lay) {
            if (c === "k") {
                parts.push(`kind ${img[p]}`)
                p += 1
            } else if (c === "r" || c === "a") {
                parts.push(`${c === "a" ? "args " : ""}r${img.getAt(p, "u16") / 8}`)
                p += 2
            } else if (c === "n") {
                // br_table: n, k distinct targets, then n+1 entries of u8 or u16
                const n = img.getAt(p, "u32")
                const k = img.getAt(p + 4, "u32")
                const targets: number[] = []
                for (let j = 0; j < k; j++) targets.push(img.getAt(p + 8 + 4 * j, "u32"))
                parts.push(`${n + 1} entries -> [${targets.map(t => "@" + t).join(" ")}]`)
                p += 8 + 4 * k + (k <= 256 ? 1 : 2) * (n + 1)
            } else {
                const v = img.getAt(p, "u32")
                const i32 = img.getAt(p, "i32")
                parts.push(c === "t" ? `@${v}` : c === "i" ? String(i32) : `${c === "F" || c === "M" || c === "f" ? "func" : c === "g" ? "global" : c === "T" ? "table" : c === "y" ? "type" : c === "e" ? "elem" : c === "d" ? "data" : c} ${v}`)
                p += 4
            }
        }
        out.push(`  ${String(pc).padStart(6)}  ${opName(op).padEnd(14)} ${parts.join(", ")}`)
        if (lay === "?" || p <= pc) break
        pc = p
    }
    return out
}

/** The listing of every defined function. */
export function disassemble(m: LoadedModule): string[] {
    const out: string[] = []
    for (let f = 0; f < m.funcCount; f++) out.push(...disassembleFunction(m, f), "")
    return out
}
