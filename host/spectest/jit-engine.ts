// The spec runner's engine for the JIT (host/jit): `wasmlet spectest --jit`.
// Values cross as slot bits (values.ts) and are converted by each function's signature.
// A JIT invocation cannot be interrupted, so the runner's wall-clock limit does not apply.

import { ValType } from "../../compiler/wasm-types"
import { compileJit, hostFunction, instantiateJit, JitExtern, JitInstance, JitModule } from "../jit/instance"
import { f32FromBits } from "../jit/float-bits"
import { JitGlobal } from "../jit/global"
import { JitMemory } from "../jit/memory"
import { fromBits, resultList, sigTypes, toBits } from "../jit/slots"
import { JitTable } from "../jit/table"
import { callWasm } from "../jit/traps"
import type { RunOptions, SpecEngine } from "./runner"

/** The `spectest` host module (as spectest-module.ts gives the interpreter), in JIT objects. */
function spectestModule(print?: (line: string) => void): Map<string, JitExtern> {
    const [I32, I64, F32, F64] = [ValType.I32, ValType.I64, ValType.F32, ValType.F64]
    const printer = (types: ValType[]) =>
        hostFunction(types, [], (...args: unknown[]) => {
            if (print) print(args.map((a, i) => `${a} : ${types[i] === I32 ? "i32" : types[i] === I64 ? "i64" : types[i] === F32 ? "f32" : "f64"}`).join(" "))
        })
    return new Map<string, JitExtern>([
        ["print", printer([])],
        ["print_i32", printer([I32])],
        ["print_i64", printer([I64])],
        ["print_f32", printer([F32])],
        ["print_f64", printer([F64])],
        ["print_i32_f32", printer([I32, F32])],
        ["print_f64_f64", printer([F64, F64])],
        ["global_i32", new JitGlobal(666, I32, false)],
        ["global_i64", new JitGlobal(666n, I64, false)],
        ["global_f32", new JitGlobal(f32FromBits(0x4426a666), F32, false)], // 666.6 as f32
        ["global_f64", new JitGlobal(666.6, F64, false)],
        ["table", new JitTable(10, 20, ValType.FuncRef)],
        ["memory", new JitMemory(1, 2)],
    ])
}

export class JitEngine implements SpecEngine<JitModule, JitInstance> {
    private readonly spectest: Map<string, JitExtern>
    private readonly registered = new Map<string, JitInstance>()

    constructor(opts: RunOptions = {}) {
        this.spectest = spectestModule(opts.print)
    }

    compile(wasm: Uint8Array): JitModule {
        return compileJit(wasm)
    }

    instantiate(mod: JitModule): JitInstance {
        return instantiateJit(mod, (module, name) => (module === "spectest" ? this.spectest.get(name) : this.registered.get(module)?.exports.get(name)))
    }

    register(name: string, inst: JitInstance): void {
        this.registered.set(name, inst)
    }

    invoke(inst: JitInstance, field: string, args: bigint[]): bigint[] {
        const f = inst.func(field)
        if (f === undefined) throw new Error(`no exported function "${field}"`)
        const { params, results } = sigTypes(f.sig)
        // An array that has held null keeps generic elements: V8 quietens signalling NaNs it
        // stores into an array of doubles.
        const values: unknown[] = [null]
        values.pop()
        for (let i = 0; i < args.length; i++) values.push(fromBits(params[i], args[i]))
        const r = callWasm(f, values)
        return resultList(r, results.length).map((v, i) => toBits(results[i], v))
    }

    get(inst: JitInstance, field: string): bigint {
        const g = inst.exports.get(field)
        if (!(g instanceof JitGlobal)) throw new Error(`no exported global "${field}"`)
        return toBits(g.type, g.value)
    }

    dispose(): void {}
}
