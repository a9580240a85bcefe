// The `spectest` host module that the official testsuite imports, with the values the
// reference harness gives it: print functions (they print nothing here unless asked),
// global_i32 = 666, global_i64 = 666, global_f32 = 666.6, global_f64 = 666.6,
// table = 10..20 funcref, memory = 1..2 pages.

import { defaultAccount, ExternKind, GlobalCell, HostFunc, Memory, Table } from "../../interpreter/index"
import type { Extern } from "../../interpreter/index"
import { ValTypeCode } from "../../interpreter/image-format"

export interface SpectestModule {
    get(name: string, kind: number): Extern
}

/** A fresh spectest module (each script file gets its own, as in the reference harness). */
export function createSpectestModule(print?: (line: string) => void): SpectestModule {
    const globals = Buffer.alloc(32)
    globals.writeInt32LE(666, 0)
    globals.writeBigInt64LE(666n, 8)
    globals.writeFloatLE(666.6, 16)
    globals.writeDoubleLE(666.6, 24)

    const show = (S: Buffer, at: number, types: string): string =>
        [...types]
            .map((t, i) => {
                const o = at + i * 8
                if (t === "i") return `${S.readInt32LE(o)} : i32`
                if (t === "I") return `${S.readBigInt64LE(o)} : i64`
                if (t === "f") return `${S.readFloatLE(o)} : f32`
                return `${S.readDoubleLE(o)} : f64`
            })
            .join(" ")
    const printer = (types: string) =>
        new HostFunc(types, "", (S, at) => {
            if (print) print(show(S, at, types))
        })

    const memory = new Memory(1, 2, defaultAccount())
    memory.declaredMax = 2
    const exports = new Map<string, Extern>([
        ["print", printer("")],
        ["print_i32", printer("i")],
        ["print_i64", printer("I")],
        ["print_f32", printer("f")],
        ["print_f64", printer("F")],
        ["print_i32_f32", printer("if")],
        ["print_f64_f64", printer("FF")],
        ["global_i32", new GlobalCell(globals, 0, ValTypeCode.I32, false)],
        ["global_i64", new GlobalCell(globals, 8, ValTypeCode.I64, false)],
        ["global_f32", new GlobalCell(globals, 16, ValTypeCode.F32, false)],
        ["global_f64", new GlobalCell(globals, 24, ValTypeCode.F64, false)],
        ["table", new Table(10, 20, ValTypeCode.FUNCREF, defaultAccount())],
        ["memory", memory],
    ])
    return {
        get(name: string, kind: number): Extern {
            const e = exports.get(name)
            if (e === undefined) return null
            // A kind mismatch is left to the linker, which reports "incompatible import type".
            void kind
            return e
        },
    }
}

export { ExternKind }
