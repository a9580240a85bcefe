import "../../interpreter/platform/node-core"
import { describe, test, expect } from "vitest"
import { OPS, KINDS, NAMES, runOp } from "../devs/numeric-ops"
import { REF, Expect } from "./ref"
import { inputsFor } from "./vectors"
import { Trap } from "../../interpreter/trap"

const S = Buffer.alloc(32)

function writeSlot(p: number, v: bigint) {
    S.writeBigUInt64LE(BigInt.asUintN(64, v), p)
}

/** Runs op with result at d, operands at a, b; returns an error string or "" if it matched. */
function check(op: number, exp: Expect, x: bigint, y: bigint, d: number, a: number, b: number): string {
    S.fill(0xa5)
    writeSlot(8, x)
    writeSlot(16, y)
    let thrown: unknown = undefined
    try {
        runOp(S, op, d, a, b)
    } catch (e) {
        thrown = e
    }
    const lo = BigInt(S.readUInt32LE(d))
    const all = S.readBigUInt64LE(d)
    let ok: boolean
    if (exp.kind === "trap") ok = thrown instanceof Trap && (thrown as Trap).message === exp.msg
    else if (thrown !== undefined) ok = false
    else if (exp.kind === "nan") ok = exp.width === 32 ? (lo & 0x7fffffffn) === 0x7fc00000n : (all & 0x7fffffffffffffffn) === 0x7ff8000000000000n
    else ok = exp.width === 32 ? lo === exp.bits : all === exp.bits
    if (ok) return ""
    const got = thrown !== undefined ? `threw ${thrown}` : exp.kind !== "trap" && exp.width === 32 ? lo.toString(16) : all.toString(16)
    const want = exp.kind === "trap" ? `trap ${exp.msg}` : exp.kind === "nan" ? `nan${exp.width}` : exp.bits.toString(16)
    return `${NAMES[op]}(${x.toString(16)}, ${y.toString(16)}) [d=${d},a=${a},b=${b}]: got ${got}, want ${want}`
}

const N_RANDOM = 3000

describe("numeric ops match the BigInt/DataView reference", () => {
    test("op table is consistent", () => {
        expect(OPS.length).toBe(NAMES.length)
        expect(KINDS.length).toBe(NAMES.length)
        for (const n of NAMES) expect(REF[n], n).toBeDefined()
        expect(Object.keys(REF).length).toBe(NAMES.length)
    })
    NAMES.forEach((name, op) => {
        test(name, () => {
            const ref = REF[name]
            const kind = KINDS.charCodeAt(op) - 48
            const inputs = inputsFor(name, ref.ins, N_RANDOM, 1000 + op)
            const failures: string[] = []
            for (const [x, y] of inputs) {
                const exp = ref.fn(x, y)
                let f = check(op, exp, x, y, 0, 8, 16)
                // result slot aliasing an operand (the interpreter's usual case)
                if (f === "" && (kind === 0 || kind === 1)) f = check(op, exp, x, y, 8, 8, 16)
                if (f === "" && kind === 0) f = check(op, exp, x, y, 16, 8, 16)
                if (f !== "") failures.push(f)
                if (failures.length >= 8) break
            }
            expect(failures).toEqual([])
            expect(inputs.length).toBeGreaterThan(N_RANDOM)
        })
    })
})
