// What every firmware entry does: reserve the arena, say which board profile it runs with, start
// the app framework (framework/) with the board's sensors and WAMR's test sensors, start the apps
// baked into the program image and those installed in the settings store (the app manager,
// manager/), serve the manager on the Jacdac link, and run the scheduler. The entries (main.ts for the simulator,
// boards/<id>.ts for real boards) differ only in their profile, pins and baked apps.
//
// Output lines: "wasmlet: ..." from the firmware and the runtime, "[app] ..." an app's console
// (manager/manager.ts prints them and sends them to the host as log reports).
// sim/start.ts, `wasmlet run --sim` and the tests read them.
import * as ds from "@devicescript/core"
import { Arena } from "../../interpreter/index"
import { BoardProfile } from "../../boards/profile"
import { BoardClock } from "../../framework/clock"
import { Runtime } from "../../framework/runtime"
import { testSensors } from "../../framework/test-sensors"
import { BakedApp } from "./baked-app"
import { boardSensors } from "./board-sensors"
import { DeviceTcp } from "./device-tcp"
import { AppManager } from "../../manager/manager"
import { JacdacReports, serveManager } from "./manager-server"
import { SettingsStore } from "./settings-store"

export function printProfile(p: BoardProfile, arena: Arena) {
    const l = p.limits
    console.log("wasmlet: board " + p.id + " (" + p.name + "), arch " + ds._dcfgString("archId"))
    console.log("wasmlet: arena " + arena.buf.length + " B of " + p.devsHeapBytes + " B heap; apps " + l.maxApps + ", timers/app " + l.timersPerApp)
    // scripts/firmware-metrics.ts reads this line to leave the arena out of the idle heap
    console.log("wasmlet: arena reserved " + arena.buf.length + " B (" + arena.pageCount + " pages)")
    console.log("wasmlet: per app: arena " + l.appArenaBytes + " B, call depth " + l.callDepth + ", value slots " + l.valueStackSlots + ", fuel/slice " + l.sliceFuel)
}

/**
 * DeviceScript heap the apps may not have (Runtime.heapBytes): what the idle firmware holds
 * (~10 KB, budget 12 KB) and 12 KB kept free for running them (the engine's run loop alone takes
 * a 730 B block per slice; messages, fragmentation). Measured in the simulator with
 * bench/framework/heap.ts: three samples leave 11 KB free and run; a fourth app ran the heap out.
 */
const FIRMWARE_HEAP_BYTES = 24 * 1024

/**
 * Boot: the arena first (while the heap is unfragmented), then the runtime and the baked apps.
 * `libc` and `wasi` are the support modules' images (support-images.ts; null leaves one out of the
 * program image, and apps that need it are refused). `i2cPins` are the board's own pin objects for
 * the first sensor's SDA and SCL (real boards only).
 * Returns the runtime; its scheduler runs in a fiber of its own.
 */
export async function bootFirmware(p: BoardProfile, baked: BakedApp[], libc: Buffer, wasi: Buffer, i2cPins?: ds.PinBase[]): Promise<Runtime> {
    const arena = new Arena(p.arenaBytes)
    printProfile(p, arena)
    const s = p.sensors[0]
    if (i2cPins && s && s.i2c && (i2cPins[0].gpio !== s.i2c.sdaGpio || i2cPins[1].gpio !== s.i2c.sclGpio))
        console.log("wasmlet: WARNING profile I2C gpios differ from the board's pins")
    const sensors = testSensors()
    const board = await boardSensors(p)
    for (let i = 0; i < board.length; i++) sensors.push(board[i])
    // the app manager is the runtime's host: what apps print and send the host goes to the link
    const reports = new JacdacReports()
    const names: string[] = []
    const images: Buffer[] = []
    for (let i = 0; i < baked.length; i++) {
        names.push(baked[i].name)
        images.push(baked[i].image)
    }
    const mgr = new AppManager(new SettingsStore(), reports, p.limits.maxApps + 1, p.storeChunks, p.id, names, images)
    const rt = new Runtime(arena, p.limits, new BoardClock(), mgr, sensors, libc, wasi)
    mgr.rt = rt
    rt.connections = new DeviceTcp(rt)
    rt.heapBytes = p.devsHeapBytes - p.arenaBytes - FIRMWARE_HEAP_BYTES
    await mgr.restore()
    await serveManager(mgr, reports)
    rt.loop.start()
    return rt
}

/** Stay alive; the scheduler and the apps run in their own fibers. */
export async function idleForever() {
    console.log("wasmlet: idle")
    while (true) await ds.sleep(60000)
}
