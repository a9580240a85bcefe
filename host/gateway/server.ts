// The HTTP gateway (`wasmlet serve`): the boards' apps as REST resources, their events and console
// as Server-Sent Events, install/uninstall by upload, on node:http. Each board is a ManagerClient
// (host/link/client.ts); this file only translates: routes (README.md, openapi.ts) to client calls,
// bodies to payloads (attr-json.ts), WAMR's codes to HTTP (status.ts), link failures to 404/409/504.
// Security: a token on every route when one is set, read-only mode, body limits (413); streams are
// bounded per client (sse.ts), so nothing a client does can make the board wait.
import { createServer, IncomingMessage, Server, ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { timingSafeEqual } from "node:crypto"
import { FMT_ATTR_CONTAINER, FMT_RAW, STATUS_INTERNAL_ERROR } from "../../framework/packets"
import type { LinkedBoard } from "../link/boards"
import { LinkTimeoutError, ManagerError, NoBoardError } from "../link/errors"
import type { AppInfo } from "../link/packets"
import { appJson } from "../cli/list"
import { compileAppImage } from "../run/app-images"
import { AttrJsonError, attrToJson, jsonToAttr } from "../run/attr-json"
import { coapCode, httpStatus } from "./status"
import { SseStream } from "./sse"
import { openApiDocument } from "./openapi"
import { serveDashboard } from "./static"

/** A board the gateway serves. */
/** A board the gateway serves (host/link/boards.ts finds them). */
export type GatewayBoard = LinkedBoard

export interface GatewayOptions {
    boards: GatewayBoard[]
    /** Required on every route when set (Authorization: Bearer, or ?token=). */
    token?: string
    readOnly?: boolean
    /** Largest request body to an app (bytes, default 16384). */
    maxBody?: number
    /** Largest .wasm upload (bytes, default 262144). */
    maxUpload?: number
    /** An app's answer within this long (ms), else 504; default the link's responseMs. */
    timeoutMs?: number
    /** Per SSE client: bytes buffered for it at most before messages are dropped (default 65536). */
    sseBufferBytes?: number
    ssePingMs?: number
    /** Folder of the dashboard's files (default host/gateway/dashboard). */
    dashboardDir?: string
}

class HttpError extends Error {
    constructor(readonly status: number, message: string, readonly extra: Record<string, unknown> = {}) {
        super(message)
    }
}

const METHODS = ["GET", "POST", "PUT", "DELETE"]

/** The route table: what openapi.ts documents (test/gateway checks they agree). */
export const ROUTES: { method: string; path: string }[] = [
    { method: "GET", path: "/devices" },
    { method: "GET", path: "/devices/{dev}" },
    { method: "GET", path: "/devices/{dev}/apps" },
    { method: "POST", path: "/devices/{dev}/apps/{name}" },
    { method: "DELETE", path: "/devices/{dev}/apps/{name}" },
    ...METHODS.map(method => ({ method, path: "/devices/{dev}/app/{name}/{path}" })),
    { method: "GET", path: "/devices/{dev}/events" },
    { method: "GET", path: "/devices/{dev}/logs" },
    { method: "GET", path: "/openapi.json" },
    { method: "GET", path: "/" },
    { method: "GET", path: "/dashboard/{file}" },
]

export class Gateway {
    readonly server: Server
    /** SSE messages dropped for slow clients, in all (also per stream in each stream). */
    dropped = 0
    readonly streams = new Set<SseStream>()
    private names = new Map<GatewayBoard, { at: number; names: Set<string> }>()
    private listing = new Map<GatewayBoard, Promise<Set<string>>>()
    private o: Required<Omit<GatewayOptions, "token" | "timeoutMs" | "dashboardDir">> & GatewayOptions

    constructor(o: GatewayOptions) {
        this.o = { readOnly: false, maxBody: 16384, maxUpload: 262144, sseBufferBytes: 65536, ssePingMs: 15000, ...o }
        this.server = createServer((req, res) => void this.handle(req, res))
        this.server.headersTimeout = 20000
        this.server.requestTimeout = 120000
    }

    get boards(): GatewayBoard[] {
        return this.o.boards
    }

    listen(port = 8080, host = "127.0.0.1"): Promise<AddressInfo> {
        return new Promise((resolve, reject) => {
            this.server.once("error", reject)
            this.server.listen(port, host, () => {
                this.server.off("error", reject)
                resolve(this.server.address() as AddressInfo)
            })
        })
    }

    async close(): Promise<void> {
        for (const s of [...this.streams]) s.close()
        await new Promise<void>(r => this.server.close(() => r()))
        this.server.closeAllConnections()
    }

    // ------------------------------------------------------------ dispatch

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const url = new URL(req.url ?? "/", "http://gateway")
        try {
            if (!this.authorized(req, url)) throw new HttpError(401, "missing or wrong token (Authorization: Bearer TOKEN, or ?token=TOKEN)")
            const seg = url.pathname.split("/").slice(1).map(decodeURIComponent)
            const method = req.method ?? "GET"
            if (url.pathname === "/openapi.json" && method === "GET") return json(res, 200, openApiDocument())
            if (url.pathname === "/" || seg[0] === "dashboard") {
                if (method !== "GET" && method !== "HEAD") throw new HttpError(405, `${method} not allowed here`)
                return await serveDashboard(res, url.pathname === "/" ? "index.html" : seg.slice(1).join("/"), this.o.dashboardDir)
            }
            if (seg[0] !== "devices") throw new HttpError(404, `no route ${url.pathname} (see /openapi.json)`)
            if (seg.length === 1 || (seg.length === 2 && seg[1] === "")) return await only(method, "GET", () => this.devices(res))
            const board = this.board(seg[1])
            const rest = seg.slice(2)
            if (rest.length === 0) return await only(method, "GET", () => this.device(res, board))
            switch (rest[0]) {
                case "apps":
                    if (rest.length === 1) return await only(method, "GET", () => this.apps(res, board))
                    if (rest.length === 2 && method === "POST") return await this.install(req, res, board, rest[1])
                    if (rest.length === 2 && method === "DELETE") return await this.uninstall(res, board, rest[1])
                    if (rest.length === 2) throw new HttpError(405, `${method} not allowed on an app (POST installs, DELETE uninstalls)`)
                    break
                case "app":
                    if (rest.length >= 2 && rest[1]) {
                        if (!METHODS.includes(method)) throw new HttpError(405, `${method}: apps take GET, POST, PUT, DELETE`)
                        return await this.request(req, res, url, board, method, rest[1], rest.slice(2).join("/"))
                    }
                    break
                case "events":
                    if (rest.length === 1) return await only(method, "GET", () => this.events(req, res, url, board))
                    break
                case "logs":
                    if (rest.length === 1) return await only(method, "GET", () => this.logs(res, url, board))
                    break
            }
            throw new HttpError(404, `no route ${url.pathname} (see /openapi.json)`)
        } catch (e: any) {
            if (res.headersSent) return void res.destroy()
            if (e instanceof HttpError) return json(res, e.status, { error: e.message, ...e.extra })
            if (e instanceof LinkTimeoutError) return json(res, 504, { error: e.message })
            // the board's link is down (a serial board unplugged): the gateway is fine, the board is not there
            if (e instanceof NoBoardError) return json(res, 503, { error: e.message })
            if (e instanceof ManagerError) return json(res, e.status === 2 ? 404 : 409, { error: e.message, status: e.status })
            return json(res, 500, { error: String(e?.message ?? e) })
        }
    }

    private authorized(req: IncomingMessage, url: URL): boolean {
        const want = this.o.token
        if (!want) return true
        const auth = req.headers.authorization ?? ""
        const got = auth.startsWith("Bearer ") ? auth.slice(7).trim() : (url.searchParams.get("token") ?? "")
        const a = Buffer.from(got)
        const b = Buffer.from(want)
        return a.length === b.length && timingSafeEqual(a, b)
    }

    private board(dev: string): GatewayBoard {
        const d = dev.toLowerCase()
        const b = this.o.boards.find(b => b.id.toLowerCase() === d || b.shortId.toLowerCase() === d)
        if (!b) throw new HttpError(404, `no device ${dev} (GET /devices lists them)`)
        return b
    }

    // ------------------------------------------------------------ devices and apps

    private async devices(res: ServerResponse): Promise<void> {
        const out = await Promise.all(
            this.o.boards.map(async b => {
                // a board gone from its link (unplugged, its simulator stopped) is not asked: no wait for its timeout
                const online = b.present?.() ?? true
                const l = online ? await this.list(b).catch((): null => null) : null
                return { id: b.id, shortId: b.shortId, label: b.label, online, board: l?.board ?? null }
            })
        )
        json(res, 200, out)
    }

    private async list(b: GatewayBoard) {
        const l = await b.client.list()
        this.names.set(b, { at: Date.now(), names: new Set(l.apps.map(a => a.name)) })
        return l
    }

    private async device(res: ServerResponse, b: GatewayBoard): Promise<void> {
        const l = await this.list(b)
        json(res, 200, { id: b.id, shortId: b.shortId, label: b.label, board: l.board, apps: l.apps.map((a: AppInfo) => appJson(a)) })
    }

    private async apps(res: ServerResponse, b: GatewayBoard): Promise<void> {
        const l = await this.list(b)
        json(res, 200, l.apps.map((a: AppInfo) => appJson(a)))
    }

    /**
     * Whether app `name` is on the board: from the last list, else from a new one (requests that miss
     * at the same time share it, so a burst of unknown names costs one list, not one each).
     */
    private async hasApp(b: GatewayBoard, name: string): Promise<boolean> {
        if (this.names.get(b)?.names.has(name)) return true
        let p = this.listing.get(b)
        if (!p) {
            p = this.list(b).then(l => new Set(l.apps.map(a => a.name)))
            this.listing.set(b, p)
            void p.finally(() => this.listing.delete(b)).catch((): void => undefined)
        }
        return (await p).has(name)
    }

    private async install(req: IncomingMessage, res: ServerResponse, b: GatewayBoard, name: string): Promise<void> {
        if (this.o.readOnly) throw new HttpError(403, "read-only gateway: install is disabled")
        const wasm = await readBody(req, this.o.maxUpload)
        if (!wasm.length) throw new HttpError(400, "the body must be the app's .wasm")
        let image: Uint8Array
        try {
            image = compileAppImage(wasm).image
        } catch (e: any) {
            throw new HttpError(400, `invalid module: ${e.message}`)
        }
        let r
        try {
            r = await b.client.install(name, image)
        } catch (e: any) {
            if (e instanceof ManagerError) throw new HttpError(e.status === 6 ? 507 : 409, e.message, { status: e.status })
            if (!(e instanceof Error) || e.constructor !== Error) throw e
            throw new HttpError(400, e.message) // a bad name (checkName)
        } finally {
            this.names.delete(b)
        }
        json(res, 201, { name, imageBytes: r.imageBytes, storedBytes: r.storedBytes, chunks: r.chunks, arenaBytes: r.arenaBytes, ms: r.ms })
    }

    private async uninstall(res: ServerResponse, b: GatewayBoard, name: string): Promise<void> {
        if (this.o.readOnly) throw new HttpError(403, "read-only gateway: uninstall is disabled")
        try {
            await b.client.uninstall(name)
        } finally {
            this.names.delete(b)
        }
        res.writeHead(204).end()
    }

    // ------------------------------------------------------------ requests to apps

    private async request(req: IncomingMessage, res: ServerResponse, url: URL, b: GatewayBoard, method: string, name: string, path: string): Promise<void> {
        const body = await readBody(req, this.o.maxBody)
        let payload: Uint8Array | undefined
        let fmt = FMT_RAW
        if (body.length) {
            const type = (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase()
            if (type === "application/json" || type.endsWith("+json")) {
                try {
                    payload = jsonToAttr(body.toString("utf8"))
                } catch (e: any) {
                    throw new HttpError(400, e instanceof AttrJsonError ? e.message : String(e))
                }
                fmt = FMT_ATTR_CONTAINER
            } else payload = body
        }
        if (!(await this.hasApp(b, name))) throw new HttpError(404, `no app ${name} on device ${b.shortId}`)
        const t = url.searchParams.get("timeout")
        const timeoutMs = t && Number(t) > 0 ? Math.min(Number(t), 120000) : this.o.timeoutMs
        // "/app/NAME/" even with no PATH: the runtime drops a url with no "/" after the name
        const r = await b.client.request(method, `/app/${name}/${path}`, { payload, fmt, timeoutMs })
        if (r.status === STATUS_INTERNAL_ERROR) {
            // the runtime's answer for an app it does not run: gone since the last list, or stopped
            this.names.delete(b)
            const app = (await this.list(b)).apps.find(a => a.name === name)
            if (!app) throw new HttpError(404, `no app ${name} on device ${b.shortId}`)
            if (app.state !== "running") throw new HttpError(503, `app ${name} is ${app.state}${app.error ? `: ${app.error}` : ""}`)
        }
        const headers: Record<string, string> = { "x-wasmlet-status": coapCode(r.status), "cache-control": "no-store" }
        const status = httpStatus(r.status, r.payload.length > 0)
        if (!r.payload.length || status === 204) return void res.writeHead(status, headers).end()
        const out = payloadOut(r.fmt, r.payload, url.searchParams.has("types"))
        res.writeHead(status, { ...headers, "content-type": out.contentType, "content-length": out.body.length })
        res.end(out.body)
    }

    // ------------------------------------------------------------ streams

    private stream(res: ServerResponse): SseStream {
        const s = new SseStream(res, { maxBytes: this.o.sseBufferBytes, pingMs: this.o.ssePingMs })
        this.streams.add(s)
        s.onClose(() => this.streams.delete(s))
        return s
    }

    private async events(req: IncomingMessage, res: ServerResponse, url: URL, b: GatewayBoard): Promise<void> {
        const eventUrl = url.searchParams.get("url")
        if (!eventUrl) throw new HttpError(400, "events need ?url=EVENT_URL (as apps publish it: alert/overheat)")
        const typed = url.searchParams.has("types")
        let s: SseStream | undefined
        let early: { fmt: number; payload: Uint8Array; url: string; sender: number }[] = []
        // subscribe before answering: a board that does not take the subscription is an HTTP error, not an empty stream
        const unsubscribe = await b.client.subscribe(eventUrl, e => {
            const data = { url: e.url, fmt: e.fmt, sender: e.sender, ...eventPayload(e.fmt, e.payload, typed) }
            if (!s) return void early.push(e)
            if (!s.send("event", data)) this.dropped += s.closed ? 0 : 1
        })
        if (req.destroyed) return void unsubscribe().catch((): void => undefined)
        s = this.stream(res)
        for (const e of early) s.send("event", { url: e.url, fmt: e.fmt, sender: e.sender, ...eventPayload(e.fmt, e.payload, typed) })
        early = []
        s.onClose(() => void unsubscribe().catch((): void => undefined))
    }

    private logs(res: ServerResponse, url: URL, b: GatewayBoard): void {
        const app = url.searchParams.get("app")
        const s = this.stream(res)
        const off = b.client.onLog(l => {
            if (app && l.app !== app) return
            if (!s.send("log", { kind: l.kind, app: l.app, text: l.text }) && !s.closed) this.dropped++
        })
        s.onClose(off)
    }
}

async function only(method: string, want: string, fn: () => void | Promise<void>): Promise<void> {
    if (method !== want && !(want === "GET" && method === "HEAD")) throw new HttpError(405, `${method} not allowed here (${want})`)
    await fn()
}

function json(res: ServerResponse, status: number, value: unknown): void {
    const body = Buffer.from(JSON.stringify(value, null, 1))
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": body.length, "cache-control": "no-store" })
    res.end(body)
}

/** The whole body, or 413 once it is longer than max (by Content-Length, or as it arrives). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
    const declared = Number(req.headers["content-length"] ?? "0")
    if (declared > max) {
        req.resume()
        return Promise.reject(new HttpError(413, `body of ${declared} B is over the limit of ${max} B`))
    }
    return new Promise((resolve, reject) => {
        const parts: Buffer[] = []
        let n = 0
        req.on("data", (c: Buffer) => {
            n += c.length
            if (n > max) {
                req.removeAllListeners("data")
                req.resume()
                reject(new HttpError(413, `body over the limit of ${max} B`))
            } else parts.push(c)
        })
        req.on("end", () => resolve(Buffer.concat(parts)))
        req.on("error", reject)
    })
}

/** A response payload as HTTP: an attr_container as JSON, anything else as its bytes. */
function payloadOut(fmt: number, payload: Uint8Array, typed: boolean): { contentType: string; body: Buffer } {
    if (fmt === FMT_ATTR_CONTAINER) {
        try {
            return { contentType: "application/json; charset=utf-8", body: Buffer.from(JSON.stringify(attrToJson(payload, typed))) }
        } catch {
            // a malformed container: pass it on as bytes
        }
    }
    return { contentType: "application/octet-stream", body: Buffer.from(payload) }
}

/** An event's payload in its SSE message: JSON for an attr_container, base64 otherwise. */
function eventPayload(fmt: number, payload: Uint8Array, typed: boolean) {
    if (!payload.length) return { contentType: null, payload: null }
    if (fmt === FMT_ATTR_CONTAINER) {
        try {
            return { contentType: "application/json", payload: attrToJson(payload, typed) }
        } catch {}
    }
    return { contentType: "application/octet-stream", payload: { base64: Buffer.from(payload).toString("base64") } }
}
