// The gateway on the real path: `wasmlet serve --sim` processes in front of the DeviceScript
// simulator running the firmware with its baked sample apps, in a private network namespace, one
// simulator boot for all of it (./sim-run.ts does the steps): devices and apps listed, an SSE event
// of the baked event_publisher, an app installed by upload answering requests with its typed JSON,
// a url no handler serves (WAMR's app library does not answer it) as 504, an unknown app as 404, an
// upload over the size limit as 413 with nothing installed; a gateway off loopback answering 401 on
// every route without its generated token and working with it, read-only (403) with a body limit
// (413); the dashboard in headless chromium showing the board, its apps running, a live event and
// an answer to a request sent from the page, installing and uninstalling through the page;
// uninstall over HTTP; a second board joining the link served too.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, test } from "vitest"
import { runSteps, type StepsRun } from "../host/sim-steps"
import { ROUTES } from "../../host/gateway/server"
import { ECHO, wasm } from "./fixture"

const BAKED = ["event_publisher", "event_subscriber"]
let dir: string
let r: StepsRun
let ms = 0

beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "wasmlet-gw-sim-"))
    const echo = join(dir, "echo.wasm")
    writeFileSync(echo, await wasm(ECHO))
    const t0 = Date.now()
    r = await runSteps("test/gateway/sim-run.ts", [dir, echo], { cwd: dir, timeoutMs: 170_000 })
    ms = Date.now() - t0
}, 180_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("wasmlet serve in front of the simulator", () => {
    test("the run finished", () => {
        expect(r.code, r.output.slice(-6000)).toBe(0)
        expect(r.output).toMatch(/^done$/m)
        console.log(`simulator run: ${ms} ms (${[...r.steps].map(([k, v]) => `${k} ${v.ms}`).join(", ")})`)
    })

    test("requests, an SSE event, install and uninstall over HTTP", () => {
        expect(r.step("devices").devices).toEqual([expect.objectContaining({ id: expect.stringMatching(/^[0-9a-f]{16}$/), shortId: expect.any(String), board: expect.objectContaining({ board: expect.any(String) }) })])
        expect(r.step("apps").apps.map((a: any) => [a.name, a.state, a.baked])).toEqual([["event_publisher", "running", true], ["event_subscriber", "running", true]])
        expect(r.step("event").events).toEqual([{ event: "event", data: expect.objectContaining({ url: "alert/overheat", contentType: "application/json", payload: { warning: "temperature is over high" } }) }])
        expect(r.step("install")).toMatchObject({ status: 201, body: { name: "echo" } })
        const req = r.step("request")
        expect(req).toMatchObject({ status: 200, coap: "2.05", body: { n: 4, x: 2.5, on: true, s: "sim", b: { base64: "3q2+7w==" } } })
        expect(r.step("no-answer")).toMatchObject({ status: 504, body: { error: expect.stringMatching(/no response within 1500 ms/) } })
        expect(r.step("no-answer").ms).toBeLessThan(4000)
        expect(r.step("ghost")).toMatchObject({ status: 404, body: { error: expect.stringMatching(/no app ghost/) } })
        expect(r.step("uninstall")).toEqual(expect.objectContaining({ status: 204, apps: BAKED }))
        const t = req.times.slice().sort((a: number, b: number) => a - b)
        console.log(`simulator through the gateway: install ${r.step("install").ms} ms, request median ${t[2]} ms (${req.times.join(", ")})`)
    })

    test("an upload over the size limit is 413 and installs nothing", () => {
        expect(r.step("too-large")).toMatchObject({ status: 413, body: { error: expect.stringMatching(/262145 B is over the limit of 262144 B/) }, apps: [...BAKED, "echo"] })
    })

    test("off loopback: 401 on every route without the generated token, working with it; read-only 403; a body over --max-body 413", () => {
        const l = r.step("locked")
        expect(l.listen).toBe("0.0.0.0")
        expect(l.tokenChars).toBeGreaterThanOrEqual(20)
        const dev = r.step("devices").devices[0].shortId
        // every route of the gateway's table was tried (the runner took them from /openapi.json)
        const routes = ROUTES.map(x => `${x.method} ${x.path}`).sort()
        for (const tried of [l.noToken, l.wrongBearer, l.wrongQuery, l.withBearer]) expect(tried.map((x: any) => `${x.method} ${x.route}`).sort()).toEqual(routes)
        for (const tried of [l.noToken, l.wrongBearer, l.wrongQuery]) expect(tried.filter((x: any) => x.status !== 401)).toEqual([])
        const want = (method: string, path: string) => {
            if (path === `/devices/${dev}/apps/intruder` || (method === "DELETE" && path === `/devices/${dev}/apps/echo`)) return { status: 403 }
            if (path.includes("/events")) return { status: 200, first: "event" }
            if (path.endsWith("/logs")) return { status: 200, first: "log" }
            return { status: 200 }
        }
        expect(l.withBearer.map((x: any) => [x.method, x.path, { status: x.status, ...(x.first ? { first: x.first } : {}) }])).toEqual(
            l.withBearer.map((x: any) => [x.method, x.path, want(x.method, x.path)])
        )
        expect(l.withBearer.map((x: any) => `${x.method} ${x.path.replace(dev, "{dev}")}`)).toEqual(expect.arrayContaining(["GET /devices", "GET /openapi.json", "GET /", "GET /dashboard/app.js", "POST /devices/{dev}/apps/intruder", "PUT /devices/{dev}/app/echo/conf"]))
        // the token in the url, as the page's EventSource sends it
        expect(l.queryEvents).toMatchObject({ status: 200, messages: [{ event: "event", data: { url: "alert/overheat" } }] })
        expect(l.queryPage).toEqual({ status: 200, dashboard: true })
        expect(l.tooBig).toMatchObject({ status: 413, body: { error: expect.stringMatching(/over the limit of 64 B/) } })
        expect(l.fits).toEqual({ status: 200, body: { s: "fits" } })
        // nothing the refused requests sent reached the board
        expect(l.apps).toEqual([...BAKED, "echo"])
    })

    test("the dashboard in chromium: the board, its apps running, a live event, a request's answer", () => {
        const d = r.step("dashboard")
        expect(d.devices).toMatch(new RegExp(r.step("devices").devices[0].shortId, "i"))
        expect(d.rows.map((x: any) => [x.name, x.state])).toEqual([...BAKED, "echo"].map(n => [n, "running"]))
        expect(d.boardInfo).toMatch(/^simulator: 3 of 3 apps, arena \d+(\.\d)? KB free of \d+ KB/)
        expect(d.events).toMatch(/alert\/overheat \{"warning":"temperature is over high"\}/)
        expect(d.request.status).toMatch(/^200 OK in \d+ ms$/)
        expect(JSON.parse(d.request.response)).toEqual({ n: 7, s: "from the page", x: 2.5, on: false })
        expect(d.console).toMatch(/\[event_subscriber\] \S/)
        expect(d.error).toBe("")
        console.log(`dashboard on the simulator: apps shown ${d.shownMs} ms after opening, first event ${d.eventMs} ms after subscribing`)
    })

    test("the dashboard installs through its file picker and uninstalls with the row's button", () => {
        const d = r.step("dashboard-install")
        const dev = r.step("devices").devices[0].shortId
        expect(d.installed).toMatch(new RegExp(`^Installed timer on ${dev} in \\d+\\.\\d s\\.$`))
        expect(d.state).toBe("running")
        expect(d.console).toMatch(/\[timer\] Timer update \d+/)
        expect(d.asked).toEqual([expect.stringMatching(new RegExp(`^Uninstall timer from ${dev}\\?`))])
        expect(d.uninstalled).toBe(`Uninstalled timer from ${dev}.`)
        expect(d.rows).toEqual(BAKED)
        expect(d.apps).toEqual(BAKED)
        expect(d.error).toBe("")
        console.log(`dashboard on the simulator: install through the page ${d.installMs} ms, uninstall ${d.uninstallMs} ms`)
    })

    test("a second board joining the link is served too", () => {
        const s = r.step("second")
        expect(s.devices).toHaveLength(2)
        expect(s.devices[0]).toBe(r.step("devices").devices[0].shortId)
        expect(s.apps).toEqual(BAKED)
    })
})
