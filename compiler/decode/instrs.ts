// Decoding of instruction sequences (function bodies and constant expressions) into flat Instr[].

import { FuncType, Instr, ValType, WasmValidationError } from "../wasm-types"
import { Reader } from "./reader"

export interface ExprContext {
    types: FuncType[]
    /** Set when a memory.init / data.drop is seen (they need a datacount section). */
    usesDataIndex: boolean
    /** Validation errors noticed while decoding (typed select arity). */
    deferred: WasmValidationError[]
    /** Absolute function index of the body being decoded, for messages. */
    funcIndex?: number
}

export function hex2(b: number): string {
    return (b < 16 ? "0" : "") + b.toString(16)
}

/** A value type byte. */
export function readValType(r: Reader): ValType {
    const at = r.pos
    const b = r.u8()
    switch (b) {
        case ValType.I32:
        case ValType.I64:
        case ValType.F32:
        case ValType.F64:
        case ValType.FuncRef:
        case ValType.ExternRef:
            return b
        case ValType.V128:
            return r.fail("SIMD (v128) is not supported", at)
    }
    return r.fail(b > 0x70 ? "malformed value type" : "malformed reference type", at)
}

/** A reference type byte (table element type, ref.null heap type). */
export function readRefType(r: Reader): ValType {
    const at = r.pos
    const b = r.u8()
    if (b === ValType.FuncRef || b === ValType.ExternRef) return b
    return r.fail("malformed reference type", at)
}

function zeroByte(r: Reader): void {
    const at = r.pos
    if (r.u8() !== 0) r.fail("zero byte expected", at)
}

function blockType(r: Reader, ins: Instr, ctx: ExprContext): void {
    const b = r.peek()
    if (b === 0x40) {
        r.pos++
        ins.block = { params: [], results: [] }
    } else if (b !== undefined && (b & 0xc0) === 0x40) {
        ins.block = { params: [], results: [readValType(r)] }
    } else {
        const at = r.pos
        const idx = r.s33()
        if (idx < 0) r.fail("malformed block type", at)
        const t = ctx.types[idx]
        if (t) ins.block = { params: t.params.slice(), results: t.results.slice() }
        else ins.index = idx // unresolved: the validator reports "unknown type"
    }
}

function memarg(r: Reader, ins: Instr): void {
    const at = r.pos
    const align = r.u32()
    if (align >= 32) r.fail("malformed memop flags", at)
    ins.align = align
    ins.offset = r.u32()
}

const enum Frame {
    Plain, // block, loop, or the else part of an if
    If, // then part of an if (an else may follow)
}

/**
 * Decodes instructions up to and including the `end` that closes the expression.
 * `r.limit` must be the end of the function body (or of the section, for constant expressions).
 */
export function decodeExpr(r: Reader, ctx: ExprContext, isBody: boolean): Instr[] {
    const out: Instr[] = []
    const frames: Frame[] = []
    for (;;) {
        if (r.pos >= r.limit) r.fail("unexpected end of section or function")
        const pos = r.pos
        const op = r.u8()
        const ins: Instr = { op, pos }
        if ((op >= 0x45 && op <= 0xc4) || op === 0x00 || op === 0x01 || op === 0x0f || op === 0x1a || op === 0x1b || op === 0xd1) {
            out.push(ins)
            continue
        }
        switch (op) {
            case 0x02:
            case 0x03:
                blockType(r, ins, ctx)
                frames.push(Frame.Plain)
                break
            case 0x04:
                blockType(r, ins, ctx)
                frames.push(Frame.If)
                break
            case 0x05:
                if (frames.length === 0 || frames[frames.length - 1] !== Frame.If) r.fail("END opcode expected", pos)
                frames[frames.length - 1] = Frame.Plain
                break
            case 0x0b:
                if (frames.length === 0) {
                    out.push(ins)
                    return out
                }
                frames.pop()
                break
            case 0x0c:
            case 0x0d:
            case 0x10:
            case 0x20:
            case 0x21:
            case 0x22:
            case 0x23:
            case 0x24:
            case 0x25:
            case 0x26:
            case 0xd2:
                ins.index = r.u32()
                break
            case 0x0e: {
                const n = r.u32()
                const labels: number[] = []
                for (let i = 0; i <= n; i++) labels.push(r.u32())
                ins.labels = labels
                break
            }
            case 0x11:
                ins.index = r.u32()
                ins.index2 = r.u32()
                break
            case 0x1c: {
                const n = r.u32()
                const ts: ValType[] = []
                for (let i = 0; i < n; i++) ts.push(readValType(r))
                if (n === 1) ins.type = ts[0]
                else ctx.deferred.push(new WasmValidationError("invalid result arity", pos, ctx.funcIndex))
                break
            }
            case 0x3f:
            case 0x40:
                zeroByte(r)
                break
            case 0x41:
                ins.value = r.s32()
                break
            case 0x42: {
                const v = r.s64()
                ins.lo = v.lo
                ins.hi = v.hi
                break
            }
            case 0x43:
                ins.value = r.fixed32()
                break
            case 0x44:
                ins.lo = r.fixed32()
                ins.hi = r.fixed32()
                break
            case 0xd0:
                ins.type = readRefType(r)
                break
            case 0xfc: {
                const sub = r.u32()
                if (sub > 17) r.fail(`illegal opcode fc ${hex2(sub)}`, pos)
                ins.op = 0xfc00 | sub
                switch (sub) {
                    case 8:
                        ins.index = r.u32()
                        zeroByte(r)
                        if (isBody) ctx.usesDataIndex = true
                        break
                    case 9:
                        ins.index = r.u32()
                        if (isBody) ctx.usesDataIndex = true
                        break
                    case 10:
                        zeroByte(r)
                        zeroByte(r)
                        break
                    case 11:
                        zeroByte(r)
                        break
                    case 12:
                    case 14:
                        ins.index = r.u32()
                        ins.index2 = r.u32()
                        break
                    case 13:
                    case 15:
                    case 16:
                    case 17:
                        ins.index = r.u32()
                        break
                }
                break
            }
            case 0xfd:
                r.fail("illegal opcode fd: SIMD instructions are not supported", pos)
            default:
                if (op >= 0x28 && op <= 0x3e) {
                    memarg(r, ins)
                    break
                }
                r.fail(`illegal opcode ${hex2(op)}`, pos)
        }
        out.push(ins)
    }
}
