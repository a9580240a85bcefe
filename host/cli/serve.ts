// wasmlet serve [--listen HOST:PORT] [--sim | --port PATH] [--device ID] [--token T] [--read-only]
//               [--max-body BYTES] [--max-upload BYTES] [--timeout MS]
//
// The HTTP gateway (host/gateway/): the connected boards' apps as REST resources, their events and
// console as Server-Sent Events, install/uninstall by upload, an OpenAPI document and the web
// dashboard, until Ctrl-C. Loopback by default; any other address needs a token (--token, or one is
// generated and printed). Prints `listening on http://HOST:PORT/` (the real port with :0) once it
// serves, and one line per board found.
import { randomBytes } from "node:crypto"
import { EXIT, TARGET_HELP, UsageError, io, quietJacdac, runCommand, boardsTarget, untilInterrupted } from "./_common"

export const summary = "serve the boards' apps over HTTP: REST, events, logs, install, dashboard [--listen HOST:PORT]"

const USAGE = `usage: wasmlet serve [--listen HOST:PORT] [--port PATH | --sim] [--device ID] [--token T]
                     [--read-only] [--max-body BYTES] [--max-upload BYTES] [--timeout MS]
  --listen HOST:PORT  where to listen (default 127.0.0.1:8080; :0 picks a free port)
  --token T           required on every route (Authorization: Bearer T, or ?token=T); needed for
                      an address that is not loopback (one is generated and printed when not given)
  --read-only         no install or uninstall
  --max-body BYTES    largest request body to an app (default 16384)
  --max-upload BYTES  largest .wasm upload (default 262144)
  --timeout MS        wait this long for an app's answer (then 504) and for the first board
${TARGET_HELP}
routes: host/gateway/README.md, or GET /openapi.json`

/** "127.0.0.1:8080", ":8080", "[::1]:8080", "8080" -> host and port. */
export function parseListen(s: string): { host: string; port: number } {
    const m = /^(\d+)$/.exec(s) ?? /^\[([^\]]+)\]:(\d+)$/.exec(s) ?? /^([^:[\]]*):(\d+)$/.exec(s)
    if (!m) throw new UsageError(`--listen needs HOST:PORT, got ${JSON.stringify(s)}`)
    const port = Number(m[m.length - 1])
    if (port > 65535) throw new UsageError(`--listen: port ${port} is out of range`)
    return { host: (m.length === 3 && m[1]) || "127.0.0.1", port }
}

export function isLoopback(host: string): boolean {
    return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/** The token to require: the one given; else, off loopback, a generated one; else none. */
export function tokenFor(host: string, given: string | undefined): { token?: string; generated: boolean } {
    if (given === "") throw new UsageError("--token needs a value")
    if (given) return { token: given, generated: false }
    if (isLoopback(host)) return { generated: false }
    return { token: randomBytes(18).toString("base64url"), generated: true }
}

function bytesOption(v: unknown, name: string, dflt: number): number {
    if (v === undefined) return dflt
    const n = Number(v)
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} needs a whole number of bytes`)
    return n
}

export async function main(args: string[], signal?: AbortSignal): Promise<number> {
    const options = {
        listen: { type: "string" },
        token: { type: "string" },
        "read-only": { type: "boolean" },
        "max-body": { type: "string" },
        "max-upload": { type: "string" },
    } as const
    return runCommand("serve", USAGE, args, { options, min: 0, max: 0 }, async (p, out) => {
        const { host, port } = parseListen((p.values.listen as string) ?? "127.0.0.1:8080")
        const { token, generated } = tokenFor(host, p.values.token as string | undefined)
        const maxBody = bytesOption(p.values["max-body"], "max-body", 16384)
        const maxUpload = bytesOption(p.values["max-upload"], "max-upload", 262144)
        quietJacdac()
        const { openBoards } = await import("../link/boards")
        const { Gateway } = await import("../gateway/server")
        const t = p.target
        let gateway: InstanceType<typeof Gateway> | undefined
        const served = await openBoards({
            ...boardsTarget(t),
            onBoard: b => gateway && out.note(`board ${b.shortId} (${b.id}): ${b.label}`),
        })
        try {
            gateway = new Gateway({ boards: served.boards, token, readOnly: p.values["read-only"] === true, maxBody, maxUpload, timeoutMs: t.timeoutMs })
            const addr = await gateway.listen(port, host)
            for (const b of served.boards) out.note(`board ${b.shortId} (${b.id}): ${b.label}`)
            const shown = addr.family === "IPv6" ? `[${addr.address}]` : addr.address
            if (generated) out.note(`token (generated; give it as Authorization: Bearer TOKEN or ?token=TOKEN): ${token}`)
            out.note(`listening on http://${shown}:${addr.port}/${p.values["read-only"] ? " (read-only)" : ""} (Ctrl-C stops)`)
            if (t.json) io.stdout(JSON.stringify({ url: `http://${shown}:${addr.port}/`, token: generated ? token : undefined, boards: served.boards.map(b => ({ id: b.id, shortId: b.shortId, label: b.label })) }) + "\n")
            await untilInterrupted(signal)
            return EXIT.OK
        } finally {
            await gateway?.close()
            await served.close()
        }
    })
}

