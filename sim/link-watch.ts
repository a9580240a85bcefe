// Watching the simulator's Jacdac link for a board coming up: which device is ours (the first new
// one with a DeviceScript manager after our VM started, so boards sharing one link are told apart),
// and when the wasmlet manager service first shows up, i.e. it accepts `wasmlet` commands (the
// firmware serves it once its baked and installed apps are started). DeviceScript hosts a
// program's servers (startServer) on a device of their own, with an id of its own, next to the
// VM's: so the manager is the first new device that announces it, not the VM's device.
import { createRequire } from "node:module"
import type * as JD from "../node_modules/jacdac-ts/dist/types/src/jacdac"
import { SERVICE_CLASS as MANAGER } from "../manager/protocol"

const jd: typeof JD = createRequire(import.meta.url)("jacdac-ts")

export interface BoardSeen {
    deviceId: string
    /** performance.now() of the announce (ms since this process started). */
    ms: number
}

export interface BoardWatch {
    /** The device's first announce (its DeviceScript VM is up). */
    onDevice?: (b: BoardSeen) => void
    /** Its first announce of the wasmlet manager service. */
    onManager?: (b: BoardSeen) => void
}

/**
 * Watches for a device not on the bus at the time of this call that announces a DeviceScript
 * manager (the VM), and for one that announces the wasmlet manager (its server device). Returns a
 * function that stops.
 */
export function watchForBoard(bus: JD.JDBus, w: BoardWatch): () => void {
    // only devices that announced: jacdac-ts also makes a device for packets sent *to* an id, and a
    // host still talking to this board's previous run (a bridge, a gateway) sends those all along
    const before = new Set(bus.devices().filter(d => d.announced).map(d => d.deviceId))
    let ours: JD.JDDevice | undefined
    const check = (d: JD.JDDevice) => {
        if (before.has(d.deviceId)) return
        if (!ours && d.hasService(jd.SRV_DEVICE_SCRIPT_MANAGER)) {
            ours = d
            w.onDevice?.({ deviceId: d.deviceId, ms: performance.now() })
        }
        if (d.hasService(MANAGER)) {
            stop()
            w.onManager?.({ deviceId: d.deviceId, ms: performance.now() })
        }
    }
    const stop = () => bus.off(jd.DEVICE_ANNOUNCE, check)
    bus.on(jd.DEVICE_ANNOUNCE, check)
    return stop
}
