// `wasmlet sign` (host/cli/sign.ts) through its main(), with the output captured by replacing
// _common's io: a key pair made, an app signed and verified, a changed bundle and another key's
// bundle refused (exit 1), a module that does not validate refused before signing, usage errors
// (exit 2). And the bundle format itself (host/bridge/signing.ts).
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest"
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { io } from "../../host/cli/_common"
import * as sign from "../../host/cli/sign"
import { loadPrivateKey, loadPublicKey, signBundle, verifyBundle } from "../../host/bridge/signing"

const TIMER = join(import.meta.dirname, "../../apps/samples/timer/timer.wasm")

let dir = ""
let outText = ""
let errText = ""
const saved = { stdout: io.stdout, stderr: io.stderr }

beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wasmlet-sign-"))
    io.stdout = s => void (outText += s)
    io.stderr = s => void (errText += s)
})
afterEach(() => {
    outText = ""
    errText = ""
})
afterAll(() => {
    Object.assign(io, saved)
    rmSync(dir, { recursive: true, force: true })
})

describe("wasmlet sign", () => {
    it("makes a key pair, signs an app and verifies it", async () => {
        expect(await sign.main(["--keygen", join(dir, "k"), "--json"])).toBe(0)
        const made = JSON.parse(outText)
        expect(made.keyId).toMatch(/^[0-9a-f]{16}$/)
        expect(statSync(join(dir, "k")).mode & 0o777).toBe(0o600)
        outText = ""
        expect(await sign.main(["--key", join(dir, "k"), TIMER, "-o", join(dir, "timer.signed")])).toBe(0)
        expect(outText).toMatch(new RegExp(`app timer, signed by key ${made.keyId}`))
        const bundle = readFileSync(join(dir, "timer.signed"))
        // 77 B of header, then the signed name (its length and "timer"), then the .wasm
        expect(bundle.length).toBe(readFileSync(TIMER).length + 77 + 1 + 5)
        expect(bundle.subarray(77, 83).toString("latin1")).toBe("\x05timer")
        expect(bundle.subarray(83).equals(readFileSync(TIMER))).toBe(true)
        outText = ""
        expect(await sign.main(["--verify", join(dir, "k.pub"), join(dir, "timer.signed"), "--json"])).toBe(0)
        expect(JSON.parse(outText)).toEqual({ ok: true, keyId: made.keyId, name: "timer", wasmBytes: readFileSync(TIMER).length })
        outText = ""
        expect(await sign.main(["--key", join(dir, "k"), "--name", "blink", TIMER, "-o", join(dir, "blink.signed"), "--json"])).toBe(0)
        expect(JSON.parse(outText)).toMatchObject({ name: "blink" })
    })

    it("refuses a changed bundle, another key's bundle and a bare .wasm", async () => {
        await sign.main(["--keygen", join(dir, "a")])
        await sign.main(["--keygen", join(dir, "b")])
        await sign.main(["--key", join(dir, "a"), TIMER, "-o", join(dir, "t.signed")])
        const b = readFileSync(join(dir, "t.signed"))
        b[b.length - 1] ^= 0x40
        writeFileSync(join(dir, "t.changed"), b)
        outText = ""
        expect(await sign.main(["--verify", join(dir, "a.pub"), join(dir, "t.changed")])).toBe(1)
        expect(outText).toMatch(/bad signature/)
        outText = ""
        expect(await sign.main(["--verify", join(dir, "b.pub"), join(dir, "t.signed")])).toBe(1)
        expect(outText).toMatch(/does not trust/)
        outText = ""
        expect(await sign.main(["--verify", join(dir, "a.pub"), TIMER])).toBe(1)
        expect(outText).toMatch(/not a signed bundle/)
        // the same checks on the library, with two trusted keys: either one's bundle passes
        const two = [loadPublicKey(join(dir, "a.pub")), loadPublicKey(join(dir, "b.pub"))]
        expect(verifyBundle(signBundle(readFileSync(TIMER), loadPrivateKey(join(dir, "b")), "timer"), two).ok).toBe(true)
    })

    it("refuses to sign a module the board cannot run, and says what is missing", async () => {
        await sign.main(["--keygen", join(dir, "c")])
        writeFileSync(join(dir, "junk.wasm"), Buffer.from("\0asm\x01\0\0\0\x05\x01"))
        errText = ""
        expect(await sign.main(["--key", join(dir, "c"), join(dir, "junk.wasm")])).toBe(1)
        expect(errText).toMatch(/not a module the board can run/)
        expect(await sign.main([TIMER])).toBe(2)
        expect(errText).toMatch(/give one of --keygen/)
        expect(await sign.main(["--key", join(dir, "nope"), TIMER])).toBe(2)
        expect(errText).toMatch(/cannot read key .*nope: no such file/)
    })
})
