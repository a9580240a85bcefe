// Compiles one validated Wasm function body (stack form) into the device's register form
// (interpreter/opcodes.ts). Runs on the host only.
//
// Every Wasm operand-stack height h has a fixed frame slot, (localCount + h) * 8 bytes from the
// frame pointer, so no value is ever pushed or popped at run time. To avoid moves, the compiler
// keeps some stack entries *lazy*: `local.get` and `i32.const` push a reference that the consumer
// reads directly (`add r2, r0, r1`, `add_imm r2, r0, 5`). A lazy entry is materialised into its
// slot whenever its meaning could change (its local is written, a block is entered) or a fixed
// place is required (call arguments, branch values, block results).

import { FuncType, Instr, ValType } from "../wasm-types"
import { Op, LoadKind, StoreKind } from "../../interpreter/opcodes"
import { BINARY_WASM_OPS, UNARY_WASM_OPS } from "../../interpreter/numeric-order"
import { ByteWriter } from "./byte-writer"
import { ModuleIndex } from "./module-index"

const enum Kind {
    SLOT = 0, // the value is in the slot of its stack height
    LOCAL = 1, // the value is local `index` (not yet copied)
    CONST = 2, // an i32 constant `value` (not yet written)
    // i32 `base + addend` (wrapping), not yet computed: base is local `index`, or the entry's own
    // slot when index is -1. A load or store takes it as base register and addend in one op.
    ADDR = 3,
}

interface Entry {
    type: ValType
    kind: Kind
    index: number // local index (LOCAL, ADDR) or i32 value (CONST)
    addend?: number // ADDR
}

const enum FrameKind {
    FUNC,
    BLOCK,
    LOOP,
    IF,
    ELSE,
}

interface ControlFrame {
    kind: FrameKind
    sig: FuncType
    base: number // stack height below the block's parameters
    loopStart: number // code offset of a loop's first instruction
    patches: number[] // code offsets of u32 branch targets to patch with the block's end
    elsePatch: number // code offset of the if's false-branch target, -1 when none
    spill: number // slot index where an `if` keeps a copy of its parameters for the else arm
    unreachable: boolean
}

export class FunctionTooLargeError extends Error {}

/** Bytes of straight-line code after which a FUEL op is emitted. */
const FUEL_STRETCH = 1024

const BIN_IR = new Map<number, number>(BINARY_WASM_OPS.map((w, i) => [w, Op.BIN_BASE + i]))
const UN_IR = new Map<number, number>(UNARY_WASM_OPS.map((w, i) => [w, Op.UN_BASE + i]))

/** Hot i32 arithmetic: wasm opcode -> [register form, immediate form or -1]. */
const I32_HOT = new Map<number, [number, number]>([
    [0x6a, [Op.I32_ADD, Op.I32_ADD_IMM]],
    [0x6b, [Op.I32_SUB, -1]], // sub with a constant becomes add_imm of its negation
    [0x6c, [Op.I32_MUL, Op.I32_MUL_IMM]],
    [0x71, [Op.I32_AND, Op.I32_AND_IMM]],
    [0x72, [Op.I32_OR, Op.I32_OR_IMM]],
    [0x73, [Op.I32_XOR, Op.I32_XOR_IMM]],
    [0x74, [Op.I32_SHL, Op.I32_SHL_IMM]],
    [0x75, [Op.I32_SHR_S, Op.I32_SHR_S_IMM]],
    [0x76, [Op.I32_SHR_U, Op.I32_SHR_U_IMM]],
])
const COMMUTATIVE = new Set([0x6a, 0x6c, 0x71, 0x72, 0x73])

/** i32 comparisons (wasm opcode) -> fused branch op taken when true, and the negated one. */
const I32_CMP_BRANCH = new Map<number, [number, number]>([
    [0x46, [Op.BR_EQ, Op.BR_NE]],
    [0x47, [Op.BR_NE, Op.BR_EQ]],
    [0x48, [Op.BR_LT_S, Op.BR_GE_S]],
    [0x49, [Op.BR_LT_U, Op.BR_GE_U]],
    [0x4a, [Op.BR_GT_S, Op.BR_LE_S]],
    [0x4b, [Op.BR_GT_U, Op.BR_LE_U]],
    [0x4c, [Op.BR_LE_S, Op.BR_GT_S]],
    [0x4d, [Op.BR_LE_U, Op.BR_GT_U]],
    [0x4e, [Op.BR_GE_S, Op.BR_LT_S]],
    [0x4f, [Op.BR_GE_U, Op.BR_LT_U]],
])
/** Fused branch (register form) -> the same comparison against an immediate. */
const BRANCH_IMM_OFFSET = Op.BR_EQ_IMM - Op.BR_EQ

const LOADS = new Map<number, [number, ValType]>([
    [0x29, [LoadKind.I64, ValType.I64]],
    [0x2a, [LoadKind.F32, ValType.F32]],
    [0x2b, [LoadKind.F64, ValType.F64]],
    [0x2c, [LoadKind.I32_8S, ValType.I32]],
    [0x2d, [LoadKind.I32_8U, ValType.I32]],
    [0x2e, [LoadKind.I32_16S, ValType.I32]],
    [0x2f, [LoadKind.I32_16U, ValType.I32]],
    [0x30, [LoadKind.I64_8S, ValType.I64]],
    [0x31, [LoadKind.I64_8U, ValType.I64]],
    [0x32, [LoadKind.I64_16S, ValType.I64]],
    [0x33, [LoadKind.I64_16U, ValType.I64]],
    [0x34, [LoadKind.I64_32S, ValType.I64]],
    [0x35, [LoadKind.I64_32U, ValType.I64]],
])
const STORES = new Map<number, number>([
    [0x37, StoreKind.I64],
    [0x38, StoreKind.F32],
    [0x39, StoreKind.I64],
    [0x3a, StoreKind.I8],
    [0x3b, StoreKind.I16],
    [0x3c, StoreKind.I8],
    [0x3d, StoreKind.I16],
    [0x3e, StoreKind.I32],
])

/** Result type of each numeric wasm opcode 0x45..0xc4 (and 0xfc00..0xfc07). */
function numericResultType(op: number): ValType {
    if (op >= 0xfc00) return op - 0xfc00 < 4 ? ValType.I32 : ValType.I64
    if (op <= 0x78) return ValType.I32 // comparisons and i32 arithmetic
    if (op <= 0x8a) return ValType.I64
    if (op <= 0x98) return ValType.F32
    if (op <= 0xa6) return ValType.F64
    if (op <= 0xab) return ValType.I32 // wrap, i32.trunc_*
    if (op <= 0xb1) return ValType.I64
    if (op <= 0xb6) return ValType.F32
    if (op <= 0xbb) return ValType.F64
    if (op === 0xbc) return ValType.I32
    if (op === 0xbd) return ValType.I64
    if (op === 0xbe) return ValType.F32
    if (op === 0xbf) return ValType.F64
    return op <= 0xc1 ? ValType.I32 : ValType.I64
}

function is64(t: ValType): boolean {
    return t === ValType.I64 || t === ValType.F64
}

export interface CompiledFunction {
    paramSlots: number
    localSlots: number
    frameSlots: number
    /** Constants this function materialised inside loops (the next compile can pool them). */
    loopConstants: PooledConst[]
}

/**
 * A constant kept in a frame slot of its own, written once at function entry. Inside a loop a
 * constant that must live in a register (an operand of a numeric op, a stored value, any
 * i64/f32/f64 constant) would otherwise be rewritten on every iteration.
 */
export interface PooledConst {
    type: ValType
    lo: number
    hi: number
}

function constKey(type: ValType, lo: number, hi: number): string {
    return `${type}:${lo | 0}:${hi | 0}`
}

export class FunctionCompiler {
    private stack: Entry[] = []
    private frames: ControlFrame[] = []
    private localTypes: ValType[]
    private localCount: number // params + declared locals + if-parameter spill slots
    private maxHeight = 0
    private spillNext: number
    private results: ValType[]
    /** Locals before the constant pool (params, declared locals, spill slots). */
    private poolBase: number
    /** Pooled constant key -> its local index. */
    private poolIndex = new Map<string, number>()
    private loopConstants = new Map<string, PooledConst>()

    constructor(
        private readonly index: ModuleIndex,
        private readonly funcIndex: number, // index in the module's function space
        private readonly type: FuncType,
        private readonly locals: ValType[],
        private readonly instrs: Instr[],
        private readonly out: ByteWriter,
        private readonly pool: PooledConst[] = [],
    ) {
        this.localTypes = [...type.params, ...locals]
        let spill = 0
        for (const ins of instrs) if (ins.op === 0x04 && ins.block) spill += ins.block.params.length
        this.spillNext = this.localTypes.length
        this.localCount = this.localTypes.length + spill
        this.poolBase = this.localCount
        for (const c of pool) {
            this.poolIndex.set(constKey(c.type, c.lo, c.hi), this.localCount)
            this.localTypes[this.localCount++] = c.type
        }
        this.results = type.results
    }

    compile(): CompiledFunction {
        const frame: ControlFrame = {
            kind: FrameKind.FUNC,
            sig: this.type,
            base: 0,
            loopStart: 0,
            patches: [],
            elsePatch: -1,
            spill: 0,
            unreachable: false,
        }
        this.frames.push(frame)
        // the pool's prologue: each pooled constant into its slot, once per call
        for (const c of this.pool) {
            const dst = this.localSlot(this.poolIndex.get(constKey(c.type, c.lo, c.hi))!)
            if (is64(c.type)) this.emitConst64(dst, c.lo, c.hi)
            else this.emitConst32(dst, c.lo)
        }
        const instrs = this.instrs
        let i = 0
        while (i < instrs.length) {
            const top = this.frames[this.frames.length - 1]
            if (top.unreachable) {
                i = this.skipDeadCode(i)
                continue
            }
            i = this.compileInstr(i)
            this.chargeLongStretch()
        }
        const frameSlots = Math.max(this.localCount + this.maxHeight, this.results.length, 1)
        if (frameSlots * 8 > 0xffff) {
            throw new FunctionTooLargeError(
                `function ${this.funcIndex}: frame of ${frameSlots} slots is too large for the device (max ${0xffff >> 3})`,
            )
        }
        return {
            paramSlots: this.type.params.length,
            // (pool slots are not zeroed on entry: the prologue writes them)
            localSlots: this.poolBase - this.type.params.length,
            frameSlots,
            loopConstants: [...this.loopConstants.values()],
        }
    }

    // ---------------------------------------------------------------- fuel

    /** Code offset of the last place that charges fuel (loop head, call, FUEL op). */
    private lastCharge = -1

    /**
     * Loops and calls charge fuel, so the device can yield; a long straight stretch between
     * them gets an explicit FUEL op so no slice outlasts DeviceScript's step limit.
     */
    private chargeLongStretch(): void {
        if (this.lastCharge < 0) this.lastCharge = this.out.length
        const stretch = this.out.length - this.lastCharge
        if (stretch < FUEL_STRETCH) return
        this.out.u8(Op.FUEL)
        this.out.u32(stretch)
        this.lastCharge = this.out.length
    }

    private charged(): void {
        this.lastCharge = this.out.length
    }

    // ---------------------------------------------------------------- stack helpers

    private slotOf(height: number): number {
        const off = (this.localCount + height) * 8
        if (off > 0xfff8) throw new FunctionTooLargeError(`function ${this.funcIndex}: operand stack too deep for the device`)
        return off
    }

    private localSlot(index: number): number {
        return index * 8
    }

    private push(type: ValType, kind: Kind = Kind.SLOT, index = 0): void {
        this.stack.push({ type, kind, index })
        if (this.stack.length > this.maxHeight) this.maxHeight = this.stack.length
    }

    private pop(): Entry {
        const e = this.stack.pop()
        if (!e) throw new Error(`compiler: operand stack underflow in function ${this.funcIndex}`)
        return e
    }

    /** Writes a lazy entry into its own slot. */
    private materialize(height: number): void {
        const e = this.stack[height]
        if (e.kind === Kind.SLOT) return
        const dst = this.slotOf(height)
        if (e.kind === Kind.LOCAL) this.emitMove(e.type, dst, this.localSlot(e.index))
        else if (e.kind === Kind.ADDR) this.emitAddr(dst, e, height)
        else this.emitConst32(dst, e.index)
        e.kind = Kind.SLOT
        e.index = 0
    }

    /** Computes an ADDR entry (at `height`) into dst. */
    private emitAddr(dst: number, e: Entry, height: number): void {
        this.out.u8(Op.I32_ADD_IMM)
        this.out.u16(dst)
        this.out.u16(e.index >= 0 ? this.localSlot(e.index) : this.slotOf(height))
        this.out.u32(e.addend!)
    }

    /** The base register of an ADDR entry at `height`. */
    private addrBase(e: Entry, height: number): number {
        return e.index >= 0 ? this.localSlot(e.index) : this.slotOf(height)
    }

    private materializeAll(from = 0): void {
        for (let h = from; h < this.stack.length; h++) this.materialize(h)
    }

    /** Before local `index` is written: entries still reading it must take their copy now. */
    private detachLocal(index: number, below = this.stack.length): void {
        for (let h = 0; h < below; h++) {
            const e = this.stack[h]
            if ((e.kind === Kind.LOCAL || e.kind === Kind.ADDR) && e.index === index) this.materialize(h)
        }
    }

    /** Register operand for the entry at `height` (a const is materialised first, or pooled). */
    private operand(height: number): number {
        const e = this.stack[height]
        if (e.kind === Kind.CONST) {
            const pooled = this.pooledConst(e.type, e.index, 0)
            if (pooled >= 0) {
                e.kind = Kind.LOCAL
                e.index = pooled
            } else this.materialize(height)
        } else if (e.kind === Kind.ADDR) this.materialize(height)
        return e.kind === Kind.LOCAL ? this.localSlot(e.index) : this.slotOf(height)
    }

    /**
     * The pool local holding this constant, or -1 (then the caller writes it). Notes constants
     * needed inside a loop, for the next compile.
     */
    private pooledConst(type: ValType, lo: number, hi: number): number {
        const key = constKey(type, lo, hi)
        const idx = this.poolIndex.get(key)
        if (idx !== undefined) return idx
        if (this.frames.some(f => f.kind === FrameKind.LOOP)) this.loopConstants.set(key, { type, lo: lo | 0, hi: hi | 0 })
        return -1
    }

    /**
     * Where the result of an instruction should go. If the next instruction is `local.set X`
     * the result is written straight into X and that instruction is consumed.
     * `resultHeight` is the height the result would have on the stack.
     */
    private resultTarget(i: number, resultHeight: number, type: ValType): { dst: number; next: number; local: number } {
        const next = this.instrs[i + 1]
        if (next && (next.op === 0x21 || next.op === 0x22) && this.localTypes[next.index!] !== undefined) {
            const x = next.index!
            this.detachLocal(x, resultHeight)
            return { dst: this.localSlot(x), next: i + 2, local: next.op === 0x22 ? x : -2 - x }
        }
        return { dst: this.slotOf(resultHeight), next: i + 1, local: -1 }
    }

    /** Pushes the result described by resultTarget. */
    private pushResult(type: ValType, target: { local: number }): void {
        if (target.local === -1) this.push(type)
        else if (target.local >= 0) this.push(type, Kind.LOCAL, target.local) // local.tee: value stays
        // local.set consumed the value: nothing to push
    }

    // ---------------------------------------------------------------- emit helpers

    private emitMove(type: ValType, dst: number, src: number): void {
        if (dst === src) return
        this.out.u8(is64(type) ? Op.MOV64 : Op.MOV32)
        this.out.u16(dst)
        this.out.u16(src)
    }

    private emitConst32(dst: number, v: number): void {
        this.out.u8(Op.CONST32)
        this.out.u16(dst)
        this.out.u32(v)
    }

    private emitConst64(dst: number, lo: number, hi: number): void {
        this.out.u8(Op.CONST64)
        this.out.u16(dst)
        this.out.u32(lo)
        this.out.u32(hi)
    }

    /** Emits a branch-target placeholder for `frame` (or its loop start). */
    private emitTarget(frame: ControlFrame): void {
        if (frame.kind === FrameKind.LOOP) {
            this.out.u32(frame.loopStart)
        } else {
            frame.patches.push(this.out.length)
            this.out.u32(0)
        }
    }

    private labelFrame(depth: number): ControlFrame {
        return this.frames[this.frames.length - 1 - depth]
    }

    private labelTypes(f: ControlFrame): ValType[] {
        return f.kind === FrameKind.LOOP ? f.sig.params : f.sig.results
    }

    /**
     * Moves the top `arity` entries into the label's slots. Returns false when nothing needs
     * to move (the values already sit where the label expects them).
     */
    private needsBranchMoves(f: ControlFrame): boolean {
        const arity = this.labelTypes(f).length
        const first = this.stack.length - arity
        for (let k = 0; k < arity; k++) {
            const e = this.stack[first + k]
            if (e.kind !== Kind.SLOT || first + k !== f.base + k) return true
        }
        return false
    }

    private emitBranchMoves(f: ControlFrame): void {
        const arity = this.labelTypes(f).length
        const first = this.stack.length - arity
        // Increasing order is safe: destination k never overlaps a source j > k.
        for (let k = 0; k < arity; k++) {
            const e = this.stack[first + k]
            const dst = this.slotOf(f.base + k)
            if (e.kind === Kind.CONST) this.emitConst32(dst, e.index)
            else if (e.kind === Kind.ADDR) this.emitAddr(dst, e, first + k)
            else this.emitMove(e.type, dst, e.kind === Kind.LOCAL ? this.localSlot(e.index) : this.slotOf(first + k))
        }
    }

    /** Unconditional branch to label `depth`, moving its values first. */
    private emitBranch(depth: number): void {
        const f = this.labelFrame(depth)
        if (f.kind === FrameKind.FUNC) {
            this.emitReturn()
            return
        }
        this.emitBranchMoves(f)
        this.out.u8(Op.BR)
        this.emitTarget(f)
    }

    private emitReturn(): void {
        const n = this.results.length
        const first = this.stack.length - n
        if (n === 1 && this.stack[first].kind !== Kind.CONST) {
            // one result: RET32/RET64 moves it to fp+0 itself (no separate move)
            const e = this.stack[first]
            let src: number
            if (e.kind === Kind.LOCAL) src = this.localSlot(e.index)
            else {
                // (an ADDR is computed into its own slot; not marked as done: on a conditional
                // return the fall-through path never ran this)
                if (e.kind === Kind.ADDR) this.emitAddr(this.slotOf(first), e, first)
                src = this.slotOf(first)
            }
            if (src === 0) this.out.u8(Op.RETURN)
            else {
                this.out.u8(is64(e.type) ? Op.RET64 : Op.RET32)
                this.out.u16(src)
            }
            return
        }
        // Lazy results could read a local that an earlier result move overwrites: copy them to
        // their own slots first. (The entries are left as they are: on a conditional return the
        // fall-through path never ran these moves.)
        for (let k = 0; k < n; k++) {
            const e = this.stack[first + k]
            if (e.kind === Kind.LOCAL) this.emitMove(e.type, this.slotOf(first + k), this.localSlot(e.index))
            else if (e.kind === Kind.ADDR) this.emitAddr(this.slotOf(first + k), e, first + k)
        }
        for (let k = 0; k < n; k++) {
            const e = this.stack[first + k]
            if (e.kind === Kind.CONST) this.emitConst32(k * 8, e.index)
            else this.emitMove(e.type, k * 8, this.slotOf(first + k))
        }
        this.out.u8(Op.RETURN)
    }

    /**
     * Conditional branch to label `depth`. `emitCond(negated)` writes the opcode and operands
     * of a branch taken when the condition holds (or, negated, when it does not).
     */
    private emitCondBranch(depth: number, emitCond: (negated: boolean) => void): void {
        const f = this.labelFrame(depth)
        if (f.kind !== FrameKind.FUNC && !this.needsBranchMoves(f)) {
            emitCond(false)
            this.emitTarget(f)
            return
        }
        // Values must move (or return): skip over the moves when the condition is false.
        emitCond(true)
        const skip = this.out.length
        this.out.u32(0)
        this.emitBranch(depth)
        this.out.patchU32(skip, this.out.length)
    }

    // ---------------------------------------------------------------- dead code

    /** Skips unreachable instructions up to the `else`/`end` that closes the current frame. */
    private skipDeadCode(i: number): number {
        let depth = 0
        const instrs = this.instrs
        while (i < instrs.length) {
            const op = instrs[i].op
            if (op === 0x02 || op === 0x03 || op === 0x04) depth++
            else if (op === 0x0b) {
                if (depth === 0) return this.compileInstr(i)
                depth--
            } else if (op === 0x05 && depth === 0) return this.compileInstr(i)
            i++
        }
        return i
    }

    private setUnreachable(): void {
        const f = this.frames[this.frames.length - 1]
        f.unreachable = true
        this.stack.length = f.base
    }

    // ---------------------------------------------------------------- instructions

    /** Compiles instrs[i]; returns the index of the next instruction to compile. */
    private compileInstr(i: number): number {
        const ins = this.instrs[i]
        const op = ins.op
        const out = this.out
        switch (op) {
            case 0x00: // unreachable
                out.u8(Op.UNREACHABLE)
                this.setUnreachable()
                return i + 1
            case 0x01: // nop
                return i + 1
            case 0x02: // block
            case 0x03: // loop
            case 0x04: // if
                return this.compileBlockStart(i, ins)
            case 0x05: // else
                return this.compileElse(i)
            case 0x0b: // end
                return this.compileEnd(i)
            case 0x0c: // br
                this.emitBranch(ins.index!)
                this.setUnreachable()
                return i + 1
            case 0x0d: {
                // br_if
                const c = this.stack.length - 1
                const cond = this.operand(c)
                this.pop()
                this.emitCondBranch(ins.index!, negated => {
                    out.u8(negated ? Op.BR_UNLESS : Op.BR_IF)
                    out.u16(cond)
                })
                return i + 1
            }
            case 0x0e:
                return this.compileBrTable(i, ins)
            case 0x0f: // return
                this.emitReturn()
                this.setUnreachable()
                return i + 1
            case 0x10:
                return this.compileCall(i, ins.index!)
            case 0x11:
                return this.compileCallIndirect(i, ins)
            case 0x1a: // drop
                this.pop()
                return i + 1
            case 0x1b:
            case 0x1c: {
                // select
                const h = this.stack.length - 3
                const a = this.operand(h)
                const b = this.operand(h + 1)
                const c = this.operand(h + 2)
                const type = this.stack[h].type
                this.pop()
                this.pop()
                this.pop()
                const t = this.resultTarget(i, h, type)
                out.u8(is64(type) ? Op.SELECT64 : Op.SELECT32)
                out.u16(t.dst)
                out.u16(a)
                out.u16(b)
                out.u16(c)
                this.pushResult(type, t)
                return t.next
            }
            case 0x20: // local.get
                this.push(this.localTypes[ins.index!], Kind.LOCAL, ins.index!)
                return i + 1
            case 0x21: // local.set
            case 0x22: {
                // local.tee
                const x = ins.index!
                const h = this.stack.length - 1
                this.detachLocal(x, h)
                const e = this.stack[h]
                if (e.kind === Kind.CONST) this.emitConst32(this.localSlot(x), e.index)
                else if (e.kind === Kind.ADDR) this.emitAddr(this.localSlot(x), e, h)
                else this.emitMove(e.type, this.localSlot(x), e.kind === Kind.LOCAL ? this.localSlot(e.index) : this.slotOf(h))
                this.pop()
                if (op === 0x22) this.push(e.type, Kind.LOCAL, x)
                return i + 1
            }
            case 0x23: {
                // global.get
                const type = this.globalType(ins.index!)
                const h = this.stack.length
                const t = this.resultTarget(i, h, type)
                out.u8(is64(type) ? Op.GLOBAL_GET64 : Op.GLOBAL_GET32)
                out.u16(t.dst)
                out.u32(ins.index!)
                this.pushResult(type, t)
                return t.next
            }
            case 0x24: {
                // global.set
                const type = this.globalType(ins.index!)
                const a = this.operand(this.stack.length - 1)
                this.pop()
                out.u8(is64(type) ? Op.GLOBAL_SET64 : Op.GLOBAL_SET32)
                out.u32(ins.index!)
                out.u16(a)
                return i + 1
            }
            case 0x25: // table.get
                return this.compileGeneric(i, Op.TABLE_GET, [ins.index!], 1, this.tableElemType(ins.index!))
            case 0x26: // table.set
                return this.compileGeneric(i, Op.TABLE_SET, [ins.index!], 2, undefined)
            case 0x28: {
                // i32.load
                const h = this.stack.length - 1
                const addend = this.addendOf(h)
                const addr = addend === null ? this.operand(h) : this.addrBase(this.stack[h], h)
                this.pop()
                const t = this.resultTarget(i, h, ValType.I32)
                out.u8(addend === null ? Op.I32_LOAD : Op.I32_LOAD_A)
                out.u16(t.dst)
                out.u16(addr)
                out.u32(ins.offset!)
                if (addend !== null) out.u32(addend)
                this.pushResult(ValType.I32, t)
                return t.next
            }
            case 0x36: {
                // i32.store
                const h = this.stack.length - 2
                const addend = this.addendOf(h)
                const addr = addend === null ? this.operand(h) : this.addrBase(this.stack[h], h)
                const v = this.operand(h + 1)
                this.pop()
                this.pop()
                out.u8(addend === null ? Op.I32_STORE : Op.I32_STORE_A)
                out.u16(addr)
                out.u16(v)
                out.u32(ins.offset!)
                if (addend !== null) out.u32(addend)
                return i + 1
            }
            case 0x3f: // memory.size
                return this.compileGeneric(i, Op.MEMORY_SIZE, [], 0, ValType.I32)
            case 0x40: // memory.grow
                return this.compileGeneric(i, Op.MEMORY_GROW, [], 1, ValType.I32)
            case 0x41: // i32.const
                this.push(ValType.I32, Kind.CONST, ins.value! | 0)
                return i + 1
            case 0x42: // i64.const
            case 0x44: {
                // f64.const
                const type = op === 0x42 ? ValType.I64 : ValType.F64
                const pooled = this.pooledConst(type, ins.lo!, ins.hi!)
                if (pooled >= 0) this.push(type, Kind.LOCAL, pooled)
                else {
                    this.emitConst64(this.slotOf(this.stack.length), ins.lo!, ins.hi!)
                    this.push(type)
                }
                return i + 1
            }
            case 0x43: {
                // f32.const
                const pooled = this.pooledConst(ValType.F32, ins.value!, 0)
                if (pooled >= 0) this.push(ValType.F32, Kind.LOCAL, pooled)
                else {
                    this.emitConst32(this.slotOf(this.stack.length), ins.value!)
                    this.push(ValType.F32)
                }
                return i + 1
            }
            case 0xd0: // ref.null
                this.push(ins.type!, Kind.CONST, 0)
                return i + 1
            case 0xd1: // ref.is_null: a null reference is 0, so this is i32.eqz
                return this.compileNumeric(i, 0x45)
            case 0xd2: {
                // ref.func
                const h = this.stack.length
                const t = this.resultTarget(i, h, ValType.FuncRef)
                out.u8(Op.REF_FUNC)
                out.u16(t.dst)
                out.u32(ins.index!)
                this.pushResult(ValType.FuncRef, t)
                return t.next
            }
            // 0xfc prefix: bulk memory and tables
            case 0xfc08: // memory.init
                return this.compileGeneric(i, Op.MEMORY_INIT, [ins.index!], 3, undefined)
            case 0xfc09: // data.drop
                out.u8(Op.DATA_DROP)
                out.u32(ins.index!)
                return i + 1
            case 0xfc0a: // memory.copy
                return this.compileGeneric(i, Op.MEMORY_COPY, [], 3, undefined)
            case 0xfc0b: // memory.fill
                return this.compileGeneric(i, Op.MEMORY_FILL, [], 3, undefined)
            case 0xfc0c: // table.init
                return this.compileGeneric(i, Op.TABLE_INIT, [ins.index!, ins.index2!], 3, undefined)
            case 0xfc0d: // elem.drop
                out.u8(Op.ELEM_DROP)
                out.u32(ins.index!)
                return i + 1
            case 0xfc0e: // table.copy
                return this.compileGeneric(i, Op.TABLE_COPY, [ins.index!, ins.index2!], 3, undefined)
            case 0xfc0f: // table.grow
                return this.compileGeneric(i, Op.TABLE_GROW, [ins.index!], 2, ValType.I32)
            case 0xfc10: // table.size
                return this.compileGeneric(i, Op.TABLE_SIZE, [ins.index!], 0, ValType.I32)
            case 0xfc11: // table.fill
                return this.compileGeneric(i, Op.TABLE_FILL, [ins.index!], 3, undefined)
        }
        if (LOADS.has(op)) {
            const [kind, type] = LOADS.get(op)!
            const h = this.stack.length - 1
            const addend = this.addendOf(h)
            const addr = addend === null ? this.operand(h) : this.addrBase(this.stack[h], h)
            this.pop()
            const t = this.resultTarget(i, h, type)
            out.u8(addend === null ? Op.LOAD : Op.LOAD_A)
            out.u8(kind)
            out.u16(t.dst)
            out.u16(addr)
            out.u32(ins.offset!)
            if (addend !== null) out.u32(addend)
            this.pushResult(type, t)
            return t.next
        }
        if (STORES.has(op)) {
            const h = this.stack.length - 2
            const addend = this.addendOf(h)
            const addr = addend === null ? this.operand(h) : this.addrBase(this.stack[h], h)
            const v = this.operand(h + 1)
            this.pop()
            this.pop()
            out.u8(addend === null ? Op.STORE : Op.STORE_A)
            out.u8(STORES.get(op)!)
            out.u16(addr)
            out.u16(v)
            out.u32(ins.offset!)
            if (addend !== null) out.u32(addend)
            return i + 1
        }
        if ((op >= 0x45 && op <= 0xc4) || (op >= 0xfc00 && op <= 0xfc07)) return this.compileNumeric(i, op)
        throw new Error(`compiler: unsupported instruction 0x${op.toString(16)} at byte ${ins.pos}`)
    }

    /** The addend when the entry at `height` is an ADDR (the op then takes its base), else null. */
    private addendOf(height: number): number | null {
        const e = this.stack[height]
        return e.kind === Kind.ADDR ? e.addend! : null
    }

    /**
     * `x + imm` (i32.add/sub with a constant) as a lazy ADDR entry, for a load or store to take
     * whole. Only when x is a local, already an ADDR (the addends add up, wrapping like the
     * adds would), or sits in the result's own slot, and the result is not stored into a local
     * right away (that is one ADD_IMM anyway). Pops the operands and pushes the entry.
     */
    private makeAddr(i: number, ha: number, h: number, imm: number): boolean {
        const next = this.instrs[i + 1]
        if (next && (next.op === 0x21 || next.op === 0x22)) return false
        const a = this.stack[ha]
        let index: number
        let addend = imm
        if (a.kind === Kind.LOCAL) index = a.index
        else if (a.kind === Kind.ADDR && (a.index >= 0 || ha === h)) {
            index = a.index
            addend = (a.addend! + imm) | 0
        } else if (a.kind === Kind.SLOT && ha === h) index = -1
        else return false
        this.pop()
        this.pop()
        this.stack.push({ type: ValType.I32, kind: Kind.ADDR, index, addend })
        return true
    }

    private globalType(index: number): ValType {
        return this.index.globalTypes[index]
    }

    private tableElemType(index: number): ValType {
        return this.index.tableElemTypes[index]
    }

    /**
     * Ops of the shape `OP U imm..., [R d], R operands...` (misc range). `results` is the
     * type of the single result, or undefined when there is none.
     */
    private compileGeneric(i: number, irOp: number, imms: number[], nOperands: number, result: ValType | undefined): number {
        const h = this.stack.length - nOperands
        const regs: number[] = []
        for (let k = 0; k < nOperands; k++) regs.push(this.operand(h + k))
        for (let k = 0; k < nOperands; k++) this.pop()
        const out = this.out
        let t = { dst: 0, next: i + 1, local: -1 }
        if (result !== undefined) t = this.resultTarget(i, h, result)
        out.u8(irOp)
        for (const imm of imms) out.u32(imm)
        if (result !== undefined) out.u16(t.dst)
        for (const r of regs) out.u16(r)
        if (result !== undefined) this.pushResult(result, t)
        return t.next
    }

    private compileNumeric(i: number, op: number): number {
        const out = this.out
        // Reinterpretations and wrap keep the bits in place: only the static type changes.
        if (op === 0xa7 || (op >= 0xbc && op <= 0xbf)) {
            const e = this.stack[this.stack.length - 1]
            e.type = numericResultType(op)
            return i + 1
        }
        const resultType = numericResultType(op)
        const hot = I32_HOT.get(op)
        if (hot) {
            const h = this.stack.length - 2
            let a = this.stack[h]
            let b = this.stack[h + 1]
            let ha = h
            let hb = h + 1
            if (a.kind === Kind.CONST && b.kind !== Kind.CONST && COMMUTATIVE.has(op)) {
                ;[a, b] = [b, a]
                ;[ha, hb] = [hb, ha]
            }
            let irOp = hot[0]
            let imm = 0
            let useImm = false
            if (b.kind === Kind.CONST && (hot[1] >= 0 || op === 0x6b)) {
                useImm = true
                imm = b.index
                irOp = hot[1]
                if (op === 0x6b) {
                    irOp = Op.I32_ADD_IMM
                    imm = -imm | 0
                }
            }
            if (useImm && irOp === Op.I32_ADD_IMM && this.makeAddr(i, ha, h, imm)) return i + 1
            const ra = this.operand(ha)
            const rb = useImm ? 0 : this.operand(hb)
            this.pop()
            this.pop()
            const t = this.resultTarget(i, h, resultType)
            out.u8(irOp)
            out.u16(t.dst)
            out.u16(ra)
            if (useImm) out.u32(imm)
            else out.u16(rb)
            this.pushResult(resultType, t)
            return t.next
        }
        const next = this.instrs[i + 1]
        // An i32 comparison feeding br_if / if becomes one compare-and-branch.
        const cmp = I32_CMP_BRANCH.get(op)
        if (cmp && next && (next.op === 0x0d || next.op === 0x04)) {
            const h = this.stack.length - 2
            const b = this.stack[h + 1]
            const useImm = b.kind === Kind.CONST
            const ra = this.operand(h)
            const rb = useImm ? b.index : this.operand(h + 1)
            this.pop()
            this.pop()
            const emitCond = (negated: boolean) => {
                out.u8((negated ? cmp[1] : cmp[0]) + (useImm ? BRANCH_IMM_OFFSET : 0))
                out.u16(ra)
                if (useImm) out.u32(rb)
                else out.u16(rb)
            }
            if (next.op === 0x0d) this.emitCondBranch(next.index!, emitCond)
            else this.compileIf(next, emitCond)
            return i + 2
        }
        if (op === 0x45 && next && (next.op === 0x0d || next.op === 0x04)) {
            // i32.eqz + br_if / if: branch on zero directly
            const h = this.stack.length - 1
            const ra = this.operand(h)
            this.pop()
            const emitCond = (negated: boolean) => {
                out.u8(negated ? Op.BR_IF : Op.BR_UNLESS)
                out.u16(ra)
            }
            if (next.op === 0x0d) this.emitCondBranch(next.index!, emitCond)
            else this.compileIf(next, emitCond)
            return i + 2
        }
        const bin = BIN_IR.get(op)
        if (bin !== undefined) {
            const h = this.stack.length - 2
            const ra = this.operand(h)
            const rb = this.operand(h + 1)
            this.pop()
            this.pop()
            const t = this.resultTarget(i, h, resultType)
            out.u8(bin)
            out.u16(t.dst)
            out.u16(ra)
            out.u16(rb)
            this.pushResult(resultType, t)
            return t.next
        }
        const un = UN_IR.get(op)
        if (un !== undefined) {
            const h = this.stack.length - 1
            const ra = this.operand(h)
            this.pop()
            const t = this.resultTarget(i, h, resultType)
            out.u8(un)
            out.u16(t.dst)
            out.u16(ra)
            this.pushResult(resultType, t)
            return t.next
        }
        throw new Error(`compiler: no lowering for numeric opcode 0x${op.toString(16)}`)
    }

    // ---------------------------------------------------------------- control

    private compileBlockStart(i: number, ins: Instr): number {
        if (ins.op === 0x04) {
            const h = this.stack.length - 1
            const cond = this.operand(h)
            this.pop()
            this.compileIf(ins, negated => {
                this.out.u8(negated ? Op.BR_UNLESS : Op.BR_IF)
                this.out.u16(cond)
            })
            return i + 1
        }
        const sig = ins.block!
        // Lazy entries must not see writes made inside the block: fix everything in place.
        this.materializeAll()
        const base = this.stack.length - sig.params.length
        this.frames.push({
            kind: ins.op === 0x03 ? FrameKind.LOOP : FrameKind.BLOCK,
            sig,
            base,
            loopStart: this.out.length,
            patches: [],
            elsePatch: -1,
            spill: 0,
            unreachable: false,
        })
        if (ins.op === 0x03) this.charged()
        return i + 1
    }

    /** Opens an `if`: `emitCond(true)` writes a branch taken when the condition is false. */
    private compileIf(ins: Instr, emitCond: (negated: boolean) => void): void {
        const sig = ins.block!
        this.materializeAll()
        const base = this.stack.length - sig.params.length
        // The then arm overwrites the parameter slots; the else arm needs the originals.
        let spill = 0
        if (sig.params.length > 0) {
            spill = this.spillNext
            this.spillNext += sig.params.length
            for (let k = 0; k < sig.params.length; k++) this.emitMove(sig.params[k], spill * 8 + k * 8, this.slotOf(base + k))
        }
        emitCond(true)
        const elsePatch = this.out.length
        this.out.u32(0)
        this.frames.push({
            kind: FrameKind.IF,
            sig,
            base,
            loopStart: 0,
            patches: [],
            elsePatch,
            spill,
            unreachable: false,
        })
    }

    private compileElse(i: number): number {
        const f = this.frames[this.frames.length - 1]
        if (!f.unreachable) {
            this.materializeAll(f.base)
            this.out.u8(Op.BR)
            f.patches.push(this.out.length)
            this.out.u32(0)
        }
        this.out.patchU32(f.elsePatch, this.out.length)
        f.elsePatch = -1
        f.kind = FrameKind.ELSE
        f.unreachable = false
        this.stack.length = f.base
        for (let k = 0; k < f.sig.params.length; k++) {
            this.emitMove(f.sig.params[k], this.slotOf(f.base + k), f.spill * 8 + k * 8)
            this.push(f.sig.params[k])
        }
        return i + 1
    }

    private compileEnd(i: number): number {
        const f = this.frames[this.frames.length - 1]
        if (f.kind === FrameKind.FUNC) {
            if (!f.unreachable) this.emitReturn()
            this.frames.pop()
            for (const p of f.patches) this.out.patchU32(p, this.out.length)
            return i + 1
        }
        if (!f.unreachable) this.materializeAll(f.base)
        if (f.elsePatch >= 0) {
            // An `if` without `else`: the false branch arrives here with the parameters as results.
            if (f.sig.params.length > 0 && !f.unreachable) {
                this.out.u8(Op.BR)
                f.patches.push(this.out.length)
                this.out.u32(0)
            }
            this.out.patchU32(f.elsePatch, this.out.length)
            for (let k = 0; k < f.sig.params.length; k++) this.emitMove(f.sig.params[k], this.slotOf(f.base + k), f.spill * 8 + k * 8)
        }
        for (const p of f.patches) this.out.patchU32(p, this.out.length)
        this.frames.pop()
        this.stack.length = f.base
        for (const t of f.sig.results) this.push(t)
        return i + 1
    }

    private compileBrTable(i: number, ins: Instr): number {
        const labels = ins.labels!
        const h = this.stack.length - 1
        const idx = this.operand(h)
        this.pop()
        const out = this.out
        // Distinct label depths become the target list; entries are small indices into it.
        const depths: number[] = []
        const entryIndex = labels.map(d => {
            let k = depths.indexOf(d)
            if (k < 0) {
                k = depths.length
                depths.push(d)
            }
            return k
        })
        out.u8(Op.BR_TABLE)
        out.u16(idx)
        out.u32(labels.length - 1)
        out.u32(depths.length)
        // One target per distinct label; labels whose values must move get a stub after the table.
        const stubs: { at: number; depth: number }[] = []
        for (const depth of depths) {
            const f = this.labelFrame(depth)
            if (f.kind !== FrameKind.FUNC && !this.needsBranchMoves(f)) {
                this.emitTarget(f)
            } else {
                stubs.push({ at: out.length, depth })
                out.u32(0)
            }
        }
        for (const k of entryIndex) {
            if (depths.length <= 256) out.u8(k)
            else out.u16(k)
        }
        for (const s of stubs) {
            out.patchU32(s.at, out.length)
            this.emitBranch(s.depth)
        }
        this.setUnreachable()
        return i + 1
    }

    private compileCall(i: number, funcIndex: number): number {
        const type = this.index.funcTypes[funcIndex]
        const base = this.stack.length - type.params.length
        this.materializeAll(base)
        const args = this.slotOf(base)
        this.stack.length = base
        this.charged()
        this.out.u8(funcIndex < this.index.importedFuncCount ? Op.CALL_IMPORT : Op.CALL)
        this.out.u32(funcIndex)
        this.out.u16(args)
        for (const t of type.results) this.push(t)
        return i + 1
    }

    private compileCallIndirect(i: number, ins: Instr): number {
        const type = this.index.module.types[ins.index!]
        const elemH = this.stack.length - 1
        const elem = this.operand(elemH)
        const base = elemH - type.params.length
        this.materializeAll(base)
        // The element index may sit in the first result slot: the machine reads it before the call.
        const args = this.slotOf(base)
        this.stack.length = base
        this.charged()
        this.out.u8(Op.CALL_INDIRECT)
        this.out.u32(ins.index!)
        this.out.u32(ins.index2 ?? 0)
        this.out.u16(elem)
        this.out.u16(args)
        for (const t of type.results) this.push(t)
        return i + 1
    }
}
