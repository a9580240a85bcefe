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
// read() returns null (no event) when the role is unbound (no device, or nothing serves it in the
// simulator) or when the device does not answer within READ_TIMEOUT_MS: DeviceScript's own register
// read waits for ever on an unbound role, so it runs in a fiber of its own that is dropped on timeout.
//
// Bytecode: every driver in DRIVERS is compiled into every firmware, so it lists only the drivers
// that some profile in boards/ uses (add one there when a profile needs it).
import * as ds from "@devicescript/core"
import { startSHT30 } from "@devicescript/drivers"
import { BoardProfile } from "../../boards/profile"
import { AttrWriter, SensorSource } from "../../framework/sensor-source"

/** How long a bound role may take to answer a read (a Jacdac register get retries within it). */
export const READ_TIMEOUT_MS = 1000
/** The interval a newly opened board sensor starts with (WAMR's sample sensors use 1000 ms too). */
export const SENSOR_INTERVAL_MS = 1000

type StartDriver = (options: any) => Promise<any>
/** What the drivers return: sensor roles with one numeric reading. */
export interface ReadingRole extends ds.Role {
    reading: ds.Register<number>
}
const DRIVERS: any = { startSHT30: startSHT30 }
const UNITS: any = { temperature: "C", humidity: "%RH", pressure: "hPa", illuminance: "lux", uvIndex: "uv", airQualityIndex: "aqi" }

/** Reads one role in a fiber of its own and hands the value to the waiting fiber. */
async function readRole(role: ReadingRole, waiter: ds.Fiber) {
    const v = await role.reading.read()
    if (waiter.suspended) waiter.resume(v)
}

/** One role as a sensor source (boardSensors makes them; exported for the tests). */
export class RoleSensor implements SensorSource {
    name: string
    instance: number
    intervalMs: number
    role: ReadingRole

    constructor(name: string, instance: number, role: ReadingRole) {
        this.name = name
        this.instance = instance
        this.intervalMs = SENSOR_INTERVAL_MS
        this.role = role
    }

    async read(): Promise<Buffer> {
        if (!this.role.isBound) return null
        const reader = readRole.start(this.role, ds.Fiber.self())
        const v: any = await ds.suspend(READ_TIMEOUT_MS)
        if (typeof v !== "number") {
            reader.terminate()
            return null
        }
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
