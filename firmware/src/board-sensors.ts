// The board's sensors as the framework's SensorSources (framework/sensor-source.ts): each wiring in
// the board profile (boards/*.ts `sensors`) starts its @devicescript/drivers driver, and every role
// the driver returns becomes one source named after that role's key: startSHT30 gives
// "temperature" and "humidity", startLTR390 "uvIndex" and "illuminance". Several sensors of one
// kind get instances 0, 1, ... in profile order. Under the simulator the drivers skip I2C and
// leave a role (temperature_0, ...) for the dashboard or sim/sensors.ts to serve.
//
// A reading, as apps get it in on_sensor_event, is an attr_container with
//   tag   = the source name ("temperature")
//   value = double, the role's reading in the Jacdac unit of the service
//   unit  = string: "C" (temperature), "%RH" (humidity), "hPa" (pressure), "lux" (illuminance),
//           "uv" (uvIndex), "aqi" (airQualityIndex); absent for other roles
// read() returns null (no event) at once when the role is unbound (no device, or nothing serves it
// in the simulator), and after READ_TIMEOUT_MS when the device does not answer: the framework's
// scheduler awaits read(), so it must not wait long. DeviceScript's own register read waits for
// ever on an unbound role and retries for ever on a silent one, so it runs in a reader fiber of
// the source's own; a read that timed out leaves that fiber going, and the next read() waits for
// the same fiber rather than starting another (one per source at most, none leaks).
//
// Bytecode (verifier-counted, measured against firmware/src/main.ts): this file with startSHT30
// adds ~9.4 KB (112 functions), ~7.7 KB of it the drivers' libraries (an in-VM Jacdac server per
// role, I2C, timers); startAHT20, startBME680 and startLTR390 in DRIVERS too would add ~4.8 KB more.
// Every driver in DRIVERS is compiled into every firmware, so it lists only the drivers some
// profile in boards/ uses; an import that nothing calls costs nothing.
import * as ds from "@devicescript/core"
import { startSHT30 } from "@devicescript/drivers"
import { BoardProfile } from "../../boards/profile"
import { AttrWriter, SensorSource } from "../../framework/sensor-source"

/**
 * How long read() waits for a bound role to answer. A read served from Node in the simulator took
 * 1-5 ms, from a server in the VM 3-12 ms; an SHT30 measurement takes ~20 ms (the driver caches
 * it for 500 ms, DeviceScript the register for 500 ms).
 */
export const READ_TIMEOUT_MS = 200
/** The interval a newly opened board sensor starts with (WAMR's sample sensors use 1000 ms too). */
export const SENSOR_INTERVAL_MS = 1000

type StartDriver = (options: any) => Promise<any>
/** What the drivers return: sensor roles with one numeric reading. */
export interface ReadingRole extends ds.Role {
    reading: ds.Register<number>
}
const DRIVERS: any = { startSHT30: startSHT30 }
const UNITS: any = { temperature: "C", humidity: "%RH", pressure: "hPa", illuminance: "lux", uvIndex: "uv", airQualityIndex: "aqi" }

/** The reader fiber of one source: reads its role, hands the value to a waiting read(), if any. */
async function readRole(s: RoleSensor) {
    const v = await s.role.reading.read()
    s.reader = null
    const w = s.waiter
    if (w !== null && w.suspended) w.resume(v)
}

/** One role as a sensor source (boardSensors makes them; exported for the tests). */
export class RoleSensor implements SensorSource {
    name: string
    instance: number
    intervalMs: number
    role: ReadingRole
    /** The fiber reading the role now, if any (at most one per source). */
    reader: ds.Fiber = null
    /** The fiber waiting in read(), if any. */
    waiter: ds.Fiber = null

    constructor(name: string, instance: number, role: ReadingRole) {
        this.name = name
        this.instance = instance
        this.intervalMs = SENSOR_INTERVAL_MS
        this.role = role
    }

    async read(): Promise<Buffer> {
        if (!this.role.isBound || this.waiter !== null) return null
        if (this.reader === null) this.reader = readRole.start(this)
        this.waiter = ds.Fiber.self()
        const v: any = await ds.suspend(READ_TIMEOUT_MS)
        this.waiter = null
        if (typeof v !== "number") return null
        const w = new AttrWriter(this.name).double("value", v)
        const unit = UNITS[this.name]
        if (unit) w.string("unit", unit)
        return w.finish()
    }
}

/**
 * Starts every sensor wired in the profile and returns one source per role they expose. A wiring
 * whose driver is not in DRIVERS, or whose driver throws (no such device on I2C), is reported on the
 * console and skipped.
 */
export async function boardSensors(p: BoardProfile): Promise<SensorSource[]> {
    const out: SensorSource[] = []
    for (const w of p.sensors) {
        const start: StartDriver = DRIVERS[w.driver]
        if (!start) {
            console.log("wasmlet: sensor driver " + w.driver + " not built in")
            continue
        }
        let roles: any
        try {
            roles = await start(w.i2c ? { address: w.i2c.address } : {})
        } catch (e: any) {
            console.log("wasmlet: sensor " + w.driver + " failed: " + (e && e.message ? e.message : e))
            continue
        }
        for (const name of Object.keys(roles)) {
            let instance = 0
            for (const s of out) if (s.name === name) instance++
            out.push(new RoleSensor(name, instance, roles[name]))
        }
    }
    return out
}
