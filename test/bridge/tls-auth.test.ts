// The bridge on a broker that wants TLS with client certificates and a user name and password
// (mosquitto with require_certificate and a password file; certificates made here with openssl):
// with the CA, its certificate and the right password the board's state arrives; with a wrong
// password the broker refuses the bridge and nothing is published.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { execFileSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ManagerClient } from "../../host/link/client"
import { BoardBridge } from "../../host/bridge/board-bridge"
import { NodeBoard } from "../link/node-board"
import { freePort, Mosquitto } from "./mosquitto"
import { Watcher } from "./watcher"

function makeCerts(dir: string): void {
    const ssl = (...a: string[]) => execFileSync("openssl", a, { cwd: dir, stdio: "ignore" })
    ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=wasmlet test CA")
    for (const [name, cn, ext] of [
        ["server", "127.0.0.1", "subjectAltName=IP:127.0.0.1"],
        ["client", "bridge", "extendedKeyUsage=clientAuth"],
    ]) {
        ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${cn}`)
        execFileSync("sh", ["-c", `printf '%s\\n' '${ext}' > ${name}.ext`], { cwd: dir })
        ssl("x509", "-req", "-in", `${name}.csr`, "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", `${name}.crt`, "-days", "2", "-extfile", `${name}.ext`)
    }
    execFileSync("mosquitto_passwd", ["-b", "-c", join(dir, "passwd"), "fleet", "s3cret"], { stdio: "ignore" })
}

describe("bridge over TLS with a client certificate and a password", () => {
    let certs: string
    let broker: Mosquitto
    let board: NodeBoard
    let client: ManagerClient
    const tls = () => ({ ca: readFileSync(join(certs, "ca.crt")), cert: readFileSync(join(certs, "client.crt")), key: readFileSync(join(certs, "client.key")) })

    beforeAll(async () => {
        certs = mkdtempSync(join(tmpdir(), "wasmlet-tls-"))
        makeCerts(certs)
        const conf = [`cafile ${certs}/ca.crt`, `certfile ${certs}/server.crt`, `keyfile ${certs}/server.key`, "require_certificate true", `password_file ${certs}/passwd`, "allow_anonymous false", ""].join("\n")
        broker = new Mosquitto(await freePort(), false, conf, "mqtts")
        await broker.start()
        board = await new NodeBoard().boot()
        client = new ManagerClient(board.channel, { resendMs: 100 })
    }, 30_000)

    afterAll(async () => {
        client?.close()
        board?.halt()
        await broker?.dispose()
        if (certs) rmSync(certs, { recursive: true, force: true })
    })

    it("publishes the board's state with the right credentials", async () => {
        const watcher = await Watcher.connect(broker.url, ["wasmlet/#"], { ...tls(), username: "fleet", password: "s3cret" })
        const bridge = await new BoardBridge({ url: broker.url, id: "secure", client, mqtt: { ...tls(), username: "fleet", password: "s3cret" } }).start()
        try {
            const s = await watcher.waitFor("wasmlet/secure/state")
            expect(s.json).toMatchObject({ online: true, device: "secure", board: "simulator", apps: [] })
        } finally {
            await bridge.close()
            await watcher.close()
        }
    })

    it("is refused with a wrong password, and publishes nothing", async () => {
        const watcher = await Watcher.connect(broker.url, ["wasmlet/#"], { ...tls(), username: "fleet", password: "s3cret" })
        const notes: string[] = []
        const bridge = new BoardBridge({ url: broker.url, id: "intruder", client, log: s => notes.push(s), mqtt: { ...tls(), username: "fleet", password: "wrong", protocolVersion: 5 } })
        await expect(bridge.start()).rejects.toThrow(/refused the connection: .*(Not authorized|Bad User Name or Password)/i)
        expect(bridge.isConnected).toBe(false)
        expect(notes.join("\n")).toMatch(/Not authorized|Bad User Name or Password/i)
        expect(watcher.seen.filter(s => s.topic.startsWith("wasmlet/intruder/"))).toEqual([])
        await bridge.close()
        await watcher.close()
    })
})
