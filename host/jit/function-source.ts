// One Wasm function body -> the source of one JavaScript function.
//
// The operand stack becomes local variables named by depth (s0, s1, ...): the depth of every
// operand is known statically, so each instruction is one assignment, e.g. i32.add at depth 3
// is `s2 = (s2 + s3) | 0`. V8's optimising compiler turns these copies into SSA values, so
// folding them into expressions here would gain nothing once the code is hot.
//
// Structured control maps onto labelled JS statements: block -> `Ld: { }`, loop ->
// `Ld: for (;;) { ... break Ld }` (a branch to it is `continue Ld`), if -> `Ld: if (c) { } else { }`.
// A branch copies its values into the target's result slots (s<base>...) and breaks out; the
// function's own label is `return`. Code after an unconditional branch is unreachable and has a
// polymorphic stack in Wasm: it is skipped up to the end of its block.
//
// Parameters and locals are l0, l1, ...; calls of the module's functions are direct calls of
// f<index>; several results travel as an array (with a null after them, see returnStmt).
//
// Inside a function an i64 is two int32 variables, low and high half (slot k: s<k> and x<k>;
// local n: l<n> and y<n>; i64-ops.ts), so i64 arithmetic allocates nothing. At the function's
// edges (parameters, results, calls, globals) an i64 is a BigInt (pairs.ts big/split). The
// generator therefore tracks the type of every stack slot.

import { FuncType, Instr, ValType } from "../../compiler/wasm-types"
import { BINARY, CONDITIONS, F32_LOAD_NAN, loadType, LOADS, resultType, STORES, UNARY } from "./ops"
import { I64_BINARY, I64_CONDITIONS, I64_CONST_SHIFT, I64_CONVERSIONS, I64_LOADS, I64_STORES, I64_UNARY, Pair } from "./i64-ops"
import { f32FromBits, f64FromHalves } from "./float-bits"

/** What a function body needs to know of its module. */
export interface ModuleShape {
    types: FuncType[]
    /** Type of every function, imports first. */
    funcTypes: FuncType[]
    /** Value type of every global, imports first. */
    globalTypes: ValType[]
    /** Element type of every table, imports first. */
    tableTypes: ValType[]
}

/** The signature key of a function type: letters i I f F r x, "params:results" (as the interpreter's HostFunc). */
export function sigKey(t: FuncType): string {
    return t.params.map(typeLetter).join("") + ":" + t.results.map(typeLetter).join("")
}

export function typeLetter(t: ValType): string {
    switch (t) {
        case ValType.I32:
            return "i"
        case ValType.I64:
            return "I"
        case ValType.F32:
            return "f"
        case ValType.F64:
            return "F"
        case ValType.FuncRef:
            return "r"
        default:
            return "x"
    }
}

/** Source of the zero value of a local of type t (for an i64: of each half). */
function zeroOf(t: ValType): string {
    return t === ValType.FuncRef || t === ValType.ExternRef ? "null" : "0"
}

/** A number as JS source that gives back exactly that double (sign of zero included). */
export function numberLiteral(x: number): string {
    if (x !== x) throw new Error("NaN has no literal")
    if (x === 0) return 1 / x < 0 ? "(-0)" : "0"
    if (!isFinite(x)) return x < 0 ? "(-Infinity)" : "Infinity"
    return x < 0 ? `(${String(x)})` : String(x)
}

/** An integer constant as JS source (BigInt for i64), parenthesised when negative. */
function literal(v: number | bigint): string {
    const t = typeof v === "bigint" ? `${v}n` : String(v)
    return v < 0 ? `(${t})` : t
}

interface Ctrl {
    kind: "func" | "block" | "loop" | "if"
    label: string
    /** Stack height below the block's parameters. */
    base: number
    params: ValType[]
    results: ValType[]
}

const I64 = ValType.I64

export class FunctionSource {
    private readonly out: string[] = []
    /** Types of the operand stack's slots; its length is the stack height. */
    private types: ValType[] = []
    private maxH = 0
    private readonly ctrl: Ctrl[] = []
    private localTypes: ValType[] = []
    /** Skipping unreachable code: -1 when not, else how many blocks deep inside the skipped part. */
    private dead = -1
    /** A comparison on top of the stack not yet stored as 0/1: its slot and JS boolean expression. */
    private cond: { slot: number; expr: string } = null
    /** The integer constant the previous instruction pushed (binary operators take it as a literal). */
    private konst: { slot: number; value: number | bigint } = null
    /** NaN constants, which have no literal: hoisted to the module prelude. */
    constructor(private readonly mod: ModuleShape, private readonly constants: string[]) {}

    /** The function's source: `function f<index>(l0, ...) { ... }`. */
    compile(index: number, type: FuncType, locals: ValType[], instrs: Instr[]): string {
        this.localTypes = [...type.params, ...locals]
        this.ctrl.push({ kind: "func", label: "", base: 0, params: [], results: type.results })
        for (const ins of instrs) this.instr(ins)
        const np = type.params.length
        const params = type.params.map((_, i) => `l${i}`).join(", ")
        const decls: string[] = locals.map((t, i) => `l${np + i} = ${zeroOf(t)}`)
        this.localTypes.forEach((t, i) => t === I64 && decls.push(`y${i} = 0`))
        for (let k = 0; k < this.maxH; k++) decls.push(`s${k} = 0, x${k} = 0`)
        decls.push("t = null, tl = 0, te = 0")
        // i64 parameters arrive as BigInts.
        const prologue = type.params.map((t, i) => (t === I64 ? `  l${i} = split(l${i}); y${i} = H.hi;\n` : "")).join("")
        return `function f${index}(${params}) {\n  let ${decls.join(", ")};\n${prologue}${this.out.join("\n")}\n}`
    }

    private get h(): number {
        return this.types.length
    }

    private emit(line: string): void {
        if (line) this.out.push("  ".repeat(this.ctrl.length) + line)
    }

    private s(k: number): string {
        return `s${k}`
    }

    private pair(k: number): Pair {
        return { lo: `s${k}`, hi: `x${k}` }
    }

    /** Claims the next stack slot for a result of type t. */
    private push(t: ValType): number {
        this.types.push(t)
        if (this.h > this.maxH) this.maxH = this.h
        return this.h - 1
    }

    private pop(): number {
        this.types.pop()
        return this.h
    }

    /** Slot k as a BigInt-or-value expression (what crosses a function boundary). */
    private boxed(k: number): string {
        return this.types[k] === I64 ? `big(s${k}, x${k})` : `s${k}`
    }

    /** Statements storing a boundary value (BigInt for i64) into slot k. */
    private unbox(k: number, e: string): string {
        return this.types[k] === I64 ? `s${k} = split(${e}); x${k} = H.hi;` : `s${k} = ${e};`
    }

    /** Copies slot `from` into slot `to` (both halves of an i64). */
    private copy(to: number, from: number, t: ValType): string {
        if (to === from) return ""
        return t === I64 ? `s${to} = s${from}; x${to} = x${from};` : `s${to} = s${from};`
    }

    /** Stores a pending comparison as the i32 it is. */
    private settle(): void {
        if (this.cond) {
            this.emit(`s${this.cond.slot} = (${this.cond.expr}) ? 1 : 0;`)
            this.cond = null
        }
    }

    /** Pops an i32 used as a condition: the JS boolean expression. */
    private popCond(): string {
        if (this.cond) {
            const e = this.cond.expr
            this.cond = null
            this.pop()
            return e
        }
        return `s${this.pop()} !== 0`
    }

    /** Copies the top values of types ts into slots base.. (a branch's or block end's results). */
    private moveResults(ts: ValType[], base: number): string[] {
        const lines: string[] = []
        ts.forEach((t, i) => lines.push(this.copy(base + i, this.h - ts.length + i, t)))
        return lines.filter(l => l)
    }

    /** The statements of a branch to the label `depth` levels out. */
    private branch(depth: number): string[] {
        const c = this.ctrl[this.ctrl.length - 1 - depth]
        if (c.kind === "func") return [this.returnStmt(c.results.length)]
        const ts = c.kind === "loop" ? c.params : c.results
        return [...this.moveResults(ts, c.base), c.kind === "loop" ? `continue ${c.label};` : `break ${c.label};`]
    }

    private returnStmt(n: number): string {
        if (n === 0) return "return;"
        if (n === 1) return `return ${this.boxed(this.h - 1)};`
        const vals: string[] = []
        for (let i = this.h - n; i < this.h; i++) vals.push(this.boxed(i))
        // The trailing null keeps the array generic: V8 quietens NaNs stored into double arrays.
        return `return [${vals.join(", ")}, null];`
    }

    private enterDead(): void {
        this.dead = 0
    }

    /** Pops n arguments: their boundary expressions. */
    private callArgs(n: number): string {
        const args: string[] = []
        for (let i = this.h - n; i < this.h; i++) args.push(this.boxed(i))
        this.types.length -= n
        return args.join(", ")
    }

    /** Pushes a call's results. */
    private callResults(call: string, results: ValType[]): void {
        if (results.length === 0) this.emit(`${call};`)
        else if (results.length === 1) this.emit(this.unbox(this.push(results[0]), call))
        else {
            this.emit(`t = ${call};`)
            results.forEach((r, i) => this.emit(this.unbox(this.push(r), `t[${i}]`)))
        }
    }

    private ea(ins: Instr): string {
        const a = `s${this.pop()}`
        return ins.offset ? `(${a} >>> 0) + ${ins.offset}` : `${a} >>> 0`
    }

    private instr(ins: Instr): void {
        const op = ins.op
        const konst = this.konst
        this.konst = null
        if (this.dead >= 0) {
            if (op === 0x02 || op === 0x03 || op === 0x04) this.dead++
            else if (op === 0x0b || op === 0x05) {
                if (this.dead > 0) {
                    if (op === 0x0b) this.dead--
                    return
                }
                this.dead = -1
                this.endOrElse(op, true)
            }
            return
        }
        // A comparison feeds these directly; everything else sees it as an i32.
        if (this.cond && !(op === 0x04 || op === 0x0d || op === 0x1b || op === 0x1c || op === 0x45)) this.settle()
        // A constant second operand is written as a literal.
        const lit = konst && konst.slot === this.h - 1 ? konst.value : undefined
        if (this.i64(ins, lit)) return

        const un = UNARY[op]
        if (un) {
            const a = this.s(this.h - 1)
            this.emit(`${a} = ${un(a)};`)
            this.types[this.h - 1] = resultType(op)
            return
        }
        const bin = BINARY[op]
        if (bin) {
            const b = this.s(this.pop())
            const a = this.s(this.h - 1)
            this.emit(`${a} = ${bin(a, lit !== undefined ? literal(lit) : b)};`)
            return
        }
        const cnd = CONDITIONS[op]
        if (cnd) {
            if (op === 0x45 && this.cond) {
                this.cond.expr = `!(${this.cond.expr})`
                return
            }
            let expr: string
            if (cnd.length === 2) {
                const b = lit !== undefined ? literal(lit) : this.s(this.h - 1)
                this.pop()
                expr = cnd(this.s(this.h - 1), b)
            } else expr = cnd(this.s(this.h - 1))
            this.types[this.h - 1] = ValType.I32
            this.cond = { slot: this.h - 1, expr }
            return
        }
        const load = LOADS[op]
        if (load) {
            let ea = this.ea(ins)
            const k = this.push(loadType(op))
            if (op === 0x2a) {
                // The address is needed twice and its slot is the result's: keep it in te.
                this.emit(`te = ${ea};`)
                ea = "te"
            }
            this.emit(`s${k} = ${load(ea)};`)
            if (op === 0x2a) this.emit(F32_LOAD_NAN(`s${k}`, ea))
            return
        }
        const store = STORES[op]
        if (store) {
            const v = this.s(this.pop())
            this.emit(`${store(this.ea(ins), v)};`)
            return
        }
        this.other(ins)
    }

    /** Instructions with an i64 operand or result (i64-ops.ts); false for the others. */
    private i64(ins: Instr, lit: number | bigint | undefined): boolean {
        const op = ins.op
        const binary = I64_BINARY[op]
        if (binary) {
            const b = this.pop()
            const a = this.pair(this.h - 1)
            const shift = I64_CONST_SHIFT[op]
            if (shift && lit !== undefined) {
                const c = Number(BigInt.asUintN(6, lit as bigint))
                if (c !== 0) this.emit(shift(a, c))
            } else if (lit !== undefined) {
                const v = lit as bigint
                this.emit(binary(a, { lo: literal(Number(BigInt.asIntN(32, v))), hi: literal(Number(BigInt.asIntN(32, v >> 32n))) }))
            } else this.emit(binary(a, this.pair(b)))
            return true
        }
        const cnd = I64_CONDITIONS[op]
        if (cnd) {
            const b = cnd.length === 2 ? this.pair(this.pop()) : undefined
            this.cond = { slot: this.h - 1, expr: cnd(this.pair(this.h - 1), b) }
            this.types[this.h - 1] = ValType.I32
            return true
        }
        const unary = I64_UNARY[op]
        if (unary) {
            this.emit(unary(this.pair(this.h - 1)))
            return true
        }
        const conv = I64_CONVERSIONS[op]
        if (conv) {
            const k = this.h - 1
            this.emit(conv(this.s(k), this.pair(k)))
            this.types[k] = resultType(op)
            return true
        }
        const load = I64_LOADS[op]
        if (load) {
            this.emit(`te = ${this.ea(ins)};`)
            this.emit(load("te", this.pair(this.push(I64))))
            return true
        }
        const store = I64_STORES[op]
        if (store) {
            const v = this.pair(this.pop())
            this.emit(`te = ${this.ea(ins)};`)
            this.emit(store("te", v))
            return true
        }
        if (op === 0x42) {
            const v = BigInt.asIntN(64, (BigInt(ins.hi) << 32n) | BigInt(ins.lo >>> 0))
            const k = this.push(I64)
            this.emit(`s${k} = ${literal(ins.lo)}; x${k} = ${literal(ins.hi)};`)
            this.konst = { slot: k, value: v }
            return true
        }
        return false
    }

    private other(ins: Instr): void {
        const op = ins.op
        switch (op) {
            case 0x00:
                this.emit(`trap("unreachable");`)
                return this.enterDead()
            case 0x01:
                return
            case 0x02:
            case 0x03:
            case 0x04: {
                const cond = op === 0x04 ? this.popCond() : undefined
                const t = ins.block
                const c: Ctrl = {
                    kind: op === 0x02 ? "block" : op === 0x03 ? "loop" : "if",
                    label: `L${this.ctrl.length}`,
                    base: this.h - t.params.length,
                    params: t.params,
                    results: t.results,
                }
                this.emit(op === 0x02 ? `${c.label}: {` : op === 0x03 ? `${c.label}: for (;;) {` : `${c.label}: if (${cond}) {`)
                this.ctrl.push(c)
                return
            }
            case 0x05:
            case 0x0b:
                return this.endOrElse(op, false)
            case 0x0c:
                for (const l of this.branch(ins.index)) this.emit(l)
                return this.enterDead()
            case 0x0d: {
                const cond = this.popCond()
                this.emit(`if (${cond}) { ${this.branch(ins.index).join(" ")} }`)
                return
            }
            case 0x0e: {
                const key = this.s(this.pop())
                const labels = ins.labels
                const dflt = labels[labels.length - 1]
                // Cases with the same target share one body.
                const byTarget = new Map<number, number[]>()
                for (let i = 0; i < labels.length - 1; i++) {
                    if (labels[i] === dflt) continue
                    const list = byTarget.get(labels[i]) ?? []
                    list.push(i)
                    byTarget.set(labels[i], list)
                }
                if (byTarget.size === 0) {
                    for (const l of this.branch(dflt)) this.emit(l)
                } else {
                    this.emit(`switch (${key}) {`)
                    for (const [target, cases] of byTarget) this.emit(`  ${cases.map(i => `case ${i}:`).join(" ")} { ${this.branch(target).join(" ")} }`)
                    this.emit(`  default: { ${this.branch(dflt).join(" ")} }`)
                    this.emit(`}`)
                }
                return this.enterDead()
            }
            case 0x0f:
                this.emit(this.returnStmt(this.ctrl[0].results.length))
                return this.enterDead()
            case 0x10: {
                const t = this.mod.funcTypes[ins.index]
                return this.callResults(`f${ins.index}(${this.callArgs(t.params.length)})`, t.results)
            }
            case 0x11: {
                const t = this.mod.types[ins.index]
                const idx = this.s(this.pop())
                const args = this.callArgs(t.params.length)
                return this.callResults(`callee(T${ins.index2}, ${idx}, ${JSON.stringify(sigKey(t))})(${args})`, t.results)
            }
            case 0x1a:
                this.pop()
                return
            case 0x1b:
            case 0x1c: {
                const cond = this.popCond()
                const b = this.pop()
                const a = this.h - 1
                if (this.types[a] === I64) this.emit(`if (!(${cond})) { ${this.copy(a, b, I64)} }`)
                else this.emit(`s${a} = ${cond} ? s${a} : s${b};`)
                return
            }
            case 0x20: {
                const t = this.localTypes[ins.index]
                const k = this.push(t)
                this.emit(t === I64 ? `s${k} = l${ins.index}; x${k} = y${ins.index};` : `s${k} = l${ins.index};`)
                return
            }
            case 0x21:
            case 0x22: {
                const k = op === 0x21 ? this.pop() : this.h - 1
                this.emit(this.localTypes[ins.index] === I64 ? `l${ins.index} = s${k}; y${ins.index} = x${k};` : `l${ins.index} = s${k};`)
                return
            }
            case 0x23:
                this.emit(this.unbox(this.push(this.mod.globalTypes[ins.index]), `G${ins.index}.value`))
                return
            case 0x24: {
                const k = this.h - 1
                this.emit(`G${ins.index}.value = ${this.boxed(k)};`)
                this.pop()
                return
            }
            case 0x25: {
                const k = this.h - 1
                this.emit(`s${k} = tableGet(T${ins.index}, s${k});`)
                this.types[k] = this.mod.tableTypes[ins.index]
                return
            }
            case 0x26: {
                const v = this.s(this.pop())
                this.emit(`tableSet(T${ins.index}, s${this.pop()}, ${v});`)
                return
            }
            case 0x3f:
                this.emit(`s${this.push(ValType.I32)} = M.pages;`)
                return
            case 0x40: {
                const a = this.s(this.h - 1)
                this.emit(`${a} = M.grow(${a} >>> 0);`)
                return
            }
            case 0x41: {
                const k = this.push(ValType.I32)
                this.emit(`s${k} = ${literal(ins.value)};`)
                this.konst = { slot: k, value: ins.value }
                return
            }
            case 0x43:
                this.emit(`s${this.push(ValType.F32)} = ${this.floatConst(f32FromBits(ins.value), `f32FromBits(${ins.value})`)};`)
                return
            case 0x44:
                this.emit(`s${this.push(ValType.F64)} = ${this.floatConst(f64FromHalves(ins.lo, ins.hi), `f64FromHalves(${ins.lo}, ${ins.hi})`)};`)
                return
            case 0xd0:
                this.emit(`s${this.push(ins.type)} = null;`)
                return
            case 0xd2:
                this.emit(`s${this.push(ValType.FuncRef)} = f${ins.index};`)
                return
            default:
                return this.bulk(ins)
        }
    }

    /** Bulk memory and table instructions (0xfc08..0xfc11): calls of runtime helpers. */
    private bulk(ins: Instr): void {
        const args = (n: number) => this.callArgs(n)
        switch (ins.op) {
            case 0xfc08:
                this.emit(`memoryInit(M, D, ${ins.index}, ${args(3)});`)
                return
            case 0xfc09:
                this.emit(`D[${ins.index}] = EMPTY_BYTES;`)
                return
            case 0xfc0a:
                this.emit(`memoryCopy(M, ${args(3)});`)
                return
            case 0xfc0b:
                this.emit(`memoryFill(M, ${args(3)});`)
                return
            case 0xfc0c:
                this.emit(`tableInit(T${ins.index2}, E, ${ins.index}, ${args(3)});`)
                return
            case 0xfc0d:
                this.emit(`E[${ins.index}] = EMPTY_ELEMS;`)
                return
            case 0xfc0e:
                this.emit(`tableCopy(T${ins.index}, T${ins.index2}, ${args(3)});`)
                return
            case 0xfc0f: {
                const n = this.s(this.pop())
                const k = this.h - 1
                this.emit(`s${k} = T${ins.index}.grow(${n} >>> 0, s${k});`)
                this.types[k] = ValType.I32
                return
            }
            case 0xfc10:
                this.emit(`s${this.push(ValType.I32)} = T${ins.index}.elems.length;`)
                return
            case 0xfc11:
                this.emit(`tableFill(T${ins.index}, ${args(3)});`)
                return
        }
        throw new Error(`jit: unsupported instruction 0x${ins.op.toString(16)} at byte ${ins.pos}`)
    }

    /** A float constant: a literal, or for a NaN a prelude constant built from its bits. */
    private floatConst(x: number, fromBits: string): string {
        if (x === x) return numberLiteral(x)
        const name = `K${this.constants.length}`
        this.constants.push(`const ${name} = ${fromBits};`)
        return name
    }

    /** `else` or `end` of the innermost block; `wasDead`: its code since the last branch was unreachable. */
    private endOrElse(op: number, wasDead: boolean): void {
        const c = this.ctrl[this.ctrl.length - 1]
        if (!wasDead) {
            if (c.kind === "func") this.emit(this.returnStmt(c.results.length))
            else for (const l of this.moveResults(c.results, c.base)) this.emit(l)
        }
        if (op === 0x05) {
            // The else part starts from the if's parameters, still in their slots.
            this.types = [...this.types.slice(0, c.base), ...c.params]
            this.out.push("  ".repeat(this.ctrl.length - 1) + "} else {")
            return
        }
        this.ctrl.pop()
        if (c.kind === "func") return
        if (c.kind === "loop") this.emit(`  break ${c.label};`)
        this.emit("}")
        this.types = [...this.types.slice(0, c.base), ...c.results]
        if (this.h > this.maxH) this.maxH = this.h
    }
}
