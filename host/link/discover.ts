// Finding the Wasmlet Manager on a bus: the devices that announce SERVICE_CLASS, waited for
// (devices announce about every 500 ms, a board just plugged in or booting takes longer); with
// several, `device` picks one by its device id or short id, and an error lists the choices.
import { SERVICE_CLASS } from "../../manager/protocol"
import { NoBoardError } from "./errors"
import { jd, JDBus, JDDevice, JDService } from "./jacdac"

export interface ManagerDevice {
    deviceId: string
    shortId: string
    service: JDService
}

export interface DiscoverOptions {
    /** Device id (16 hex digits) or short id (4 letters/digits, as the dashboard shows it). */
    device?: string
    /** Give up after this long (ms). */
    timeoutMs?: number
    /**
     * With no `device`: listen at least this long (ms, from the call) before calling the first
     * manager the only one: every device announces itself every 500 ms, so by then all have.
     */
    settleMs?: number
}

function managerOf(d: JDDevice): ManagerDevice | undefined {
    const service = d.services({ serviceClass: SERVICE_CLASS })[0]
    return service ? { deviceId: d.deviceId, shortId: d.shortId, service } : undefined
}

/** The managers on the bus now. */
export function managersOn(bus: JDBus): ManagerDevice[] {
    return bus.devices({ serviceClass: SERVICE_CLASS }).map(managerOf).filter(m => m !== undefined)
}

function matches(m: ManagerDevice, id: string): boolean {
    const want = id.toLowerCase()
    return m.deviceId.toLowerCase() === want || m.shortId.toLowerCase() === want
}

function describe(ms: ManagerDevice[]): string {
    return ms.map(m => `${m.shortId} (${m.deviceId})`).join(", ")
}

/** Waits for the manager to talk to; throws NoBoardError when none (or not the one asked for) comes in time. */
export async function findManager(bus: JDBus, where: string, o: DiscoverOptions = {}): Promise<ManagerDevice> {
    const timeoutMs = o.timeoutMs ?? 5000
    const settleMs = o.settleMs ?? 600
    const t0 = Date.now()
    for (;;) {
        const found = managersOn(bus)
        if (o.device) {
            const m = found.find(f => matches(f, o.device!))
            if (m) return m
        } else if (found.length) {
            // another board may announce a moment later: listen a little before calling it the only one
            if (Date.now() - t0 >= settleMs || Date.now() - t0 >= timeoutMs) {
                if (found.length === 1) return found[0]
                throw new NoBoardError(`${found.length} wasmlet boards on ${where}: ${describe(found)}; pick one with --device ID`)
            }
        }
        if (Date.now() - t0 >= timeoutMs) {
            if (o.device)
                throw new NoBoardError(
                    `no wasmlet board ${o.device} on ${where} within ${timeoutMs} ms` + (found.length ? `; there is ${describe(found)}` : "")
                )
            const others = bus.devices({ ignoreInfrastructure: true }).length
            throw new NoBoardError(
                `no wasmlet board on ${where} within ${timeoutMs} ms` +
                    (others ? ` (${others} other Jacdac device(s) there, none runs the Wasmlet Manager: is the wasmlet firmware on it?)` : "")
            )
        }
        await new Promise<void>(resolve => {
            const t = setTimeout(done, 100)
            const off = bus.subscribe(jd.DEVICE_ANNOUNCE, done)
            function done() {
                clearTimeout(t)
                off()
                resolve()
            }
        })
    }
}
