// wasmlet request METHOD URL [--payload JSON | --payload @file.json] [--port PATH | --sim] [--json] [--timeout MS]
//
// Sends a request to an app's resource (`/app/NAME/res`, or a url an app registered) as the host, and
// prints the app's response: its status (CoAP style, `2.05 content`) and payload (an attr_container
// shown as JSON, other payloads as text or hex). The payload is built from the JSON object as WAMR's
// host_tool builds it (_attr-json.ts). Exit 1 when the app answers an error (4.xx or 5.xx).
// --json: {status, code, name, fmt, payload (JSON or null), text, hex}.
import { readFileSync } from "node:fs"
import type { AppResponse } from "../link/client"
import { FMT_ATTR_CONTAINER, jsonToAttr, payloadJson } from "./_attr-json"
import { EXIT, TARGET_HELP, TARGET_USAGE, UsageError, runCommand, withBoard } from "./_common"

export const summary = "send a request to an app's resource and print its response [--payload JSON]"

const USAGE = `usage: wasmlet request METHOD URL [--payload JSON | --payload @FILE] ${TARGET_USAGE}
  METHOD     GET, POST, PUT or DELETE
  URL        /app/NAME/RESOURCE, or a url an app registered
  --payload  a JSON object, sent as an attr_container (numbers double, booleans, strings,
             arrays of numbers as bytes); @FILE reads it from a file
${TARGET_HELP}`

const METHODS = ["GET", "POST", "PUT", "DELETE"]

/** WAMR's status codes (../shared/wamr-app-abi.md §6) by name. */
const STATUS_NAMES: Record<number, string> = {
    65: "created",
    66: "deleted",
    67: "valid",
    68: "changed",
    69: "content",
    95: "continue",
    128: "bad request",
    129: "unauthorized",
    130: "bad option",
    131: "forbidden",
    132: "not found",
    133: "method not allowed",
    134: "not acceptable",
    140: "precondition failed",
    141: "request entity too large",
    143: "unsupported media type",
    160: "internal server error",
    161: "not implemented",
    162: "bad gateway",
    163: "service unavailable",
    164: "gateway timeout",
    165: "proxying not supported",
}

/** A status byte as CoAP writes it: class.detail (69 -> "2.05"). */
export function coapCode(status: number): string {
    return `${status >> 5}.${String(status & 31).padStart(2, "0")}`
}

export function statusText(status: number): string {
    const name = STATUS_NAMES[status]
    return name ? `${coapCode(status)} ${name}` : coapCode(status)
}

/** The --payload argument as the attr_container to send (UsageError when it is not a JSON object). */
export function payloadArg(arg: string | undefined): Uint8Array | undefined {
    if (arg === undefined) return undefined
    let text = arg
    if (arg.startsWith("@")) {
        try {
            text = readFileSync(arg.slice(1), "utf8")
        } catch (e: any) {
            throw new UsageError(`cannot read ${arg.slice(1)}: ${e.message}`)
        }
    }
    try {
        return jsonToAttr(text)
    } catch (e: any) {
        throw new UsageError(`--payload: ${e.message}`)
    }
}

const printable = (b: Uint8Array) => b.every(c => c === 9 || c === 10 || c === 13 || (c >= 32 && c !== 127))

export function responseJson(r: AppResponse) {
    const json = payloadJson(r.fmt, r.payload)
    const hex = Buffer.from(r.payload).toString("hex")
    const text = json === null && r.payload.length > 0 && printable(r.payload) ? Buffer.from(r.payload).toString("utf8") : null
    return { status: r.status, code: coapCode(r.status), name: STATUS_NAMES[r.status] ?? null, fmt: r.fmt, payload: json, text, hex }
}

/** The human form: the status line, then the payload (JSON, text, or hex with its format). */
export function formatResponse(r: AppResponse): string[] {
    const j = responseJson(r)
    const lines = [statusText(r.status)]
    if (j.payload !== null) lines.push(JSON.stringify(j.payload, null, 2))
    else if (j.text !== null) lines.push(j.text.replace(/\n$/, ""))
    else if (r.payload.length > 0) lines.push(`(${r.payload.length} bytes, fmt ${r.fmt}) ${j.hex}`)
    return lines
}

export async function main(args: string[]): Promise<number> {
    return runCommand("request", USAGE, args, { options: { payload: { type: "string" } }, min: 2, max: 2 }, async (p, out) => {
        const method = p.positionals[0].toUpperCase()
        const url = p.positionals[1]
        if (!METHODS.includes(method)) throw new UsageError(`unknown method ${p.positionals[0]} (GET, POST, PUT, DELETE)`)
        const payload = payloadArg(p.values.payload as string | undefined)
        return withBoard(p.target, async b => {
            const r = await b.client.request(method, url, { payload, fmt: payload ? FMT_ATTR_CONTAINER : undefined, timeoutMs: p.target.timeoutMs })
            out.result(responseJson(r), formatResponse(r))
            return r.status >= 128 ? EXIT.REFUSED : EXIT.OK
        })
    })
}
