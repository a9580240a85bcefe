// Helpers for the framework behaviour tests beyond helpers.ts: test apps compiled as apps (with
// the stack bound the framework uses), host requests, running until an app is idle, decoding what
// the host received, and console lines stamped with the virtual time they arrived at.
import { compileApp } from "../../compiler/index"
import type { App } from "../../framework/app"
import { ACTION_GET, getU32BE, packRequest, requestUrl } from "../../framework/packets"
import { watToWasm } from "../engine/helpers"
import type { TestRuntime } from "./helpers"

const images = new Map<string, Buffer>()

/**
 * A WAT app's device image. Every import of the test apps is a native (a host function), so the
 * stack bound is exact and the app's stacks are small (an unknown bound costs the profile's 4 KB).
 */
export async function appImage(src: string): Promise<Buffer> {
    let img = images.get(src)
    if (img === undefined) {
        img = Buffer.from(compileApp(await watToWasm(src), { importCost: () => "host" }).image)
        images.set(src, img)
    }
    return img
}

/** The app has nothing queued and no callback under way. */
export const idle = (app: App) => app.queue.length === 0 && app.phase === 0

/** Runs turns until every given app is idle (at most ms of virtual time). */
export async function settle(t: TestRuntime, apps: App[], ms = 100): Promise<void> {
    await t.runFor(ms, () => apps.every(idle))
}

/** A GET from the host with this url and mid; false when the runtime refused the packet. */
export function hostGet(t: TestRuntime, url: string, mid: number, payload: Buffer = null): boolean {
    return t.rt.hostRequest(packRequest(ACTION_GET, url, 0, mid, 0, payload))
}

/** A packed response's fields. */
export function decodeResponse(b: Buffer) {
    return { status: b[1], fmt: (b[2] << 8) | b[3], mid: getU32BE(b, 4), receiver: getU32BE(b, 8), payload: b.slice(16, 16 + getU32BE(b, 12)) }
}

/** A packed request's fields. */
export function decodeRequest(b: Buffer) {
    return { action: b[1], mid: getU32BE(b, 4), sender: getU32BE(b, 8), url: requestUrl(b) }
}

/** Records [virtual ms, "app: line"] for every console line from now on (keeps the recorder's lines too). */
export function stampLines(t: TestRuntime): [number, string][] {
    const out: [number, string][] = []
    const orig = t.host.console.bind(t.host)
    t.host.console = (app: App, line: string) => {
        out.push([t.clock.now(), `${app.name}: ${line}`])
        orig(app, line)
    }
    return out
}
