// `wasmlet serve`'s own rules (host/cli/serve.ts): --listen parsing, what counts as loopback, the
// token required (given, or generated) off loopback, usage errors; and the command itself refusing
// to start without a board (exit 3).
import { describe, expect, it } from "vitest"
import { isLoopback, main, parseListen, tokenFor } from "../../host/cli/serve"
import { io } from "../../host/cli/_common"

describe("wasmlet serve options", () => {
    it("parses --listen", () => {
        expect(parseListen("127.0.0.1:8080")).toEqual({ host: "127.0.0.1", port: 8080 })
        expect(parseListen("0.0.0.0:0")).toEqual({ host: "0.0.0.0", port: 0 })
        expect(parseListen(":9000")).toEqual({ host: "127.0.0.1", port: 9000 })
        expect(parseListen("9000")).toEqual({ host: "127.0.0.1", port: 9000 })
        expect(parseListen("[::1]:80")).toEqual({ host: "::1", port: 80 })
        expect(() => parseListen("host:")).toThrow(/HOST:PORT/)
        expect(() => parseListen("a:70000")).toThrow(/out of range/)
    })

    it("requires a token off loopback, generating one when none is given", () => {
        for (const h of ["127.0.0.1", "127.1.2.3", "localhost", "::1"]) expect([h, isLoopback(h), tokenFor(h, undefined)]).toEqual([h, true, { generated: false }])
        for (const h of ["0.0.0.0", "192.168.1.5", "::", "example.org"]) {
            expect(isLoopback(h)).toBe(false)
            const t = tokenFor(h, undefined)
            expect(t.generated).toBe(true)
            expect(t.token).toMatch(/^[A-Za-z0-9_-]{24}$/)
            expect(tokenFor(h, undefined).token).not.toBe(t.token)
        }
        expect(tokenFor("0.0.0.0", "mine")).toEqual({ token: "mine", generated: false })
        expect(tokenFor("127.0.0.1", "mine")).toEqual({ token: "mine", generated: false })
        expect(() => tokenFor("0.0.0.0", "")).toThrow(/--token needs a value/)
    })

    it("usage errors exit 2; no board exits 3", async () => {
        let err = ""
        const saved = { ...io }
        io.stderr = s => void (err += s)
        io.stdout = () => {}
        try {
            expect(await main(["--max-body", "x"])).toBe(2)
            expect(err).toMatch(/--max-body needs a whole number/)
            expect(await main(["--listen", "nope:"])).toBe(2)
            expect(await main(["extra"])).toBe(2)
            err = ""
            expect(await main(["--port", "/dev/no-such-board", "--listen", "127.0.0.1:0"])).toBe(3)
        } finally {
            Object.assign(io, saved)
        }
        expect(err).toMatch(/no serial port \/dev\/no-such-board/)
    })
})
