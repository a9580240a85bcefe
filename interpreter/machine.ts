// The run loop. One Execution is one call from the host into Wasm: its value stack, its call
// frames and, while suspended, its pc and frame pointer. run() executes it for a bounded
// amount of work (fuel) and returns, so that the caller can yield to DeviceScript's scheduler
// (which panics after 128K VM steps without a yield) and resume later.
//
// Hot-path notes (DeviceScript costs, see ../shared/devicescript-facts.md):
//  - pc, fp, the call depth and the buffers are locals of run(): a local costs a third of a
//    `this.x` read;
//  - a Buffer access costs as much as several arithmetic ops, so each instruction's opcode and
//    first operand come in one 4-byte read, and two u16 operands in another;
//  - dispatch is a short if-tree over opcode ranges, hottest ops first (a switch is a linear
//    chain of compares); numeric and rare ops go through arrays of functions (each handed
//    its opcode), except the commonest float, i64, rotate and i32 compare ops, inlined in the
//    BINARY branch;
//  - frame records (return pc, caller fp) follow the value stack in the Execution's block;
//  - no allocation inside the loop.

import { Op } from "./opcodes"
import { FuncRec } from "./image-format"
import { BINARY, UNARY } from "./ops/numeric-table"
import { MISC } from "./ops/misc"
import { CHUNK, CHUNK_MASK, CHUNK_SHIFT, Memory } from "./memory"
import { FuncRef, HostFunc, Instance, resolveHandle } from "./instance"
import { ArenaAccount } from "./arena"
import { enterInstance, setExecution, inst as currentInst, mem as currentMem, bulkFuel, takeBulkFuel } from "./state"
import {
    Trap,
    trap,
    TRAP_INDIRECT_TYPE,
    TRAP_MEMORY_OOB,
    TRAP_STACK_EXHAUSTED,
    TRAP_UNDEFINED_ELEMENT,
    TRAP_UNINITIALIZED_ELEMENT,
    TRAP_UNREACHABLE,
} from "./trap"

/** Bytes per call frame record: return pc (i32), caller fp (i32). */
const FRAME_REC = 8
/** Fuel charged per call (fuel is roughly code bytes executed). */
const CALL_FUEL = 16

export const enum RunState {
    IDLE = 0, // nothing to run (finished, trapped, or never started)
    SUSPENDED = 1, // out of fuel; run() again to continue
    DONE = 2, // finished; results are at the start of the value stack
}

/**
 * One block holds the value stack (8-byte slots from `base`: arguments go there, results come
 * back there) and, after it, the call frame records. The block is either a Buffer of its own
 * (host tools, tests) or pages of an app's arena account, so that an installed app's stacks
 * come out of its quota like its memory does (`stack` is then the arena's Buffer).
 */
export class Execution {
    /** The Buffer the stacks live in. */
    readonly stack: Buffer
    /** Offset of the first value slot in `stack`. */
    readonly base: number
    /** End of the value stack = start of the frame records. */
    readonly end: number
    /** Instance of the caller of each frame (to switch back on return). */
    readonly callerInsts: Instance[] = []
    readonly maxDepth: number
    /** The account the block came from, or null (a Buffer of its own). */
    readonly account: ArenaAccount
    depth = 0
    pc = 0
    fp = 0
    inst: Instance = null
    state = RunState.IDLE
    /** A memory.copy cut into parts: its pc and fp, and the bytes done (misc.ts). */
    bulkPc = -1
    bulkFp = 0
    bulkDone = 0

    constructor(stackBytes: number, maxDepth: number, account?: ArenaAccount) {
        const total = stackBytes + maxDepth * FRAME_REC
        this.account = account === undefined ? null : account
        if (this.account === null) {
            this.stack = Buffer.alloc(total)
            this.base = 0
        } else {
            this.stack = this.account.arena.buf
            this.base = this.account.alloc(total, "stacks")
        }
        this.end = this.base + stackBytes
        this.maxDepth = maxDepth
    }

    /** Bytes this execution holds (value stack and call frames). */
    bytes(): number {
        return this.end - this.base + this.maxDepth * FRAME_REC
    }

    /** Gives arena-backed stacks back to their account (the execution must not run again). */
    release(): void {
        if (this.account !== null && this.state !== RunState.SUSPENDED) this.account.free(this.base, this.bytes())
    }
}

// Where a call leaves the callee's entry point (two results without allocating).
let callPc = 0
let callFp = 0

/**
 * Enters function `f` of `target` with its frame at nfp, returning to retPc in the caller.
 * A host function runs at once (callPc = retPc). Sets callPc/callFp; switches instance.
 */
function enterFunction(ex: Execution, caller: Instance, target: Instance, f: number, nfp: number, retPc: number, callerFp: number): void {
    let ti = target
    let fi = f
    // Follow imports to the function that really runs.
    while (fi < ti.module.importedFuncs) {
        const imp = ti.importFuncs[fi]
        if (imp instanceof HostFunc) {
            if (ti !== caller) enterInstance(ti)
            imp.fn(ex.stack, nfp, ti)
            enterInstance(caller)
            callPc = retPc
            callFp = callerFp
            return
        }
        const r = imp as FuncRef
        ti = r.inst
        fi = r.index
    }
    const m = ti.module
    const rec = m.funcsOff + (fi - m.importedFuncs) * FuncRec.SIZE
    const img = m.image
    const frameBytes = img.getAt(rec + FuncRec.FRAME_SLOTS, "u16") * 8
    if (ex.depth >= ex.maxDepth || nfp + frameBytes > ex.end) trap(TRAP_STACK_EXHAUSTED)
    const d = ex.depth
    // A frame that returns into another instance says so (see RETURN) and records it.
    if (ti !== caller && retPc >= 0) {
        ex.stack.setAt(ex.end + d * FRAME_REC, "i32", -retPc - 2)
        ex.callerInsts[d] = caller
    } else ex.stack.setAt(ex.end + d * FRAME_REC, "i32", retPc)
    ex.stack.setAt(ex.end + d * FRAME_REC + 4, "i32", callerFp)
    ex.depth = d + 1
    const locals = img.getAt(rec + FuncRec.LOCAL_SLOTS, "u16")
    if (locals > 0) ex.stack.fillAt(nfp + img.getAt(rec + FuncRec.PARAM_SLOTS, "u16") * 8, locals * 8, 0)
    if (ti !== caller) enterInstance(ti)
    callPc = img.getAt(rec + FuncRec.CODE, "u32")
    callFp = nfp
}

/**
 * Starts a call of function f of inst; its arguments must already be in ex.stack at ex.base.
 * A host function runs at once (state DONE).
 */
export function startCall(ex: Execution, inst: Instance, f: number): void {
    ex.depth = 0
    ex.inst = inst
    ex.bulkPc = -1
    setExecution(ex)
    enterInstance(inst)
    callPc = -1
    enterFunction(ex, inst, inst, f, ex.base, -1, 0)
    if (callPc === -1) {
        ex.state = RunState.DONE
        return
    }
    ex.pc = callPc
    ex.fp = callFp
    ex.inst = currentInst
    ex.state = RunState.SUSPENDED
}

/** Saves where a slice stopped (out of fuel); run() continues there. Off the hot path. */
function suspend(ex: Execution, pc: number, fp: number, inst: Instance, depth: number): number {
    ex.pc = pc
    ex.fp = fp
    ex.inst = inst
    ex.depth = depth
    return RunState.SUSPENDED
}

/** Where function f's record is, as recBase + f * FuncRec.SIZE (f a defined function). */
function recBaseOf(inst: Instance): number {
    return inst.module.funcsOff - inst.module.importedFuncs * FuncRec.SIZE
}

/**
 * Turns what a slice threw into a Trap. Running out of an execution's stacks is always caught
 * before anything is stored: entering a Wasm frame checks both stacks (TRAP_STACK_EXHAUSTED
 * above), and the verifier keeps a host function's parameters and results inside its caller's
 * frame. So no other error means exhausted stacks: anything else (a RangeError "buffer store out
 * of range" included, which DeviceScript and platform/node-buffer.ts throw alike) is an engine or
 * host-function bug, reported as a trap with its own message so that the firmware and the other
 * apps keep running and the bug stays visible.
 */
function rethrowAsTrap(e: any): never {
    if (e instanceof Trap) throw e
    throw new Trap("runtime error: " + (e instanceof Error ? e.message : "" + e))
}

/**
 * Runs a started execution until it finishes or has used `fuel` (about that many bytes of
 * code). Returns the new state. A trap resets the execution and is thrown.
 */
export function run(ex: Execution, fuel: number): number {
    if (ex.state !== RunState.SUSPENDED) return ex.state
    const S = ex.stack
    // frame records follow the value stack: stackEnd is both the limit and their base
    const stackEnd = ex.end
    setExecution(ex)
    enterInstance(ex.inst)
    let inst = ex.inst
    let code = inst.code
    let mem: Memory = inst.memory
    let pc = ex.pc
    let fp = ex.fp
    // call depth and the running instance's function-record base live in locals on the hot
    // path (a property read costs twice a local); ex.depth is brought up to date whenever
    // run() leaves or calls out
    let depth = ex.depth
    const maxDepth = ex.maxDepth
    let recBase = recBaseOf(inst)
    try {
        while (true) {
            // The instruction's first four bytes in one read: the opcode and, for most
            // instructions, the first u16 operand (R1 below). A Buffer read costs as much as
            // a handful of arithmetic ops in DeviceScript, so operands are read in words.
            const w = code.getAt(pc, "i32")
            const op = w & 0xff
            if (op < Op.BR_EQ) {
                if (op < Op.I32_ADD) {
                    // ---- moves, constants, control
                    if (op === Op.MOV32) {
                        S.setAt(fp + ((w >>> 8) & 0xffff), "i32", S.getAt(fp + code.getAt(pc + 3, "u16"), "i32"))
                        pc += 5
                    } else if (op === Op.CONST32) {
                        S.setAt(fp + ((w >>> 8) & 0xffff), "i32", code.getAt(pc + 3, "i32"))
                        pc += 7
                    } else if (op === Op.MOV64) {
                        const d = fp + ((w >>> 8) & 0xffff)
                        const a = fp + code.getAt(pc + 3, "u16")
                        S.setAt(d, "i32", S.getAt(a, "i32"))
                        S.setAt(d + 4, "i32", S.getAt(a + 4, "i32"))
                        pc += 5
                    } else if (op === Op.CONST64) {
                        const d = fp + ((w >>> 8) & 0xffff)
                        S.setAt(d, "i32", code.getAt(pc + 3, "i32"))
                        S.setAt(d + 4, "i32", code.getAt(pc + 7, "i32"))
                        pc += 11
                    } else if (op <= Op.BR_TABLE) {
                        // ---- branches: work out the target, then one shared tail
                        let t: number
                        if (op === Op.BR) {
                            t = code.getAt(pc + 1, "u32")
                        } else if (op === Op.BR_TABLE) {
                            let i = S.getAt(fp + ((w >>> 8) & 0xffff), "i32") >>> 0
                            const n = code.getAt(pc + 3, "u32")
                            if (i > n) i = n
                            const k = code.getAt(pc + 7, "u32")
                            const entries = pc + 11 + k * 4
                            let j = k <= 256 ? code[entries + i] : code.getAt(entries + i * 2, "u16")
                            if (j >= k) j = k - 1 // only a tampered image; verify.ts does not walk entries
                            t = code.getAt(pc + 11 + j * 4, "u32")
                        } else {
                            const c = S.getAt(fp + ((w >>> 8) & 0xffff), "i32")
                            if ((c !== 0) === (op === Op.BR_IF)) t = code.getAt(pc + 3, "u32")
                            else t = pc + 7
                        }
                        if (t <= pc) {
                            // a loop: charge the loop body and stop when the slice is used up
                            fuel -= pc - t + 1
                            if (fuel <= 0) {
                                return suspend(ex, t, fp, inst, depth)
                            }
                        }
                        pc = t
                    } else if (op === Op.CALL) {
                        // Inline fast path of enterFunction for a call within the instance.
                        const rec = recBase + code.getAt(pc + 1, "u32") * FuncRec.SIZE
                        const nfp = fp + code.getAt(pc + 5, "u16")
                        const lf = code.getAt(rec + FuncRec.LOCAL_SLOTS, "i32") // local slots, frame slots
                        if (depth >= maxDepth || nfp + (lf >>> 16) * 8 > stackEnd) trap(TRAP_STACK_EXHAUSTED)
                        S.setAt(stackEnd + depth * FRAME_REC, "i32", pc + 7)
                        S.setAt(stackEnd + depth * FRAME_REC + 4, "i32", fp)
                        depth++
                        const locals = lf & 0xffff
                        if (locals > 0) S.fillAt(nfp + code.getAt(rec + FuncRec.PARAM_SLOTS, "u16") * 8, locals * 8, 0)
                        pc = code.getAt(rec + FuncRec.CODE, "u32")
                        fp = nfp
                        fuel -= CALL_FUEL
                        if (fuel <= 0) {
                            return suspend(ex, pc, fp, inst, depth)
                        }
                    } else if (op === Op.RETURN || op === Op.RET32 || op === Op.RET64) {
                        if (op !== Op.RETURN) {
                            // the single result moves to fp+0 as part of the return
                            const a = fp + ((w >>> 8) & 0xffff)
                            S.setAt(fp, "i32", S.getAt(a, "i32"))
                            if (op === Op.RET64) S.setAt(fp + 4, "i32", S.getAt(a + 4, "i32"))
                        }
                        depth--
                        // ret >= 0: back into this instance; -1: back to the host;
                        // <= -2: back into the instance callerInsts names, at -ret - 2
                        const ret = S.getAt(stackEnd + depth * FRAME_REC, "i32")
                        fp = S.getAt(stackEnd + depth * FRAME_REC + 4, "i32")
                        if (ret >= 0) pc = ret
                        else if (ret === -1) {
                            ex.state = RunState.DONE
                            ex.depth = 0
                            ex.pc = 0
                            ex.fp = 0
                            return RunState.DONE
                        } else {
                            pc = -ret - 2
                            inst = ex.callerInsts[depth]
                            enterInstance(inst)
                            code = inst.code
                            mem = inst.memory
                            recBase = recBaseOf(inst)
                        }
                    } else if (op === Op.CALL_IMPORT || op === Op.CALL_INDIRECT) {
                        let target = inst
                        let f: number
                        let nfp: number
                        let next: number
                        if (op === Op.CALL_IMPORT) {
                            f = code.getAt(pc + 1, "u32")
                            nfp = fp + code.getAt(pc + 5, "u16")
                            next = pc + 7
                        } else {
                            const typeIdx = code.getAt(pc + 1, "u32")
                            const table = inst.tables[code.getAt(pc + 5, "u32")]
                            const elem = S.getAt(fp + code.getAt(pc + 9, "u16"), "i32")
                            nfp = fp + code.getAt(pc + 11, "u16")
                            next = pc + 13
                            // (the spec's reference messages name the element index)
                            if (elem < 0 || elem >= table.size) trap(TRAP_UNDEFINED_ELEMENT + " " + elem)
                            const h = table.buf.getAt(table.off + elem * 4, "i32") // (bounds checked above)
                            if (h === 0) trap(TRAP_UNINITIALIZED_ELEMENT + " " + elem)
                            if (h < inst.handleBase || h >= inst.handleBase + inst.module.totalFuncs()) {
                                target = resolveHandle(h)
                                if (target === null) trap(TRAP_UNINITIALIZED_ELEMENT)
                            }
                            f = h - target.handleBase
                            checkIndirectType(inst, typeIdx, target, f)
                        }
                        ex.pc = next
                        ex.depth = depth
                        enterFunction(ex, inst, target, f, nfp, next, fp)
                        depth = ex.depth
                        pc = callPc
                        fp = callFp
                        inst = currentInst
                        code = inst.code
                        mem = currentMem
                        recBase = recBaseOf(inst)
                        fuel -= CALL_FUEL
                        if (fuel <= 0) {
                            // (endless recursion through call_indirect must still yield)
                            return suspend(ex, pc, fp, inst, depth)
                        }
                    } else if (op === Op.UNREACHABLE) {
                        trap(TRAP_UNREACHABLE)
                    } else {
                        trap("internal error: bad opcode " + op)
                    }
                } else if (op <= Op.I32_SHR_U) {
                    // ---- i32 arithmetic, register operands
                    const d = fp + ((w >>> 8) & 0xffff)
                    const ab = code.getAt(pc + 3, "i32") // both source registers
                    const a = S.getAt(fp + (ab & 0xffff), "i32")
                    const b = S.getAt(fp + (ab >>> 16), "i32")
                    pc += 7
                    if (op === Op.I32_ADD) S.setAt(d, "i32", (a + b) | 0)
                    else if (op === Op.I32_SUB) S.setAt(d, "i32", (a - b) | 0)
                    else if (op === Op.I32_MUL) S.setAt(d, "i32", Math.imul(a, b))
                    else if (op === Op.I32_AND) S.setAt(d, "i32", a & b)
                    else if (op === Op.I32_OR) S.setAt(d, "i32", a | b)
                    else if (op === Op.I32_XOR) S.setAt(d, "i32", a ^ b)
                    else if (op === Op.I32_SHL) S.setAt(d, "i32", a << b)
                    else if (op === Op.I32_SHR_S) S.setAt(d, "i32", a >> b)
                    else S.setAt(d, "i32", (a >>> b) | 0)
                } else {
                    // ---- i32 arithmetic with an immediate
                    const d = fp + ((w >>> 8) & 0xffff)
                    const a = S.getAt(fp + code.getAt(pc + 3, "u16"), "i32")
                    const b = code.getAt(pc + 5, "i32")
                    pc += 9
                    if (op === Op.I32_ADD_IMM) S.setAt(d, "i32", (a + b) | 0)
                    else if (op === Op.I32_AND_IMM) S.setAt(d, "i32", a & b)
                    else if (op === Op.I32_SHL_IMM) S.setAt(d, "i32", a << b)
                    else if (op === Op.I32_MUL_IMM) S.setAt(d, "i32", Math.imul(a, b))
                    else if (op === Op.I32_SHR_U_IMM) S.setAt(d, "i32", (a >>> b) | 0)
                    else if (op === Op.I32_SHR_S_IMM) S.setAt(d, "i32", a >> b)
                    else if (op === Op.I32_OR_IMM) S.setAt(d, "i32", a | b)
                    else S.setAt(d, "i32", a ^ b)
                }
            } else if (op < Op.I32_LOAD) {
                // ---- fused compare and branch
                const a = S.getAt(fp + ((w >>> 8) & 0xffff), "i32")
                let b: number
                let t: number
                let cmp = op
                if (op >= Op.BR_EQ_IMM) {
                    b = code.getAt(pc + 3, "i32")
                    t = code.getAt(pc + 7, "u32")
                    cmp = op - (Op.BR_EQ_IMM - Op.BR_EQ)
                } else {
                    b = S.getAt(fp + code.getAt(pc + 3, "u16"), "i32")
                    t = code.getAt(pc + 5, "u32")
                }
                let taken: boolean
                if (cmp === Op.BR_LT_S) taken = a < b
                else if (cmp === Op.BR_NE) taken = a !== b
                else if (cmp === Op.BR_EQ) taken = a === b
                else if (cmp === Op.BR_GE_S) taken = a >= b
                else if (cmp === Op.BR_GT_S) taken = a > b
                else if (cmp === Op.BR_LE_S) taken = a <= b
                // unsigned: flip the sign bits, then compare signed (stays on the int fast path)
                else if (cmp === Op.BR_LT_U) taken = (a ^ 0x80000000) < (b ^ 0x80000000)
                else if (cmp === Op.BR_GE_U) taken = (a ^ 0x80000000) >= (b ^ 0x80000000)
                else if (cmp === Op.BR_GT_U) taken = (a ^ 0x80000000) > (b ^ 0x80000000)
                else taken = (a ^ 0x80000000) <= (b ^ 0x80000000)
                if (!taken) {
                    pc += op >= Op.BR_EQ_IMM ? 11 : 9
                } else {
                    // the same loop-fuel tail as the BR family above, inlined on purpose:
                    // a shared helper would cost a DeviceScript call (~600 ns) per taken branch
                    if (t <= pc) {
                        fuel -= pc - t + 1
                        if (fuel <= 0) {
                            return suspend(ex, t, fp, inst, depth)
                        }
                    }
                    pc = t
                }
            } else if (op < Op.HOT_END) {
                if (op === Op.I32_LOAD || op === Op.I32_LOAD_A) {
                    let base = S.getAt(fp + code.getAt(pc + 3, "u16"), "i32")
                    if (op === Op.I32_LOAD_A) base = (base + code.getAt(pc + 9, "i32")) | 0
                    const ea = (base >>> 0) + code.getAt(pc + 5, "u32")
                    if (mem === null || ea + 4 > mem.byteLength) trap(TRAP_MEMORY_OOB)
                    const o = ea & CHUNK_MASK
                    let v = 0
                    const ci = ea >>> CHUNK_SHIFT
                    // its chunk-table entry: Memory.chunk(ci) written out (a call would cost more than the load)
                    const p = ci < mem.tableChunks ? mem.buf.getAt(mem.table + (ci << 2), "i32") : -1
                    if (o <= CHUNK - 4 && p >= 0) v = mem.buf.getAt(p + o, "i32")
                    else if (p !== -1 || o > CHUNK - 4) v = mem.load(ea, 4) // uniform or run-length chunk, or a chunk edge
                    S.setAt(fp + ((w >>> 8) & 0xffff), "i32", v)
                    pc += op === Op.I32_LOAD ? 9 : 13
                } else if (op === Op.I32_STORE || op === Op.I32_STORE_A) {
                    let base = S.getAt(fp + ((w >>> 8) & 0xffff), "i32")
                    if (op === Op.I32_STORE_A) base = (base + code.getAt(pc + 9, "i32")) | 0
                    const ea = (base >>> 0) + code.getAt(pc + 5, "u32")
                    if (mem === null || ea + 4 > mem.byteLength) trap(TRAP_MEMORY_OOB)
                    const v = S.getAt(fp + code.getAt(pc + 3, "u16"), "i32")
                    // a page-backed chunk takes the store directly (no call)
                    const o = ea & CHUNK_MASK
                    const ci = ea >>> CHUNK_SHIFT
                    const p = ci < mem.tableChunks ? mem.buf.getAt(mem.table + (ci << 2), "i32") : -1
                    if (o <= CHUNK - 4 && p >= 0) mem.buf.setAt(p + o, "i32", v)
                    else mem.store(ea, 4, v)
                    pc += op === Op.I32_STORE ? 9 : 13
                } else if (op === Op.GLOBAL_GET32) {
                    const g = code.getAt(pc + 3, "u32")
                    S.setAt(fp + ((w >>> 8) & 0xffff), "i32", inst.globalBufs[g].getAt(inst.globalOffs[g], "i32"))
                    pc += 7
                } else if (op === Op.GLOBAL_SET32) {
                    const g = code.getAt(pc + 1, "u32")
                    inst.globalBufs[g].setAt(inst.globalOffs[g], "i32", S.getAt(fp + code.getAt(pc + 5, "u16"), "i32"))
                    pc += 7
                } else if (op === Op.FUEL) {
                    // a long stretch without loops or calls
                    fuel -= code.getAt(pc + 1, "u32")
                    pc += 5
                    if (fuel <= 0) {
                        return suspend(ex, pc, fp, inst, depth)
                    }
                } else trap("internal error: bad opcode " + op)
            } else if (op < Op.UN_BASE) {
                const ab = code.getAt(pc + 3, "i32")
                const d = fp + ((w >>> 8) & 0xffff)
                const a = fp + (ab & 0xffff)
                const b = fp + (ab >>> 16)
                pc += 7
                // The commonest float and i64 ops inline (a call costs as much as the op): the
                // float fast paths are those of numeric/f32.ts and f64.ts, which take every case
                // a DeviceScript number cannot hold (zeros, subnormals, NaNs).
                if (op >= Op.BIN_F32_ADD && op <= Op.BIN_F32_MUL) {
                    const x = S.getAt(a, "f32")
                    const y = S.getAt(b, "f32")
                    const r = op === Op.BIN_F32_MUL ? x * y : op === Op.BIN_F32_ADD ? x + y : x - y
                    if (r !== 0) S.setAt(d, "f32", r)
                    else BINARY[op - Op.BIN_BASE](S, d, a, b, op)
                } else if (op >= Op.BIN_F64_ADD && op <= Op.BIN_F64_MUL) {
                    const x = S.getAt(a, "f64")
                    const y = S.getAt(b, "f64")
                    const r = op === Op.BIN_F64_MUL ? x * y : op === Op.BIN_F64_ADD ? x + y : x - y
                    if (x !== 0 && y !== 0 && (r >= 2.2250738585072014e-308 || r <= -2.2250738585072014e-308 || r !== r)) S.setAt(d, "f64", r)
                    else BINARY[op - Op.BIN_BASE](S, d, a, b, op)
                } else if (op >= Op.BIN_I64_AND && op <= Op.BIN_I64_XOR) {
                    const al = S.getAt(a, "i32")
                    const ah = S.getAt(a + 4, "i32")
                    const bl = S.getAt(b, "i32")
                    const bh = S.getAt(b + 4, "i32")
                    if (op === Op.BIN_I64_XOR) {
                        S.setAt(d, "i32", al ^ bl)
                        S.setAt(d + 4, "i32", ah ^ bh)
                    } else if (op === Op.BIN_I64_AND) {
                        S.setAt(d, "i32", al & bl)
                        S.setAt(d + 4, "i32", ah & bh)
                    } else {
                        S.setAt(d, "i32", al | bl)
                        S.setAt(d + 4, "i32", ah | bh)
                    }
                } else if (op === Op.BIN_I32_ROTL || op === Op.BIN_I32_ROTR) {
                    const x = S.getAt(a, "i32")
                    let k = S.getAt(b, "i32") & 31
                    if (op === Op.BIN_I32_ROTR) k = (32 - k) & 31
                    S.setAt(d, "i32", (x << k) | (x >>> (32 - k))) // (a shift by 32 is a shift by 0)
                } else if (op === Op.BIN_I64_ADD) {
                    const al = S.getAt(a, "i32")
                    const lo = (al + S.getAt(b, "i32")) | 0
                    // carry: the low word wrapped (unsigned lo < al, compared with flipped signs)
                    const hi = (S.getAt(a + 4, "i32") + S.getAt(b + 4, "i32") + ((lo ^ 0x80000000) < (al ^ 0x80000000) ? 1 : 0)) | 0
                    S.setAt(d, "i32", lo)
                    S.setAt(d + 4, "i32", hi)
                } else if (op < Op.BIN_I64_EQ) {
                    // i32 comparisons whose value is used (eq ne lt_s lt_u gt_s gt_u le_s le_u
                    // ge_s ge_u): unsigned ones compare signed with the sign bits flipped
                    let x = S.getAt(a, "i32")
                    let y = S.getAt(b, "i32")
                    let k = op - Op.BIN_I32_EQ
                    if (k > 2 && (k & 1) !== 0) {
                        x = x ^ 0x80000000
                        y = y ^ 0x80000000
                        k--
                    }
                    S.setAt(d, "i32", +(k === 0 ? x === y : k === 1 ? x !== y : k === 2 ? x < y : k === 4 ? x > y : k === 6 ? x <= y : x >= y))
                } else BINARY[op - Op.BIN_BASE](S, d, a, b, op)
            } else if (op < Op.MISC_BASE) {
                UNARY[op - Op.UN_BASE](S, fp + ((w >>> 8) & 0xffff), fp + code.getAt(pc + 3, "u16"), op)
                pc += 5
            } else {
                pc = MISC[op - Op.MISC_BASE](pc, fp)
                if (bulkFuel !== 0) {
                    // a bulk memory op did a lot of work: charge it, and end the slice if used up
                    fuel -= takeBulkFuel()
                    if (fuel <= 0) {
                        return suspend(ex, pc, fp, inst, depth)
                    }
                }
                // memory.grow may have changed the memory's size (the object stays the same)
            }
        }
    } catch (e) {
        ex.state = RunState.IDLE
        ex.depth = 0
        rethrowAsTrap(e)
    }
    return ex.state
}

/** call_indirect's signature check: same module compares canonical type indices. */
function checkIndirectType(caller: Instance, typeIdx: number, target: Instance, f: number): void {
    const cm = caller.module
    const tm = target.module
    if (cm === tm) {
        if (cm.canonType(typeIdx) !== cm.canonType(tm.funcType(f))) trap(TRAP_INDIRECT_TYPE)
        return
    }
    // Across modules: compare the signature bytes.
    const a = cm.sig(typeIdx)
    const b = tm.sig(tm.funcType(f))
    const n = 2 + cm.image[a] + cm.image[a + 1]
    for (let k = 0; k < n; k++) if (cm.image[a + k] !== tm.image[b + k]) trap(TRAP_INDIRECT_TYPE)
}
