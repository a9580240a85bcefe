// The app framework inside the DeviceScript VM: a Runtime on the board clock with the simulator
// profile's arena, its scheduler in a fiber of its own, apps installed from device images in
// flash (framework-images.ts, generated from test/framework/apps.ts). What the host sink receives
// is checked: console lines, events, responses, status notes. The Node tests (test/framework/)
// cover the same behaviour in depth on a virtual clock; this suite shows it holds on DeviceScript
// (its numbers, strings, fibers and step guard). Times are real here: only order and counts are
// asserted, never exact times.
import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { Arena } from "../../interpreter/index"
import { App, AppState } from "../../framework/app"
import { BoardClock } from "../../framework/clock"
import { HostSink, Runtime } from "../../framework/runtime"
import { testSensors } from "../../framework/test-sensors"
import { ACTION_EVENT, ACTION_GET, HOST_ID, getU32BE, packRequest, requestUrl } from "../../framework/packets"
import { profile } from "../../boards/simulator"
import { ECHO_IMAGE, LOOPER_IMAGE, PUBLISHER_IMAGE, REQUESTER_IMAGE, SENSOR_IMAGE, SUBSCRIBER_IMAGE, TICKER_IMAGE, TRAPPER_IMAGE } from "./framework-images"

const WATCHDOG_MS = 300

class Sink implements HostSink {
    lines: string[] = []
    notes: string[] = []
    responses: Buffer[] = []
    events: Buffer[] = []
    response(b: Buffer) {
        this.responses.push(b)
    }
    event(b: Buffer) {
        this.events.push(b)
    }
    console(app: App, line: string) {
        this.lines.push(app.name + ": " + line)
    }
    status(app: App, note: string) {
        this.notes.push(note)
    }
    clear() {
        this.lines = []
        this.notes = []
        this.responses = []
        this.events = []
    }
    /** Lines of one app, without its name. */
    of(name: string): string[] {
        const out: string[] = []
        const pre = name + ": "
        for (let i = 0; i < this.lines.length; i++) if (this.lines[i].indexOf(pre) === 0) out.push(this.lines[i].slice(pre.length))
        return out
    }
}

const arena = new Arena(profile.arenaBytes)
const sink = new Sink()
const limits = { ...profile.limits, watchdogMs: WATCHDOG_MS }
const rt = new Runtime(arena, limits, new BoardClock(), sink, testSensors(), null, null)
rt.loop.start()

async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    const t0 = ds.millis()
    while (!cond()) {
        if (ds.millis() - t0 > ms) return false
        await ds.sleep(10)
    }
    return true
}

const idle = (app: App) => app.queue.length === 0 && app.phase === 0

function hostGet(url: string, mid: number) {
    expect(rt.hostRequest(packRequest(ACTION_GET, url, 0, mid, 0, null))).toBe(true)
}

/** Removes every app; the arena is whole again. */
async function removeAll() {
    while (rt.apps.length > 0) await rt.uninstall(rt.apps[0].name)
    expect(arena.freePages).toBe(profile.arenaBytes / 1024)
    sink.clear()
}

describe("app framework in DeviceScript", () => {
    test("a periodic timer: on_timer_callback in order, none after uninstall", async () => {
        const app = await rt.install("ticker", TICKER_IMAGE, true)
        expect(await waitFor(() => sink.of("ticker").length >= 4, 10000)).toBe(true)
        await rt.uninstall("ticker")
        const got = sink.of("ticker")
        for (let i = 0; i < got.length; i++) expect(got[i]).toBe("tick " + (i + 1))
        await ds.sleep(200)
        expect(sink.of("ticker").length).toBe(got.length)
        expect(app.traps).toBe(0)
        await removeAll()
    })

    test("pub/sub: every published event reaches the subscriber and the host once, in order", async () => {
        rt.hostSubscribe("alert/x")
        const sub = await rt.install("subscriber", SUBSCRIBER_IMAGE, true)
        const pub = await rt.install("publisher", PUBLISHER_IMAGE, true)
        expect(await waitFor(() => sink.of("subscriber").length >= 3, 10000)).toBe(true)
        await rt.uninstall("publisher")
        expect(await waitFor(() => idle(sub), 5000)).toBe(true)
        const published = sink.of("publisher")
        const received = sink.of("subscriber")
        expect(published.length >= 3).toBe(true)
        expect(received.length).toBe(published.length)
        for (let i = 0; i < published.length; i++) {
            expect(published[i]).toBe("published " + (i + 1))
            expect(received[i]).toBe("event " + (i + 1))
        }
        expect(sink.events.length).toBe(published.length)
        for (let i = 0; i < sink.events.length; i++) {
            const e = sink.events[i]
            expect(e[1]).toBe(ACTION_EVENT)
            expect(getU32BE(e, 4)).toBe(i + 1)
            expect(getU32BE(e, 8)).toBe(pub.id)
            expect(requestUrl(e)).toBe("alert/x")
        }
        rt.hostUnsubscribe("alert/x")
        await removeAll()
    })

    test("requests: app to app with its response, host to app with the same mid, 160 for an unknown app", async () => {
        const echo = await rt.install("echo", ECHO_IMAGE, true)
        echo.memory.store(0, 1, 69) // the status echo answers with
        await rt.install("requester", REQUESTER_IMAGE, true)
        expect(await waitFor(() => sink.of("requester").length >= 2, 10000)).toBe(true)
        const req = sink.of("requester")
        expect(req[0]).toBe("response 1")
        expect(req[1]).toBe("status 69")
        hostGet("/app/echo/x", 0x12345678)
        hostGet("/app/nobody/x", 8)
        expect(await waitFor(() => sink.responses.length >= 2, 10000)).toBe(true)
        // the refusal is immediate, the echo's answer comes after its callback ran
        const err = sink.responses[0]
        expect(err[1]).toBe(160)
        expect(getU32BE(err, 4)).toBe(8)
        const ok = sink.responses[1]
        expect(ok[1]).toBe(69)
        expect(getU32BE(ok, 4)).toBe(0x12345678)
        expect(getU32BE(ok, 8)).toBe(HOST_ID)
        // the echoed request (the payload) has its url rewritten and the host as its sender
        const inner = ok.slice(16)
        expect(requestUrl(inner)).toBe("x")
        expect(getU32BE(inner, 8)).toBe(HOST_ID)
        await ds.sleep(100)
        expect(sink.of("requester").length).toBe(2) // /nobody/here: no reply
        await removeAll()
    })

    test("a trap ends that callback only: the app handles its next request", async () => {
        const app = await rt.install("trapper", TRAPPER_IMAGE, true)
        for (let m = 1; m <= 4; m++) hostGet("/app/trapper/x", m)
        expect(await waitFor(() => app.traps === 2 && idle(app), 10000)).toBe(true)
        const got = sink.of("trapper")
        expect(got.length).toBe(3)
        expect(got[0]).toBe("init")
        expect(got[1]).toBe("request 2")
        expect(got[2]).toBe("request 4")
        expect(app.lastError).toBe("on_request: out of bounds memory access")
        expect(app.state).toBe(AppState.RUNNING)
        await removeAll()
    })

    test("sensors: WAMR's sensor_test1 read at the app's interval until it closes it", async () => {
        const app = await rt.install("sensor", SENSOR_IMAGE, true)
        app.memory.store(16, 4, 3) // close after 3 readings
        expect(await waitFor(() => sink.of("sensor").length >= 3 && idle(app), 10000)).toBe(true)
        await ds.sleep(400) // 100 ms interval: more readings would have come
        const got = sink.of("sensor")
        expect(got.length).toBe(3)
        for (let i = 0; i < 3; i++) expect(got[i]).toBe("reading " + (i + 1))
        expect(app.memory.load(20, 4)).toBe(1) // wasm_sensor_close said yes
        expect(app.memory.load(8, 4)).toBe((await testSensors()[0].read()).length)
        await removeAll()
    })

    test("watchdog: an endless on_init is stopped after watchdogMs while another app's timer goes on", async () => {
        const ticker = await rt.install("ticker", TICKER_IMAGE, true)
        const loop = await rt.install("looper", LOOPER_IMAGE, true)
        expect(await waitFor(() => loop.state !== AppState.RUNNING, 20000)).toBe(true)
        const ticksWhileLooping = sink.of("ticker").length
        expect(loop.state).toBe(AppState.STOPPED)
        expect(loop.lastError).toBe("watchdog: on_init ran longer than " + WATCHDOG_MS + " ms; app stopped")
        expect(ticksWhileLooping >= 1).toBe(true)
        expect(await waitFor(() => sink.of("ticker").length >= ticksWhileLooping + 2, 10000)).toBe(true)
        expect(ticker.traps).toBe(0)
        expect(rt.find("looper") === loop).toBe(true)
        await removeAll()
    })
})
