// The web dashboard (host/gateway/dashboard/) in a real headless browser (Debian's chromium under
// puppeteer-core) against a gateway in front of a NodeBoard (the real AppManager and Runtime on
// Node, test/link/node-board.ts) with the event publisher baked in: the device and its apps are
// listed, a .wasm installed through the file input runs, a request with a JSON body shows the
// app's JSON response, a console line and an event appear live, uninstall removes the app, and a
// server error is shown in plain words.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import type { Browser, Page } from "puppeteer-core"
import { NodeBoard } from "../link/node-board"
import { Cmd } from "../../manager/protocol"
import { ManagerClient } from "../../host/link/client"
import { compileAppImage } from "../../host/run/app-images"
import { watToWasm } from "../engine/helpers"
import { appRows, launch, text, waitForText } from "./dashboard-browser"
import { startGateway, type Gateway } from "./dashboard-gateway"

const REQUEST_CODE = Cmd.REQUEST
const ROOT = join(__dirname, "../..")
const sample = (n: string) => join(ROOT, "apps/samples", n, `${n}.wasm`)

/** Takes requests and traps on each (the runtime keeps the app, and the trap as its last error). */
const TRAPS_ON_REQUEST = `(module
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init"))
  (func (export "on_request") (param i32 i32) unreachable))`

const tmp = mkdtempSync(join(tmpdir(), "wasmlet-dashboard-"))
let board: NodeBoard
let client: ManagerClient
let gw: Gateway
let browser: Browser
let page: Page

beforeAll(async () => {
    const publisher = Buffer.from(compileAppImage(readFileSync(sample("event_publisher"))).image) // DeviceScript hands the firmware Buffers
    board = await new NodeBoard({ baked: [{ name: "event_publisher", image: publisher }], arenaBytes: 4 * 32768, appArenaBytes: 32768 }).boot()
    client = new ManagerClient(board.channel, { resendMs: 60, busyMs: 30, responseMs: 1500 }) // an app's answer: the gateway's 504 after 1.5 s
    ;[gw, browser] = await Promise.all([startGateway(client), launch()])
    page = await browser.newPage()
    await page.goto(gw.url + "/?refresh=300")
}, 30000)

afterAll(async () => {
    await browser?.close()
    await gw?.close()
    client?.close()
    board?.halt()
    rmSync(tmp, { recursive: true, force: true })
})

describe("dashboard", () => {
    it("lists the device and its baked app, running", async () => {
        await waitForText(page, "#devices", new RegExp(gw.shortId, "i"))
        await waitForText(page, "#apps tbody", /event_publisher/)
        await waitForText(page, "#board-info", /simulator: 1 of 3 apps, arena \d+ KB free of 128 KB/)
        const rows = await appRows(page)
        const pub = rows.find(r => r.name === "event_publisher")!
        expect(pub.state).toBe("running")
        expect(pub.memory).toMatch(/\d+(\.\d)? KB/)
        expect(pub.restarts).toBe("0")
        // refreshes update the row in place (a screen reader's place and the focus stay): the row
        // marked now is the one shown after its uptime has changed
        const sel = "#apps tbody tr[data-app=event_publisher]"
        const uptime = await page.$eval(sel, tr => { (tr as any).marked = true; return tr.children[3].textContent })
        await page.waitForFunction((s, u) => document.querySelector(s)?.children[3].textContent !== u, { timeout: 5000 }, sel, uptime)
        expect(await page.$eval(sel, tr => (tr as any).marked)).toBe(true)
        // accessible: every form field has a label the browser ties to it
        const unlabelled = await page.$$eval("input:not([type=hidden]), select, textarea", els =>
            els.filter(e => !(e as HTMLInputElement).labels?.length).map(e => e.id),
        )
        expect(unlabelled).toEqual([])
    })

    it("installs a .wasm chosen in the file picker, and the app runs", async () => {
        const input = await page.$("#install-file")
        await (input as any).uploadFile(sample("request_handler"))
        // the name comes from the file's name
        await page.waitForFunction(() => (document.getElementById("install-name") as HTMLInputElement).value === "request_handler", { timeout: 2000 })
        await page.click("#install-form button[type=submit]")
        await waitForText(page, "#status", /Installed request_handler/, 20000)
        await waitForText(page, "#apps tbody tr[data-app=request_handler] .state", /running/)
        // the board's figures follow (they come with the same list)
        await waitForText(page, "#board-info", /2 of 3 apps/)
        // the board really has it
        expect((await client.list()).apps.find(a => a.name === "request_handler")?.state).toBe("running")
    }, 30000)

    it("sends a request with a JSON body and shows the app's JSON response and its console line", async () => {
        await page.select("#req-method", "POST")
        await page.select("#req-app", "request_handler")
        await page.type("#req-path", "url1")
        await page.type("#req-body", '{"k": 1, "name": "dash"}')
        await page.click("#request-form button[type=submit]")
        await waitForText(page, "#req-status", /^200\b/)
        const shown = JSON.parse(await text(page, "#req-response"))
        expect(shown).toEqual({ key1: "value1", key2: "value2" })
        // the handler's printf, live on the console stream
        await waitForText(page, "#console", /\[request_handler\] \[resp\] ### user resource 1 handler called/)
        // DASHBOARD_SCREENSHOT=file.png keeps a picture of the page at this point (to look at it)
        if (process.env.DASHBOARD_SCREENSHOT) await page.screenshot({ path: process.env.DASHBOARD_SCREENSHOT as `${string}.png`, fullPage: true })
    })

    it("says so when the JSON body does not parse, and sends nothing", async () => {
        const before = board.counts.get("toDevice:" + REQUEST_CODE) ?? 0
        await page.select("#req-method", "PUT")
        await page.$eval("#req-body", e => ((e as HTMLTextAreaElement).value = "{k: 1"))
        await page.click("#request-form button[type=submit]")
        await waitForText(page, "#req-status", /not valid JSON/)
        expect(await text(page, "#req-response")).toBe("")
        expect(board.counts.get("toDevice:" + REQUEST_CODE) ?? 0).toBe(before)
    })

    it("shows events live once subscribed", async () => {
        await page.type("#events-url", "alert/overheat")
        await page.click("#events-form button[type=submit]")
        // the publisher sends one a second
        const shown = await waitForText(page, "#events", /alert\/overheat.*temperature is over high/, 8000)
        expect(shown).toMatch(/warning/)
        await page.click("#events-stop")
        expect(await page.$eval("#events-stop", e => (e as HTMLButtonElement).disabled)).toBe(true)
    }, 15000)

    it("shows an app's trap as its last error, and a request it never answers as the board's timeout", async () => {
        const file = join(tmp, "trap.wasm")
        writeFileSync(file, await watToWasm(TRAPS_ON_REQUEST))
        await (await page.$("#install-file") as any).uploadFile(file)
        await page.waitForFunction(() => (document.getElementById("install-name") as HTMLInputElement).value === "trap", { timeout: 2000 })
        await page.click("#install-form button[type=submit]")
        await waitForText(page, "#apps tbody tr[data-app=trap] .state", /running/, 20000)
        await page.select("#req-method", "GET")
        await page.select("#req-app", "trap")
        await page.$eval("#req-path", e => ((e as HTMLInputElement).value = "x"))
        await page.$eval("#req-body", e => ((e as HTMLTextAreaElement).value = ""))
        await page.click("#request-form button[type=submit]")
        await waitForText(page, "#req-status", /^504 Gateway Timeout in \d+ ms: .*no response/, 10000)
        await waitForText(page, "#apps tbody tr[data-app=trap] td:nth-of-type(5)", /on_request: unreachable/)
        await waitForText(page, "#console", /\[trap\] \(runtime\) trap: on_request trapped: unreachable/)
        page.once("dialog", d => void d.accept())
        await page.click('#apps tbody tr[data-app=trap] button[aria-label="Uninstall trap"]')
        await page.waitForFunction(() => !document.querySelector("#apps tbody tr[data-app=trap]"), { timeout: 10000 })
    }, 30000)

    it("shows the server's error when an install is refused", async () => {
        const input = await page.$("#install-file")
        await (input as any).uploadFile(join(ROOT, "README.md")) // not a Wasm module
        await page.$eval("#install-name", e => ((e as HTMLInputElement).value = "junk"))
        await page.click("#install-form button[type=submit]")
        const err = await waitForText(page, "#error", /Could not install junk: .+\(HTTP 400\)/)
        expect(err).not.toMatch(/undefined|\[object/)
        expect((await appRows(page)).map(r => r.name)).not.toContain("junk")
    })

    it("uninstalls once confirmed: the app leaves the list", async () => {
        const button = '#apps tbody tr[data-app=request_handler] button[aria-label="Uninstall request_handler"]'
        // asked first: dismissed, nothing happens
        const asked: string[] = []
        page.once("dialog", d => {
            asked.push(d.message())
            void d.dismiss()
        })
        await page.click(button)
        await new Promise(r => setTimeout(r, 500))
        expect(asked).toEqual([expect.stringMatching(/^Uninstall request_handler from DASH\?/)])
        expect((await client.list()).apps.map(a => a.name)).toContain("request_handler")
        page.once("dialog", d => void d.accept())
        await page.click(button)
        await waitForText(page, "#status", /Uninstalled request_handler/, 15000)
        await page.waitForFunction(() => !document.querySelector("#apps tbody tr[data-app=request_handler]"), { timeout: 5000 })
        expect((await client.list()).apps.map(a => a.name)).not.toContain("request_handler")
        // the baked app stays; the request form offers only what is there
        expect((await appRows(page)).map(r => r.name)).toContain("event_publisher")
        expect(await page.$$eval("#req-app option", os => os.map(o => (o as HTMLOptionElement).value))).toEqual(["event_publisher"])
        await waitForText(page, "#board-info", /1 of 3 apps/)
    }, 20000)
})

describe("dashboard behind a token", () => {
    it("works when opened with ?token=, and says so plainly when the token is wrong", async () => {
        const locked = await startGateway(client, { token: "s3cret-dash" })
        const p = await browser.newPage()
        try {
            // without the token the gateway serves nothing, the page included
            expect((await p.goto(locked.url + "/"))!.status()).toBe(401)
            await p.goto(locked.url + "/?refresh=300&token=s3cret-dash")
            await waitForText(p, "#apps tbody", /event_publisher/)
            // styled: the style sheet came through with the token
            expect(await p.$eval("#apps", e => getComputedStyle(e).borderCollapse)).toBe("collapse")
            // the console stream carries the token in its URL (EventSource sends no headers)
            await p.waitForFunction("state.logs && state.logs.readyState === EventSource.OPEN", { timeout: 5000 })
            await p.$eval("#token", e => ((e as HTMLInputElement).value = "wrong"))
            await p.click("#token-form button")
            await waitForText(p, "#error", /Could not list the devices: The gateway refused access with this token/)
            expect(await p.$eval("#device-panel", e => (e as HTMLElement).hidden)).toBe(true) // nothing stale on show
            await p.$eval("#token", e => ((e as HTMLInputElement).value = "s3cret-dash"))
            await p.click("#token-form button")
            await p.waitForFunction(() => !document.getElementById("device-panel")!.hidden, { timeout: 5000 })
            await waitForText(p, "#apps tbody", /event_publisher/)
            expect(await p.$eval("#error", e => (e as HTMLElement).hidden)).toBe(true)
            expect(new URL(p.url()).searchParams.get("token")).toBe("s3cret-dash")
        } finally {
            await p.close()
            await locked.close()
        }
    }, 40000)
})
