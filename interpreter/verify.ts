// Checks one function's instruction stream in a loaded image before it can run: every opcode is
// known, every register operand lies inside the frame, every branch lands on an instruction of
// the same function, and every function/global/table/type/segment index is in range. After this,
// a tampered image can at worst compute wrong numbers; it cannot make the engine read or write
// outside its buffers or call through a wild index.

import { Op } from "./opcodes"
import { FuncRec, Sec } from "./image-format"
import { ImageError, LoadedModule } from "./loader"
import { BINARY, UNARY } from "./ops/numeric-table"

// Operand layouts, one letter per operand:
//   r register (u16, a slot inside the frame)   a call-argument base (u16, inside the frame)
//   i any 32-bit immediate                     t branch target (u32)
//   n br_table: count N, then N+1 targets       k load/store kind (u8)
//   F defined function   M imported function   f any function   g global   T table
//   y type   e element segment   d data segment
// kept as string literals (free in DeviceScript's bytecode, unlike an if-chain that returns
// them), a fixed width per opcode padded with "-"; "?" is an unknown opcode. Each literal
// stays under the 200 bytes of an ASCII literal, so that charCodeAt indexes it directly.

/** Opcodes 0..31, 4 letters each: moves, constants, control, i32 arithmetic. */
const HOT_LAYOUTS_0 =
    "rr--rr--ri--rii-" + // MOV32 MOV64 CONST32 CONST64
    "t---rt--rt--rn--" + // BR BR_IF BR_UNLESS BR_TABLE
    "Fa--Ma--yTra" + // CALL CALL_IMPORT CALL_INDIRECT
    "----r---r-------" + // RETURN RET32 RET64 UNREACHABLE
    "rrr-rrr-rrr-rrr-rrr-rrr-rrr-rrr-rrr-" + // I32_ADD .. I32_SHR_U
    "rri-rri-rri-rri-rri-rri-rri-rri-" // I32_ADD_IMM .. I32_SHR_U_IMM

/** Opcodes 32..HOT_END-1, 4 letters each: fused compare-and-branch, i32 memory and globals. */
const HOT_LAYOUTS_32 =
    "rrt-rrt-rrt-rrt-rrt-rrt-rrt-rrt-rrt-rrt-" + // BR_EQ .. BR_GE_U
    "rit-rit-rit-rit-rit-rit-rit-rit-rit-rit-" + // BR_EQ_IMM .. BR_GE_U_IMM
    "rri-rri-rg--gr--" + // I32_LOAD I32_STORE GLOBAL_GET32 GLOBAL_SET32
    "i---rriirrii" // FUEL I32_LOAD_A I32_STORE_A

/** Opcodes MISC_BASE..MISC_END-1, 5 letters each. */
const MISC_LAYOUTS =
    "rg---gr---krri-krri-" + // GLOBAL_GET64 GLOBAL_SET64 LOAD STORE
    "r----rr---rrr--rrr--drrr-d----" + // MEMORY_SIZE MEMORY_GROW MEMORY_FILL MEMORY_COPY MEMORY_INIT DATA_DROP
    "Trr--Trr--Tr---Trrr-Trrr-TTrrreTrrre----" + // TABLE_GET TABLE_SET TABLE_SIZE TABLE_GROW TABLE_FILL TABLE_COPY TABLE_INIT ELEM_DROP
    "rf---rrrr-rrrr-?----krriikrrii" // REF_FUNC SELECT32 SELECT64 (unused) LOAD_A STORE_A

// Where layoutOf found an opcode's letters: layoutStart and layoutWidth in the string it returns.
let layoutStart = 0
let layoutWidth = 0

/**
 * The string that holds op's layout, from layoutStart for up to layoutWidth letters (ended early
 * by "-"). Numeric ops index the run loop's handler arrays: past their ends there is no handler,
 * so the layout is "?" (unknown) as for any opcode outside the ranges.
 */
function layoutOf(op: number): string {
    layoutStart = 0
    layoutWidth = 4
    if (op < 32) {
        layoutStart = op * 4
        return HOT_LAYOUTS_0
    }
    if (op < Op.HOT_END) {
        layoutStart = (op - 32) * 4
        return HOT_LAYOUTS_32
    }
    if (op >= Op.BIN_BASE && op < Op.BIN_BASE + BINARY.length) return "rrr-"
    if (op >= Op.UN_BASE && op < Op.UN_BASE + UNARY.length) return "rr--"
    if (op >= Op.MISC_BASE && op < Op.MISC_END) {
        layoutStart = (op - Op.MISC_BASE) * 5
        layoutWidth = 5
        return MISC_LAYOUTS
    }
    return "?"
}

/** Operand layout of an opcode, one letter per operand as above; "?" for an unknown opcode. */
export function layout(op: number): string {
    const s = layoutOf(op)
    let n = 0
    while (n < layoutWidth && layoutStart + n < s.length && s.charCodeAt(layoutStart + n) !== 0x2d /* - */) n++
    return s.slice(layoutStart, layoutStart + n)
}

/** Instructions checked per load step (keeps a step well inside one DeviceScript slice). */
export const VERIFY_STEP_INSTRS = 150

export class CodeVerifier {
    private pc: number
    private start: number
    private end: number
    private frameBytes: number
    /** One bit per code byte: set where an instruction starts. */
    private starts: Buffer
    /** Branch targets seen, checked against `starts` at the end. */
    private targets: number[] = []

    /**
     * `importArity[i]`: max(params, results) of imported function i (8-byte slots a host function
     * uses at the call's argument base; built by the loader while it checks the imports).
     */
    constructor(
        private readonly m: LoadedModule,
        private readonly func: number,
        private readonly importArity: Buffer,
    ) {
        const rec = m.funcsOff + func * FuncRec.SIZE
        this.start = m.image.getAt(rec + FuncRec.CODE, "u32")
        this.end = m.image.getAt(rec + FuncRec.CODE_END, "u32")
        this.frameBytes = m.image.getAt(rec + FuncRec.FRAME_SLOTS, "u16") * 8
        this.pc = this.start
        this.starts = Buffer.alloc(((this.end - this.start) >> 3) + 1)
    }

    /**
     * A branch target as the image holds it (relative to the image's start) made absolute; an
     * image copied into the arena gets the absolute target written back (see loader relocate).
     */
    private relocated(at: number, target: number): number {
        const base = this.m.base
        if (base === 0) return target
        this.m.image.setAt(at, "u32", target + base)
        return target + base
    }

    private fail(msg: string): never {
        throw new ImageError(`function ${this.func}: ${msg} at code offset ${this.pc}`)
    }

    private checkArgs(args: number, slots: number): void {
        if (args + slots * 8 > this.frameBytes) this.fail(`call arguments at ${args} leave too little of a ${this.frameBytes}-byte frame for ${slots} values`)
    }

    /**
     * Checks up to `budget` instructions. Returns the budget left when the whole function is
     * done, or -1 when there is more to check (so one load step can span many small functions).
     */
    step(budget: number): number {
        const m = this.m
        const code = m.image
        while (this.pc < this.end && budget > 0) {
            budget--
            const at = this.pc - this.start
            this.starts[at >> 3] = this.starts[at >> 3] | (1 << (at & 7))
            const op = code[this.pc]
            const lay = layoutOf(op)
            if (lay.charCodeAt(layoutStart) === 0x3f /* ? */) this.fail(`unknown opcode ${op}`)
            const layEnd = layoutStart + layoutWidth
            let p = this.pc + 1
            for (let li = layoutStart; li < layEnd; li++) {
                const c = lay.charCodeAt(li)
                if (c === 0x2d /* - */) break
                const size = c === 0x6b /* k */ ? 1 : c === 0x72 /* r */ || c === 0x61 /* a */ ? 2 : 4
                if (p + size > this.end) this.fail("truncated instruction")
                if (size === 1) {
                    if (code[p] > 12) this.fail(`bad load/store kind ${code[p]}`)
                    p += 1
                    continue
                }
                if (size === 2) {
                    const r = code.getAt(p, "u16")
                    if ((c === 0x72 && r + 8 > this.frameBytes) || r > this.frameBytes) this.fail(`register ${r} outside the frame`)
                    p += 2
                    continue
                }
                const v = code.getAt(p, "u32")
                p += 4
                if (c === 0x69 /* i */) continue
                if (c === 0x74 /* t */) this.targets.push(this.relocated(p - 4, v))
                else if (c === 0x6e /* n */) {
                    // v = n; then k distinct targets and n+1 indices (u8 when k <= 256, else u16)
                    if (p + 4 > this.end) this.fail("truncated br_table")
                    const k = code.getAt(p, "u32")
                    p += 4
                    const width = k <= 256 ? 1 : 2
                    if (k < 1 || k > 65536 || v > 0xffffff || p + 4 * k + width * (v + 1) > this.end) this.fail("bad br_table")
                    for (let j = 0; j < k; j++) this.targets.push(this.relocated(p + 4 * j, code.getAt(p + 4 * j, "u32")))
                    p += 4 * k
                    // The entries are not walked here (16K of them would outlast a DeviceScript
                    // slice): the machine clamps an out-of-range entry to the last target.
                    p += width * (v + 1)
                } else {
                    // an index below the limit of its kind (F: a defined function, not an import)
                    let limit = m.totalFuncs()
                    let what = "function"
                    if (c === 0x4d /* M */) {
                        limit = m.importedFuncs
                        what = "imported function"
                    } else if (c === 0x67 /* g */) {
                        limit = m.totalGlobals()
                        what = "global"
                    } else if (c === 0x54 /* T */) {
                        limit = m.totalTables()
                        what = "table"
                    } else if (c === 0x79 /* y */) {
                        limit = m.count(Sec.TYPES)
                        what = "type"
                    } else if (c === 0x65 /* e */) {
                        limit = m.count(Sec.ELEMS)
                        what = "element segment"
                    } else if (c === 0x64 /* d */) {
                        limit = m.count(Sec.DATAS)
                        what = "data segment"
                    }
                    if (v >= limit || (c === 0x46 /* F */ && v < m.importedFuncs)) this.fail(`bad ${what} ${v}`)
                }
            }
            // A host function runs on the caller's frame (no frame check, unlike a Wasm callee):
            // its parameters and results must fit between the argument base and the frame's end.
            if (op === Op.CALL_IMPORT) this.checkArgs(code.getAt(this.pc + 5, "u16"), this.importArity[code.getAt(this.pc + 1, "u32")])
            else if (op === Op.CALL_INDIRECT) {
                const sig = m.sig(code.getAt(this.pc + 1, "u32"))
                this.checkArgs(code.getAt(this.pc + 11, "u16"), Math.max(code[sig], code[sig + 1]))
            }
            const isMemOp =
                op === Op.I32_LOAD || op === Op.I32_STORE || op === Op.I32_LOAD_A || op === Op.I32_STORE_A || op === Op.LOAD_A || op === Op.STORE_A || (op >= Op.LOAD && op < Op.DATA_DROP)
            if (isMemOp && m.memories === 0) this.fail("memory instruction without a memory")
            this.pc = p
        }
        if (this.pc < this.end) return -1
        if (this.pc !== this.end) this.fail("instruction runs past the end of the function")
        // The last instruction must not fall off the end of the function.
        for (let j = 0; j < this.targets.length; j++) {
            const t = this.targets[j]
            const at = t - this.start
            if (t < this.start || t >= this.end || (this.starts[at >> 3] & (1 << (at & 7))) === 0) {
                this.fail(`branch to ${t} is not an instruction of this function`)
            }
        }
        return budget
    }
}
