// `wasmlet bridge`'s argument checks (host/cli/bridge.ts through its main(), output captured by
// replacing _common's io): each mistake is a usage error (exit 2) that says what to give, before
// anything connects. (The command running for real is in test/bridge/sim.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { io } from "../../host/cli/_common"
import * as bridge from "../../host/cli/bridge"

let err = ""
let dir = ""
const saved = { stdout: io.stdout, stderr: io.stderr, connect: io.connect }

beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "wasmlet-bridge-cli-"))
    io.stdout = () => {}
    io.stderr = s => void (err += s)
})
afterAll(() => {
    Object.assign(io, saved)
    rmSync(dir, { recursive: true, force: true })
})

const usage = async (args: string[], message: RegExp) => {
    err = ""
    expect(await bridge.main(args)).toBe(2)
    expect(err).toMatch(message)
    expect(err).toContain("usage: wasmlet bridge")
}

describe("wasmlet bridge arguments", () => {
    it("takes one broker: --mqtt URL or --embedded-broker PORT, not both", async () => {
        await usage(["--mqtt", "mqtt://x:1", "--embedded-broker", "1883"], /give --mqtt URL or --embedded-broker PORT, not both/)
        await usage(["--embedded-broker", "0"], /--embedded-broker needs a whole number/)
        await usage(["--mqtt", "http://x:1"], /mqtt:\/\/HOST:PORT or mqtts:\/\/HOST:PORT/)
    })

    it("checks the version, the numbers, the install options and the files named", async () => {
        await usage(["--mqtt", "mqtt://x:1", "--mqtt-version", "3"], /--mqtt-version is 4 \(3.1.1\) or 5/)
        await usage(["--mqtt", "mqtt://x:1", "--queue=-4"], /--queue needs a whole number/)
        await usage(["--mqtt", "mqtt://x:1", "--poll", "soon"], /--poll needs a whole number/)
        await usage(["--mqtt", "mqtt://x:1", "--allow-install"], /--allow-install needs --trust KEY.pub/)
        await usage(["--mqtt", "mqtt://x:1", "--allow-install", "--trust", join(dir, "none.pub")], /--trust .*none.pub/)
        writeFileSync(join(dir, "junk.pub"), "not a key")
        await usage(["--mqtt", "mqtt://x:1", "--trust", join(dir, "junk.pub")], /--trust .*junk.pub/)
        await usage(["--mqtt", "mqtts://x:1", "--ca", join(dir, "ca.pem")], /--ca .*ca.pem: no such file/)
        await usage(["--mqtt", "mqtt://x:1", "--bogus"], /Unknown option '--bogus'/)
    })
})
