// What the libc costs: libc.wasm and device image sizes, the stack bound of a call into it
// (the compiler's stackBound, with console_write a host function), and Wasm instructions
// executed by typical calls, counted by an instrumented copy of the module (a counter bumped
// before every instruction) on Node. Printed, and held to loose ceilings so a regression shows.
import { describe, it, expect } from "vitest"
import initWabt from "wabt"
import { compileToImage } from "../../compiler/index"
import type { ImageStats } from "../../compiler/index"
import { libcWasm, nodeHost, putString, putVarargs, FMT_AT, VA_AT, STR_AT, DST_AT, HEAP_BASE } from "./libc-host"

/** libc.wasm with an i64 counter bumped before every instruction, exported as __count. */
async function instrumented(): Promise<Uint8Array<ArrayBuffer>> {
    const wabt = await initWabt()
    const features = { bulk_memory: true, sign_extension: true, mutable_globals: true }
    const mod = wabt.readWasm(libcWasm(), { readDebugNames: true, ...features })
    mod.applyNames()
    const text = mod.toText({ foldExprs: false })
    mod.destroy()
    const bump = "global.get $__count i64.const 1 i64.add global.set $__count"
    let inFunc = false
    const out: string[] = []
    for (const line of text.split("\n")) {
        if (/^\s*\(func /.test(line)) inFunc = true
        else if (/^\s*\((global|export|table|memory|type|import|elem|data)/.test(line)) inFunc = false
        const t = line.trim()
        if (inFunc && /^[a-z]/.test(t) && !/^(end|else)\b/.test(t)) out.push(bump)
        out.push(line)
    }
    const src = out.join("\n").replace(/\)\s*$/, `(global $__count (export "__count") (mut i64) (i64.const 0)))`)
    const m2 = wabt.parseWat("libc-count.wat", src, features)
    try {
        return new Uint8Array(m2.toBinary({}).buffer)
    } finally {
        m2.destroy()
    }
}

describe("libc cost", () => {
    it("sizes and the stack bound of every export", () => {
        const stats: ImageStats = { codeBytes: 0, functions: [] }
        const image = compileToImage(libcWasm(), stats, (mod) => (mod === "wasmlet" ? "host" : "unknown"))
        const bound = stats.stack
        const worst = [...bound.exports].sort((a, b) => b[1].stackBytes - a[1].stackBytes)[0]
        console.log(`libc.wasm ${libcWasm().length} B; device image ${image.length} B (code ${stats.codeBytes} B); ` + `worst call: ${worst[0]} ${bound.stackBytes} B of value stack, depth ${bound.callDepth}; printf ${bound.exports.get("printf").stackBytes} B, malloc ${bound.exports.get("malloc").stackBytes} B`)
        expect(bound.unknownBecause).toBe("")
        expect(bound.stackBytes).toBeGreaterThan(0)
        expect(bound.stackBytes).toBeLessThan(2048) // an app's stacks are 3.5 KB by default
        expect(image.length).toBeLessThan(20000)
    })

    it("Wasm instructions per call", async () => {
        const host = nodeHost(2, 2, await instrumented())
        const count = host.instance.exports.__count as WebAssembly.Global
        const cost = (f: () => void) => {
            const before = count.value as bigint
            f()
            return Number((count.value as bigint) - before)
        }
        expect(host.call("__wasmlet_libc_init", HEAP_BASE, 131072)).toBe(0)
        putString(host, STR_AT, "sensor1")
        putString(host, FMT_AT, "%s: %d readings\n")
        putVarargs(host, VA_AT, [{ i32: STR_AT }, { i32: 42 }])
        const line = cost(() => host.call("printf", FMT_AT, VA_AT))
        expect(host.console).toBe("sensor1: 42 readings\n")
        putString(host, FMT_AT, "t=%.2f C\n")
        putVarargs(host, VA_AT, [{ f64: 23.456 }])
        const float = cost(() => host.call("printf", FMT_AT, VA_AT))
        putVarargs(host, VA_AT, [{ f64: 1e-300 }])
        putString(host, FMT_AT, "%g")
        const tiny = cost(() => host.call("snprintf", DST_AT, 100, FMT_AT, VA_AT))
        putString(host, STR_AT, "hello, world")
        const strlen = cost(() => host.call("strlen", STR_AT))
        let p = 0
        const malloc = cost(() => (p = host.call("malloc", 100)))
        const free = cost(() => host.call("free", p))
        console.log(`instructions: printf("%s: %d readings\\n") ${line}, printf("t=%.2f C\\n") ${float}, snprintf("%g", 1e-300) ${tiny}, strlen(12 chars) ${strlen}, malloc ${malloc}, free ${free}`)
        expect(line).toBeGreaterThan(100)
        expect(line).toBeLessThan(3000)
        expect(float).toBeLessThan(8000)
        expect(strlen).toBeLessThan(200)
        expect(malloc + free).toBeLessThan(400)
    })
})
