// Runs one wast2json script (a .json with its .wasm files beside it) on a Node-hosted engine: the
// interpreter (InterpreterEngine) unless another SpecEngine is given (the JIT: jit-engine.ts).
//
// Every command counts once: passed, failed or skipped. Text modules (module_type "text":
// `module quote` in assert_malformed/assert_invalid) are skipped, the engine reads binaries only.
// Messages: traps (assert_trap, assert_exhaustion, assert_uninstantiable) and link errors
// (assert_unlinkable) must start with the script's text, as the reference interpreter checks.
// For assert_invalid/assert_malformed the error class decides (validation vs decoding); a
// differing reason text is recorded as a note, not a failure (wording is not part of the spec).

import "../../interpreter/platform/node-core"
import { readFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { compileToImage, FunctionTooLargeError, WasmDecodeError, WasmValidationError } from "../../compiler/index"
import {
    Execution,
    ExternKind,
    FuncRef,
    GlobalCell,
    HostFunc,
    Instance,
    LinkError,
    loadImage,
    Memory,
    RunState,
    run,
    startCall,
    Table,
    Trap,
    createInstance,
    instances,
} from "../../interpreter/index"
import type { Extern } from "../../interpreter/index"
import { createSpectestModule, SpectestModule } from "./spectest-module"
import { argBits, JsonValue, matches, showExpected, showRaw } from "./values"

export interface Action {
    type: "invoke" | "get"
    module?: string
    field: string
    args?: JsonValue[]
}

export interface Command {
    type: string
    line: number
    filename?: string
    name?: string
    as?: string
    text?: string
    module_type?: string
    action?: Action
    expected?: JsonValue[]
}

export interface Script {
    source_filename?: string
    commands: Command[]
}

export interface FileResult {
    name: string
    passed: number
    failed: number
    skipped: number
    /** "line N: what went wrong" for each failed command. */
    failures: string[]
    /** Passed commands with a remark (e.g. a validation reason worded differently). */
    notes: string[]
}

export interface RunOptions {
    /** Wall-clock limit for one invocation (ms); a Wasm loop that runs longer fails the command. */
    timeoutMs?: number
    /** Receives the spectest module's print output. */
    print?: (line: string) => void
    /** Value-stack bytes and call depth of the execution that runs invocations. */
    stackBytes?: number
    maxDepth?: number
}

/** What an invocation or instantiation did. */
interface Outcome {
    ok: boolean
    values?: bigint[]
    error?: unknown
}

class Timeout extends Error {}

/** Fuel per run() slice; the wall clock is checked between slices. */
const SLICE_FUEL = 5_000_000

function describe(e: unknown): string {
    if (e instanceof Trap) return `trap "${e.message}"`
    if (e instanceof LinkError) return `link error "${e.message}"`
    if (e instanceof WasmDecodeError) return `decode error "${e.message}"`
    if (e instanceof WasmValidationError) return `validation error "${e.message}"`
    if (e instanceof FunctionTooLargeError) return `function too large "${e.message}"`
    if (e instanceof Timeout) return `timeout (${e.message})`
    if (e instanceof Error) return `${e.name} "${e.message}"`
    return String(e)
}

/**
 * What the script runner needs of an engine (the interpreter here, the JIT in jit-engine.ts).
 * Values travel as raw slot bits (values.ts). Errors are thrown: WasmDecodeError /
 * WasmValidationError from compile, LinkError / Trap from instantiate, Trap from invoke.
 */
export interface SpecEngine<M = unknown, I = unknown> {
    compile(wasm: Uint8Array): M
    /** Links against the spectest module and the registered instances, runs the start function. */
    instantiate(mod: M): I
    register(name: string, inst: I): void
    /** Calls an exported function; its results' bits. */
    invoke(inst: I, field: string, args: bigint[]): bigint[]
    /** An exported global's bits. */
    get(inst: I, field: string): bigint
    /** Forgets what this script created. */
    dispose(): void
}

/** The interpreter: modules compiled to images, invocations run in fuel slices with a wall-clock limit. */
export class InterpreterEngine implements SpecEngine<Uint8Array, Instance> {
    private readonly ex: Execution
    private readonly spectest: SpectestModule
    private readonly registered = new Map<string, Instance>()
    private readonly created: Instance[] = []

    constructor(private readonly opts: RunOptions = {}) {
        this.ex = new Execution(opts.stackBytes ?? 1 << 20, opts.maxDepth ?? 10000)
        this.spectest = createSpectestModule(opts.print)
    }

    private resolve = (module: string, name: string, kind: number): Extern => {
        if (module === "spectest") return this.spectest.get(name, kind)
        const inst = this.registered.get(module)
        if (inst === undefined) return null
        const e = inst.getExport(name)
        if (e === null || e === undefined) return null
        // An export of another kind under that name: let the linker reject it as incompatible.
        void kindName
        return e
    }

    compile(wasm: Uint8Array): Uint8Array {
        return compileToImage(wasm)
    }

    /** Loads and instantiates a compiled image (start function included). */
    instantiate(image: Uint8Array): Instance {
        const before = instances.length
        try {
            const mod = loadImage(Buffer.from(image))
            const inst = createInstance(mod, this.resolve, null)
            if (mod.start >= 0) this.callFunction(inst, mod.start, [])
            return inst
        } finally {
            // createInstance registers the instance (its function handles) before it applies
            // segments, so a failed instantiation leaves one behind too: remember them all.
            for (let i = before; i < instances.length; i++) this.created.push(instances[i])
        }
    }

    register(name: string, inst: Instance): void {
        this.registered.set(name, inst)
    }

    invoke(inst: Instance, field: string, args: bigint[]): bigint[] {
        const f = inst.module.findExport(field, ExternKind.FUNC)
        if (f < 0) throw new Error(`no exported function "${field}"`)
        return this.callFunction(inst, f, args)
    }

    get(inst: Instance, field: string): bigint {
        const g = inst.getExport(field)
        if (!(g instanceof GlobalCell)) throw new Error(`no exported global "${field}"`)
        return g.buf.readBigUInt64LE(g.off)
    }

    private callFunction(inst: Instance, f: number, args: bigint[]): bigint[] {
        const ex = this.ex
        const S = ex.stack
        for (let i = 0; i < args.length; i++) S.writeBigUInt64LE(args[i], i * 8)
        const t = inst.module.funcType(f)
        const sig = inst.module.sig(t)
        const nresults = inst.module.image[sig + 1]
        const deadline = Date.now() + (this.opts.timeoutMs ?? 30_000)
        startCall(ex, inst, f)
        while (run(ex, SLICE_FUEL) === RunState.SUSPENDED) {
            if (Date.now() > deadline) {
                ex.state = RunState.IDLE
                ex.depth = 0
                throw new Timeout(`more than ${this.opts.timeoutMs ?? 30_000} ms`)
            }
        }
        const values: bigint[] = []
        for (let i = 0; i < nresults; i++) values.push(S.readBigUInt64LE(i * 8))
        return values
    }

    /** Forgets this script's instances (their function handles), so files do not pile up. */
    dispose(): void {
        for (const inst of this.created) inst.dispose()
    }
}

function kindName(kind: number): string {
    return kind === ExternKind.FUNC ? "func" : kind === ExternKind.TABLE ? "table" : kind === ExternKind.MEMORY ? "memory" : "global"
}

/** Runs the commands of one script on an engine, counting each. */
export class ScriptRunner<I = unknown> {
    readonly result: FileResult
    private readonly dir: string
    private current: I = null
    private readonly named = new Map<string, I>()

    constructor(jsonPath: string, private readonly engine: SpecEngine<unknown, I>) {
        this.dir = dirname(jsonPath)
        this.result = { name: basename(jsonPath, ".json"), passed: 0, failed: 0, skipped: 0, failures: [], notes: [] }
    }

    private pass(): void {
        this.result.passed++
    }
    private fail(cmd: Command, why: string): void {
        this.result.failed++
        this.result.failures.push(`line ${cmd.line}: ${cmd.type}${cmd.action ? " " + showAction(cmd.action) : cmd.filename ? " " + cmd.filename : ""}: ${why}`)
    }
    private skip(): void {
        this.result.skipped++
    }
    private note(cmd: Command, what: string): void {
        this.result.notes.push(`line ${cmd.line}: ${cmd.type} ${cmd.filename ?? ""}: ${what}`)
    }

    private compile(filename: string): { module?: unknown; error?: unknown } {
        try {
            return { module: this.engine.compile(new Uint8Array(readFileSync(join(this.dir, filename)))) }
        } catch (e) {
            return { error: e }
        }
    }

    private instantiate(mod: unknown): { inst?: I; error?: unknown } {
        try {
            return { inst: this.engine.instantiate(mod) }
        } catch (e) {
            return { error: e }
        }
    }

    private target(action: Action): I {
        if (action.module !== undefined) {
            const inst = this.named.get(action.module)
            if (inst === undefined) throw new Error(`unknown module ${action.module}`)
            return inst
        }
        if (this.current === null) throw new Error("no current module")
        return this.current
    }

    private perform(action: Action): Outcome {
        try {
            const inst = this.target(action)
            if (action.type === "get") return { ok: true, values: [this.engine.get(inst, action.field)] }
            return { ok: true, values: this.engine.invoke(inst, action.field, (action.args ?? []).map(argBits)) }
        } catch (e) {
            return { ok: false, error: e }
        }
    }

    /** Runs one command and counts it. */
    command(cmd: Command): void {
        switch (cmd.type) {
            case "module": {
                if (cmd.module_type === "text") return this.skip()
                const c = this.compile(cmd.filename)
                if (c.error !== undefined) {
                    this.current = null
                    return this.fail(cmd, `valid module rejected: ${describe(c.error)}`)
                }
                const r = this.instantiate(c.module)
                if (r.error !== undefined) {
                    this.current = null
                    return this.fail(cmd, `instantiation failed: ${describe(r.error)}`)
                }
                this.current = r.inst
                if (cmd.name !== undefined) this.named.set(cmd.name, r.inst)
                return this.pass()
            }
            case "register": {
                const inst = cmd.name !== undefined ? this.named.get(cmd.name) : this.current
                if (inst === undefined || inst === null) return this.fail(cmd, `no module ${cmd.name ?? "(current)"} to register`)
                this.engine.register(cmd.as, inst)
                return this.pass()
            }
            case "action": {
                const r = this.perform(cmd.action)
                return r.ok ? this.pass() : this.fail(cmd, describe(r.error))
            }
            case "assert_return": {
                const r = this.perform(cmd.action)
                if (!r.ok) return this.fail(cmd, describe(r.error))
                const exp = cmd.expected ?? []
                if (r.values.length !== exp.length) return this.fail(cmd, `${r.values.length} results, expected ${exp.length}`)
                for (let i = 0; i < exp.length; i++) {
                    let ok: boolean
                    try {
                        ok = matches(exp[i], r.values[i])
                    } catch (e) {
                        return this.fail(cmd, describe(e))
                    }
                    if (!ok) {
                        const got = r.values.map((v, k) => showRaw(exp[k].type, v)).join(", ")
                        return this.fail(cmd, `got ${got}, expected ${exp.map(showExpected).join(", ")}`)
                    }
                }
                return this.pass()
            }
            case "assert_trap":
            case "assert_exhaustion": {
                const r = this.perform(cmd.action)
                if (r.ok) return this.fail(cmd, `returned ${r.values.map(v => "0x" + v.toString(16)).join(", ") || "nothing"}, expected trap "${cmd.text}"`)
                if (!(r.error instanceof Trap)) return this.fail(cmd, `${describe(r.error)}, expected trap "${cmd.text}"`)
                if (!r.error.message.startsWith(cmd.text)) return this.fail(cmd, `trap "${r.error.message}", expected "${cmd.text}"`)
                return this.pass()
            }
            case "assert_invalid":
            case "assert_malformed": {
                if (cmd.module_type === "text") return this.skip()
                const want = cmd.type === "assert_invalid" ? WasmValidationError : WasmDecodeError
                const c = this.compile(cmd.filename)
                if (c.error === undefined) return this.fail(cmd, `module accepted, expected "${cmd.text}"`)
                if (!(c.error instanceof want)) return this.fail(cmd, `${describe(c.error)}, expected "${cmd.text}"`)
                const reason = (c.error as WasmDecodeError | WasmValidationError).reason
                if (cmd.text && !reason.startsWith(cmd.text)) this.note(cmd, `reason "${reason}", script says "${cmd.text}"`)
                return this.pass()
            }
            case "assert_unlinkable":
            case "assert_uninstantiable": {
                if (cmd.module_type === "text") return this.skip()
                const c = this.compile(cmd.filename)
                if (c.error !== undefined) return this.fail(cmd, `valid module rejected: ${describe(c.error)}`)
                const r = this.instantiate(c.module)
                if (r.error === undefined) return this.fail(cmd, `instantiated, expected "${cmd.text}"`)
                const want = cmd.type === "assert_unlinkable" ? LinkError : Trap
                if (!(r.error instanceof want)) return this.fail(cmd, `${describe(r.error)}, expected "${cmd.text}"`)
                if (cmd.text && !(r.error as Error).message.startsWith(cmd.text)) return this.fail(cmd, `${describe(r.error)}, expected "${cmd.text}"`)
                return this.pass()
            }
            default:
                return this.fail(cmd, `unknown command type ${cmd.type}`)
        }
    }
}

export function showAction(a: Action): string {
    const args = (a.args ?? []).map(showExpected).join(", ")
    return a.type === "get" ? `get ${a.module ? a.module + "." : ""}${a.field}` : `${a.module ? a.module + "." : ""}${a.field}(${args})`
}

/** Runs every command of one wast2json script, on the interpreter unless another engine is given. */
export function runScript(jsonPath: string, opts: RunOptions = {}, engine: SpecEngine = new InterpreterEngine(opts)): FileResult {
    const script = JSON.parse(readFileSync(jsonPath, "utf8")) as Script
    const runner = new ScriptRunner(jsonPath, engine)
    try {
        for (const cmd of script.commands) {
            try {
                runner.command(cmd)
            } catch (e) {
                // A bug in the runner or an engine error escaping the trap boundary.
                runner.result.failed++
                runner.result.failures.push(`line ${cmd.line}: ${cmd.type}: internal error ${describe(e)}`)
            }
        }
    } finally {
        engine.dispose()
    }
    return runner.result
}

// Re-exported for the simulator path and tests.
export { FuncRef, HostFunc, Memory, Table }
