// /openapi.json: it parses as an OpenAPI 3 document whose paths and methods are exactly the routes
// the gateway serves (server.ts's ROUTES), every path parameter of a template is declared, every
// operation has an id and responses; and each documented route answers something other than the
// router's "no route" 404 when called with concrete values.
import { afterEach, describe, expect, it } from "vitest"
import { ECHO, serve, Served } from "./fixture"
import { ROUTES } from "../../host/gateway/server"

let s: Served | undefined
afterEach(async () => {
    await s?.close()
    s = undefined
})

describe("gateway OpenAPI document", () => {
    it("lists every route served, and every listed route is served", async () => {
        s = await serve({ apps: { echo: ECHO } })
        const res = await s.get("/openapi.json")
        expect(res.headers.get("content-type")).toMatch(/^application\/json/)
        const doc = JSON.parse(await res.text())
        expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/)
        expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) })

        const documented: string[] = []
        for (const [path, item] of Object.entries<any>(doc.paths)) {
            for (const [method, op] of Object.entries<any>(item)) {
                documented.push(`${method.toUpperCase()} ${path}`)
                expect(op.operationId).toEqual(expect.any(String))
                expect(Object.keys(op.responses).length).toBeGreaterThan(0)
                const declared = (op.parameters ?? []).filter((p: any) => p.in === "path").map((p: any) => p.name).sort()
                const inTemplate = [...path.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort()
                expect([method, path, declared]).toEqual([method, path, inTemplate])
                for (const ref of JSON.stringify(op).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)) expect(doc.components.schemas[ref[1]]).toBeDefined()
            }
        }
        expect(documented.sort()).toEqual(ROUTES.map(r => `${r.method} ${r.path}`).sort())

        for (const r of ROUTES) {
            const path = r.path.replace("{dev}", "BRD0").replace("{name}", "echo").replace("{path}", "x").replace("{file}", "index.html")
            const ctl = new AbortController()
            const got = await s.get(path + (path.endsWith("/events") ? "?url=tick" : ""), { method: r.method, signal: ctl.signal })
            const body = got.headers.get("content-type")?.startsWith("text/event-stream") ? "" : await got.text()
            ctl.abort()
            expect([r.method, path, body]).not.toEqual([r.method, path, expect.stringMatching(/no route/)])
            expect(got.status).toBeLessThan(500)
        }
    })
})
