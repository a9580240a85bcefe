// The gateway's guards on the real path (test/gateway/sim-run.ts calls this): against a
// `wasmlet serve --sim` on a non-loopback address (so it generated a token) with --read-only and a
// small --max-body, every route of the route table is tried without the token, with a wrong one,
// and with it (Bearer, and ?token= as an EventSource sends it), and what the gateway answered is
// returned for the test to judge: 401s, the routes working with the token, 403 for install and
// uninstall, 413 for a body over the limit, and the board's apps untouched. The routes come from
// the gateway's own /openapi.json (test/gateway/openapi.test.ts checks it lists server.ts's ROUTES,
// which this script cannot import: tsx outside vitest does not resolve the framework's imports).
import { readStream } from "./sim-sse"

export interface Tried {
    method: string
    /** The route's template (as /openapi.json has it) and the path tried. */
    route: string
    path: string
    status: number
    /** For streams read with the token: the first message's event name. */
    first?: string
}

/** The routes {method, path template} of the gateway's OpenAPI document. */
async function routesOf(base: string, token: string): Promise<{ method: string; path: string }[]> {
    const doc = (await (await fetch(`${base}/openapi.json`, { headers: { authorization: `Bearer ${token}` } })).json()) as any
    return Object.entries(doc.paths).flatMap(([path, ops]: [string, any]) => Object.keys(ops).filter(m => m !== "parameters").map(m => ({ method: m.toUpperCase(), path })))
}

/** One concrete request per route: `app` is an app on the board, `wasm` a small .wasm to upload. */
function concrete(routes: { method: string; path: string }[], dev: string, app: string, wasm: Uint8Array): { method: string; route: string; path: string; body?: BodyInit; type?: string; stream?: boolean }[] {
    return routes.map(r => ({ route: r.path, ...one(r, dev, app, wasm) }))
}

/** The request tried for one route (a stream's query, an upload's or a request's body). */
function one(r: { method: string; path: string }, dev: string, app: string, wasm: Uint8Array): { method: string; path: string; body?: BodyInit; type?: string; stream?: boolean } {
    const path = r.path
        .replace("{dev}", dev)
        .replace("{name}", r.path.startsWith("/devices/{dev}/apps/") && r.method === "POST" ? "intruder" : app)
        .replace("{path}", "conf")
        .replace("{file}", "app.js")
    if (path.endsWith("/events")) return { method: r.method, path: path + "?url=alert/overheat", stream: true }
    if (path.endsWith("/logs")) return { method: r.method, path, stream: true }
    if (r.method === "POST" && path.includes("/apps/")) return { method: r.method, path, body: wasm as BodyInit, type: "application/wasm" }
    if ((r.method === "POST" || r.method === "PUT") && path.includes("/app/")) return { method: r.method, path, body: JSON.stringify({ n: 1 }), type: "application/json" }
    return { method: r.method, path }
}

async function tryAll(base: string, routes: ReturnType<typeof concrete>, auth: Record<string, string>, query = ""): Promise<Tried[]> {
    const out: Tried[] = []
    for (const r of routes) {
        const url = base + r.path + (query ? (r.path.includes("?") ? "&" : "?") + query : "")
        if (r.stream) {
            const s = await readStream(url, 1, 10_000, auth)
            out.push({ method: r.method, route: r.route, path: r.path, status: s.status, first: s.messages[0]?.event })
            continue
        }
        const res = await fetch(url, { method: r.method, body: r.body, headers: { ...auth, ...(r.type ? { "content-type": r.type } : {}) } })
        await res.arrayBuffer()
        out.push({ method: r.method, route: r.route, path: r.path, status: res.status })
    }
    return out
}

export async function guardChecks(base: string, token: string, dev: string, app: string, wasm: Uint8Array) {
    const routes = concrete(await routesOf(base, token), dev, app, wasm)
    const bearer = { authorization: `Bearer ${token}` }
    const noToken = await tryAll(base, routes, {})
    const wrongBearer = await tryAll(base, routes, { authorization: `Bearer ${token}x` })
    const wrongQuery = await tryAll(base, routes, {}, "token=nottheone")
    const withBearer = await tryAll(base, routes, bearer)
    // EventSource cannot send headers: the token in the stream's url works too, and so does the page's
    const events = await readStream(`${base}/devices/${dev}/events?url=alert/overheat&token=${encodeURIComponent(token)}`, 1, 10_000)
    const page = await fetch(`${base}/?token=${encodeURIComponent(token)}`)
    const pageText = await page.text()
    // --max-body 64: a request body over it is refused before the app sees it
    const big = await fetch(`${base}/devices/${dev}/app/${app}/conf`, { method: "PUT", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ s: "x".repeat(80) }) })
    const small = await fetch(`${base}/devices/${dev}/app/${app}/conf`, { method: "PUT", headers: { ...bearer, "content-type": "application/json" }, body: JSON.stringify({ s: "fits" }) })
    const apps = (await (await fetch(`${base}/devices/${dev}/apps`, { headers: bearer })).json()) as any[]
    return {
        noToken,
        wrongBearer,
        wrongQuery,
        withBearer,
        queryEvents: { status: events.status, messages: events.messages },
        queryPage: { status: page.status, dashboard: /<title>wasmlet dashboard<\/title>/.test(pageText) },
        tooBig: { status: big.status, body: await big.json() },
        fits: { status: small.status, body: await small.json() },
        apps: apps.map(a => a.name),
    }
}
