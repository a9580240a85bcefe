// The dashboard on the real path (test/gateway/sim-run.ts calls these): the page of a
// `wasmlet serve --sim` in headless chromium (./dashboard-browser.ts), used as a person would:
// the simulated board and its baked apps shown running, a live event of the baked publisher, a
// request with a JSON body to the echo app and its answer; then a .wasm installed through the
// file picker, running, its console lines live, and uninstalled with the row's button. Each
// returns what the page showed, for the test to judge.
import type { Page } from "puppeteer-core"
import { appRows, text, waitForText } from "./dashboard-browser"

/** With the echo app installed: the board, its apps, an event, a request from the page. */
export async function dashboardLive(page: Page, base: string, shortId: string, echo: string) {
    const t0 = Date.now()
    await page.goto(`${base}/?refresh=500`)
    const devices = await waitForText(page, "#devices", new RegExp(shortId, "i"), 20_000)
    await waitForText(page, "#apps tbody", new RegExp(echo), 20_000)
    await waitForText(page, "#apps tbody tr[data-app=event_subscriber] .state", /running/, 10_000)
    const rows = await appRows(page)
    const boardInfo = await text(page, "#board-info")
    const shownMs = Date.now() - t0

    await page.type("#events-url", "alert/overheat")
    await page.click("#events-form button[type=submit]")
    const t1 = Date.now()
    const events = await waitForText(page, "#events", /alert\/overheat.*temperature is over high/, 15_000)
    const eventMs = Date.now() - t1
    await page.click("#events-stop")

    await page.select("#req-method", "PUT")
    await page.select("#req-app", echo)
    await page.type("#req-path", "conf")
    await page.type("#req-body", '{"n": 7, "s": "from the page", "x": 2.5, "on": false}')
    await page.click("#request-form button[type=submit]")
    const status = await waitForText(page, "#req-status", /^\d{3}\b/, 15_000)
    const response = await text(page, "#req-response")
    // the baked subscriber prints what it gets: its lines arrive on the page's console stream
    const consoleText = await waitForText(page, "#console", /\[event_subscriber\]/, 15_000)
    return { devices, rows, boardInfo, shownMs, events, eventMs, request: { status, response }, console: consoleText.slice(0, 300), error: await text(page, "#error") }
}

/** With the echo app gone: `file` installed through the page's file picker, then uninstalled there. */
export async function dashboardInstall(page: Page, file: string, name: string, consoleLine: RegExp) {
    await page.waitForFunction(() => !document.querySelector("#apps tbody tr[data-app=echo]"), { timeout: 10_000 })
    const t0 = Date.now()
    await ((await page.$("#install-file")) as any).uploadFile(file)
    await page.waitForFunction(n => (document.getElementById("install-name") as HTMLInputElement).value === n, { timeout: 5000 }, name)
    await page.click("#install-form button[type=submit]")
    const installed = await waitForText(page, "#status", new RegExp(`Installed ${name}`), 30_000)
    const installMs = Date.now() - t0
    const state = await waitForText(page, `#apps tbody tr[data-app=${name}] .state`, /running/, 15_000)
    const consoleText = await waitForText(page, "#console", consoleLine, 15_000)
    const asked: string[] = []
    page.once("dialog", d => {
        asked.push(d.message())
        void d.accept()
    })
    const t1 = Date.now()
    await page.click(`#apps tbody tr[data-app=${name}] button[aria-label="Uninstall ${name}"]`)
    const uninstalled = await waitForText(page, "#status", new RegExp(`Uninstalled ${name}`), 20_000)
    await page.waitForFunction(n => !document.querySelector(`#apps tbody tr[data-app=${n}]`), { timeout: 10_000 }, name)
    const uninstallMs = Date.now() - t1
    return { installed, installMs, state, console: (consoleText.match(new RegExp(`.{0,40}${consoleLine.source}.{0,40}`)) ?? [""])[0], asked, uninstalled, uninstallMs, rows: (await appRows(page)).map(r => r.name), error: await text(page, "#error") }
}
