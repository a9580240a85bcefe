// An MQTT client for the bridge tests: subscribes, keeps every message, and waits for one that
// matches (a topic and a test on its JSON payload).
import mqtt, { IClientOptions, IPublishPacket, MqttClient } from "mqtt"

export interface Seen {
    topic: string
    json: any
    packet: IPublishPacket
    at: number
}

export class Watcher {
    readonly seen: Seen[] = []
    private waiters: { test: (s: Seen) => boolean; resolve: (s: Seen) => void }[] = []

    private constructor(readonly client: MqttClient) {
        client.on("message", (topic, payload, packet) => {
            let json: any
            try {
                json = JSON.parse(payload.toString("utf8"))
            } catch {
                json = payload.toString("utf8")
            }
            const s = { topic, json, packet, at: Date.now() }
            this.seen.push(s)
            for (const w of [...this.waiters]) if (w.test(s)) (this.waiters.splice(this.waiters.indexOf(w), 1), w.resolve(s))
        })
    }

    static async connect(url: string, filters: string[], o: IClientOptions = {}): Promise<Watcher> {
        const c = await mqtt.connectAsync(url, { protocolVersion: 5, reconnectPeriod: 200, ...o })
        const w = new Watcher(c)
        if (filters.length) await c.subscribeAsync(filters, { qos: 1, rap: true }) // retain flags as published
        return w
    }

    /** The first message (already seen or to come) on `topic` whose JSON passes `test`. */
    waitFor(topic: string, test: (json: any, s: Seen) => boolean = () => true, timeoutMs = 10_000, since = 0): Promise<Seen> {
        const t = (s: Seen) => s.at >= since && s.topic === topic && test(s.json, s)
        const old = this.seen.find(t)
        if (old) return Promise.resolve(old)
        return new Promise((resolve, reject) => {
            const timer = setTimeout(() => {
                this.waiters = this.waiters.filter(w => w.resolve !== done)
                reject(new Error(`no message on ${topic} within ${timeoutMs} ms (seen: ${[...new Set(this.seen.map(s => s.topic))].join(", ")})`))
            }, timeoutMs)
            const done = (s: Seen) => (clearTimeout(timer), resolve(s))
            this.waiters.push({ test: t, resolve: done })
        })
    }

    on(topic: string): Seen[] {
        return this.seen.filter(s => s.topic === topic)
    }

    close(): Promise<void> {
        return this.client.endAsync(true)
    }
}
