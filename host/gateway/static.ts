// The web dashboard's files (host/gateway/dashboard/, written separately) as the gateway serves
// them: `GET /` is its index.html, `GET /dashboard/FILE` that file with its content type; paths that
// leave the folder are refused. While the folder is missing, `/` is a plain page saying so.
import { readFile, stat } from "node:fs/promises"
import { extname, join, resolve, sep } from "node:path"
import type { ServerResponse } from "node:http"

export const DASHBOARD_DIR = join(import.meta.dirname, "dashboard")

const TYPES: Record<string, string> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".wasm": "application/wasm",
}

const NO_DASHBOARD = `<!doctype html><meta charset="utf-8"><title>wasmlet gateway</title>
<h1>wasmlet gateway</h1><p>No dashboard is installed (host/gateway/dashboard/ is missing).
The REST routes work: <a href="/devices">/devices</a>, <a href="/openapi.json">/openapi.json</a>.</p>\n`

export async function serveDashboard(res: ServerResponse, file: string, dir = DASHBOARD_DIR): Promise<void> {
    const root = resolve(dir)
    const path = resolve(root, file)
    const send = (status: number, type: string, body: Buffer | string) => {
        const b = typeof body === "string" ? Buffer.from(body) : body
        res.writeHead(status, { "content-type": type, "content-length": b.length, "cache-control": "no-cache" })
        res.end(b)
    }
    if (path !== root && !path.startsWith(root + sep)) return send(404, "application/json", JSON.stringify({ error: "no such file" }))
    const isDir = await stat(root).then(s => s.isDirectory(), () => false)
    if (!isDir) {
        if (file === "index.html") return send(200, "text/html; charset=utf-8", NO_DASHBOARD)
        return send(404, "application/json", JSON.stringify({ error: "no dashboard installed" }))
    }
    try {
        const body = await readFile(path)
        send(200, TYPES[extname(path).toLowerCase()] ?? "application/octet-stream", body)
    } catch {
        send(404, "application/json", JSON.stringify({ error: `no dashboard file ${file}` }))
    }
}
