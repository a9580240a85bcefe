// A fake of the runtime's side of the WAMR app ABI for running AssemblyScript apps under Node's own
// WebAssembly: it implements the env imports the SDK uses (recording every call), keeps a clock
// the test moves, and hands buffers to callbacks the way the runtime does (ABI §3: copied into the
// app's heap with the app's exported malloc, freed after the call). With `withLibc`, `puts` is the
// runtime's real libc (sdk/libc/libc.wasm) on the app's memory, set up as framework/ does it:
// __wasmlet_libc_init(__heap_base, memory size) after instantiation, before on_init.

import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

export const REPO = new URL("../../", import.meta.url).pathname

/** Builds an AssemblyScript app with the SDK's build script; returns the .wasm bytes. */
export function buildApp(entry: string): Uint8Array {
    const out = join(mkdtempSync(join(tmpdir(), "sdk-as-")), "app.wasm")
    execFileSync(join(REPO, "sdk/assemblyscript/build.sh"), [join(REPO, entry), out], { stdio: "pipe" })
    return new Uint8Array(readFileSync(out))
}

export interface TimerState {
    interval: number
    periodic: boolean
    armed: boolean
    due: number
}

type Fn = (...args: number[]) => number | void

/** sdk/assemblyscript/memory.ts's LIBC_RESERVE. */
export const LIBC_RESERVE = 512
const MARK = 0xa5

export class FakeRuntime {
    now = 0
    console: string[] = []
    calls: { name: string; args: number[] }[] = []
    timers = new Map<number, TimerState>()
    responses: Uint8Array[] = []
    posted: Uint8Array[] = []
    resources: string[] = []
    subscriptions: string[] = []
    aborts: number[] = []
    sensors = new Map<number, string>()
    connectionsSent: Uint8Array[] = []
    /** wasm_open_connection calls, read during the call (the app may reuse the buffers after). */
    opened: { name: string; args: Uint8Array }[] = []
    timerPool = 20
    private nextTimer = 1
    private nextSensor = 0
    app!: WebAssembly.Instance
    mem!: WebAssembly.Memory
    libc: WebAssembly.Instance | null = null
    private libcLine = ""

    /** Instantiates `wasm` with the fake env; every import must be one the fake knows. */
    async load(wasm: Uint8Array, withLibc = false): Promise<this> {
        const natives = this.natives()
        if (withLibc) natives.puts = (s) => (this.libc!.exports.puts as Fn)(s) as number
        const env: Record<string, Fn> = {}
        const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>)
        for (const imp of WebAssembly.Module.imports(module)) {
            if (imp.module !== "env" || !(imp.name in natives)) throw new Error(`unknown import ${imp.module}.${imp.name}`)
            const f = natives[imp.name]
            env[imp.name] = (...args: number[]) => {
                this.calls.push({ name: imp.name, args })
                return f(...args)
            }
        }
        this.app = await WebAssembly.instantiate(module, { env })
        this.mem = this.app.exports.memory as WebAssembly.Memory
        if (withLibc) await this.linkLibc()
        return this
    }

    /** Bytes of the app's memory that __wasmlet_libc_init wrote (offsets), for the test to check. */
    libcWrites: number[] = []

    private async linkLibc(): Promise<void> {
        const bytes = readFileSync(join(REPO, "sdk/libc/libc.wasm"))
        const consoleWrite = (ptr: number, len: number) => {
            this.libcLine += Buffer.from(this.bytes(ptr, len)).toString()
            const lines = this.libcLine.split("\n")
            this.libcLine = lines.pop()!
            this.console.push(...lines)
        }
        const { instance } = await WebAssembly.instantiate(bytes, { env: { memory: this.mem }, wasmlet: { console_write: consoleWrite } })
        this.libc = instance
        const heapBase = (this.app.exports.__heap_base as WebAssembly.Global).value as number
        // The reserve is the libc's alone and zero until now: mark it to see the writes of zeros too.
        const mem = new Uint8Array(this.mem.buffer)
        mem.fill(MARK, heapBase, heapBase + LIBC_RESERVE)
        const before = mem.slice()
        const r = (instance.exports.__wasmlet_libc_init as Fn)(heapBase, this.mem.buffer.byteLength)
        if (r !== 0) throw new Error(`libc init failed: ${r}`)
        for (let i = 0; i < mem.length; i++) if (mem[i] !== before[i]) this.libcWrites.push(i)
        for (let i = heapBase; i < heapBase + LIBC_RESERVE; i++) if (mem[i] === MARK) mem[i] = 0
    }

    get exports(): Record<string, Fn> {
        return this.app.exports as Record<string, Fn>
    }

    bytes(ptr: number, len: number): Uint8Array {
        return new Uint8Array(this.mem.buffer, ptr, len).slice()
    }

    cstr(ptr: number): string {
        const m = new Uint8Array(this.mem.buffer)
        let end = ptr
        while (m[end] !== 0) end++
        return Buffer.from(m.subarray(ptr, end)).toString()
    }

    /** Calls export `name` with `data` copied into the app's heap as (…, ptr, len), as the runtime does. */
    deliver(name: string, data: Uint8Array, ...lead: number[]): void {
        const ptr = this.exports.malloc(data.length) as number
        if (ptr === 0) throw new Error("app malloc failed")
        new Uint8Array(this.mem.buffer).set(data, ptr)
        try {
            this.exports[name](...lead, ptr, data.length)
        } finally {
            this.exports.free(ptr)
        }
    }

    /** Moves the clock to `t` and fires every due timer in order, as the runtime's scheduler does. */
    advanceTo(t: number): void {
        for (;;) {
            let next: [number, TimerState] | undefined
            for (const e of this.timers) if (e[1].armed && e[1].due <= t && (!next || e[1].due < next[1].due)) next = e
            if (!next) break
            const [id, s] = next
            this.now = s.due
            if (s.periodic) s.due = this.now + s.interval
            else s.armed = false
            this.exports.on_timer_callback(id)
        }
        this.now = t
    }

    private natives(): Record<string, Fn> {
        return {
            puts: (s) => { this.console.push(this.cstr(s)); return 1 },
            abort: (code) => { this.aborts.push(code); throw new Error(`env.abort(${code})`) },
            wasm_get_sys_tick_ms: () => this.now >>> 0,
            wasm_create_timer: (interval, periodic, autoStart) => {
                if (this.timers.size >= this.timerPool) return -1
                const id = this.nextTimer++
                this.timers.set(id, { interval, periodic: !!periodic, armed: !!autoStart, due: this.now + interval })
                return id
            },
            wasm_timer_restart: (id, interval) => {
                const s = this.timers.get(id)
                if (s) Object.assign(s, { interval, armed: true, due: this.now + interval })
            },
            wasm_timer_cancel: (id) => { const s = this.timers.get(id); if (s) s.armed = false },
            wasm_timer_destroy: (id) => { this.timers.delete(id) },
            wasm_register_resource: (url) => { this.resources.push(this.cstr(url)) },
            wasm_sub_event: (url) => { this.subscriptions.push(this.cstr(url)) },
            wasm_post_request: (buf, len) => { this.posted.push(this.bytes(buf, len)) },
            wasm_response_send: (buf, len) => { this.responses.push(this.bytes(buf, len)); return 1 },
            wasm_sensor_open: (name, instance) => {
                const id = this.nextSensor++
                this.sensors.set(id, `${this.cstr(name)}#${instance}`)
                return id
            },
            wasm_sensor_config: () => 1,
            wasm_sensor_config_with_attr_container: () => 1,
            wasm_sensor_close: (id) => (this.sensors.delete(id) ? 1 : 0),
            wasm_open_connection: (name, args, len) => {
                this.opened.push({ name: this.cstr(name), args: this.bytes(args, len) })
                return 7
            },
            wasm_close_connection: () => {},
            wasm_send_on_connection: (h, buf, len) => { this.connectionsSent.push(this.bytes(buf, len)); return len },
            wasm_config_connection: () => 1,
        }
    }
}
