// One Server-Sent Events stream to one HTTP client, bounded: messages go out as fast as the client
// reads; while its socket is full (write() said false) they wait in a buffer of at most maxBytes,
// and what does not fit is dropped and counted (the client is told with an `event: dropped` once it
// drains). send() never waits, so a slow or stalled client never holds up the board's link.
import type { ServerResponse } from "node:http"

export interface SseOptions {
    /** Bytes waiting for a slow client at most (default 64 KiB). */
    maxBytes?: number
    /** A comment line this often keeps proxies and idle sockets open (ms; default 15000; 0: none). */
    pingMs?: number
}

export class SseStream {
    dropped = 0
    sent = 0
    closed = false
    private queue: string[] = []
    private queued = 0
    private reported = 0
    private blocked = false
    private ping?: NodeJS.Timeout
    private closers: (() => void)[] = []
    readonly maxBytes: number

    constructor(readonly res: ServerResponse, o: SseOptions = {}) {
        this.maxBytes = o.maxBytes ?? 65536
        res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-store", connection: "keep-alive", "x-accel-buffering": "no" })
        res.flushHeaders()
        res.write(": wasmlet\n\n")
        res.on("drain", () => this.drain())
        res.on("close", () => this.close())
        const pingMs = o.pingMs ?? 15000
        if (pingMs > 0) this.ping = setInterval(() => this.write(": ping\n\n"), pingMs)
    }

    /** Runs fn when the stream ends (client gone or close()). */
    onClose(fn: () => void): void {
        if (this.closed) fn()
        else this.closers.push(fn)
    }

    /** Queues one event; false when it was dropped (the client is too far behind) or the stream is closed. */
    send(event: string, data: unknown): boolean {
        return this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
    }

    /** Bytes waiting for the client now. */
    get pending(): number {
        return this.queued
    }

    private write(chunk: string): boolean {
        if (this.closed) return false
        if (this.blocked) {
            if (this.queued + chunk.length > this.maxBytes) {
                if (!chunk.startsWith(":")) this.dropped++
                return false
            }
            this.queue.push(chunk)
            this.queued += chunk.length
            return true
        }
        this.sent++
        if (!this.res.write(chunk)) this.blocked = true
        return true
    }

    private drain(): void {
        this.blocked = false
        while (this.queue.length && !this.blocked) {
            const c = this.queue.shift()!
            this.queued -= c.length
            this.sent++
            if (!this.res.write(c)) this.blocked = true
        }
        if (!this.blocked && this.dropped > this.reported) {
            this.reported = this.dropped
            this.write(`event: dropped\ndata: ${JSON.stringify({ dropped: this.dropped })}\n\n`)
        }
    }

    close(): void {
        if (this.closed) return
        this.closed = true
        clearInterval(this.ping)
        this.queue = []
        this.queued = 0
        if (!this.res.writableEnded) this.res.end()
        for (const fn of this.closers.splice(0)) {
            try {
                fn()
            } catch {}
        }
    }
}
