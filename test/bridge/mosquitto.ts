// A real mosquitto (Debian's /usr/sbin/mosquitto, MQTT 5) for the bridge tests: started on a free
// loopback port with a temporary config (anonymous; run as the user running the tests, since as
// root mosquitto switches to user mosquitto, who cannot write the temporary folder), stopped with
// SIGTERM and restartable on the same port. Persistent, it saves sessions and retained messages at
// exit, as a production broker does, so a subscriber with a session misses nothing published
// after the restart.
import { ChildProcess, spawn } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer, connect } from "node:net"
import { tmpdir, userInfo } from "node:os"
import { join } from "node:path"

export const MOSQUITTO = "/usr/sbin/mosquitto"

export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = createServer()
        s.once("error", reject)
        s.listen(0, "127.0.0.1", () => {
            const p = (s.address() as { port: number }).port
            s.close(() => resolve(p))
        })
    })
}

function answers(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const s = connect({ port, host: "127.0.0.1" })
        s.once("connect", () => (s.destroy(), resolve(true)))
        s.once("error", () => resolve(false))
    })
}

export class Mosquitto {
    private proc?: ChildProcess
    readonly dir = mkdtempSync(join(tmpdir(), "wasmlet-mosquitto-"))
    log = ""

    /** persistent: sessions, subscriptions and retained messages kept across a restart (saved at exit). */
    constructor(
        readonly port: number,
        persistent = false,
        /** More lines of mosquitto.conf for the listener (TLS files, a password file...). */
        extra = "",
        readonly scheme = "mqtt"
    ) {
        const keep = persistent ? `persistence true\npersistence_location ${this.dir}/\nautosave_interval 0\n` : "persistence false\n"
        writeFileSync(join(this.dir, "mosquitto.conf"), `listener ${port} 127.0.0.1\n${extra.includes("allow_anonymous") ? "" : "allow_anonymous true\n"}${extra}user ${userInfo().username}\n${keep}log_dest stderr\nlog_type error\nlog_type warning\n`)
    }

    get url(): string {
        return `${this.scheme}://127.0.0.1:${this.port}`
    }

    static async start(persistent = false): Promise<Mosquitto> {
        const m = new Mosquitto(await freePort(), persistent)
        await m.start()
        return m
    }

    async start(): Promise<void> {
        const p = spawn(MOSQUITTO, ["-c", join(this.dir, "mosquitto.conf")], { stdio: ["ignore", "ignore", "pipe"] })
        p.stderr!.on("data", d => (this.log += d))
        this.proc = p
        const t0 = Date.now()
        while (!(await answers(this.port))) {
            if (p.exitCode !== null) throw new Error(`mosquitto exited ${p.exitCode}: ${this.log}`)
            if (Date.now() - t0 > 5000) throw new Error(`mosquitto did not listen on ${this.port}: ${this.log}`)
            await new Promise(r => setTimeout(r, 30))
        }
    }

    async stop(): Promise<void> {
        const p = this.proc
        if (!p || p.exitCode !== null) return
        const gone = new Promise(r => p.once("exit", r))
        p.kill("SIGTERM")
        await gone
        this.proc = undefined
    }

    async dispose(): Promise<void> {
        await this.stop()
        rmSync(this.dir, { recursive: true, force: true })
    }
}
