// wasmlet bridge --mqtt URL [--id DEV] [--prefix P] [--events URL,URL] [--user U --password P]
//                [--ca F] [--cert F --key F] [--mqtt-version 4|5] [--allow-install --trust KEY.pub,...]
//                [--embedded-broker PORT] [--poll MS] [--queue N] [--port PATH | --sim] [--device ID]
//
// Connects the boards on this host to an MQTT broker until Ctrl-C: every board on the links the
// target options open (--sim: every simulated board; --port PATH: that one; neither: all of them;
// --device ID: just that one), and boards that announce later (host/link/boards.ts finds them;
// host/bridge/board-bridge.ts does the work per board, on a connection of its own; its README
// lists the topics). A fleet is the boards of many hosts meeting at one broker; each board's
// topics carry its device id (--id renames one board's). Without --mqtt (or with
// --embedded-broker PORT, default 1883) it starts an MQTT
// broker in this process (aedes, MQTT 3.1.1) and bridges to it, for demos without a broker.
// It keeps trying a broker that does not answer (mqtt.js reconnects, with backoff). Exit codes: 0
// after Ctrl-C, 2 usage, 3 no board or the broker refused the connection (credentials).
import { readFileSync } from "node:fs"
import { EXIT, TARGET_HELP, TARGET_USAGE, UsageError, quietJacdac, runCommand, boardsTarget, untilInterrupted } from "./_common"
import type { LinkedBoard } from "../link/boards"

export const summary = "connect the boards on this host to an MQTT broker (events, state, desired config, requests, signed installs) until Ctrl-C"

const USAGE = `usage: wasmlet bridge --mqtt URL [options] ${TARGET_USAGE}
  --mqtt URL            mqtt://HOST:PORT or mqtts://HOST:PORT
  --embedded-broker P   instead of --mqtt: an MQTT broker in this process on port P (aedes, 3.1.1);
                        with neither, --embedded-broker 1883
  --id DEV              the board's id in topics (default its device id; only with one board)
  --prefix P            topic prefix (default wasmlet): P/DEV/events/URL, state, desired, reported, request/, install/
  --events URL,URL      event urls to forward (the desired document's "events" are added)
  --user U --password P broker credentials       --ca F --cert F --key F   TLS (PEM files)
  --mqtt-version 4|5    MQTT 3.1.1 or 5 (default: 5, or 3.1.1 when the broker refuses 5)
  --allow-install       accept remote installs (PREFIX/DEV/install/NAME) signed by a --trust key
  --trust KEY.pub,...   public keys from \`wasmlet sign --keygen\`
  --poll MS             how often the app list is read for state (default 3000)
  --queue N             events kept while the broker is away (default 1000; more are dropped and counted)
${TARGET_HELP}`

const OPTIONS = {
    mqtt: { type: "string" },
    "embedded-broker": { type: "string" },
    id: { type: "string" },
    prefix: { type: "string" },
    events: { type: "string" },
    user: { type: "string" },
    password: { type: "string" },
    ca: { type: "string" },
    cert: { type: "string" },
    key: { type: "string" },
    "mqtt-version": { type: "string" },
    "allow-install": { type: "boolean" },
    trust: { type: "string" },
    poll: { type: "string" },
    queue: { type: "string" },
} as const

function file(name: string, path: string | undefined): Buffer | undefined {
    if (path === undefined) return undefined
    try {
        return readFileSync(path)
    } catch (e: any) {
        throw new UsageError(`--${name} ${path}: ${e.code === "ENOENT" ? "no such file" : e.message}`)
    }
}

function count(name: string, s: string | undefined, dflt: number): number {
    if (s === undefined) return dflt
    const n = Number(s)
    if (!(Number.isInteger(n) && n > 0)) throw new UsageError(`--${name} needs a whole number`)
    return n
}

export async function main(args: string[], signal?: AbortSignal): Promise<number> {
    return runCommand("bridge", USAGE, args, { options: OPTIONS, min: 0, max: 0 }, async (p, out) => {
        const v = p.values as Record<string, string | boolean | undefined>
        const str = (k: string) => v[k] as string | undefined
        if (str("mqtt") && str("embedded-broker")) throw new UsageError("give --mqtt URL or --embedded-broker PORT, not both")
        // no broker named: one in this process on the default port, for a demo with nothing installed
        if (!str("mqtt") && !str("embedded-broker")) v["embedded-broker"] = "1883"
        if (str("mqtt") && !/^mqtts?:\/\//.test(str("mqtt")!)) throw new UsageError("--mqtt needs mqtt://HOST:PORT or mqtts://HOST:PORT")
        const version = str("mqtt-version") === undefined ? (str("embedded-broker") ? 4 : undefined) : Number(str("mqtt-version"))
        if (version !== undefined && version !== 4 && version !== 5) throw new UsageError("--mqtt-version is 4 (3.1.1) or 5")
        if (v["allow-install"] && !str("trust")) throw new UsageError("--allow-install needs --trust KEY.pub (the keys whose signed bundles install)")
        const signing = await import("../bridge/signing")
        const trust = (str("trust") ?? "").split(",").filter(s => s).map(f => {
            try {
                return signing.loadPublicKey(f)
            } catch (e: any) {
                throw new UsageError(`--trust ${f}: ${e.message}`)
            }
        })
        const tls = { ca: file("ca", str("ca")), cert: file("cert", str("cert")), key: file("key", str("key")) }
        const pollMs = count("poll", str("poll"), 3000)
        const queueLimit = count("queue", str("queue"), 1000)
        const events = (str("events") ?? "").split(",").map(s => s.trim()).filter(s => s)

        let broker: { url: string; close(): Promise<void> } | undefined
        if (str("embedded-broker")) {
            const { startEmbeddedBroker } = await import("../bridge/embedded-broker")
            broker = await startEmbeddedBroker(count("embedded-broker", str("embedded-broker"), 1883))
            out.note(`embedded MQTT broker (aedes) on ${broker.url}`)
        }
        quietJacdac()
        const { openBoards } = await import("../link/boards")
        const { BoardBridge } = await import("../bridge/board-bridge")
        const brokerUrl = broker?.url ?? str("mqtt")!
        const t = p.target
        const bridges: InstanceType<typeof BoardBridge>[] = []
        let ready = false
        const bridgeBoard = async (b: LinkedBoard) => {
            if (str("id") && bridges.length) return out.note(`board ${b.shortId} (${b.id}) joined ${b.label}: not bridged (--id names one board)`)
            const id = str("id") ?? b.id
            const bridge = new BoardBridge({
                url: brokerUrl,
                id,
                client: b.client,
                prefix: str("prefix"),
                events,
                pollMs,
                queueLimit,
                allowInstall: v["allow-install"] === true,
                trust,
                mqtt: { ...(version ? { protocolVersion: version as 4 | 5 } : {}), username: str("user"), password: str("password"), ...tls },
                log: s => out.note(`bridge ${id}: ${s}`),
            })
            bridges.push(bridge)
            out.note(`connecting ${b.label} to ${brokerUrl} as ${bridge.topics.base}`)
            await bridge.start()
            out.note(`bridging ${b.label} as ${bridge.topics.base} on ${brokerUrl}${ready ? "" : " (Ctrl-C stops)"}`)
        }
        const served = await openBoards({
            ...boardsTarget(t),
            // a board that announces later (one more simulated board, a board plugged in) is bridged too
            onBoard: b => ready && void bridgeBoard(b).catch(e => out.note(`bridge ${b.shortId}: ${e.message}`)),
        })
        try {
            if (str("id") && served.boards.length > 1)
                throw new UsageError(`--id names one board, and ${served.boards.length} answer (${served.boards.map(b => b.shortId).join(", ")}): pick one with --device ID`)
            for (const b of served.boards) await bridgeBoard(b)
            ready = true
            await untilInterrupted(signal)
            return EXIT.OK
        } finally {
            for (const b of bridges) await b.close()
            await served.close()
            await broker?.close()
        }
    })
}
