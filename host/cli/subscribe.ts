// wasmlet subscribe URL [--count N] [--port PATH | --sim] [--json] [--timeout MS]
//
// Subscribes the host to an event url (as apps publish it: `alert/overheat`) and prints each event
// as it comes, until Ctrl-C or --count events (exit 0); unsubscribes on the way out. A line per
// event: `URL from SENDER: PAYLOAD` (an attr_container as JSON, else text or hex); --json: one object
// per line, {url, sender, fmt, payload (JSON or null), text, hex}.
import type { AppEvent } from "../link/client"
import { payloadJson } from "./_attr-json"
import { EXIT, TARGET_HELP, TARGET_USAGE, UsageError, runCommand, untilInterrupted, withBoard } from "./_common"

export const summary = "print the events an app publishes on a url, until Ctrl-C [--count N]"

const USAGE = `usage: wasmlet subscribe URL [--count N] ${TARGET_USAGE}
  URL        the event url as apps publish it (alert/overheat)
  --count N  stop after N events
${TARGET_HELP}`

export function eventJson(e: AppEvent) {
    const json = payloadJson(e.fmt, e.payload)
    const b = Buffer.from(e.payload)
    const text = json === null && b.length > 0 && !b.some(c => c < 9 || (c > 13 && c < 32)) ? b.toString("utf8") : null
    return { url: e.url, sender: e.sender, fmt: e.fmt, payload: json, text, hex: b.toString("hex") }
}

export function formatEvent(e: AppEvent): string {
    const j = eventJson(e)
    const body = j.payload !== null ? JSON.stringify(j.payload) : j.text !== null ? j.text : e.payload.length ? j.hex : "(no payload)"
    return `${e.url} from ${e.sender}: ${body}`
}

export async function main(args: string[], signal?: AbortSignal): Promise<number> {
    return runCommand("subscribe", USAGE, args, { options: { count: { type: "string" } }, min: 1, max: 1 }, async (p, out) => {
        const url = p.positionals[0]
        let count = Infinity
        if (p.values.count !== undefined) {
            count = Number(p.values.count)
            if (!(Number.isInteger(count) && count > 0)) throw new UsageError("--count needs a whole number of events")
        }
        return withBoard(p.target, async b => {
            const stop = new AbortController()
            signal?.addEventListener("abort", () => stop.abort())
            let seen = 0
            const unsubscribe = await b.client.subscribe(url, e => {
                if (seen >= count) return
                out.item(eventJson(e), formatEvent(e))
                if (++seen >= count) stop.abort()
            })
            out.note(`subscribed to ${url} on ${b.label}${count < Infinity ? `: ${count} events` : " (Ctrl-C stops)"}`)
            try {
                await untilInterrupted(stop.signal)
            } finally {
                await unsubscribe().catch((): void => undefined) // the board may be gone; the subscription dies with the link
            }
            return EXIT.OK
        })
    })
}
