// The AssemblyScript samples (apps/samples-as/): the committed .wasm is what the sources build to,
// the engine's compiler accepts it, it imports only what the ABI (§2) lists with the ABI's
// signatures, and it behaves like WAMR's samples when run under Node's WebAssembly against a fake
// runtime (fake-runtime.ts): the timer app's timer and lines, the request handler's responses.

import { describe, expect, it } from "vitest"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { compileToImage } from "../../compiler/index"
import { loadModule } from "../../compiler/load-module"
import { ValType } from "../../compiler/wasm-types"
import { ABI_IMPORTS } from "./abi-imports"
import { FakeRuntime, LIBC_RESERVE, REPO } from "./fake-runtime"
import { packRequest, writeAttrs } from "./wire"

const SAMPLES = ["timer", "request_handler"]
const committed = (name: string) => new Uint8Array(readFileSync(join(REPO, "apps/samples-as", `${name}.wasm`)))
const HOST = 0xfffffffd

function sigOf(types: ValType[]): string {
    return types.map((t) => (t === ValType.I32 ? "i32" : `0x${t.toString(16)}`)).join(",")
}

describe("AssemblyScript samples: build", () => {
    it("rebuilding from source gives the committed .wasm byte for byte", () => {
        const out = mkdtempSync(join(tmpdir(), "samples-as-"))
        execFileSync(join(REPO, "apps/samples-as/build.sh"), [out], { stdio: "pipe" })
        for (const name of SAMPLES) {
            const rebuilt = new Uint8Array(readFileSync(join(out, `${name}.wasm`)))
            expect(Buffer.compare(rebuilt, committed(name)), name).toBe(0)
        }
    })

    for (const name of SAMPLES) {
        it(`${name}: compiles to a device image; imports only ABI names with ABI signatures; exports what the runtime needs`, () => {
            const wasm = committed(name)
            const image = compileToImage(wasm)
            expect(image.length).toBeGreaterThan(wasm.length / 2)
            const m = loadModule(wasm)
            for (const imp of m.imports) {
                expect(imp.module, imp.name).toBe("env")
                expect(imp.desc.kind, imp.name).toBe("func")
                expect(Object.keys(ABI_IMPORTS), imp.name).toContain(imp.name)
                if (imp.desc.kind !== "func") continue
                const t = m.types[imp.desc.typeIndex]
                const want = ABI_IMPORTS[imp.name]
                if (want !== null) expect(`${sigOf(t.params)}->${sigOf(t.results)}`, imp.name).toBe(want)
            }
            const exports = new Map(m.exports.map((e) => [e.name, e]))
            expect(exports.get("memory")?.kind).toBe("memory")
            for (const f of ["on_init", "on_destroy", "malloc", "free"]) expect(exports.get(f)?.kind, f).toBe("func")
            // __heap_base is the static block reserved for the runtime libc's state, not a heap start
            expect(exports.get("__heap_base")?.kind).toBe("global")
            expect(m.memories).toEqual([{ min: 1 }])
        })
    }
})

describe("AssemblyScript samples: timer", () => {
    it("creates an idle periodic 1000 ms timer, starts it, prints one line per expiry", async () => {
        const rt = await new FakeRuntime().load(committed("timer"))
        rt.exports.on_init()
        const natives = rt.calls.filter((c) => c.name.startsWith("wasm_"))
        expect(natives).toEqual([
            { name: "wasm_create_timer", args: [1000, 1, 0] },
            { name: "wasm_timer_restart", args: [1, 1000] },
        ])
        rt.advanceTo(3500)
        expect(rt.console).toEqual(["Timer update 0", "Timer update 1", "Timer update 2"])
        rt.exports.on_timer_callback(99) // an id the app never created: ignored
        expect(rt.console.length).toBe(3)
    })

    it("garbage is collected after each callback: 20000 expiries keep the app in its first page", async () => {
        const rt = await new FakeRuntime().load(committed("timer"))
        rt.exports.on_init()
        rt.advanceTo(20_000_000)
        expect(rt.console.length).toBe(20000)
        expect(rt.console[19999]).toBe("Timer update 19999")
        expect(rt.mem.buffer.byteLength).toBe(65536)
    })
})

describe("AssemblyScript samples: request_handler", () => {
    async function started(): Promise<FakeRuntime> {
        const rt = await new FakeRuntime().load(committed("request_handler"))
        rt.exports.on_init()
        expect(rt.resources).toEqual(["/url1", "/url2"])
        return rt
    }

    it("/url1: 2.05 CONTENT with the attr_container payload, byte for byte (§4, §5)", async () => {
        const rt = await started()
        const req = packRequest({ action: 1, fmt: 0, mid: 0x01020304, sender: HOST, url: "/url1" })
        rt.deliver("on_request", req)
        expect(rt.responses.length).toBe(1)
        const payload = writeAttrs("wasm app response payload", [
            ["key1", { type: 13, value: "value1" }],
            ["key2", { type: 13, value: "value2" }],
        ])
        const header = Buffer.from([1, 69, 0, 99, 1, 2, 3, 4, 0xff, 0xff, 0xff, 0xfd, 0, 0, 0, payload.length])
        expect(Buffer.from(rt.responses[0]).toString("hex")).toBe(Buffer.concat([header, payload]).toString("hex"))
        expect(rt.console).toEqual(["[resp] ### user resource 1 handler called", `reciver: ${HOST}, mid:${0x01020304}`])
    })

    it("/url1 with an attr_container payload dumps it (WAMR's slack bytes ignored)", async () => {
        const rt = await started()
        const attrs = writeAttrs("", [["name", { type: 13, value: "wasmlet" }], ["n", { type: 11, value: 42.75 }]], 100)
        rt.deliver("on_request", packRequest({ action: 2, fmt: 99, mid: 9, sender: HOST, url: "url1?x=1", payload: attrs }))
        expect(rt.console.slice(1, 6)).toEqual([
            "Attribute container dump:", "Tag: ", "Attribute list:", "  key: name, value: wasmlet", "  key: n, value: 42",
        ])
        expect(rt.responses[0].subarray(0, 12)).toEqual(new Uint8Array([1, 69, 0, 99, 0, 0, 0, 9, 0xff, 0xff, 0xff, 0xfd]))
    })

    it("/url2: 2.02 DELETED, no payload; a request from another app goes back to that app", async () => {
        const rt = await started()
        rt.deliver("on_request", packRequest({ action: 4, fmt: 0, mid: 7, sender: 2, url: "/url2/sub" }))
        expect(Buffer.from(rt.responses[0]).toString("hex")).toBe("01420000" + "00000007" + "00000002" + "00000000")
        expect(rt.console).toEqual(["### user resource 2 handler called"])
    })

    it("unmatched urls and invalid packets get no response", async () => {
        const rt = await started()
        rt.deliver("on_request", packRequest({ action: 1, fmt: 0, mid: 1, sender: HOST, url: "/url10" }))
        expect(rt.console).toEqual(["on_request: exit. no service handler"])
        const bad = packRequest({ action: 1, fmt: 0, mid: 2, sender: HOST, url: "/url1" })
        rt.deliver("on_request", bad.subarray(0, bad.length - 1)) // url_len says one byte more
        const v2 = bad.slice()
        v2[0] = 2
        rt.deliver("on_request", v2)
        expect(rt.responses).toEqual([])
        expect(rt.console.length).toBe(1)
    })

    it("serves 5000 requests without growing its memory", async () => {
        const rt = await started()
        for (let i = 1; i <= 5000; i++) rt.deliver("on_request", packRequest({ action: 1, fmt: 0, mid: i, sender: HOST, url: "/url1" }))
        expect(rt.responses.length).toBe(5000)
        expect(Buffer.from(rt.responses[4999]).readUInt32BE(4)).toBe(5000)
        expect(rt.mem.buffer.byteLength).toBe(65536)
    })
})

describe("AssemblyScript samples: with the runtime's libc (sdk/libc) linked as framework/ links it", () => {
    it("libc init writes only the reserved block at __heap_base and the last 16 bytes of memory, which the app's heap never uses", async () => {
        for (const name of SAMPLES) {
            const rt = await new FakeRuntime().load(committed(name), true)
            const hb = (rt.app.exports.__heap_base as WebAssembly.Global).value as number
            expect(rt.libcWrites.length, name).toBeGreaterThan(0)
            const outside = rt.libcWrites.filter((a) => !(a >= hb && a < hb + LIBC_RESERVE) && !(a >= 65520 && a < 65536))
            expect(outside, name).toEqual([])
            // every allocation lies above the reserve and below 65520
            const p = rt.exports.malloc(1000) as number
            expect(p).toBeGreaterThanOrEqual(hb + LIBC_RESERVE)
            expect(p + 1000).toBeLessThanOrEqual(65520)
        }
    })

    it("timer: 20000 lines through the libc's puts, memory still one page", async () => {
        const rt = await new FakeRuntime().load(committed("timer"), true)
        rt.exports.on_init()
        rt.advanceTo(20_000_000)
        expect(rt.console.length).toBe(20000)
        expect(rt.console[12345]).toBe("Timer update 12345")
        expect(rt.mem.buffer.byteLength).toBe(65536)
    })

    it("request_handler: 100 requests of 25 KB fill the heap up to its top and reuse it", async () => {
        const rt = await new FakeRuntime().load(committed("request_handler"), true)
        rt.exports.on_init()
        const payload = new Uint8Array(25_000).map((_, i) => i)
        for (let i = 1; i <= 100; i++) rt.deliver("on_request", packRequest({ action: 2, fmt: 98, mid: i, sender: HOST, url: "/url1", payload }))
        expect(rt.responses.length).toBe(100)
        expect(rt.console.filter((l) => l.startsWith("reciver")).length).toBe(100)
        expect(rt.mem.buffer.byteLength).toBe(65536)
        // a message larger than the heap: malloc returns 0 (the runtime drops the message), the app goes on
        expect(rt.exports.malloc(70_000)).toBe(0)
        rt.deliver("on_request", packRequest({ action: 4, fmt: 0, mid: 102, sender: HOST, url: "/url2" }))
        expect(Buffer.from(rt.responses[100]).readUInt32BE(4)).toBe(102)
    })
})
