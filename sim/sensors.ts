// Simulated sensors for the simulated board: Jacdac sensor servers that run in Node on the devtools
// bus (`devs devtools`), where the DeviceScript simulator's roles bind to them. Under the simulator
// firmware/src/board-sensors.ts reads no I2C: its sources read plain roles (ds.Temperature,
// ds.Humidity) that wait for a server; this file is that server, with scripted readings.
//
//   const bus = await connectSimBus()                      // devtools' TCP link, 127.0.0.1:8082
//   const s = serveSensors(bus, [
//       { role: "temperature", values: [20, 21, 22] },     // one value per reading sent, then the last
//       { role: "humidity", value: 40 },                   // a constant
//       { role: "temperature", fn: ms => 20 + ms / 1000 }, // a function of ms since serveSensors
//   ])
//   ...; s.stop(); bus.dispose()
//
// A JSON file (`--sensors FILE`, loadSensorScript; sim/sensors.example.json) holds the same list
// without functions, plus `sine: {mean, amplitude, periodMs}` for a value that varies with time:
//   {"sensors": [{"role": "temperature", "values": [20, 21, 22], "cycle": true},
//                {"role": "humidity", "sine": {"mean": 50, "amplitude": 10, "periodMs": 60000}}]}
//
// "Per reading": a value is taken every time the server sends its `reading` register (a get from
// the device, or a streamed sample), so a device that reads N times sees the first N values in
// order. A role name is a Jacdac service short id with one numeric reading, in any case, or the
// name board-sensors.ts gives the source (temperature, humidity, pressure, illuminance, uvIndex, ...).
//
// jacdac-ts is loaded through its CommonJS build: its Node socket transport calls require("net"),
// which its ES module build cannot do.
import { createRequire } from "node:module"
import { readFileSync } from "node:fs"
// Its typings are not reachable through its package "exports", hence the path.
import type * as JD from "../node_modules/jacdac-ts/dist/types/src/jacdac"

const jd: typeof JD = createRequire(import.meta.url)("jacdac-ts")

export type JDBus = JD.JDBus

/** One simulated sensor: the role it serves and how its readings go. Exactly one of value/values/fn/sine. */
export interface SimSensor {
    /** Jacdac service short id: "temperature", "humidity", ... */
    role: string
    /** A constant reading. */
    value?: number
    /** Readings in order, one per reading sent; after the last, the last again (or from the first, with cycle). */
    values?: number[]
    cycle?: boolean
    /** Reading as a function of milliseconds since serveSensors and of the reading's index (0, 1, ...). */
    fn?: (ms: number, index: number) => number
    /** mean + amplitude * sin(2π ms / periodMs). */
    sine?: { mean: number; amplitude: number; periodMs: number }
    /** Device name on the bus (default "sim <role>"). */
    name?: string
}

export interface ServedSensors {
    /** Readings sent so far, per sensor (same order as given). */
    readonly sent: number[][]
    /** Removes the simulated devices from the bus. */
    stop(): void
}

/** The reading function of a sensor description; throws on a description that is not exactly one kind. */
export function readingFunction(s: SimSensor): (ms: number, index: number) => number {
    const kinds = [s.value !== undefined, s.values !== undefined, s.fn !== undefined, s.sine !== undefined].filter(Boolean)
    if (kinds.length !== 1) throw new Error(`sensor ${s.role}: give exactly one of value, values, fn, sine`)
    if (s.value !== undefined) {
        const v = num(s.value, `${s.role}.value`)
        return () => v
    }
    if (s.values !== undefined) {
        if (!Array.isArray(s.values) || !s.values.length) throw new Error(`sensor ${s.role}: values must be a non-empty list`)
        const vs = s.values.map((v, i) => num(v, `${s.role}.values[${i}]`))
        const n = vs.length
        return (_ms, i) => vs[s.cycle ? i % n : Math.min(i, n - 1)]
    }
    if (s.fn) return s.fn
    const { mean, amplitude, periodMs } = s.sine!
    num(mean, `${s.role}.sine.mean`)
    num(amplitude, `${s.role}.sine.amplitude`)
    if (!(num(periodMs, `${s.role}.sine.periodMs`) > 0)) throw new Error(`sensor ${s.role}: sine.periodMs must be > 0`)
    return ms => mean + amplitude * Math.sin((2 * Math.PI * ms) / periodMs)
}

function num(v: unknown, what: string): number {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new Error(`${what} must be a finite number, got ${JSON.stringify(v)}`)
    return v
}

/** board-sensors.ts names its sources after the drivers' keys; where those differ from Jacdac's. */
const ALIASES: Record<string, string> = { pressure: "airpressure" }

/** The Jacdac service class of a role name (Jacdac short id, any case: uvIndex = uvindex); throws unless it is a sensor with one numeric reading. */
export function serviceClassOf(role: string): number {
    const spec = jd.serviceSpecificationFromName(ALIASES[role] ?? role.toLowerCase())
    if (!spec) throw new Error(`unknown sensor role "${role}" (a Jacdac service short id, e.g. temperature)`)
    const reading = spec.packets.find(p => p.kind === "ro" && p.identifier === jd.SystemReg.Reading)
    if (!jd.isSensor(spec) || !reading || reading.fields.length !== 1 || !jd.isNumericType(reading.fields[0]))
        throw new Error(`role "${role}" is not a sensor with one numeric reading`)
    return spec.classIdentifier
}

/** Adds one simulated device per sensor to the bus; readings follow each sensor's script. */
export function serveSensors(bus: JDBus, sensors: SimSensor[]): ServedSensors {
    const t0 = Date.now()
    const sent: number[][] = []
    const providers: JD.JDServiceProvider[] = []
    sensors.forEach((s, k) => {
        const f = readingFunction(s)
        const server = new jd.AnalogSensorServer(serviceClassOf(s.role), { readingValues: [f(0, 0)] })
        const log: number[] = []
        sent.push(log)
        // Set the value just before each send of the reading register (get or streamed sample).
        server.reading.on(jd.REGISTER_PRE_GET, () => {
            const v = f(Date.now() - t0, log.length)
            server.reading.setValues([v], true)
            log.push(server.reading.values()[0] as number)
        })
        providers.push(jd.addServer(bus, s.name ?? `sim ${s.role}${k ? " " + k : ""}`, server))
    })
    return {
        sent,
        stop: () => providers.forEach(p => bus.removeServiceProvider(p)),
    }
}

/** Reads a sensor script file: {"sensors": [SimSensor without fn, ...]} or a bare list. */
export function loadSensorScript(file: string): SimSensor[] {
    const j = JSON.parse(readFileSync(file, "utf8"))
    const list = Array.isArray(j) ? j : j?.sensors
    if (!Array.isArray(list)) throw new Error(`${file}: expected {"sensors": [...]} or a list`)
    for (const s of list) {
        if (typeof s?.role !== "string") throw new Error(`${file}: every sensor needs a "role"`)
        if ("fn" in s) throw new Error(`${file}: "fn" cannot be given in JSON (use sine, values or value)`)
        readingFunction(s) // validates
    }
    return list
}

/**
 * A Jacdac bus on devtools' TCP link (it carries the same packets as ws://127.0.0.1:8081; Node 20
 * has no WebSocket). Resolves once connected.
 */
export async function connectSimBus(port = 8082, host = "127.0.0.1"): Promise<JDBus> {
    const bus = new jd.JDBus([jd.createNodeSocketTransport(port, host)], { client: false, disableRoleManager: true })
    bus.autoConnect = true
    await bus.connect()
    bus.start()
    return bus
}
