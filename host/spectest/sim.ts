// `wasmlet spectest --sim`: the same scripts on the engine inside the DeviceScript simulator.
//
// Per script file the host compiles every module (the compiler is host-only, so assert_invalid
// and assert_malformed are decided here, exactly as on Node), encodes the rest as steps for
// device-runner.ts (see its header for the format), writes a DeviceScript test program with the
// images, strings and steps as literals into a throw-away build folder, and runs it with
// `devs run PROGRAM --test --test-self-exit`. The device prints "spec> FAIL ..." lines and
// "spec> done P F"; the host adds its own counts.

import "../../interpreter/platform/node-core"
import { readFileSync, statSync, writeFileSync } from "node:fs"
import { basename, dirname, join } from "node:path"
import { compileToImage, WasmDecodeError, WasmValidationError } from "../../compiler/index"
import { loadModule } from "../../compiler/load-module"
import { devs, makeBuildDir, stripAnsi } from "../../scripts/lib/devs"
import { ANY_RESULTS, Expect, NONE, Step } from "./device-runner"
import type { Command, FileResult, Script } from "./runner"
import { argBits, JsonValue } from "./values"

class Bytes {
    private buf = Buffer.alloc(1 << 16)
    length = 0
    private room(n: number): void {
        if (this.length + n <= this.buf.length) return
        const b = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n))
        this.buf.copy(b, 0, 0, this.length)
        this.buf = b
    }
    u8(v: number): void {
        this.room(1)
        this.buf[this.length++] = v
    }
    u16(v: number): void {
        this.room(2)
        this.buf.writeUInt16LE(v, this.length)
        this.length += 2
    }
    u32(v: number): void {
        this.room(4)
        this.buf.writeUInt32LE(v >>> 0, this.length)
        this.length += 4
    }
    u64(v: bigint): void {
        this.room(8)
        this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.length)
        this.length += 8
    }
    bytes(): Buffer {
        return this.buf.subarray(0, this.length)
    }
    /** Offsets where records start (chunks are cut only there). */
    starts: number[] = []
    record(): void {
        this.starts.push(this.length)
    }
    /** The bytes in pieces of at most `max` bytes (or one record), cut at record starts. */
    chunks(max: number): Buffer[] {
        const out: Buffer[] = []
        let from = 0
        for (let i = 0; i < this.starts.length; i++) {
            const start = this.starts[i]
            const end = i + 1 < this.starts.length ? this.starts[i + 1] : this.length
            if (end - from > max && start > from) {
                out.push(Buffer.from(this.buf.subarray(from, start)))
                from = start
            }
        }
        if (this.length > from) out.push(Buffer.from(this.buf.subarray(from, this.length)))
        return out
    }
}

/** Largest step chunk (one hex literal) in a device program. */
const STEP_CHUNK = 16 * 1024
/** Images plus steps per device program, when a script can be split (see planPrograms). */
const PROGRAM_BUDGET = 48 * 1024

function expectation(v: JsonValue): { kind: number; bits: bigint } {
    const s = typeof v.value === "string" ? v.value : undefined
    switch (v.type) {
        case "i32":
            return { kind: Expect.EXACT32, bits: BigInt(s) }
        case "i64":
            return { kind: Expect.EXACT64, bits: BigInt(s) }
        case "f32":
            if (s === "nan:canonical") return { kind: Expect.F32_CANONICAL, bits: 0n }
            if (s === "nan:arithmetic") return { kind: Expect.F32_ARITHMETIC, bits: 0n }
            return { kind: Expect.EXACT32, bits: BigInt(s) }
        case "f64":
            if (s === "nan:canonical") return { kind: Expect.F64_CANONICAL, bits: 0n }
            if (s === "nan:arithmetic") return { kind: Expect.F64_ARITHMETIC, bits: 0n }
            return { kind: Expect.EXACT64, bits: BigInt(s) }
        case "externref":
            if (s === undefined) return { kind: Expect.NON_NULL, bits: 0n }
            return { kind: Expect.EXACT32, bits: s === "null" ? 0n : BigInt(s) + 1n }
        case "funcref":
            return s === "null" ? { kind: Expect.EXACT32, bits: 0n } : { kind: Expect.NON_NULL, bits: 0n }
        default:
            throw new Error(`unsupported value type ${v.type}`)
    }
}

/** Largest image sent to the device: DeviceScript allocates at most ~57 KB in one piece. */
export const MAX_DEVICE_IMAGE = 56 * 1024

export interface Plan {
    result: FileResult
    images: Buffer[]
    strs: string[]
    steps: Buffer[]
    /** Commands sent to the device. */
    deviceCommands: number
}

/** Compiles the modules of a script and encodes the commands the device must run (one program). */
export function planScript(jsonPath: string): Plan {
    const script = JSON.parse(readFileSync(jsonPath, "utf8")) as Script
    const result: FileResult = { name: basename(jsonPath, ".json"), passed: 0, failed: 0, skipped: 0, failures: [], notes: [] }
    return planCommands(dirname(jsonPath), script.commands, result)
}

/**
 * The device programs for a script: one, or when the script neither registers nor names modules
 * (so every command only sees the latest module), several, cut before `module` commands, each
 * within PROGRAM_BUDGET bytes of images and steps. All plans share one result (host counts).
 */
export function planPrograms(jsonPath: string): Plan[] {
    const script = JSON.parse(readFileSync(jsonPath, "utf8")) as Script
    const result: FileResult = { name: basename(jsonPath, ".json"), passed: 0, failed: 0, skipped: 0, failures: [], notes: [] }
    const dir = dirname(jsonPath)
    const cmds = script.commands
    // Commands later ones may depend on across a cut: named modules, registered modules and the
    // register commands. When all those modules are stateless, a continuation program starts by
    // doing them again (not counted), which recreates exactly the state the script had.
    const persistent = new Set<Command>()
    const byName = new Map<string, Command>()
    let lastModule: Command = null
    for (const c of cmds) {
        if (c.type === "module") {
            lastModule = c
            if (c.name !== undefined) {
                byName.set(c.name, c)
                persistent.add(c)
            }
        } else if (c.type === "register") {
            const m = c.name !== undefined ? byName.get(c.name) : lastModule
            if (m) persistent.add(m)
            persistent.add(c)
        }
    }
    const splittable = [...persistent].every(c => c.type !== "module" || (c.module_type !== "text" && stateless(join(dir, c.filename))))
    if (!splittable) return [planCommands(dir, cmds, result)]
    // groups: a module command and what follows it
    const groups: Command[][] = []
    for (const c of cmds) {
        if (c.type === "module" || groups.length === 0) groups.push([])
        groups[groups.length - 1].push(c)
    }
    const size = (g: Command[]) =>
        g.reduce((n, c) => n + 40 + (c.action?.args?.length ?? 0) * 8 + (c.expected?.length ?? 0) * 9 + (c.filename && c.module_type !== "text" ? fileSize(join(dir, c.filename)) * 2 : 0), 0)
    // A group whose module has no state (no imports, memory, table or mutable global) can be cut
    // anywhere: the next piece starts by instantiating the module again.
    const pieces: Command[][] = []
    for (const g of groups) {
        if (size(g) <= PROGRAM_BUDGET || g[0].type !== "module" || !stateless(join(dir, g[0].filename))) {
            pieces.push(g)
            continue
        }
        let piece: Command[] = [g[0]]
        let n = size(piece)
        for (const c of g.slice(1)) {
            const cs = size([c])
            if (n + cs > PROGRAM_BUDGET && piece.length > 1) {
                pieces.push(piece)
                piece = [{ ...g[0], again: true } as AgainCommand]
                n = size(piece)
            }
            piece.push(c)
            n += cs
        }
        pieces.push(piece)
    }
    const plans: Plan[] = []
    let batch: Command[] = []
    let batchSize = 0
    const done: Command[] = [] // persistent commands before the current piece
    for (const g of pieces) {
        const gs = size(g)
        if (batch.length > 0 && batchSize + gs > PROGRAM_BUDGET) {
            plans.push(planCommands(dir, batch, result))
            batch = done.map(c => ({ ...c, again: true }) as AgainCommand)
            batchSize = size(batch)
        }
        batch.push(...g)
        batchSize += gs
        for (const c of g) if (persistent.has(c)) done.push(c)
    }
    if (batch.length > 0) plans.push(planCommands(dir, batch, result))
    return plans
}

/** A module or register command done again at the start of a continuation program. */
interface AgainCommand extends Command {
    again: boolean
}

/** Does the module keep no state between calls (so instantiating it again changes nothing)? */
function stateless(path: string): boolean {
    try {
        const m = loadModule(new Uint8Array(readFileSync(path)))
        return m.imports.length === 0 && m.memories.length === 0 && m.tables.length === 0 && !m.globals.some(g => g.type.mutable)
    } catch {
        return false
    }
}

function fileSize(path: string): number {
    try {
        return statSync(path).size
    } catch {
        return 0
    }
}

function planCommands(dir: string, commands: Command[], result: FileResult): Plan {
    const images: Buffer[] = []
    const strs: string[] = []
    const strIndex = new Map<string, number>()
    const str = (s: string | undefined) => {
        if (s === undefined) return NONE
        let i = strIndex.get(s)
        if (i === undefined) {
            i = strs.length
            strs.push(s)
            strIndex.set(s, i)
        }
        return i
    }
    const out = new Bytes()
    let deviceCommands = 0
    const fail = (cmd: Command, why: string) => {
        result.failed++
        result.failures.push(`line ${cmd.line}: ${cmd.type} ${cmd.filename ?? ""}: ${why}`)
    }
    const compile = (cmd: Command): { image?: Buffer; error?: unknown } => {
        try {
            return { image: Buffer.from(compileToImage(new Uint8Array(readFileSync(join(dir, cmd.filename))))) }
        } catch (e) {
            return { error: e }
        }
    }
    const head = (op: number, cmd: Command) => {
        out.record()
        out.u8(op)
        out.u32(cmd.line)
        deviceCommands++
    }
    for (const cmd of commands) {
        switch (cmd.type) {
            case "module": {
                if (cmd.module_type === "text") {
                    result.skipped++
                    break
                }
                const c = compile(cmd)
                if (c.error === undefined && c.image.length > MAX_DEVICE_IMAGE)
                    c.error = new Error(`image of ${c.image.length} bytes is too large for one device Buffer (max ${MAX_DEVICE_IMAGE})`)
                if (c.error !== undefined) {
                    if (!(cmd as AgainCommand).again) fail(cmd, `valid module rejected: ${(c.error as Error).message}`)
                    out.record()
                    out.u8(Step.MODULE) // image NONE: the device forgets its current module, counts nothing
                    out.u32(cmd.line)
                    out.u16(NONE)
                    out.u16(NONE)
                    break
                }
                if ((cmd as AgainCommand).again) {
                    // continues a split script: instantiate again, counted on the device only if it fails
                    out.record()
                    out.u8(Step.MODULE_AGAIN)
                    out.u32(cmd.line)
                } else head(Step.MODULE, cmd)
                out.u16(images.length)
                images.push(c.image)
                out.u16(str(cmd.name))
                break
            }
            case "register":
                if ((cmd as AgainCommand).again) {
                    out.record()
                    out.u8(Step.REGISTER_AGAIN)
                    out.u32(cmd.line)
                } else head(Step.REGISTER, cmd)
                out.u16(str(cmd.name))
                out.u16(str(cmd.as))
                break
            case "action":
            case "assert_return":
            case "assert_trap":
            case "assert_exhaustion": {
                const a = cmd.action
                const trap = cmd.type === "assert_trap" || cmd.type === "assert_exhaustion"
                let args: bigint[]
                let exp: { kind: number; bits: bigint }[]
                try {
                    args = (a.args ?? []).map(argBits)
                    exp = trap ? [] : (cmd.expected ?? []).map(expectation)
                } catch (e) {
                    fail(cmd, (e as Error).message)
                    break
                }
                head(a.type === "get" ? Step.GET : trap ? Step.TRAP : Step.INVOKE, cmd)
                out.u16(str(a.module))
                out.u16(str(a.field))
                if (a.type !== "get") {
                    out.u8(args.length)
                    args.forEach((v, k) => {
                        const wide = a.args[k].type === "i64" || a.args[k].type === "f64"
                        out.u8(wide ? 8 : 4)
                        if (wide) out.u64(v)
                        else out.u32(Number(v & 0xffffffffn))
                    })
                }
                if (cmd.type === "action") out.u8(ANY_RESULTS)
                else {
                    out.u8(trap ? 0 : exp.length)
                    if (!trap)
                        for (const e of exp) {
                            out.u8(e.kind)
                            if (e.kind === Expect.EXACT32) out.u32(Number(e.bits & 0xffffffffn))
                            else if (e.kind === Expect.EXACT64) out.u64(e.bits)
                        }
                }
                if (trap) out.u16(str(cmd.text))
                break
            }
            case "assert_invalid":
            case "assert_malformed": {
                if (cmd.module_type === "text") {
                    result.skipped++
                    break
                }
                const want = cmd.type === "assert_invalid" ? WasmValidationError : WasmDecodeError
                const c = compile(cmd)
                if (c.error === undefined) fail(cmd, `module accepted, expected "${cmd.text}"`)
                else if (!(c.error instanceof want)) fail(cmd, `${(c.error as Error).message}, expected "${cmd.text}"`)
                else result.passed++
                break
            }
            case "assert_unlinkable":
            case "assert_uninstantiable": {
                const c = compile(cmd)
                if (c.error === undefined && c.image.length > MAX_DEVICE_IMAGE) c.error = new Error(`image of ${c.image.length} bytes is too large for the device`)
                if (c.error !== undefined) {
                    fail(cmd, `valid module rejected: ${(c.error as Error).message}`)
                    break
                }
                head(cmd.type === "assert_unlinkable" ? Step.UNLINKABLE : Step.UNINSTANTIABLE, cmd)
                out.u16(images.length)
                images.push(c.image)
                out.u16(str(cmd.text))
                break
            }
            default:
                fail(cmd, `unknown command type ${cmd.type}`)
        }
    }
    return { result, images, strs, steps: out.chunks(STEP_CHUNK), deviceCommands }
}

function encodeStrs(strs: string[]): Buffer {
    return Buffer.concat(
        strs.map(s => {
            const b = Buffer.from(s, "utf8")
            const len = Buffer.alloc(2)
            len.writeUInt16LE(b.length)
            return Buffer.concat([len, b])
        }),
    )
}

function hexLiteral(b: Buffer): string {
    const h = b.toString("hex")
    const lines: string[] = []
    for (let i = 0; i < h.length; i += 96) lines.push(h.slice(i, i + 96))
    return "hex`\n" + lines.join("\n") + "\n`"
}

/** The DeviceScript test program for a plan. */
export function deviceProgram(plan: Plan): string {
    return [
        `// GENERATED by wasmlet spectest --sim for ${plan.result.name}`,
        `import { describe, test } from "@devicescript/test"`,
        `import { decodeStrs, runSpecSteps } from "./host/spectest/device-runner"`,
        `const images: Buffer[] = [${plan.images.map(hexLiteral).join(",\n")}]`,
        `const strsBuf = ${hexLiteral(encodeStrs(plan.strs))}`,
        `const strs: string[] = decodeStrs(strsBuf)`,
        `const steps: Buffer[] = [${plan.steps.map(hexLiteral).join(",\n")}]`,
        `describe("spec", () => {`,
        `    test(${JSON.stringify(plan.result.name)}, async () => {`,
        `        await runSpecSteps(images, strs, steps, strsBuf)`,
        `    })`,
        `})`,
        ``,
    ].join("\n")
}

/** Runs one script inside the simulator; the result merges host and device counts. */
export async function runScriptInSim(jsonPath: string, timeoutMs = 600_000): Promise<FileResult> {
    const plans = planPrograms(jsonPath)
    const r = plans[0].result
    for (const plan of plans) {
        if (plan.deviceCommands === 0) continue
        const build = makeBuildDir()
        try {
            writeFileSync(join(build.dir, "spectest-sim.ts"), deviceProgram(plan))
            const run = await devs(["run", "spectest-sim.ts", "--test", "--test-self-exit", "-T", String(timeoutMs)], {
                cwd: build.dir,
                timeoutMs: timeoutMs + 60_000,
            })
            const output = stripAnsi(run.output)
            let done = false
            let reported = 0
            for (const l of output.split("\n")) {
                const m = /spec> (FAIL .*|done (\d+) (\d+))$/.exec(l)
                if (!m) continue
                if (m[2] !== undefined) {
                    r.passed += +m[2]
                    r.failed += +m[3]
                    done = true
                } else {
                    r.failures.push(m[1].slice(5))
                    reported++
                }
            }
            if (!done) {
                // The program did not finish: its device commands count as failed.
                r.failed += plan.deviceCommands
                const lines = output.split("\n")
                const ex = lines.findIndex(l => /Exception:|PANIC|error TS|Error:/.test(l))
                const tail = (ex >= 0 ? lines.slice(ex, ex + 3) : lines.filter(l => l.trim()).slice(-6)).map(l => l.trim()).join(" | ")
                r.failures.push(`device program did not finish (exit ${run.code}${run.timedOut ? ", timed out" : ""}; ${reported} failures reported before; ${plan.deviceCommands} commands counted failed): ${tail}`)
            }
        } finally {
            build.dispose()
        }
    }
    return r
}
