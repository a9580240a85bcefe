// The Wasmlet Manager's commands one by one, as the device knows them (services/wasmletmanager.md):
// put, get, remove, load, unload, list, request, subscribe, logs; and the reports the board sends
// by itself (console lines, events, responses). ManagerClient (client.ts) plans with these.
//
// How a command travels: it carries a tag, the device echoes it in its `result`, and results with
// other tags (late repeats, other hosts on the same bus) are ignored. A command whose result does
// not come within `resendMs` is sent again with the same tag (every command is safe to repeat),
// after a `busy` the wait goes on `busyMs` more, then it is sent again (not counted as a try);
// after `tries` sends it fails with LinkTimeoutError. A
// non-ok result is a ManagerError with the device's status and message. Nothing here serialises:
// the caller sends one command at a time (the device answers a second one `busy` anyway).
import { Cmd, Rep, Status, fletcher16 } from "../../manager/protocol"
import type { ManagerChannel } from "./channel"
import { LinkTimeoutError, ManagerError, NoBoardError } from "./errors"
import { Reassembler, split } from "./fragments"
import { AppReport, BoardReport, LogLine, REP_STORED, Result, decodeApp, decodeBoard, decodeLog, decodeResult, decodeStored, pack, unpack } from "./packets"

export interface LinkTiming {
    /** Resend a command whose result has not come after this long (ms). */
    resendMs: number
    /** Sends of one command before giving up (a `resend` answer counts as one). */
    tries: number
    /** Wait for load's result this long per send (the device reads, decompresses, checks and starts the app). */
    loadMs: number
    loadTries: number
    /** After a `busy`, wait this long for the real result before sending again; at most `busyTries` per command. */
    busyMs: number
    busyTries: number
    /** Wait for an app's response to a request this long (ms) after the request is in. */
    responseMs: number
    /**
     * Chunk puts kept in flight during an upload (the device lets up to 4 commands wait their
     * turn behind the one it handles; more are answered busy). 1: stop-and-wait. Measured in the
     * simulator (timer sample, 10 chunks): 1330 ms with 1, 1175 ms with 2, 1187 ms with 4.
     */
    window: number
}

export const DEFAULT_TIMING: LinkTiming = {
    resendMs: 300,
    tries: 8,
    loadMs: 15_000,
    loadTries: 3,
    busyMs: 100,
    busyTries: 100,
    responseMs: 5000,
    window: 4,
}

/** What a tagged exchange sends and how it waits. */
export interface Exchange {
    code: number
    /** The payloads to send for this tag (several: the fragments of one request, the last answered). */
    payloads: (tag: number) => Uint8Array[]
    timeoutMs?: number
    tries?: number
    /** What is being done, for errors ("put w3"). */
    what: string
    /** Called before every send (a resend starts a collection over). */
    onSend?: (tag: number) => void
    /** Every report other than results, while waiting. */
    onReport?: (code: number, payload: Uint8Array) => void
    /** A result with the tag that must be sent again (it is counted as a try): e.g. `resend`. */
    again?: (r: Result) => boolean
}

export interface RawList {
    apps: AppReport[]
    board: BoardReport
}

/** A whole response to the host (framework/packets.ts layout), parsed. */
export interface AppResponse {
    /** CoAP-style code as WAMR packs it (69 = 2.05 content, 132 = 4.04 not found, ...). */
    status: number
    fmt: number
    mid: number
    payload: Uint8Array
}

export class Wire {
    readonly timing: LinkTiming
    private tagCounter = Math.floor(Math.random() * 0x10000)
    private waiters = new Set<(code: number, payload: Uint8Array) => void>()
    private logListeners = new Set<(l: LogLine) => void>()
    private eventListeners = new Set<(packed: Buffer) => void>()
    private responseListeners = new Set<(r: AppResponse) => void>()
    private responses = new Reassembler()
    private events = new Reassembler()
    private unsubscribe: () => void
    private offLinkState: () => void
    /** Set while the link is down: every command fails with it at once. */
    private gone?: NoBoardError
    /** The waits of the commands in flight, to end at once when the link goes. */
    private aborts = new Set<() => void>()
    /** What the last answer to each command code took (ms, from its first send, divided by the commands in flight then). */
    private took = new Map<number, number>()
    /** Exchanges waiting for their results now. */
    private inflight = 0
    /** Commands sent, and how many of those were sent again (timeouts, `resend`), for measurements. */
    sends = 0
    resends = 0

    constructor(
        readonly channel: ManagerChannel,
        timing: Partial<LinkTiming> = {}
    ) {
        this.timing = { ...DEFAULT_TIMING, ...timing }
        this.unsubscribe = channel.onReport((code, payload) => this.dispatch(code, payload))
        this.offLinkState =
            channel.onLinkState?.((up, why) => {
                this.gone = up ? undefined : new NoBoardError(`${channel.label}: ${why}`)
                if (!up) for (const a of [...this.aborts]) a()
            }) ?? (() => {})
    }

    close(): void {
        this.unsubscribe()
        this.offLinkState()
    }

    // ------------------------------------------------------------ reports

    private dispatch(code: number, payload: Uint8Array): void {
        try {
            for (const w of [...this.waiters]) w(code, payload)
            if (code === Rep.LOG) {
                const line = decodeLog(payload)
                for (const l of [...this.logListeners]) l(line)
            } else if (code === Rep.RESPONSE) {
                const { more, data } = unpack("response", payload)
                const whole = this.responses.push({ more, data })
                if (whole) this.gotResponse(Buffer.from(whole))
            } else if (code === Rep.EVENT) {
                const { more, data } = unpack("event", payload)
                const whole = this.events.push({ more, data })
                if (whole) for (const l of [...this.eventListeners]) l(Buffer.from(whole))
            }
        } catch {
            // a malformed report (too short for its format) is dropped
        }
    }

    private gotResponse(b: Buffer): void {
        if (b.length < 16 || b[0] !== 1 || 16 + b.readUInt32BE(12) !== b.length) return
        const r: AppResponse = { status: b[1], fmt: b.readUInt16BE(2), mid: b.readUInt32BE(4), payload: new Uint8Array(b.subarray(16)) }
        for (const l of [...this.responseListeners]) l(r)
    }

    onLog(listener: (line: LogLine) => void): () => void {
        this.logListeners.add(listener)
        return () => this.logListeners.delete(listener)
    }

    /** Whole events (packed requests), as the board forwards them. */
    onEventPacket(listener: (packed: Buffer) => void): () => void {
        this.eventListeners.add(listener)
        return () => this.eventListeners.delete(listener)
    }

    /** Whole responses to the host. */
    onResponse(listener: (r: AppResponse) => void): () => void {
        this.responseListeners.add(listener)
        return () => this.responseListeners.delete(listener)
    }

    // ------------------------------------------------------------ exchanges

    nextTag(): number {
        this.tagCounter = (this.tagCounter + 1) & 0xffff
        return this.tagCounter
    }

    /**
     * Sends ex and waits for the result with its tag: resends on timeout (and when ex.again says
     * so); returns any other result (the caller judges its status). A `busy` answer means the
     * board is handling a command (often this one, sent before): it is not the end, the wait goes
     * on for `busyMs` (times the commands in flight) for the real result, then the command goes
     * again without counting a try.
     */
    async exchange(ex: Exchange): Promise<Result> {
        const tag = this.nextTag()
        const tries = ex.tries ?? this.timing.tries
        let sent = 0
        let busy = 0
        const queued = ++this.inflight
        const tFirst = performance.now()
        try {
            for (;;) {
                // each command in flight gets its own wait (the board queues them), and a board
                // slower than resendMs at this command (a store that writes slowly) gets 3x the
                // time one took last: it is not asked again while it is still at it
                const per = this.took.get(ex.code) ?? 0
                const timeoutMs = ex.timeoutMs ?? Math.ceil(Math.max(this.timing.resendMs, 3 * per) * this.inflight)
                const r = await this.once(ex, tag, timeoutMs, sent++, () => busy++ < this.timing.busyTries)
                if (r === "busy") {
                    sent-- // the board is alive and was busy: not a lost try
                    continue
                }
                // from the first send (the answer may be to it): errs on the long side
                if (r) this.took.set(ex.code, (performance.now() - tFirst) / queued)
                if (r && !ex.again?.(r)) return r
                if (sent >= tries) {
                    if (r) return r // the last `again` answer: the caller says why
                    throw new LinkTimeoutError(`${ex.what}: no answer from ${this.channel.label} after ${sent} tries (${timeoutMs} ms each)`, sent)
                }
            }
        } finally {
            this.inflight--
        }
    }

    /** One send of ex and its wait: the result, undefined on timeout, "busy" when the board was busy and the wait ran out. */
    private async once(ex: Exchange, tag: number, timeoutMs: number, sentBefore: number, mayWaitOnBusy: () => boolean): Promise<Result | undefined | "busy"> {
        let settle!: (r: Result | undefined | "busy" | "gone") => void
        const answered = new Promise<Result | undefined | "busy" | "gone">(r => (settle = r))
        if (this.gone) throw this.gone
        const abort = () => settle("gone")
        this.aborts.add(abort)
        let timer: NodeJS.Timeout | undefined
        const waiter = (code: number, payload: Uint8Array) => {
            if (code !== Rep.RESULT) {
                ex.onReport?.(code, payload)
                return
            }
            let r: Result
            try {
                r = decodeResult(payload)
            } catch {
                return
            }
            if (r.tag !== tag) return
            if (r.status === Status.BUSY && mayWaitOnBusy()) {
                clearTimeout(timer)
                timer = setTimeout(() => settle("busy"), this.timing.busyMs * this.inflight)
                return
            }
            settle(r)
        }
        this.waiters.add(waiter)
        timer = setTimeout(() => settle(undefined), timeoutMs)
        try {
            ex.onSend?.(tag)
            if (sentBefore > 0) this.resends++
            this.sends++
            for (const p of ex.payloads(tag)) await this.channel.send(ex.code, p)
            const r = await answered
            if (r === "gone") throw this.gone ?? new NoBoardError(`${this.channel.label}: the link closed`)
            return r
        } finally {
            clearTimeout(timer)
            this.waiters.delete(waiter)
            this.aborts.delete(abort)
        }
    }

    /** exchange() that must end ok; returns result.value. */
    private async ok(ex: Exchange): Promise<number> {
        const r = await this.exchange(ex)
        if (r.status !== Status.OK) throw new ManagerError(ex.what, r.status, r.message)
        return r.value
    }

    // ------------------------------------------------------------ commands

    /** Stores data under key (the device checks its Fletcher-16; `resend` sends it again). */
    async put(key: string, data: Uint8Array): Promise<void> {
        const b = Buffer.from(data.buffer, data.byteOffset, data.length)
        const check = fletcher16(b, b.length)
        await this.ok({
            code: Cmd.PUT,
            payloads: tag => [pack("put", [tag, check, key, data])],
            what: `put ${key}`,
            again: r => r.status === Status.RESEND,
        })
    }

    /** The value of key, or null when it has none. */
    async get(key: string): Promise<Buffer | null> {
        for (let attempt = 1; ; attempt++) {
            let value: Uint8Array | undefined
            let sentTag = -1
            const n = await this.ok({
                code: Cmd.GET,
                payloads: tag => [pack("get", [tag, key])],
                what: `get ${key}`,
                onSend: tag => {
                    sentTag = tag
                    value = undefined
                },
                onReport: (code, payload) => {
                    if (code !== REP_STORED) return
                    const v = decodeStored(payload)
                    if (v.tag === sentTag) value = v.data
                },
            })
            if (value && value.length === n) return n === 0 ? null : Buffer.from(value)
            if (n === 0) return null
            // the value report was lost (or cut): ask again
            if (attempt >= this.timing.tries) throw new LinkTimeoutError(`get ${key}: the value did not arrive after ${attempt} tries`, attempt)
        }
    }

    async remove(key: string): Promise<void> {
        await this.ok({ code: Cmd.REMOVE, payloads: tag => [pack("remove", [tag, key])], what: `remove ${key}` })
    }

    /** Starts app name from manifest slot (BAKED_SLOT: the firmware's baked app); returns the arena bytes it holds. */
    load(slot: number, name: string): Promise<number> {
        return this.ok({
            code: Cmd.LOAD,
            payloads: tag => [pack("load", [tag, slot, name])],
            timeoutMs: this.timing.loadMs,
            tries: this.timing.loadTries,
            what: `load ${name}`,
        })
    }

    /** Stops app name and takes it out of the runtime; false when no app of that name runs. */
    async unload(name: string): Promise<boolean> {
        const r = await this.exchange({ code: Cmd.UNLOAD, payloads: tag => [pack("unload", [tag, name])], what: `unload ${name}` })
        if (r.status === Status.NOT_FOUND) return false
        if (r.status !== Status.OK) throw new ManagerError(`unload ${name}`, r.status, r.message)
        return true
    }

    /** The app reports (apps in the runtime, and baked apps that are not) and the board report. */
    async list(): Promise<RawList> {
        for (let attempt = 1; ; attempt++) {
            let apps = new Map<string, AppReport>()
            let board: BoardReport | undefined
            let sentTag = -1
            const n = await this.ok({
                code: Cmd.LIST,
                payloads: tag => [pack("list", [tag])],
                what: "list",
                onSend: tag => {
                    sentTag = tag
                    apps = new Map()
                    board = undefined
                },
                onReport: (code, payload) => {
                    if (code === Rep.APP) {
                        const a = decodeApp(payload)
                        if (a.tag === sentTag) apps.set(a.name, a)
                    } else if (code === Rep.BOARD) {
                        const b = decodeBoard(payload)
                        if (b.tag === sentTag) board = b
                    }
                },
            })
            if (board && apps.size === n) return { apps: [...apps.values()], board }
            // a report was lost on the way: ask again
            if (attempt >= this.timing.tries)
                throw new LinkTimeoutError(`list: ${apps.size} of ${n} app reports${board ? "" : " and no board report"} arrived, after ${attempt} tries`, attempt)
        }
    }

    /** Sends a packed request in fragments; ok once the board has it (the response comes by itself). */
    /**
     * Sends a packed request in fragments, each its own command (the device answers every one):
     * ok once the board has the whole request (the response comes by itself). The device joins
     * fragments until `more` is 0, without indexes, so a fragment it got twice (its result lost)
     * or one that never came spoils the join: the last one is then answered `bad command` and
     * the whole request goes again (the device starts afresh after a last fragment), unless
     * `answered` says the app's response came already.
     */
    async request(packed: Uint8Array, what: string, answered: () => boolean = () => false): Promise<void> {
        const frags = split(packed)
        for (let attempt = 1; ; attempt++) {
            let r: Result | undefined
            for (const f of frags) {
                r = await this.exchange({ code: Cmd.REQUEST, payloads: tag => [pack("request", [tag, f.more, f.data])], what })
                if (r.status !== Status.OK) break
            }
            // a last fragment sent again (its result lost) is refused alone, but the first went through
            if (r!.status === Status.OK || answered()) return
            if (r!.status !== Status.BAD_COMMAND || frags.length === 1 || attempt >= 3) throw new ManagerError(what, r!.status, r!.message)
        }
    }

    async subscribe(url: string, on: boolean): Promise<void> {
        const what = `${on ? "subscribe" : "unsubscribe"} ${url}`
        await this.ok({ code: Cmd.SUBSCRIBE, payloads: tag => [pack("subscribe", [tag, on ? 1 : 0, url])], what })
    }

    /**
     * The console lines the board still holds, of app `name` or of every app ("" ). Lines carry no
     * tag: one that arrives while this waits is counted in, up to the result's count.
     */
    async logs(name: string): Promise<LogLine[]> {
        let lines: LogLine[] = []
        const n = await this.ok({
            code: Cmd.LOGS,
            payloads: tag => [pack("logs", [tag, name])],
            what: name ? `logs ${name}` : "logs",
            onSend: () => (lines = []),
            onReport: (code, payload) => {
                // (a live console line of another app may arrive meanwhile: not part of the answer)
                if (code === Rep.LOG) {
                    const l = decodeLog(payload)
                    if (!name || l.app === name) lines.push(l)
                }
            },
        })
        return lines.length > n ? lines.slice(lines.length - n) : lines
    }
}

export function sleep(ms: number): Promise<void> {
    return new Promise(r => setTimeout(r, ms))
}

/** Runs fn over items with at most `window` calls at a time, in order of start; the first error wins (after the others in flight end). */
export async function inFlight<T>(items: T[], window: number, fn: (item: T, index: number) => Promise<void>): Promise<void> {
    let next = 0
    let failed: unknown
    const worker = async () => {
        while (failed === undefined && next < items.length) {
            const i = next++
            try {
                await fn(items[i], i)
            } catch (e) {
                failed ??= e
            }
        }
    }
    await Promise.all(Array.from({ length: Math.max(1, Math.min(window, items.length)) }, worker))
    if (failed !== undefined) throw failed
}
