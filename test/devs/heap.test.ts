// The framework and the DeviceScript heap, inside the VM (framework/README.md "Heap"): four apps
// installed, run and removed over and over give everything back (the engine's registers no
// longer name the last execution: they kept a removed app and its runtime reachable, 4.9 KB, and
// the next four apps ran the heap out), and an install the heap budget cannot take is refused
// with its reason instead of running the heap out (an uncatchable panic that restarts the board).
import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { Arena } from "../../interpreter/index"
import { ex, inst } from "../../interpreter/state"
import { App } from "../../framework/app"
import { BoardClock } from "../../framework/clock"
import { HostSink, Runtime } from "../../framework/runtime"
import { profile } from "../../boards/simulator"
import { PUBLISHER_IMAGE, SUBSCRIBER_IMAGE, TICKER_IMAGE } from "./framework-images"

class Lines implements HostSink {
    n = 0
    response(b: Buffer) {}
    event(b: Buffer) {}
    console(app: App, line: string) {
        this.n++
    }
    status(app: App, note: string) {}
}

const arena = new Arena(profile.arenaBytes)
const sink = new Lines()
// four small apps: one more than the profile lets a board run (its heap rule, framework/README.md)
const rt = new Runtime(arena, { ...profile.limits, maxApps: 4 }, new BoardClock(), sink, [], null, null)
rt.loop.start()

async function removeAll() {
    while (rt.apps.length > 0) await rt.uninstall(rt.apps[0].name)
}

describe("heap", () => {
    test("four apps installed, run and removed five times: everything comes back", async () => {
        for (let round = 0; round < 5; round++) {
            const lines = sink.n
            await rt.install("subscriber", SUBSCRIBER_IMAGE, true)
            await rt.install("subscriber2", SUBSCRIBER_IMAGE, true)
            await rt.install("publisher", PUBLISHER_IMAGE, true)
            await rt.install("ticker", TICKER_IMAGE, true)
            const t0 = ds.millis()
            while (sink.n < lines + 6 && ds.millis() - t0 < 10000) await ds.sleep(10)
            expect(sink.n >= lines + 6).toBe(true)
            await removeAll()
            expect(ex).toBe(null)
            expect(inst).toBe(null)
            expect(arena.freePages).toBe(profile.arenaBytes / 1024)
        }
    })

    test("an install beyond the heap budget is refused with its reason", async () => {
        rt.heapBytes = 2 * 4608
        await rt.install("ticker", TICKER_IMAGE, true)
        await rt.install("ticker2", TICKER_IMAGE, true)
        let why = ""
        try {
            await rt.install("ticker3", TICKER_IMAGE, true)
        } catch (e: any) {
            why = e.message
        }
        expect(why).toBe('no heap for app "ticker3": 9216 B for apps, ~4608 B each')
        expect(rt.apps.length).toBe(2)
        await removeAll()
        rt.heapBytes = 0
    })
})
