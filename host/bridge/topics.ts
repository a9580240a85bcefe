// The bridge's MQTT topics, one prefix configurable (default "wasmlet"), DEV a board's id
// (README.md in this folder says what each carries).
export const DEFAULT_PREFIX = "wasmlet"

export class Topics {
    readonly base: string
    constructor(
        readonly prefix: string,
        readonly dev: string
    ) {
        if (!prefix || /[#+]/.test(prefix) || /[#+/]/.test(dev) || !dev) throw new Error(`bad topic prefix or device id: ${prefix}/${dev}`)
        this.base = `${prefix}/${dev}`
    }
    get state(): string {
        return `${this.base}/state`
    }
    get desired(): string {
        return `${this.base}/desired`
    }
    get reported(): string {
        return `${this.base}/reported`
    }
    /** An event url (`alert/overheat`, `/hello/tick`) as its topic: its leading slashes dropped. */
    event(url: string): string {
        return `${this.base}/events/${url.replace(/^\/+/, "")}`
    }
    get requests(): string {
        return `${this.base}/request/#`
    }
    get installs(): string {
        return `${this.base}/install/+`
    }
    /** `request/METHOD/PATH...` → method and url (`/PATH...`), else undefined. */
    parseRequest(topic: string): { method: string; url: string; rest: string } | undefined {
        const head = `${this.base}/request/`
        if (!topic.startsWith(head)) return undefined
        const rest = topic.slice(head.length)
        const slash = rest.indexOf("/")
        if (slash < 0) return undefined
        return { method: rest.slice(0, slash).toUpperCase(), url: "/" + rest.slice(slash + 1), rest }
    }
    /** Where an answer goes when the request named no response topic (MQTT 3.1.1). */
    response(rest: string): string {
        return `${this.base}/response/${rest}`
    }
    /** `install/NAME` → NAME, else undefined. */
    parseInstall(topic: string): string | undefined {
        const head = `${this.base}/install/`
        return topic.startsWith(head) && topic.length > head.length ? topic.slice(head.length) : undefined
    }
}
