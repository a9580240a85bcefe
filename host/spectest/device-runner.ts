// The device half of `wasmlet spectest --sim`: runs the planned steps of one spec script on the
// engine inside DeviceScript. It must stay DeviceScript-compatible (no bigint, no Node API).
//
// The host (sim.ts) compiles the modules and decides assert_invalid/assert_malformed itself (the
// compiler runs on the host only); what needs the interpreter is sent here as
//   images:  compiled device images
//   strs:    the script's strings (module names, export names, trap texts)
//   chunks:  a byte program in pieces (a literal must stay small), little endian, one record per command:
//     MODULE      op u32:line u16:image u16:name(str or 0xffff)   (image 0xffff: no module, not counted)
//     REGISTER    op u32:line u16:name(str or 0xffff) u16:as(str)
//     INVOKE      op u32:line u16:module u16:field u8:nargs nargs*(u8 size, size bytes)
//                 u8:nexp nexp*(u8 kind, 4 bytes for EXACT32, 8 for EXACT64, else none)
//                 (nexp 0xff: an `action`, results not checked)
//     TRAP        like INVOKE with nexp 0, then u16:text   (assert_trap, assert_exhaustion)
//     GET         op u32:line u16:module u16:field u8:nexp(1) (u8 kind, bytes)
//     MODULE_AGAIN, REGISTER_AGAIN   like MODULE, REGISTER: redo state at the start of a program
//                 that continues a split script (counted only when they fail)
//     UNLINKABLE / UNINSTANTIABLE   op u32:line u16:image u16:text
// Each failure prints "spec> FAIL line N: ..." and the end "spec> done P F".

import {
    InstantiateJob,
    defaultAccount,
    setDefaultArenaBytes,
    Execution,
    ExternKind,
    GlobalCell,
    HostFunc,
    Instance,
    instances,
    LinkError,
    loadImageAsync,
    Memory,
    RunState,
    run,
    startCall,
    Table,
    Trap,
} from "../../interpreter/index"
import type { Extern } from "../../interpreter/index"
import { yieldSlice } from "../../interpreter/platform/index"

export const enum Step {
    MODULE = 1,
    REGISTER = 2,
    INVOKE = 3,
    TRAP = 4,
    GET = 5,
    UNLINKABLE = 6,
    UNINSTANTIABLE = 7,
    /** MODULE again at the start of a program that continues a script (counted only if it fails). */
    MODULE_AGAIN = 8,
    /** REGISTER again at the start of a program that continues a script (not counted). */
    REGISTER_AGAIN = 9,
}

/** How an expected value is compared with a result slot. */
export const enum Expect {
    EXACT32 = 0,
    EXACT64 = 1,
    F32_CANONICAL = 2,
    F32_ARITHMETIC = 3,
    F64_CANONICAL = 4,
    F64_ARITHMETIC = 5,
    NON_NULL = 6,
}

export const NONE = 0xffff
export const ANY_RESULTS = 0xff

/**
 * Fuel per slice, a third of the engine's DEVICE_SLICE_FUEL (1500): the spec scripts are full of
 * i64-heavy loops (fac.wast), whose ops cost many VM steps for a few bytes of fuel, and the
 * runner's own work shares the slice. 500 keeps the spec run about semantics, not slice sizing.
 */
const SLICE_FUEL = 500

class SpecModule {
    names: string[] = []
    values: Extern[] = []
    get(name: string): Extern {
        for (let i = 0; i < this.names.length; i++) if (this.names[i] === name) return this.values[i]
        return null
    }
    add(name: string, v: Extern): void {
        this.names.push(name)
        this.values.push(v)
    }
}

function spectestModule(): SpecModule {
    const m = new SpecModule()
    const g = Buffer.alloc(32)
    g.setAt(0, "i32", 666)
    g.setAt(8, "i32", 666)
    g.setAt(16, "i32", 0x4426a666) // 666.6f
    g.setAt(24, "i32", 0xcccccccd | 0) // 666.6 (low word)
    g.setAt(28, "i32", 0x4084d4cc)
    const nop = (S: Buffer, at: number, caller: Instance) => {}
    m.add("print", new HostFunc("", "", nop))
    m.add("print_i32", new HostFunc("i", "", nop))
    m.add("print_i64", new HostFunc("I", "", nop))
    m.add("print_f32", new HostFunc("f", "", nop))
    m.add("print_f64", new HostFunc("F", "", nop))
    m.add("print_i32_f32", new HostFunc("if", "", nop))
    m.add("print_f64_f64", new HostFunc("FF", "", nop))
    m.add("global_i32", new GlobalCell(g, 0, 0x7f, false))
    m.add("global_i64", new GlobalCell(g, 8, 0x7e, false))
    m.add("global_f32", new GlobalCell(g, 16, 0x7d, false))
    m.add("global_f64", new GlobalCell(g, 24, 0x7c, false))
    m.add("table", new Table(10, 20, 0x70, defaultAccount()))
    const mem = new Memory(1, 2, defaultAccount())
    mem.declaredMax = 2
    m.add("memory", mem)
    return m
}

function hex8(v: number): string {
    let s = ""
    for (let k = 28; k >= 0; k -= 4) s += "0123456789abcdef"[(v >>> k) & 15]
    return s
}

/** Compares a result slot (lo, hi words) with an expectation. */
function matches(kind: number, lo: number, hi: number, elo: number, ehi: number): boolean {
    if (kind === Expect.EXACT32) return lo === elo
    if (kind === Expect.EXACT64) return lo === elo && hi === ehi
    if (kind === Expect.F32_CANONICAL) return (lo & 0x7fffffff) === 0x7fc00000
    if (kind === Expect.F32_ARITHMETIC) return (lo & 0x7fc00000) === 0x7fc00000
    if (kind === Expect.F64_CANONICAL) return lo === 0 && (hi & 0x7fffffff) === 0x7ff80000
    if (kind === Expect.F64_ARITHMETIC) return (hi & 0x7ff80000) === 0x7ff80000
    return lo !== 0
}

/** The script's strings, sent as [u16 length][UTF-8] records (any name survives the trip). */
export function decodeStrs(buf: Buffer): string[] {
    const out: string[] = []
    let p = 0
    while (p < buf.length) {
        const n = buf.getAt(p, "u16")
        out.push(buf.slice(p + 2, p + 2 + n).toString())
        p += 2 + n
    }
    return out
}

function forgetFailed(before: number): void {
    for (let i = instances.length - 1; i >= before; i--) {
        const x = instances[i]
        if (x.module.importedTables === 0) x.dispose()
    }
}

/** Runs the step chunks in order (one module state across them; no record straddles two). */
/**
 * String `idx` of the encoded table as raw UTF-8 bytes (DeviceScript strings cannot hold
 * U+FFFE/U+FFFF). Found by scanning, so no second copy of the table stays on the heap.
 */
export function strBytes(buf: Buffer, idx: number): Buffer {
    let p = 0
    for (let i = 0; i < idx; i++) p += 2 + buf.getAt(p, "u16")
    return buf.slice(p + 2, p + 2 + buf.getAt(p, "u16"))
}

export async function runSpecSteps(images: Buffer[], strs: string[], chunks: Buffer[], strsBuf?: Buffer): Promise<void> {
    // Heap budget (DeviceScript: ~62 KB for everything): a 16 KB arena and an 8 KB value stack
    // leave room for the instances a script keeps alive (linking.wast keeps ten).
    setDefaultArenaBytes(16 * 1024)
    const spectest = spectestModule()
    const regNames: string[] = []
    const regInsts: Instance[] = []
    const namedNames: string[] = []
    const namedInsts: Instance[] = []
    let current: Instance = null
    // call.wast recurses 200+ deep (even/odd), so 300 frames
    const ex = new Execution(8192, 300)
    let passed = 0
    let failed = 0
    let line = 0
    const expKind: number[] = []
    const expLo: number[] = []
    const expHi: number[] = []

    const fail = (why: string) => {
        failed++
        console.log("spec> FAIL line " + line + ": " + why)
    }
    const resolve = (module: string, name: string, kind: number): Extern => {
        if (module === "spectest") return spectest.get(name)
        for (let i = 0; i < regNames.length; i++) if (regNames[i] === module) return regInsts[i].getExport(name)
        return null
    }
    const named = (s: number): Instance => {
        if (s === NONE) return current
        for (let i = 0; i < namedNames.length; i++) if (namedNames[i] === strs[s]) return namedInsts[i]
        return null
    }
    /** Runs f to the end in slices; returns "" or the error's message (prefixed by its kind). */
    const call = async (inst: Instance, f: number): Promise<string> => {
        try {
            startCall(ex, inst, f)
            while (run(ex, SLICE_FUEL) === RunState.SUSPENDED) await yieldSlice()
            return ""
        } catch (e) {
            if (e instanceof Trap) return "trap:" + (e as Error).message
            return "error:" + (e as Error).message
        }
    }
    const instantiate = async (img: Buffer): Promise<Instance | string> => {
        let inst: Instance
        const before = instances.length
        try {
            const mod = await loadImageAsync(img)
            const job = new InstantiateJob(mod, resolve, null)
            while (!job.step()) await yieldSlice()
            inst = job.inst
        } catch (e) {
            // An instance whose segments trapped stays registered only when it imports a table
            // (segments it applied there may refer to its functions, as the spec requires).
            forgetFailed(before)
            if (e instanceof LinkError) return "link:" + (e as Error).message
            if (e instanceof Trap) return "trap:" + (e as Error).message
            return "error:" + (e as Error).message
        }
        if (inst.module.start >= 0) {
            const r = await call(inst, inst.module.start)
            if (r !== "") {
                forgetFailed(before)
                return r
            }
        }
        return inst
    }

    for (let ci = 0; ci < chunks.length; ci++) {
        const steps = chunks[ci]
        let pc = 0
        while (pc < steps.length) {
            // a fresh scheduler slice for every command (DeviceScript's step limit)
            await yieldSlice()
            const op = steps[pc]
            line = steps.getAt(pc + 1, "u32")
            pc += 5
            if (op === Step.MODULE || op === Step.MODULE_AGAIN) {
                const img = steps.getAt(pc, "u16")
                const name = steps.getAt(pc + 2, "u16")
                pc += 4
                if (img === NONE) {
                    // the host could not compile it (and counted that): forget the current module
                    if (current !== null && namedInsts.indexOf(current) < 0 && regInsts.indexOf(current) < 0) current.dispose()
                    current = null
                    continue
                }
                const r = await instantiate(images[img])
                if (typeof r === "string") {
                    current = null
                    fail("instantiation failed: " + r)
                    continue
                }
                // An unnamed, unregistered module is unreachable once replaced: free it (the device
                // heap cannot hold every module of a script).
                if (current !== null && namedInsts.indexOf(current) < 0 && regInsts.indexOf(current) < 0) current.dispose()
                current = r as Instance
                if (name !== NONE) {
                    namedNames.push(strs[name])
                    namedInsts.push(current)
                }
                if (op === Step.MODULE) passed++
            } else if (op === Step.REGISTER || op === Step.REGISTER_AGAIN) {
                const inst = named(steps.getAt(pc, "u16"))
                const as = strs[steps.getAt(pc + 2, "u16")]
                pc += 4
                if (inst === null) {
                    fail("no module to register as " + as)
                    continue
                }
                regNames.push(as)
                regInsts.push(inst)
                if (op === Step.REGISTER) passed++
            } else if (op === Step.UNLINKABLE || op === Step.UNINSTANTIABLE) {
                const img = steps.getAt(pc, "u16")
                const text = strs[steps.getAt(pc + 2, "u16")]
                pc += 4
                const r = await instantiate(images[img])
                const want = (op === Step.UNLINKABLE ? "link:" : "trap:") + text
                if (typeof r !== "string") fail("instantiated, expected " + want)
                else if ((r as string).indexOf(want) !== 0) fail((r as string) + ", expected " + want)
                else passed++
            } else {
                // INVOKE, TRAP, GET
                const inst = named(steps.getAt(pc, "u16"))
                const field = strs[steps.getAt(pc + 2, "u16")]
                // export lookups by bytes when we have them (names.wast has U+FFFF in names)
                const fieldName: string | Buffer = strsBuf ? strBytes(strsBuf, steps.getAt(pc + 2, "u16")) : field
                pc += 4
                // arguments go straight to the value stack: u8 size (4 or 8), then the bytes
                const nargs = op === Step.GET ? 0 : steps[pc++]
                for (let k = 0; k < nargs; k++) {
                    const size = steps[pc]
                    ex.stack.setAt(k * 8, "i32", steps.getAt(pc + 1, "i32"))
                    ex.stack.setAt(k * 8 + 4, "i32", size === 8 ? steps.getAt(pc + 5, "i32") : 0)
                    pc += 1 + size
                }
                // expectations: u8 kind, then 4 bytes (EXACT32), 8 bytes (EXACT64) or none
                const nexp = steps[pc++]
                if (nexp !== ANY_RESULTS)
                    for (let k = 0; k < nexp; k++) {
                        const kind = steps[pc]
                        expKind[k] = kind
                        expLo[k] = kind === Expect.EXACT32 || kind === Expect.EXACT64 ? steps.getAt(pc + 1, "i32") : 0
                        expHi[k] = kind === Expect.EXACT64 ? steps.getAt(pc + 5, "i32") : 0
                        pc += 1 + (kind === Expect.EXACT32 ? 4 : kind === Expect.EXACT64 ? 8 : 0)
                    }
                let text = ""
                if (op === Step.TRAP) {
                    text = strs[steps.getAt(pc, "u16")]
                    pc += 2
                }
                if (inst === null) {
                    fail("no module for " + field)
                    continue
                }
                let nres = 0
                let S: Buffer
                let base = 0
                if (op === Step.GET) {
                    const g = inst.getExport(fieldName)
                    if (!(g instanceof GlobalCell)) {
                        fail("no exported global " + field)
                        continue
                    }
                    S = (g as GlobalCell).buf
                    base = (g as GlobalCell).off
                    nres = 1
                } else {
                    const f = inst.module.findExport(fieldName, ExternKind.FUNC)
                    if (f < 0) {
                        fail("no exported function " + field)
                        continue
                    }
                    const r = await call(inst, f)
                    if (op === Step.TRAP) {
                        if (r === "") fail(field + " returned, expected trap " + text)
                        else if (r.indexOf("trap:" + text) !== 0) fail(field + ": " + r + ", expected trap " + text)
                        else passed++
                        continue
                    }
                    if (r !== "") {
                        fail(field + ": " + r)
                        continue
                    }
                    S = ex.stack
                    nres = inst.module.image[inst.module.sig(inst.module.funcType(f)) + 1]
                }
                if (nexp === ANY_RESULTS) {
                    passed++
                    continue
                }
                if (nres !== nexp) {
                    fail(field + ": " + nres + " results, expected " + nexp)
                    continue
                }
                let ok = true
                let got = ""
                for (let k = 0; k < nexp; k++) {
                    const lo = S.getAt(base + k * 8, "i32")
                    const hi = S.getAt(base + k * 8 + 4, "i32")
                    got += " " + hex8(hi) + hex8(lo)
                    if (!matches(expKind[k], lo, hi, expLo[k], expHi[k])) ok = false
                }
                if (ok) passed++
                else fail(field + ": got" + got)
            }
        }
    }
    console.log("spec> done " + passed + " " + failed)
}
