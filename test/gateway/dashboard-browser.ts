// The dashboard test's browser: Debian's chromium driven by puppeteer-core (a real page, real
// fetch/EventSource/file input), and small waits that read what a user would see on the page.
import puppeteer, { type Browser, type Page } from "puppeteer-core"

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium"

export async function launch(): Promise<Browser> {
    return puppeteer.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--headless=new"] })
}

/** The page's text content of `selector` (trimmed), or "" when it is not there. */
export function text(page: Page, selector: string): Promise<string> {
    return page.evaluate(s => document.querySelector(s)?.textContent?.trim() ?? "", selector)
}

/** Waits until `selector`'s text matches `re`; on a timeout, says what the page showed instead. */
export async function waitForText(page: Page, selector: string, re: RegExp, timeout = 15000): Promise<string> {
    try {
        await page.waitForFunction(
            (s, src, flags) => new RegExp(src, flags).test(document.querySelector(s)?.textContent ?? ""),
            { timeout, polling: 100 },
            selector,
            re.source,
            re.flags,
        )
    } catch (e) {
        const seen = await text(page, selector)
        const err = await text(page, "#error")
        throw new Error(`${selector} never matched ${re} within ${timeout} ms; it shows ${JSON.stringify(seen.slice(0, 400))}${err ? `; the page's error: ${err}` : ""}`)
    }
    return text(page, selector)
}

/** The rows of the apps table as {name, state, restarts, error}. */
export function appRows(page: Page): Promise<{ name: string; state: string; memory: string; restarts: string; error: string }[]> {
    return page.$$eval("#apps tbody tr[data-app]", trs =>
        trs.map(tr => {
            const c = [...tr.children].map(td => td.textContent?.trim() ?? "")
            return { name: (tr as HTMLElement).dataset.app ?? "", state: c[1], memory: c[2], restarts: c[4], error: c[5] }
        }),
    )
}
