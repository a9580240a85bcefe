// A stand-in for the runtime, enough to run C SDK apps (and the SDK test harness) under Node's
// WebAssembly: the libc-builtin functions over the app's own memory (a JS allocator above
// __heap_base that tracks every block, so tests can check for leaks; printf that reads clang's
// wasm32 varargs block), and the framework natives, which record their calls and let a test
// drive timers, sensors and connections. Only what an app imports is provided; an import the
// stub does not know fails the instantiation by name.

export interface NativeCall {
    name: string
    args: number[]
    /** bytes at (ptr, len) or the NUL-terminated string, captured when the call was made */
    bytes?: Uint8Array
    str?: string
}

export interface StubApp {
    exports: Record<string, any>
    mem(): Uint8Array
    view(): DataView
    console: string[]
    calls: NativeCall[]
    /** live heap blocks: address -> size */
    live: Map<number, number>
    tick: { now: number }
    /** timers created through wasm_create_timer: id -> state */
    timers: Map<number, { interval: number; periodic: boolean; armedAt: number | null; destroyed: boolean }>
    /** copies bytes into a fresh heap block (as the runtime does for callback buffers) */
    put(bytes: Uint8Array): number
    putString(s: string): number
    free(ptr: number): void
    cstr(ptr: number): string
    /** calls an exported callback with a buffer the way the runtime does: copy in, call, free */
    deliver(name: string, lead: number[], bytes: Uint8Array): void
    /** console output so far, joined, then cleared */
    takeOutput(): string
    /** calls of one native */
    callsOf(name: string): NativeCall[]
}

export interface StubOptions {
    /** return value of wasm_sensor_open / wasm_open_connection (default: 1, 2, 3, ...) */
    sensorOpen?: (name: string, instance: number) => number
    openConnection?: (name: string) => number
    /** how many timers the runtime grants (default unlimited) */
    timerLimit?: number
    /**
     * The runtime's real libc module (sdk/libc/libc.wasm) instead of the JS one: instantiated on
     * the app's memory, its heap from __heap_base to the memory's end, its console into `console`.
     * Allocations the app makes are still tracked in `live` (its calls pass through JS).
     */
    libc?: Uint8Array
}

const enc = new TextEncoder()
const dec = new TextDecoder()

export function instantiate(wasm: Uint8Array, opts: StubOptions = {}): StubApp {
    const module = new WebAssembly.Module(wasm as Uint8Array<ArrayBuffer>)
    let memory: WebAssembly.Memory
    const mem = () => new Uint8Array(memory.buffer)
    const view = () => new DataView(memory.buffer)
    const live = new Map<number, number>()
    let heapTop = 0
    const freeBlocks: { addr: number; size: number }[] = []
    const console: string[] = []
    let line = ""
    const calls: NativeCall[] = []
    const tick = { now: 1000 }
    const timers: StubApp["timers"] = new Map()
    let nextTimer = 1
    let nextHandle = 1

    const cstr = (p: number): string => {
        const m = mem()
        let e = p
        while (m[e] !== 0) e++
        return dec.decode(m.subarray(p, e))
    }
    const write = (s: string) => {
        line += s
        let nl: number
        while ((nl = line.indexOf("\n")) >= 0) {
            console.push(line.slice(0, nl))
            line = line.slice(nl + 1)
        }
    }

    function malloc(size: number): number {
        size = Math.max(8, (size + 7) & ~7)
        const i = freeBlocks.findIndex((b) => b.size >= size)
        let addr: number
        if (i >= 0) {
            addr = freeBlocks[i].addr
            freeBlocks.splice(i, 1)
        } else {
            addr = heapTop
            heapTop += size
            if (heapTop > memory.buffer.byteLength) return 0
        }
        live.set(addr, size)
        // fill with garbage, so code that forgets to initialise shows it
        mem().fill(0xa5, addr, addr + size)
        return addr
    }
    function free(p: number): void {
        if (p === 0) return
        const size = live.get(p)
        if (size === undefined) throw new Error(`free of ${p}, which is not a live block`)
        live.delete(p)
        freeBlocks.push({ addr: p, size })
    }

    /** C printf over clang's wasm32 argument block at va. */
    function format(fmt: string, va: number): string {
        const v = view()
        let out = ""
        const next = (bytes: 4 | 8): number | bigint => {
            if (bytes === 8) {
                va = (va + 7) & ~7
                const x = v.getBigUint64(va, true)
                va += 8
                return x
            }
            const x = v.getInt32(va, true)
            va += 4
            return x
        }
        for (let i = 0; i < fmt.length; i++) {
            const c = fmt[i]
            if (c !== "%") {
                out += c
                continue
            }
            const m = /^([-0 +#]*)(\d*)(?:\.(\d+))?(hh|h|ll|l|z|t)?([diuxXscpf%])/.exec(fmt.slice(i + 1))
            if (!m) throw new Error(`stub printf: unsupported format at ${fmt.slice(i)}`)
            i += m[0].length
            const [, flags, width, prec, len, conv] = m
            let s: string
            switch (conv) {
                case "%": s = "%"; break
                case "d": case "i":
                    s = len === "ll" ? BigInt.asIntN(64, next(8) as bigint).toString() : String(next(4)); break
                case "u":
                    s = len === "ll" ? (next(8) as bigint).toString() : String((next(4) as number) >>> 0); break
                case "x": case "X":
                    s = len === "ll" ? (next(8) as bigint).toString(16) : ((next(4) as number) >>> 0).toString(16)
                    if (conv === "X") s = s.toUpperCase()
                    break
                case "p": s = "0x" + ((next(4) as number) >>> 0).toString(16); break
                case "c": s = String.fromCharCode((next(4) as number) & 0xff); break
                case "s": s = cstr(next(4) as number); break
                case "f": {
                    const bits = next(8) as bigint
                    const b = new DataView(new ArrayBuffer(8))
                    b.setBigUint64(0, bits, true)
                    s = b.getFloat64(0, true).toFixed(prec === undefined ? 6 : Number(prec))
                    break
                }
                default: throw new Error("unreachable")
            }
            const w = Number(width || 0)
            if (s.length < w) s = flags.includes("-") ? s.padEnd(w) : s.padStart(w, flags.includes("0") ? "0" : " ")
            out += s
        }
        return out
    }

    function copyOut(dst: number, size: number, s: string): number {
        const b = enc.encode(s)
        if (size > 0) {
            const n = Math.min(b.length, size - 1)
            mem().set(b.subarray(0, n), dst)
            mem()[dst + n] = 0
        }
        return b.length
    }

    const record = (name: string, args: number[], extra: Partial<NativeCall> = {}) => {
        calls.push({ name, args, ...extra })
    }
    const bytesAt = (p: number, n: number) => mem().slice(p, p + n)

    const libc: Record<string, Function> = {
        malloc,
        free,
        calloc: (n: number, size: number) => {
            const p = malloc(n * size)
            if (p) mem().fill(0, p, p + n * size)
            return p
        },
        realloc: (p: number, size: number) => {
            const q = malloc(size)
            if (q && p) mem().copyWithin(q, p, p + Math.min(size, live.get(p)!))
            free(p)
            return q
        },
        memcpy: (d: number, s: number, n: number) => (mem().copyWithin(d, s, s + n), d),
        memmove: (d: number, s: number, n: number) => (mem().copyWithin(d, s, s + n), d),
        memset: (d: number, c: number, n: number) => (mem().fill(c & 0xff, d, d + n), d),
        memcmp: (a: number, b: number, n: number) => {
            const m = mem()
            for (let i = 0; i < n; i++) if (m[a + i] !== m[b + i]) return m[a + i] - m[b + i]
            return 0
        },
        strlen: (p: number) => {
            const m = mem()
            let e = p
            while (m[e] !== 0) e++
            return e - p
        },
        strcmp: (a: number, b: number) => {
            const m = mem()
            for (;; a++, b++) if (m[a] !== m[b] || m[a] === 0) return m[a] - m[b]
        },
        strncmp: (a: number, b: number, n: number) => {
            const m = mem()
            for (let i = 0; i < n; i++, a++, b++) if (m[a] !== m[b] || m[a] === 0) return m[a] - m[b]
            return 0
        },
        strcpy: (d: number, s: number) => {
            const m = mem()
            let i = 0
            do m[d + i] = m[s + i]
            while (m[s + i++] !== 0)
            return d
        },
        strdup: (s: number) => {
            const str = enc.encode(cstr(s))
            const p = malloc(str.length + 1)
            if (p) {
                mem().set(str, p)
                mem()[p + str.length] = 0
            }
            return p
        },
        puts: (s: number) => (write(cstr(s) + "\n"), 1),
        putchar: (c: number) => (write(String.fromCharCode(c & 0xff)), c),
        printf: (f: number, va: number) => {
            const s = format(cstr(f), va)
            write(s)
            return enc.encode(s).length
        },
        snprintf: (d: number, n: number, f: number, va: number) => copyOut(d, n, format(cstr(f), va)),
        sprintf: (d: number, f: number, va: number) => copyOut(d, 0x7fffffff, format(cstr(f), va)),
    }

    const natives: Record<string, Function> = {
        wasm_register_resource: (url: number) => record("wasm_register_resource", [url], { str: cstr(url) }),
        wasm_sub_event: (url: number) => record("wasm_sub_event", [url], { str: cstr(url) }),
        wasm_post_request: (p: number, n: number) => record("wasm_post_request", [p, n], { bytes: bytesAt(p, n) }),
        wasm_response_send: (p: number, n: number) => (record("wasm_response_send", [p, n], { bytes: bytesAt(p, n) }), 1),
        wasm_get_sys_tick_ms: () => tick.now >>> 0,
        wasm_create_timer: (interval: number, periodic: number, autoStart: number) => {
            record("wasm_create_timer", [interval, periodic, autoStart])
            const alive = [...timers.values()].filter((t) => !t.destroyed).length
            if (opts.timerLimit !== undefined && alive >= opts.timerLimit) return -1
            const id = nextTimer++
            timers.set(id, { interval, periodic: !!periodic, armedAt: autoStart ? tick.now : null, destroyed: false })
            return id
        },
        wasm_timer_restart: (id: number, interval: number) => {
            record("wasm_timer_restart", [id, interval])
            const t = timers.get(id)!
            t.interval = interval
            t.armedAt = tick.now
        },
        wasm_timer_cancel: (id: number) => {
            record("wasm_timer_cancel", [id])
            timers.get(id)!.armedAt = null
        },
        wasm_timer_destroy: (id: number) => {
            record("wasm_timer_destroy", [id])
            const t = timers.get(id)!
            t.armedAt = null
            t.destroyed = true
        },
        wasm_sensor_open: (name: number, instance: number) => {
            record("wasm_sensor_open", [name, instance], { str: cstr(name) })
            return opts.sensorOpen ? opts.sensorOpen(cstr(name), instance) : nextHandle++
        },
        wasm_sensor_config: (...a: number[]) => (record("wasm_sensor_config", a), 1),
        wasm_sensor_config_with_attr_container: (s: number, p: number, n: number) =>
            (record("wasm_sensor_config_with_attr_container", [s, p, n], { bytes: bytesAt(p, n) }), 1),
        wasm_sensor_close: (s: number) => (record("wasm_sensor_close", [s]), 1),
        wasm_open_connection: (name: number, p: number, n: number) => {
            record("wasm_open_connection", [name, p, n], { str: cstr(name), bytes: bytesAt(p, n) })
            return opts.openConnection ? opts.openConnection(cstr(name)) : nextHandle++
        },
        wasm_close_connection: (h: number) => record("wasm_close_connection", [h]),
        wasm_send_on_connection: (h: number, p: number, n: number) =>
            (record("wasm_send_on_connection", [h, p, n], { bytes: bytesAt(p, n) }), n),
        wasm_config_connection: (h: number, p: number, n: number) =>
            (record("wasm_config_connection", [h, p, n], { bytes: bytesAt(p, n) }), 1),
    }

    // the real libc: bound after the app is instantiated (it needs the app's memory); no libc
    // function runs during instantiation
    let real: Record<string, any> | null = null
    if (opts.libc) {
        const track: Record<string, (r: number, a: number[]) => void> = {
            malloc: (r, [n]) => r && live.set(r, n),
            calloc: (r, [n, m]) => r && live.set(r, n * m),
            strdup: (r) => r && live.set(r, cstr(r).length + 1),
            realloc: (r, [p, n]) => r && (live.delete(p), live.set(r, n)),
            free: (_r, [p]) => p && live.delete(p),
        }
        for (const name of Object.keys(libc))
            libc[name] = (...a: number[]) => {
                const r = real![name](...a)
                track[name]?.(r, a)
                return r
            }
    }

    const env: Record<string, Function> = {}
    for (const imp of WebAssembly.Module.imports(module)) {
        if (imp.module !== "env" || imp.kind !== "function") throw new Error(`unexpected import ${imp.module}.${imp.name}`)
        const f = natives[imp.name] ?? libc[imp.name]
        if (!f) throw new Error(`the stub runtime has no env.${imp.name}`)
        env[imp.name] = f
    }
    const instance = new WebAssembly.Instance(module, { env: env as any })
    const exports = instance.exports as Record<string, any>
    memory = exports.memory
    heapTop = (exports.__heap_base.value + 7) & ~7
    if (opts.libc) {
        const li = new WebAssembly.Instance(new WebAssembly.Module(opts.libc as Uint8Array<ArrayBuffer>), {
            env: { memory },
            wasmlet: { console_write: (p: number, n: number) => write(dec.decode(mem().slice(p, p + n))) },
        })
        real = li.exports as Record<string, any>
        const status = real.__wasmlet_libc_init(heapTop, memory.buffer.byteLength)
        if (status !== 0) throw new Error(`__wasmlet_libc_init failed: ${status}`)
    }

    const app: StubApp = {
        exports,
        mem,
        view,
        console,
        calls,
        live,
        tick,
        timers,
        put(bytes) {
            const p = libc.malloc(bytes.length) as number
            mem().set(bytes, p)
            return p
        },
        putString(s) {
            return app.put(enc.encode(s + "\0"))
        },
        free: (p: number) => void libc.free(p),
        cstr,
        deliver(name, lead, bytes) {
            const p = bytes.length ? app.put(bytes) : 0
            try {
                exports[name](...lead, p, bytes.length)
            } finally {
                if (p) libc.free(p)
            }
        },
        takeOutput() {
            const s = console.join("\n") + (console.length ? "\n" : "") + line
            console.length = 0
            line = ""
            return s
        },
        callsOf(name) {
            return calls.filter((c) => c.name === name)
        },
    }
    return app
}
