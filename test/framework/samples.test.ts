// The sample apps (apps/samples, built from C with the SDK) on the framework on Node, linked to the
// runtime's libc and WASI adapter exactly as on a board: what they print, publish and answer.
import { describe, expect, it } from "vitest"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { compileAppImage, supportImages } from "../../host/run/app-images"
import { makeRuntime } from "./helpers"

const SAMPLES = join(import.meta.dirname, "../../apps/samples")
const image = (name: string, file = name + ".wasm") => Buffer.from(compileAppImage(readFileSync(join(SAMPLES, name, file))).image)
const withSupport = (opts: any = {}) => {
    const s = supportImages()
    return makeRuntime({ libc: s.libc, wasi: s.wasi, ...opts })
}

describe("sample apps on the framework", () => {
    it("timer prints once a second", async () => {
        const t = withSupport()
        await t.rt.install("timer", image("timer"), true)
        await t.runFor(3500)
        expect(t.host.lines).toEqual(["timer: Timer update 0", "timer: Timer update 1", "timer: Timer update 2"])
        expect(t.rt.find("timer").traps).toBe(0)
    })

    it("publisher and subscriber: the subscriber prints every event", async () => {
        const t = withSupport()
        await t.rt.install("sub", image("event_subscriber"), true)
        await t.rt.install("pub", image("event_publisher"), true)
        await t.runFor(2500)
        const handler = t.host.lines.filter(l => l === "sub: ### user over heat event handler called")
        expect(handler.length).toBe(2)
        expect(t.host.lines.join("\n")).toContain("warning")
        expect(t.host.lines.join("\n")).toContain("temperature is over high")
    })

    it("request sender and handler: both requests answered", async () => {
        const t = withSupport()
        await t.rt.install("request_handler", image("request_handler"), true)
        await t.rt.install("request_sender", image("request_sender"), true)
        await t.runFor(1000)
        const out = t.host.lines.join("\n")
        expect(out.match(/\[req\] response handler called/g)?.length).toBe(2)
        expect(out).not.toContain("timeout")
    })

    it("WASI hello world, with wasi-libc inside and with the SDK's libc, prints its three lines and exits 0", async () => {
        for (const file of ["hello.wasi.wasm", "hello.sdk.wasm"]) {
            // wasi-libc's hello touches 7 chunks of memory (data, heap, the top of its stack): more than
            // the simulator's 12 KB per app with default stacks; the SDK build needs 6 KB in all
            const t = withSupport({ limits: { appArenaBytes: 16 * 1024 }, arenaBytes: 16 * 1024 })
            const app = await t.rt.install("hello", image("wasi_hello", file), true)
            await t.runFor(1000, () => app.state === 3)
            expect(t.host.lines[0]).toBe("hello: Hello world!")
            expect(t.host.lines[1]).toMatch(/^hello: buf ptr: 0x[0-9a-f]+$/)
            expect(t.host.lines[2]).toBe("hello: buf: 1234")
            expect(app.exitCode).toBe(0)
            if (file === "hello.sdk.wasm") expect(app.account.used).toBeLessThanOrEqual(6 * 1024)
        }
    })
})
