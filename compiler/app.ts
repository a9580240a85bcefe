// compileApp: a .wasm app -> the device image the app framework (framework/) runs, with what the
// host knows about it: its kind, its memory and the stacks a call into it needs.
//
//   wamr   imports anything from `env` (a WAMR app-framework app, ../shared/wamr-app-abi.md):
//          its own memory becomes the import env.memory (import-memory.ts), so that the runtime's
//          libc can be instantiated on the same memory; its other imports must be functions
//   wasi   imports from wasi_snapshot_preview1 only (functions): its own memory becomes env.memory
//          too, shared with the runtime's WASI adapter (sdk/wasi), which provides those functions
//   plain  no imports, or imports from other modules only
//
// Refused with AppCompileError: what the framework cannot link (more than one memory, a memory
// import other than env.memory, a WAMR app importing tables or globals, a WASI module importing
// its memory or anything but functions).

import { loadModule } from "./load-module"
import { writeImage, ImageStats } from "./emit/image-writer"
import { importOwnMemory } from "./import-memory"
import { ImportCost, ImportCostFn, StackBound, StackNeed } from "./stack-bound"
import type { FuncType, WasmModule } from "./wasm-types"

export type AppKind = "wamr" | "wasi" | "plain"

export const WASI_MODULE = "wasi_snapshot_preview1"

/**
 * The framework's natives in `env` (ABI §2.1–2.3 and the libc-builtin functions the framework
 * implements itself, framework/README.md): host functions, which run on the caller's frame.
 * Every other `env` function comes from the libc, another Wasm instance.
 */
export const WAMR_NATIVES: ReadonlySet<string> = new Set([
    "wasm_register_resource",
    "wasm_post_request",
    "wasm_response_send",
    "wasm_sub_event",
    "wasm_create_timer",
    "wasm_timer_restart",
    "wasm_timer_cancel",
    "wasm_timer_destroy",
    "wasm_get_sys_tick_ms",
    "wasm_sensor_open",
    "wasm_sensor_config",
    "wasm_sensor_config_with_attr_container",
    "wasm_sensor_close",
    "wasm_open_connection",
    "wasm_close_connection",
    "wasm_send_on_connection",
    "wasm_config_connection",
    "exit",
    "abort",
    "clock",
    "clock_gettime",
])

export class AppCompileError extends Error {
    constructor(message: string) {
        super("cannot run this app: " + message)
        this.name = "AppCompileError"
    }
}

export interface CompileAppOptions {
    /**
     * What calling an imported function costs the caller's stacks, for the stack bound.
     * A StackNeed: every `env` function that is not a framework native (i.e. the libc's) costs at
     * most that (the libc's own bound, `compileApp(libc).stack`). A function: decides per import.
     * Default: natives and WASI functions are host functions, anything else is unknown.
     */
    importCost?: StackNeed | ImportCostFn
    /** What a call into the WASI adapter costs (its own bound); default: unknown. */
    wasiCost?: StackNeed
    /** Filled with the compiler's per-function figures. */
    stats?: ImageStats
}

export interface CompiledApp {
    image: Uint8Array
    kind: AppKind
    /** The stacks a call from the host needs (the image header holds stackBytes/callDepth). */
    stack: StackBound
    /** It imports from wasi_snapshot_preview1 (the runtime links the WASI adapter). */
    usesWasi: boolean
    /** The app's memory as compiled (imported: it is env.memory), or null without one. */
    memory: { min: number; max?: number; imported: boolean } | null
}

function kindOf(m: WasmModule): AppKind {
    if (m.imports.some(im => im.module === "env")) return "wamr"
    if (m.imports.length > 0 && m.imports.every(im => im.module === WASI_MODULE)) return "wasi"
    return "plain"
}

function importName(im: { module: string; name: string }): string {
    return `${im.module}.${im.name}`
}

/** Refuses what the framework cannot link for an app of this kind. */
function check(m: WasmModule, kind: AppKind): void {
    const memImports = m.imports.filter(im => im.desc.kind === "memory")
    const memories = memImports.length + m.memories.length
    if (memories > 1) throw new AppCompileError(`it has ${memories} memories; the framework gives an app one`)
    if (kind === "wamr") {
        for (const im of m.imports) {
            if (im.desc.kind === "memory") {
                if (im.module !== "env" || im.name !== "memory") throw new AppCompileError(`a WAMR app's memory can only be env.memory, not ${importName(im)}`)
            } else if (im.desc.kind !== "func") throw new AppCompileError(`a WAMR app can import functions and env.memory only, not the ${im.desc.kind} ${importName(im)}`)
        }
    } else if (kind === "wasi") {
        for (const im of m.imports) {
            if (im.desc.kind === "memory") throw new AppCompileError(`a WASI module keeps its own memory; it imports ${importName(im)}`)
            if (im.desc.kind !== "func") throw new AppCompileError(`${WASI_MODULE} provides functions only, not the ${im.desc.kind} ${importName(im)}`)
        }
    }
}

function costFunction(opt: StackNeed | ImportCostFn | undefined, wasi: StackNeed | undefined): ImportCostFn {
    if (typeof opt === "function") return opt
    return (module: string, name: string, _type: FuncType): ImportCost => {
        if (module === WASI_MODULE) return wasi ?? "unknown"
        // the runtime's own natives for its support modules (console, arguments, exit)
        if (module === "wasmlet") return "host"
        if (module === "env") return WAMR_NATIVES.has(name) ? "host" : opt ?? "unknown"
        return "unknown"
    }
}

/** Decodes, validates, checks and compiles an app. Throws WasmDecodeError, WasmValidationError or AppCompileError. */
export function compileApp(wasm: Uint8Array, opts: CompileAppOptions = {}): CompiledApp {
    let m = loadModule(wasm)
    const kind = kindOf(m)
    check(m, kind)
    if (kind !== "plain" && m.memories.length === 1) m = importOwnMemory(m)
    const stats: ImageStats = opts.stats ?? { codeBytes: 0, functions: [] }
    const image = writeImage(m, stats, costFunction(opts.importCost, opts.wasiCost))
    const memImport = m.imports.find(im => im.desc.kind === "memory")
    const limits = memImport ? (memImport.desc as { limits: { min: number; max?: number } }).limits : m.memories[0]
    const memory = limits ? { min: limits.min, ...(limits.max !== undefined ? { max: limits.max } : {}), imported: memImport !== undefined } : null
    return { image, kind, stack: stats.stack!, memory, usesWasi: m.imports.some(im => im.module === WASI_MODULE) }
}
