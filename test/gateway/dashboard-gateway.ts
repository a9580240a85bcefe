// INTERIM test double of `wasmlet serve`'s routes (host/gateway/README.md) for the dashboard's
// browser test, over one ManagerClient, until the real gateway server lands; then startGateway()
// starts the real one and this double goes.
import { createServer } from "node:http"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import type { AddressInfo } from "node:net"
import type { ManagerClient } from "../../host/link/client"
import { compileAppImage } from "../../host/run/app-images"
import { attrToJson, jsonToAttr } from "../../host/gateway/attr-json"
import { httpStatus, coapCode } from "../../host/gateway/status"

export interface Gateway {
    url: string
    deviceId: string
    shortId: string
    close(): Promise<void>
}

const DASH = join(__dirname, "../../host/gateway/dashboard")
const TYPES: Record<string, string> = { html: "text/html; charset=utf-8", js: "text/javascript", css: "text/css" }

export async function startGateway(client: ManagerClient): Promise<Gateway> {
    const id = "0123456789abcdef"
    const server = createServer(async (req, res) => {
        const u = new URL(req.url!, "http://x")
        const chunks: Buffer[] = []
        for await (const c of req) chunks.push(c as Buffer)
        const body = Buffer.concat(chunks)
        const json = (status: number, v: unknown) => {
            res.writeHead(status, { "content-type": "application/json" })
            res.end(JSON.stringify(v))
        }
        try {
            const p = u.pathname
            if (p === "/" || p.startsWith("/dashboard/")) {
                const f = p === "/" ? "index.html" : p.slice("/dashboard/".length)
                res.writeHead(200, { "content-type": TYPES[f.split(".").pop()!] ?? "application/octet-stream" })
                return res.end(readFileSync(join(DASH, f)))
            }
            if (p === "/devices") return json(200, [{ id, shortId: "AB12", label: "node board", board: (await client.list()).board }])
            const m = /^\/devices\/([^/]+)(\/.*)$/.exec(p)
            if (!m || m[1].toLowerCase() !== id) return json(404, { error: "no such device" })
            const rest = m[2]
            if (rest === "/apps" && req.method === "GET") return json(200, (await client.list()).apps)
            let a = /^\/apps\/([^/]+)$/.exec(rest)
            if (a && req.method === "POST") {
                let image
                try {
                    image = compileAppImage(body).image
                } catch (e) {
                    return json(400, { error: `not a valid module: ${(e as Error).message}` })
                }
                const r = await client.install(a[1], image)
                return json(201, { name: a[1], imageBytes: image.length, ms: r })
            }
            if (a && req.method === "DELETE") {
                await client.uninstall(a[1])
                res.writeHead(204)
                return res.end()
            }
            a = /^\/app\/([^/]+)(\/.*)?$/.exec(rest)
            if (a) {
                const isJson = (req.headers["content-type"] ?? "").includes("json")
                const payload = body.length ? (isJson ? jsonToAttr(body.toString()) : body) : undefined
                const r = await client.request(req.method!, `/app/${a[1]}${a[2] ?? ""}`, { payload, fmt: payload ? (isJson ? 99 : 98) : undefined })
                const has = r.payload.length > 0
                res.writeHead(httpStatus(r.status, has), { "x-wasmlet-status": coapCode(r.status), ...(has ? { "content-type": r.fmt === 99 ? "application/json" : "application/octet-stream" } : {}) })
                return res.end(has ? (r.fmt === 99 ? JSON.stringify(attrToJson(r.payload)) : Buffer.from(r.payload)) : undefined)
            }
            if (rest === "/events" || rest === "/logs") {
                res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store" })
                res.write(": wasmlet\n\n")
                const send = (ev: string, v: unknown) => res.write(`event: ${ev}\ndata: ${JSON.stringify(v)}\n\n`)
                if (rest === "/logs") {
                    const off = client.onLog(l => send("log", l))
                    res.on("close", off)
                } else {
                    const url = (u.searchParams.get("url") ?? "").replace(/^\/+/, "")
                    const off = await client.subscribe(url, e =>
                        send("event", { url: e.url, fmt: e.fmt, sender: e.sender, payload: e.fmt === 99 ? attrToJson(e.payload) : Buffer.from(e.payload).toString("base64") }),
                    )
                    res.on("close", () => void off())
                }
                return
            }
            json(404, { error: `no route ${req.method} ${p}` })
        } catch (e) {
            json(500, { error: (e as Error).message })
        }
    })
    await new Promise<void>(r => server.listen(0, "127.0.0.1", r))
    const port = (server.address() as AddressInfo).port
    return {
        url: `http://127.0.0.1:${port}`,
        deviceId: id,
        shortId: "AB12",
        close: () => new Promise(r => { server.closeAllConnections(); server.close(() => r()) }),
    }
}
