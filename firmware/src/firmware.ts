// What every firmware entry does: say which board profile it runs with, run the demo apps
// through the Wasm engine and print what they computed. The entries (main.ts for the simulator,
// boards/<id>.ts for real boards) then idle.
//
// Output lines start with "wasmlet:"; sim/start.ts and the tests read them.
import * as ds from "@devicescript/core"
import { AppLimits, BoardProfile } from "../../boards/profile"
import { demoApps, demoImagesCompiled } from "./demo-apps"
import { engineWired, initArena, runExport } from "./engine"

export function printProfile(p: BoardProfile) {
    console.log("wasmlet: board " + p.id + " (" + p.name + "), arch " + ds._dcfgString("archId"))
    const l = p.limits
    console.log(
        "wasmlet: arena " + p.arenaBytes + " B of " + p.devsHeapBytes + " B heap; apps " + l.maxApps + ", timers/app " + l.timersPerApp
    )
    console.log(
        "wasmlet: per app: arena " + l.appArenaBytes + " B, call depth " + l.callDepth + ", value slots " + l.valueStackSlots + ", fuel/slice " + l.sliceFuel
    )
    for (const s of p.sensors) {
        let wiring = "simulated"
        if (s.i2c) wiring = "I2C sda=" + s.i2c.sda + " scl=" + s.i2c.scl + " addr=" + s.i2c.address
        console.log("wasmlet: sensor " + s.role + " via " + s.driver + " (" + wiring + ")")
    }
}

/** Runs every demo app with the profile's per-app limits; returns how many failed (threw, or computed something unexpected). */
export async function runDemos(limits: AppLimits): Promise<number> {
    if (!engineWired || !demoImagesCompiled) {
        // TODO(engine): goes away once interpreter/index.ts and compiler/index.ts exist.
        console.log("wasmlet: Wasm engine not wired in yet; " + demoApps.length + " demo apps not run")
        return 0
    }
    let failed = 0
    for (const app of demoApps) {
        const t0 = ds.millis()
        try {
            const result = await runExport(app.image, "run", app.name, limits)
            const ms = ds.millis() - t0
            const ok = result === app.expected
            if (!ok) failed++
            console.log(
                "wasmlet: demo " + app.name + " run() = " + result + (ok ? " ok" : " MISMATCH, expected " + app.expected) + " (" + ms + " ms)"
            )
        } catch (e: any) {
            failed++
            console.log("wasmlet: demo " + app.name + " failed: " + (e && e.message ? e.message : e))
        }
    }
    console.log("wasmlet: demos done, " + (demoApps.length - failed) + " ok, " + failed + " failed")
    return failed
}

/**
 * Boot: print the profile, check the I2C pins the board entry passes in against it, run the demos.
 * `i2cPins` are the board's own pin objects for the first sensor's SDA and SCL (real boards only).
 */
export async function bootFirmware(p: BoardProfile, i2cPins?: ds.PinBase[]) {
    // first, while the heap is still unfragmented
    const arena = initArena(p.arenaBytes)
    printProfile(p)
    console.log("wasmlet: arena reserved " + arena.buf.length + " B (" + arena.pageCount + " pages)")
    const s = p.sensors[0]
    if (i2cPins && s && s.i2c) {
        if (i2cPins[0].gpio !== s.i2c.sdaGpio || i2cPins[1].gpio !== s.i2c.sclGpio)
            console.log("wasmlet: WARNING profile I2C gpios differ from the board's pins")
    }
    // one demo at a time, each within the per-app limits
    await runDemos(p.limits)
}

/** Stay alive; the apps' fibers and timers keep running. */
export async function idleForever() {
    console.log("wasmlet: idle")
    while (true) await ds.sleep(60000)
}
