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

import { FuncType, Instr, ValType } from "../../compiler/wasm-types"
import { BINARY, CONDITIONS, I64_CONST_SHIFTS, LOADS, STORES, UNARY } from "./ops"
import { f32FromBits, f64FromHalves } from "./float-bits"

/** What a function body needs to know of its module. */
export interface ModuleShape {
    types: FuncType[]
    /** Type of every function, imports first. */
    funcTypes: FuncType[]
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

/** Source of the zero value of a type. */
export function zeroOf(t: ValType): string {
    return t === ValType.I64 ? "0n" : t === ValType.FuncRef || t === ValType.ExternRef ? "null" : "0"
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
    params: number
    results: number
}

export class FunctionSource {
    private readonly out: string[] = []
    private h = 0
    private maxH = 0
    private readonly ctrl: Ctrl[] = []
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
        this.ctrl.push({ kind: "func", label: "", base: 0, params: 0, results: type.results.length })
        for (const ins of instrs) this.instr(ins)
        const params = type.params.map((_, i) => `l${i}`).join(", ")
        const decls: string[] = locals.map((t, i) => `l${type.params.length + i} = ${zeroOf(t)}`)
        for (let k = 0; k < this.maxH; k++) decls.push(`s${k} = 0`)
        decls.push("t = null")
        return `function f${index}(${params}) {\n  let ${decls.join(", ")};\n${this.out.join("\n")}\n}`
    }

    private emit(line: string): void {
        this.out.push("  ".repeat(this.ctrl.length) + line)
    }

    private s(k: number): string {
        return `s${k}`
    }

    /** Claims the next stack slot for a result. */
    private push(): string {
        const k = this.h++
        if (this.h > this.maxH) this.maxH = this.h
        return `s${k}`
    }

    private pop(): string {
        return `s${--this.h}`
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
            this.h--
            return e
        }
        return `${this.pop()} !== 0`
    }

    /** Copies the top n values into slots base.. (a branch's or block end's results). */
    private moveResults(n: number, base: number): string[] {
        const lines: string[] = []
        for (let i = 0; i < n; i++) {
            const from = this.h - n + i
            if (from !== base + i) lines.push(`s${base + i} = s${from};`)
        }
        return lines
    }

    /** The statements of a branch to the label `depth` levels out. */
    private branch(depth: number): string[] {
        const c = this.ctrl[this.ctrl.length - 1 - depth]
        if (c.kind === "func") return [this.returnStmt(c.results)]
        const n = c.kind === "loop" ? c.params : c.results
        return [...this.moveResults(n, c.base), c.kind === "loop" ? `continue ${c.label};` : `break ${c.label};`]
    }

    private returnStmt(n: number): string {
        if (n === 0) return "return;"
        if (n === 1) return `return s${this.h - 1};`
        const vals: string[] = []
        for (let i = this.h - n; i < this.h; i++) vals.push(`s${i}`)
        // The trailing null keeps the array generic: V8 quietens NaNs stored into double arrays.
        return `return [${vals.join(", ")}, null];`
    }

    private enterDead(): void {
        this.dead = 0
    }

    /** Assigns a call's results (an expression) to the stack. */
    private callResults(call: string, n: number): void {
        if (n === 0) this.emit(`${call};`)
        else if (n === 1) this.emit(`${this.push()} = ${call};`)
        else {
            this.emit(`t = ${call};`)
            for (let i = 0; i < n; i++) this.emit(`${this.push()} = t[${i}];`)
        }
    }

    private callArgs(n: number): string {
        const args: string[] = []
        for (let i = this.h - n; i < this.h; i++) args.push(`s${i}`)
        this.h -= n
        return args.join(", ")
    }

    private ea(ins: Instr): string {
        const a = this.pop()
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

        const un = UNARY[op]
        if (un) {
            const a = this.s(this.h - 1)
            this.emit(`${a} = ${un(a)};`)
            return
        }
        // A constant second operand is written as a literal.
        const lit = konst && konst.slot === this.h - 1 ? literal(konst.value) : undefined
        const bin = BINARY[op]
        if (bin) {
            const b = this.pop()
            const a = this.s(this.h - 1)
            const shift = I64_CONST_SHIFTS[op]
            if (shift && lit !== undefined) this.emit(`${a} = ${shift(a, Number(BigInt.asUintN(6, konst.value as bigint)))};`)
            else this.emit(`${a} = ${bin(a, lit ?? b)};`)
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
                const b = lit ?? this.s(this.h - 1)
                this.pop()
                expr = cnd(this.s(this.h - 1), b)
            } else expr = cnd(this.s(this.h - 1))
            this.cond = { slot: this.h - 1, expr }
            return
        }
        const load = LOADS[op]
        if (load) {
            const ea = this.ea(ins)
            this.emit(`${this.push()} = ${load(ea)};`)
            return
        }
        const store = STORES[op]
        if (store) {
            const v = this.pop()
            this.emit(`${store(this.ea(ins), v)};`)
            return
        }
        this.other(ins)
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
                    params: t.params.length,
                    results: t.results.length,
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
                const key = this.pop()
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
                this.emit(this.returnStmt(this.ctrl[0].results))
                return this.enterDead()
            case 0x10: {
                const t = this.mod.funcTypes[ins.index]
                return this.callResults(`f${ins.index}(${this.callArgs(t.params.length)})`, t.results.length)
            }
            case 0x11: {
                const t = this.mod.types[ins.index]
                const idx = this.pop()
                const args = this.callArgs(t.params.length)
                return this.callResults(`callee(T${ins.index2}, ${idx}, ${JSON.stringify(sigKey(t))})(${args})`, t.results.length)
            }
            case 0x1a:
                this.h--
                return
            case 0x1b:
            case 0x1c: {
                const cond = this.popCond()
                const b = this.pop()
                const a = this.s(this.h - 1)
                this.emit(`${a} = ${cond} ? ${a} : ${b};`)
                return
            }
            case 0x20:
                this.emit(`${this.push()} = l${ins.index};`)
                return
            case 0x21:
                this.emit(`l${ins.index} = ${this.pop()};`)
                return
            case 0x22:
                this.emit(`l${ins.index} = s${this.h - 1};`)
                return
            case 0x23:
                this.emit(`${this.push()} = G${ins.index}.value;`)
                return
            case 0x24:
                this.emit(`G${ins.index}.value = ${this.pop()};`)
                return
            case 0x25: {
                const a = this.s(this.h - 1)
                this.emit(`${a} = tableGet(T${ins.index}, ${a});`)
                return
            }
            case 0x26: {
                const v = this.pop()
                this.emit(`tableSet(T${ins.index}, ${this.pop()}, ${v});`)
                return
            }
            case 0x3f:
                this.emit(`${this.push()} = M.pages;`)
                return
            case 0x40: {
                const a = this.s(this.h - 1)
                this.emit(`${a} = M.grow(${a} >>> 0);`)
                return
            }
            case 0x41:
                this.emit(`${this.push()} = ${literal(ins.value)};`)
                this.konst = { slot: this.h - 1, value: ins.value }
                return
            case 0x42: {
                const v = BigInt.asIntN(64, (BigInt(ins.hi) << 32n) | BigInt(ins.lo >>> 0))
                this.emit(`${this.push()} = ${literal(v)};`)
                this.konst = { slot: this.h - 1, value: v }
                return
            }
            case 0x43:
                this.emit(`${this.push()} = ${this.floatConst(f32FromBits(ins.value), `f32FromBits(${ins.value})`)};`)
                return
            case 0x44:
                this.emit(`${this.push()} = ${this.floatConst(f64FromHalves(ins.lo, ins.hi), `f64FromHalves(${ins.lo}, ${ins.hi})`)};`)
                return
            case 0xd0:
                this.emit(`${this.push()} = null;`)
                return
            case 0xd2:
                this.emit(`${this.push()} = f${ins.index};`)
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
                const n = this.pop()
                const init = this.s(this.h - 1)
                this.emit(`${init} = T${ins.index}.grow(${n} >>> 0, ${init});`)
                return
            }
            case 0xfc10:
                this.emit(`${this.push()} = T${ins.index}.elems.length;`)
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
            if (c.kind === "func") {
                this.emit(this.returnStmt(c.results))
            } else {
                for (const l of this.moveResults(c.results, c.base)) this.emit(l)
            }
        }
        if (op === 0x05) {
            // The else part starts from the if's parameters, still in their slots.
            this.h = c.base + c.params
            this.out.push("  ".repeat(this.ctrl.length - 1) + "} else {")
            return
        }
        this.ctrl.pop()
        if (c.kind === "func") return
        if (c.kind === "loop") this.emit(`  break ${c.label};`)
        this.emit("}")
        this.h = c.base + c.results
        if (this.h > this.maxH) this.maxH = this.h
    }
}
