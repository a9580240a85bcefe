// Test helpers: WAT -> image -> instance, and typed calls, on the Node build of the engine.
import "../../interpreter/platform/node-core"
import initWabt from "wabt"
import { compileToImage } from "../../compiler/index"
import { loadImage, instantiate, Execution, callSync, ExternKind, Instance } from "../../interpreter/index"
import type { ImportResolver } from "../../interpreter/index"

let wabtPromise: ReturnType<typeof initWabt> | undefined

export async function watToWasm(src: string): Promise<Uint8Array> {
    wabtPromise ??= initWabt()
    const wabt = await wabtPromise
    const mod = wabt.parseWat("test.wat", src, { multi_value: true, bulk_memory: true, reference_types: true, sign_extension: true, sat_float_to_int: true, mutable_globals: true })
    try {
        return mod.toBinary({}).buffer
    } finally {
        mod.destroy()
    }
}

export async function instantiateWat(src: string, resolve: ImportResolver = null): Promise<Instance> {
    const image = compileToImage(await watToWasm(src))
    return instantiate(loadImage(Buffer.from(image)), resolve)
}

export type Arg = number | bigint | { f32: number } | { f64: number }

const ex = new Execution(1 << 20, 10000)

/** Calls an export. i32 args: number; i64: bigint; floats: {f32}/{f64}. Results: as typed by `results`. */
export function call(inst: Instance, name: string, args: Arg[] = [], results = "i"): (number | bigint)[] {
    const f = inst.module.findExport(name, ExternKind.FUNC)
    if (f < 0) throw new Error(`no export ${name}`)
    const S = ex.stack
    args.forEach((a, i) => {
        if (typeof a === "number") S.writeInt32LE(a | 0, i * 8)
        else if (typeof a === "bigint") S.writeBigInt64LE(BigInt.asIntN(64, a), i * 8)
        else if ("f32" in a) S.writeFloatLE(a.f32, i * 8)
        else S.writeDoubleLE(a.f64, i * 8)
    })
    callSync(ex, inst, f)
    return [...results].map((t, i) => {
        if (t === "i") return S.readInt32LE(i * 8)
        if (t === "I") return S.readBigInt64LE(i * 8)
        if (t === "f") return S.readFloatLE(i * 8)
        return S.readDoubleLE(i * 8)
    })
}

/** A small deterministic random generator: rnd(n) is in [0, n), the same sequence on every run. */
export function seededRandom(seed: number): (n: number) => number {
    let s = seed >>> 0
    return (n: number) => {
        s = (Math.imul(s, 1103515245) + 12345) >>> 0
        return s % n
    }
}
