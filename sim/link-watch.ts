// Watching the simulator's Jacdac link for a board coming up: which device is ours (the first new
// one with a DeviceScript manager after our VM started, so boards sharing one link are told apart)
// and when it first announces the wasmlet manager service, i.e. when it accepts `wasmlet` commands.
import { createRequire } from "node:module"
import type * as JD from "../node_modules/jacdac-ts/dist/types/src/jacdac"
import { SERVICE_CLASS as MANAGER } from "../manager/protocol"

const jd: typeof JD = createRequire(import.meta.url)("jacdac-ts")

export interface BoardSeen {
    deviceId: string
    /** Whether its firmware serves the wasmlet manager (the host tools' commands). */
    manager: boolean
    /** performance.now() (ms since this process started) of the announce that decided it: the first with the manager, else the device's first. */
    ms: number
}

/**
 * Calls `onSeen` once, when a device not on the bus at the time of this call announces a
 * DeviceScript manager: with manager=true as soon as it announces the wasmlet manager too (at most
 * `graceMs` after its first announce), else manager=false. Returns a function that stops watching.
 */
export function watchForBoard(bus: JD.JDBus, onSeen: (b: BoardSeen) => void, graceMs = 3000): () => void {
    const before = new Set(bus.devices().map(d => d.deviceId))
    let ours: JD.JDDevice | undefined
    let firstMs = 0
    let timer: NodeJS.Timeout | undefined
    let done = false
    const finish = (b: BoardSeen) => {
        if (done) return
        done = true
        stop()
        onSeen(b)
    }
    const check = (d: JD.JDDevice) => {
        if (done || before.has(d.deviceId)) return
        if (!ours && d.hasService(jd.SRV_DEVICE_SCRIPT_MANAGER)) {
            ours = d
            firstMs = performance.now()
            timer = setTimeout(() => finish({ deviceId: d.deviceId, manager: false, ms: firstMs }), graceMs)
        }
        if (ours === d && d.hasService(MANAGER)) finish({ deviceId: d.deviceId, manager: true, ms: performance.now() })
    }
    const stop = () => {
        bus.off(jd.DEVICE_ANNOUNCE, check)
        if (timer) clearTimeout(timer)
    }
    bus.on(jd.DEVICE_ANNOUNCE, check)
    return stop
}
