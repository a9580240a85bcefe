// One board on one MQTT connection: what `wasmlet bridge` runs per board. A connection per board,
// because MQTT's last will belongs to a connection: when this process or its link dies, the broker
// marks just that board offline (retained PREFIX/DEV/state {"online": false}).
//
// What it does (topics in README.md):
//   - events: subscribes the host to the apps' event urls on the board (the --events list and the
//     desired document's "events"; the board forwards only urls the host subscribed to, it has no
//     wildcard) and publishes each event as JSON on PREFIX/DEV/events/URL;
//   - state: polls list() every pollMs and on every runtime note (an app started, stopped,
//     trapped) and publishes the retained state when it changed; {"online": false} while the
//     board does not answer, and a fresh state (and the desired config again) once it is back
//     after a reboot (the client has subscribed its event urls again by then);
//   - desired: applies each app's config as PUT /app/NAME/config (an attr_container), again when
//     the config changes or the app (re)starts; results on the retained PREFIX/DEV/reported;
//   - request/METHOD/PATH: a request to the app, answered on the MQTT 5 response topic with the
//     same correlation data (PREFIX/DEV/response/METHOD/PATH when none is given, as in 3.1.1);
//   - install/NAME: a signed bundle (signing.ts) installed when allowed and signed by a trusted key.
// MQTT 5 unless the broker refuses it (then 3.1.1). Reconnects with backoff (mqtt.js's reconnect, its period doubled per failure up to a maximum),
// resubscribes, republishes state and reported; events while the broker is away wait in an
// EventQueue and count as dropped past its limit.
import mqtt, { IClientOptions, IClientPublishOptions, MqttClient } from "mqtt"
import type { KeyObject } from "node:crypto"
import type { AppEvent, ManagerClient } from "../link/client"
import { LinkTimeoutError } from "../link/errors"
import type { AppInfo } from "../link/packets"
import { jsonToTypedAttr, JsonValue, payloadToJson } from "./attr-json"
import { EventQueue, Pending } from "./event-queue"
import { verifyBundle } from "./signing"
import { DEFAULT_PREFIX, Topics } from "./topics"

export interface BoardBridgeOptions {
    /** mqtt://HOST:PORT or mqtts://HOST:PORT */
    url: string
    /** The board's id in topics. */
    id: string
    client: ManagerClient
    prefix?: string
    /** Event urls to forward, besides those the desired document names. */
    events?: string[]
    /** mqtt.js options: username, password, ca, cert, key, protocolVersion (default 5, and 4 when the broker refuses 5)... */
    mqtt?: IClientOptions
    pollMs?: number
    queueLimit?: number
    /** QoS of events (default 1). */
    eventQos?: 0 | 1 | 2
    reconnectMinMs?: number
    reconnectMaxMs?: number
    /** Remote install: off unless allowed, and then only bundles signed by one of these keys. */
    allowInstall?: boolean
    trust?: KeyObject[]
    /** .wasm → device image (host/run/app-images.ts's compileAppImage; loaded lazily by default). */
    compile?: (wasm: Uint8Array) => Uint8Array | Promise<Uint8Array>
    log?: (s: string) => void
}

export interface BridgeStats {
    events: number
    published: number
    queued: number
    dropped: number
    requests: number
    connects: number
}

interface Reported {
    apps: Record<string, { status: string; ok: boolean; time: string; response?: JsonValue; error?: string }>
    installs: Record<string, { status: string; ok: boolean; time: string; reason?: string; keyId?: string; imageBytes?: number; ms?: number }>
}

const STATUS_OK = 128
/** The largest bundle taken for a remote install (a board's store holds a few KB; ESP32's flash more). */
export const MAX_BUNDLE_BYTES = 256 * 1024

/** A CoAP-style code: 68 -> "2.04". */
function coap(status: number): string {
    return `${status >> 5}.${String(status & 31).padStart(2, "0")}`
}

export class BoardBridge {
    readonly topics: Topics
    readonly mqtt: MqttClient
    readonly queue: EventQueue
    readonly stats: BridgeStats = { events: 0, published: 0, queued: 0, dropped: 0, requests: 0, connects: 0 }
    private subscribed = new Map<string, () => Promise<void>>()
    private desired: { apps: Record<string, unknown>; events: string[] } = { apps: {}, events: [] }
    private applied = new Map<string, string>()
    private reported: Reported = { apps: {}, installs: {} }
    private lastState = ""
    private lastApps = new Map<string, AppInfo>()
    private pollTimer?: NodeJS.Timeout
    private offLog: () => void
    private offEvent: () => void
    private offRestart: () => void
    private closed = false
    private started = false
    private refusal?: (e: Error) => void
    private onClosed!: () => void
    private whenClosed = new Promise<void>(r => (this.onClosed = r))
    /** When the board last sent something unasked (an event, a console line): it is alive. */
    private lastHeard = 0
    private polling: Promise<void> | undefined
    private pollAgain = false
    private backoff: number
    private log: (s: string) => void

    constructor(readonly o: BoardBridgeOptions) {
        this.topics = new Topics(o.prefix ?? DEFAULT_PREFIX, o.id)
        this.queue = new EventQueue(o.queueLimit ?? 1000)
        this.log = o.log ?? (() => {})
        const min = o.reconnectMinMs ?? 1000
        this.backoff = min
        this.offEvent = o.client.onEvent(e => {
            this.lastHeard = Date.now()
            this.gotEvent(e)
        })
        this.offLog = o.client.onLog(l => {
            this.lastHeard = Date.now()
            if (l.kind === "note") this.poll()
        })
        this.offRestart = o.client.onRestart(() => {
            // every app started afresh: each gets its desired config again
            this.log("the board restarted")
            this.lastApps.clear()
            this.poll()
        })
        this.mqtt = mqtt.connect(o.url, {
            protocolVersion: 5,
            clientId: `wasmlet-bridge-${o.id}-${process.pid}`,
            clean: true,
            reconnectPeriod: min,
            connectTimeout: 10_000,
            queueQoSZero: false,
            reconnectOnConnackError: true,
            resubscribe: true,
            will: { topic: this.topics.state, payload: Buffer.from(JSON.stringify({ online: false, device: o.id, reason: "bridge lost" })), retain: true, qos: 1 },
            ...o.mqtt,
        })
        this.mqtt.on("connect", () => this.connected())
        this.mqtt.on("close", () => {
            // the next attempt waits longer, up to the maximum (reset once connected)
            this.mqtt.options.reconnectPeriod = this.backoff
            this.backoff = Math.min(o.reconnectMaxMs ?? 30_000, this.backoff * 2)
        })
        this.mqtt.on("error", (e: any) => {
            // a 3.1.1-only broker (aedes) refuses MQTT 5: speak 3.1.1 unless the version was asked for
            if ((e.code === 1 || e.code === 132) && this.mqtt.options.protocolVersion === 5 && o.mqtt?.protocolVersion === undefined) {
                this.log("the broker refuses MQTT 5: using 3.1.1 (no response topics or user properties)")
                this.mqtt.options.protocolVersion = 4
                setTimeout(() => !this.closed && this.mqtt.reconnect(), 0)
                return
            }
            this.log(`mqtt: ${e.message}`)
            // the broker said no (credentials, not authorised): start() fails with it; later it is retried with backoff
            if (typeof e.code === "number" && !this.started) this.refusal?.(e)
        })
        this.mqtt.on("message", (topic, payload, packet) => void this.message(topic, payload, packet).catch(e => this.log(`${topic}: ${e.message}`)))
    }

    /**
     * Resolves once subscribed to the board's events and to the bridge's topics on the broker, and
     * the first state is out; rejects when the broker refuses the connection (credentials).
     */
    async start(): Promise<this> {
        for (const u of this.o.events ?? []) await this.subscribeEvents(u)
        const subs = [this.topics.desired, this.topics.requests, this.topics.installs]
        const refused = new Promise<never>((_, reject) => (this.refusal = reject))
        refused.catch(() => {})
        for (;;) {
            try {
                await Promise.race([this.mqtt.subscribeAsync(subs, { qos: 1 }), refused])
                break
            } catch (e: any) {
                // the connection closed before the broker answered (a refused version, a restart): again once connected
                if (this.closed) throw new Error("bridge closed before the broker answered")
                if (typeof e.code === "number") throw new Error(`the broker refused the connection: ${e.message}`)
                if (!this.mqtt.connected) await Promise.race([new Promise<void>(r => this.mqtt.once("connect", () => r())), refused, this.whenClosed])
            }
        }
        this.started = true
        await this.pollNow()
        this.pollTimer = setInterval(() => this.poll(), this.o.pollMs ?? 3000)
        return this
    }

    get isConnected(): boolean {
        return this.mqtt.connected
    }

    /** Publishes the board offline, unsubscribes from its events and closes the connection. */
    async close(): Promise<void> {
        if (this.closed) return
        this.closed = true
        this.onClosed()
        clearInterval(this.pollTimer)
        this.offLog()
        this.offEvent()
        this.offRestart()
        await this.polling?.catch(() => {})
        for (const off of this.subscribed.values()) await off().catch(() => {})
        if (this.mqtt.connected)
            await this.mqtt.publishAsync(this.topics.state, JSON.stringify({ online: false, device: this.o.id, reason: "bridge stopped" }), { retain: true, qos: 1 }).catch(() => {})
        // a clean end waits for in-flight messages, which never finish with the broker away
        await this.mqtt.endAsync(!this.mqtt.connected)
    }

    // ------------------------------------------------------------ the broker side

    private connected(): void {
        this.stats.connects++
        this.backoff = this.o.reconnectMinMs ?? 1000
        this.mqtt.options.reconnectPeriod = this.backoff
        // after a broker restart its retained copies may be gone: publish ours again
        if (this.lastState) this.send({ topic: this.topics.state, payload: Buffer.from(this.lastState), opts: { retain: true, qos: 1 } })
        if (Object.keys(this.reported.apps).length + Object.keys(this.reported.installs).length > 0) this.publishReported()
        for (const p of this.queue.take()) this.send(p)
    }

    /**
     * Publishes now when connected, else queues (or counts it dropped). The retained documents
     * (state, reported) are not queued: connected() publishes their latest version.
     */
    private send(p: Pending): void {
        if (this.closed) return
        if (!this.mqtt.connected) {
            if ((p.opts as IClientPublishOptions).retain) return
            if (this.queue.push(p)) this.stats.queued++
            else this.stats.dropped++
            return
        }
        this.mqtt.publish(p.topic, p.payload, p.opts as IClientPublishOptions, err => {
            if (!err) this.stats.published++
        })
    }

    private async message(topic: string, payload: Buffer, packet: mqtt.IPublishPacket): Promise<void> {
        if (topic === this.topics.desired) return this.gotDesired(payload)
        const req = this.topics.parseRequest(topic)
        if (req) return this.gotRequest(req, payload, packet)
        const name = this.topics.parseInstall(topic)
        if (name !== undefined) return this.gotInstall(name, payload, packet.retain)
    }

    // ------------------------------------------------------------ events

    private async subscribeEvents(url: string): Promise<void> {
        if (this.subscribed.has(url)) return
        this.subscribed.set(url, async () => {})
        try {
            // listener unused: every event arrives through onEvent (one path for all urls)
            this.subscribed.set(url, await this.o.client.subscribe(url, () => {}))
        } catch (e) {
            this.subscribed.delete(url)
            throw e
        }
    }

    private gotEvent(e: AppEvent): void {
        if (!this.subscribed.has(e.url)) return
        this.stats.events++
        const { json, types } = payloadToJson(e.fmt, e.payload)
        const properties: IClientPublishOptions["properties"] = { contentType: "application/json", userProperties: { sender: String(e.sender), fmt: String(e.fmt), ...(types ? { types: JSON.stringify(types) } : {}) } }
        this.send({ topic: this.topics.event(e.url), payload: Buffer.from(JSON.stringify(json)), opts: { qos: this.o.eventQos ?? 1, properties } })
    }

    // ------------------------------------------------------------ state

    /** A list() soon (one at a time; a call while one runs asks for another after it). */
    poll(): void {
        if (this.closed) return
        if (this.polling) {
            this.pollAgain = true
            return
        }
        this.polling = this.pollNow()
            .catch(e => this.boardSilent(e))
            .finally(() => {
                this.polling = undefined
                if (this.pollAgain) {
                    this.pollAgain = false
                    this.poll()
                }
            })
    }

    /** The board did not answer the poll (unplugged, rebooting, hung): its state says so until it answers. */
    private boardSilent(e: Error): void {
        this.log(`list: ${e.message}`)
        if (!(e instanceof LinkTimeoutError) || this.closed) return
        // a board whose events or console lines still arrive is there: its link is just busy
        if (Date.now() - this.lastHeard < 2 * (this.o.pollMs ?? 3000)) return
        if (JSON.parse(this.lastState || "{}").online === false) return // said already
        const text = JSON.stringify({ online: false, device: this.o.id, reason: `the board does not answer: ${e.message}` })
        this.lastState = text
        this.lastApps.clear()
        this.send({ topic: this.topics.state, payload: Buffer.from(text), opts: { retain: true, qos: 1 } })
    }

    private async pollNow(): Promise<void> {
        const { apps, board } = await this.o.client.list()
        const doc = {
            online: true,
            device: this.o.id,
            board: board.board,
            apps: apps.map(a => ({ name: a.name, state: a.state, restarts: a.restarts, imageBytes: a.imageBytes, arenaBytes: a.arenaBytes, installed: a.installed, baked: a.baked, error: a.error })),
            limits: { maxApps: board.maxApps, arenaBytes: board.arenaBytes, arenaFree: board.arenaFree, storeCapacity: board.storeCapacity, storeUsed: board.storeUsed },
            eventsDropped: this.stats.dropped,
        }
        const text = JSON.stringify(doc)
        // an app that came up or restarted gets its desired config again
        for (const a of apps) {
            const before = this.lastApps.get(a.name)
            if (a.state === "running" && (!before || before.state !== "running" || a.restarts > before.restarts)) this.applied.delete(a.name)
        }
        this.lastApps = new Map(apps.map(a => [a.name, a]))
        if (text !== this.lastState) {
            this.lastState = text
            this.send({ topic: this.topics.state, payload: Buffer.from(text), opts: { retain: true, qos: 1 } })
        }
        await this.applyDesired()
    }

    // ------------------------------------------------------------ desired and reported

    private async gotDesired(payload: Buffer): Promise<void> {
        if (payload.length === 0) {
            this.desired = { apps: {}, events: [] }
            return
        }
        let d: any
        try {
            d = JSON.parse(payload.toString("utf8"))
        } catch (e: any) {
            this.reported.apps["*"] = { status: "refused", ok: false, time: new Date().toISOString(), error: `desired is not JSON: ${e.message}` }
            this.publishReported()
            return
        }
        const apps = d && typeof d.apps === "object" && d.apps !== null && !Array.isArray(d.apps) ? d.apps : {}
        const events = Array.isArray(d?.events) ? d.events.filter((u: unknown) => typeof u === "string") : []
        this.desired = { apps, events }
        for (const u of events) await this.subscribeEvents(u).catch(e => this.log(`subscribe ${u}: ${e.message}`))
        await this.applyDesired()
    }

    private async applyDesired(): Promise<void> {
        let changed = false
        for (const [name, cfg] of Object.entries(this.desired.apps)) {
            const text = JSON.stringify(cfg)
            if (this.applied.get(name) === text) continue
            const running = this.lastApps.get(name)?.state === "running"
            const time = new Date().toISOString()
            if (!running) {
                // tried again when it runs (the state poll sees it start)
                const why = this.lastApps.has(name) ? `${name} is ${this.lastApps.get(name)!.state}` : `no app named ${name} on the board`
                const prev = this.reported.apps[name]
                if (prev?.status !== "pending" || prev.error !== why) {
                    this.reported.apps[name] = { status: "pending", ok: false, time, error: why }
                    changed = true
                }
                continue
            }
            this.applied.set(name, text)
            let body: Buffer
            try {
                body = jsonToTypedAttr(cfg)
            } catch (e: any) {
                this.reported.apps[name] = { status: "refused", ok: false, time, error: e.message }
                changed = true
                continue
            }
            try {
                const r = await this.o.client.request("PUT", `/app/${name}/config`, { payload: body, fmt: 99 })
                const { json } = payloadToJson(r.fmt, r.payload)
                this.reported.apps[name] = { status: coap(r.status), ok: r.status < STATUS_OK, time: new Date().toISOString(), ...(json !== null ? { response: json } : {}) }
            } catch (e: any) {
                this.applied.delete(name) // a lost answer: tried again at the next poll
                this.reported.apps[name] = { status: "failed", ok: false, time: new Date().toISOString(), error: e.message }
            }
            changed = true
        }
        if (changed) this.publishReported()
    }

    private publishReported(): void {
        this.send({ topic: this.topics.reported, payload: Buffer.from(JSON.stringify(this.reported)), opts: { retain: true, qos: 1 } })
    }

    // ------------------------------------------------------------ requests

    private async gotRequest(req: { method: string; url: string; rest: string }, payload: Buffer, packet: mqtt.IPublishPacket): Promise<void> {
        if (packet.retain) return // a retained request is not a request from anyone now
        this.stats.requests++
        const props = packet.properties ?? {}
        const respond = (body: unknown) => {
            const opts: IClientPublishOptions = { qos: 1, properties: { contentType: "application/json", ...(props.correlationData ? { correlationData: props.correlationData } : {}) } }
            this.send({ topic: props.responseTopic ?? this.topics.response(req.rest), payload: Buffer.from(JSON.stringify(body)), opts: opts as Record<string, unknown> })
        }
        let body: Buffer | undefined
        let fmt: number | undefined
        if (payload.length) {
            if (props.contentType && props.contentType !== "application/json") {
                body = payload
                fmt = 98
            } else {
                try {
                    body = jsonToTypedAttr(JSON.parse(payload.toString("utf8")))
                    fmt = 99
                } catch (e: any) {
                    respond({ error: `request body: ${e.message}` })
                    return
                }
            }
        }
        try {
            const r = await this.o.client.request(req.method, req.url, { payload: body, fmt })
            const { json, types } = payloadToJson(r.fmt, r.payload)
            respond({ status: r.status, code: coap(r.status), payload: json, ...(types ? { types } : {}) })
        } catch (e: any) {
            respond({ error: e.message })
        }
    }

    // ------------------------------------------------------------ remote install

    private async gotInstall(name: string, bundle: Buffer, retained: boolean): Promise<void> {
        const time = () => new Date().toISOString()
        const refuse = (reason: string) => {
            this.log(`install ${name} refused: ${reason}`)
            this.reported.installs[name] = { status: "refused", ok: false, time: time(), reason }
            this.publishReported()
        }
        if (retained) return refuse("a retained install message is ignored (publish it without retain)")
        if (!this.o.allowInstall) return refuse("remote install is off on this bridge (--allow-install --trust KEY.pub)")
        if (bundle.length > MAX_BUNDLE_BYTES) return refuse(`the bundle has ${bundle.length} B, more than the ${MAX_BUNDLE_BYTES} B a remote install takes`)
        const v = verifyBundle(bundle, this.o.trust ?? [])
        if (v.ok === false) return refuse((v as { reason: string }).reason)
        const signedName = (v as { name: string }).name
        if (signedName !== name) return refuse(`the bundle was signed for app "${signedName}", not "${name}"`)
        let image: Uint8Array
        try {
            const compile = this.o.compile ?? (async (w: Uint8Array) => (await import("../run/app-images")).compileAppImage(w).image)
            image = await compile((v as { wasm: Uint8Array }).wasm)
        } catch (e: any) {
            return refuse(`not a module the board can run: ${e.message}`)
        }
        try {
            const r = await this.o.client.install(name, image)
            this.reported.installs[name] = { status: "installed", ok: true, time: time(), keyId: (v as { keyId: string }).keyId, imageBytes: r.imageBytes, ms: r.ms }
            this.publishReported()
            this.poll()
        } catch (e: any) {
            refuse(`the board refused it: ${e.message}`)
        }
    }
}
