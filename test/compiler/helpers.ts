// Test helpers: WAT -> bytes (npm wabt), and hand-built binaries for malformed cases.

import initWabt from "wabt"
import { WasmDecodeError, WasmValidationError } from "../../compiler/wasm-types"

type Wabt = Awaited<ReturnType<typeof initWabt>>
let wabtP: Promise<Wabt> | undefined

/** Assembles WAT (all 2.0 features on, no validation by wabt so invalid modules can be built). */
export async function wat(src: string, opts: { names?: boolean } = {}): Promise<Uint8Array> {
    wabtP ??= initWabt()
    const wabt = await wabtP
    const m = wabt.parseWat("t.wat", src, {
        multi_value: true,
        bulk_memory: true,
        reference_types: true,
        sat_float_to_int: true,
        sign_extension: true,
        mutable_globals: true,
    })
    try {
        m.resolveNames()
        return new Uint8Array(m.toBinary({ write_debug_names: !!opts.names }).buffer)
    } finally {
        m.destroy()
    }
}

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
    const out: number[] = []
    do {
        let b = n % 128
        n = Math.floor(n / 128)
        if (n > 0) b |= 0x80
        out.push(b)
    } while (n > 0)
    return out
}

export function str(s: string): number[] {
    const b = [...Buffer.from(s, "utf8")]
    return [...uleb(b.length), ...b]
}

/** A section: id, LEB size, content. */
export function section(id: number, content: number[]): number[] {
    return [id, ...uleb(content.length), ...content]
}

export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]

export function module(...sections: number[][]): Uint8Array {
    return new Uint8Array([...HEADER, ...sections.flat()])
}

/** Type section with one type () -> (). */
export const TYPE_VOID = section(1, [0x01, 0x60, 0x00, 0x00])
/** Function section declaring one function of type 0. */
export const FUNC_ONE = section(3, [0x01, 0x00])

/** Code section with one body: given locals groups bytes and instruction bytes (end appended). */
export function codeOne(instrs: number[], locals: number[] = [0x00]): number[] {
    const body = [...locals, ...instrs, 0x0b]
    return section(10, [0x01, ...uleb(body.length), ...body])
}

/** A module with one () -> () function whose body is `instrs`, plus extra sections placed before code. */
export function funcModule(instrs: number[], extra: number[][] = []): Uint8Array {
    return module(TYPE_VOID, FUNC_ONE, ...extra, codeOne(instrs))
}

export function catchError(f: () => unknown): unknown {
    try {
        f()
    } catch (e) {
        return e
    }
    throw new Error("expected an exception")
}

export function decodeErrorOf(f: () => unknown): WasmDecodeError {
    const e = catchError(f)
    if (!(e instanceof WasmDecodeError)) throw new Error("expected WasmDecodeError, got " + e)
    return e
}

export function validationErrorOf(f: () => unknown): WasmValidationError {
    const e = catchError(f)
    if (!(e instanceof WasmValidationError)) throw new Error("expected WasmValidationError, got " + e)
    return e
}
