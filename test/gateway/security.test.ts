// The gateway's guards against NodeBoards: the token on every route (Bearer header or ?token=,
// wrong or missing -> 401, the board untouched), --read-only (install/uninstall 403, requests to
// apps still served), body size limits (413 by Content-Length and by a chunked body that grows past
// the limit), and paths that try to leave the dashboard folder.
import { afterEach, describe, expect, it } from "vitest"
import { request } from "node:http"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { ECHO, serve, Served } from "./fixture"
import { ROUTES } from "../../host/gateway/server"

const TIMER = readFileSync(join(import.meta.dirname, "../../apps/samples/timer/timer.wasm"))

let s: Served | undefined
afterEach(async () => {
    await s?.close()
    s = undefined
})

/** A concrete path for each route template. */
const concrete = (p: string) => p.replace("{dev}", "BRD0").replace("{name}", "echo").replace("{path}", "x").replace("{file}", "app.js")

describe("gateway security", () => {
    it("checks the token on every route", async () => {
        s = await serve({ apps: { echo: ECHO }, gateway: { token: "s3cret-token" } })
        for (const r of ROUTES) {
            const path = concrete(r.path) + (r.path.endsWith("/events") ? "?url=tick" : "")
            for (const auth of [undefined, "Bearer wrong", "Bearer s3cret-tokenX", "Basic s3cret-token"]) {
                const res = await s.get(path, { method: r.method, headers: auth ? { authorization: auth } : {} })
                expect([r.method, path, auth, res.status]).toEqual([r.method, path, auth, 401])
                expect((await res.json()).error).toMatch(/token/)
            }
        }
        const ok = await s.get("/devices/BRD0/app/echo/x", { method: "POST", headers: { authorization: "Bearer s3cret-token", "content-type": "application/json" }, body: '{"k":2}' })
        expect(ok.status).toBe(200)
        expect(await ok.json()).toEqual({ k: 2 })
        expect((await s.get("/devices?token=s3cret-token")).status).toBe(200)
        expect((await s.get("/devices?token=nope")).status).toBe(401)
        const sse = await s.get("/devices/BRD0/logs?token=s3cret-token")
        expect(sse.status).toBe(200)
        await sse.body!.cancel()
        // nothing was installed by the refused uploads
        expect((await s.boards[0].client.list()).apps.map(a => a.name)).toEqual(["echo"])
    })

    it("read-only: no install or uninstall, requests still served", async () => {
        s = await serve({ apps: { echo: ECHO }, gateway: { readOnly: true } })
        const inst = await s.get("/devices/BRD0/apps/blink", { method: "POST", body: TIMER })
        expect(inst.status).toBe(403)
        expect((await inst.json()).error).toMatch(/read-only/)
        const del = await s.get("/devices/BRD0/apps/echo", { method: "DELETE" })
        expect(del.status).toBe(403)
        expect((await s.boards[0].client.list()).apps.map(a => a.name)).toEqual(["echo"])
        const r = await s.get("/devices/BRD0/app/echo/x", { method: "PUT", body: Buffer.from("abc") })
        expect(Buffer.from(await r.arrayBuffer()).toString()).toBe("abc")
    })

    it("413 for bodies over the limits, declared or streamed", async () => {
        s = await serve({ apps: { echo: ECHO }, gateway: { maxBody: 100, maxUpload: 1000 } })
        const big = await s.get("/devices/BRD0/app/echo/x", { method: "POST", body: Buffer.alloc(101) })
        expect(big.status).toBe(413)
        expect((await big.json()).error).toMatch(/101 B is over the limit of 100 B/)
        expect((await s.get("/devices/BRD0/app/echo/x", { method: "POST", body: Buffer.alloc(100, 65) })).status).toBe(200)
        const upload = await s.get("/devices/BRD0/apps/blink", { method: "POST", body: TIMER })
        expect(upload.status).toBe(413)
        // chunked: no Content-Length, the body grows past the limit
        const status = await new Promise<number>((resolve, reject) => {
            const req = request(`${s!.url}/devices/BRD0/app/echo/x`, { method: "POST", headers: { "transfer-encoding": "chunked" } }, res => {
                res.resume()
                resolve(res.statusCode!)
            })
            req.on("error", reject)
            for (let i = 0; i < 10; i++) req.write(Buffer.alloc(50))
            req.end()
        })
        expect(status).toBe(413)
        expect((await s.boards[0].client.list()).apps.map(a => a.name)).toEqual(["echo"])
    })

    it("serves the dashboard's files and nothing outside its folder", async () => {
        s = await serve()
        const index = await s.get("/")
        expect(index.status).toBe(200)
        expect(index.headers.get("content-type")).toMatch(/^text\/html/)
        for (const p of ["/dashboard/../server.ts", "/dashboard/%2e%2e/server.ts", "/dashboard/..%2fserver.ts"]) {
            const r = await s.get(p)
            expect([p, r.status]).toEqual([p, 404])
        }
        await s.close()
        s = await serve({ gateway: { dashboardDir: "/nonexistent-dashboard" } })
        const none = await s.get("/")
        expect(none.status).toBe(200)
        expect(await none.text()).toMatch(/No dashboard is installed/)
        expect((await s.get("/dashboard/app.js")).status).toBe(404)
    })
})
