// The board's sensors as the framework's SensorSources (framework/sensor-source.ts). Each wiring in
// the board profile (boards/*.ts `sensors`) with driver "startSHT30" gives two sources,
// "temperature" and "humidity"; several SHT30s give instances 0, 1, ... per name in profile order.
// Other drivers are not built in (reported on the console and skipped).
//
// No @devicescript/drivers: its SHT30 driver runs a Jacdac server per role inside the VM (server
// core, timers, I2C classes), ~7.7 KB of bytecode, more than the firmware can spare. Instead:
//   - on real boards, one SHT30 single-shot measurement over I2C (command 0x2400: high
//     repeatability, no clock stretching; wait 20 ms; read 6 bytes), CRC-checked and converted by
//     ./sht30.ts, and shared by the two sources of the sensor for SHT30_CACHE_MS;
//   - in the simulator, plain DeviceScript roles (ds.Temperature, ds.Humidity), which bind to any
//     matching Jacdac service: sim/sensors.ts serves them from Node with scripted readings, the
//     devtools dashboard with sliders; unserved they stay unbound.
//
// A reading, as apps get it in on_sensor_event, is an attr_container with
//   tag   = the source name ("temperature" or "humidity")
//   value = double, in °C or %RH
//   unit  = string, "C" or "%RH"
// read() returns null (no event) at once when the role is unbound, and after READ_TIMEOUT_MS when
// the sensor does not answer: the framework's scheduler awaits read(), so it must not wait long.
// A DeviceScript register read waits for ever on an unbound role and retries for ever on a silent
// one, so the reading is taken in a reader fiber of the source's own; a read that timed out leaves
// that fiber going, and the next read() waits for the same fiber rather than starting another (one
// per source at most, none leaks). I2C errors and CRC mismatches read as null.
//
// Bytecode (verifier's rule: 16 B per function + its code; scratch entries with and without a call
// of boardSensors): +1,604 B / 12 functions on the firmware (firmware.ts + main.ts of 2026-12-01),
// +1,848 B / 13 in an otherwise empty program, which also pulls DeviceScript's role packet handler
// (424 B). The drivers' version cost +8,120 B / 104 functions in the same empty program.
import * as ds from "@devicescript/core"
import { BoardProfile } from "../../boards/profile"
import { AttrWriter, SensorSource } from "../../framework/sensor-source"
import { sht30Value, sht30Crc } from "./sht30"

/**
 * How long read() waits for a reading. A read served from Node in the simulator took 1-5 ms, from
 * a server in the VM 3-12 ms; an SHT30 measurement takes ~20 ms plus two short I2C transfers.
 */
export const READ_TIMEOUT_MS = 200
/** The interval a newly opened board sensor starts with (WAMR's sample sensors use 1000 ms too). */
export const SENSOR_INTERVAL_MS = 1000
/** A measurement serves both sources of an SHT30 for this long (both are read in the same tick). */
export const SHT30_CACHE_MS = 500
/** Datasheet: a high-repeatability measurement takes at most 15.5 ms. */
const SHT30_MEASURE_MS = 20

/** A sensor role with one numeric reading (ds.Temperature, ds.Humidity). */
export interface ReadingRole extends ds.Role {
    reading: ds.Register<number>
}

type I2cCore = typeof ds & { _i2cTransaction(addr: number, wr: Buffer, rd?: Buffer): Promise<number> }

/** One SHT30 on the board's I2C bus; its last measurement is shared by its two sources. */
export class Sht30 {
    address: number
    /** The last good measurement's 6 bytes (see ./sht30.ts), or null. */
    raw: Buffer = null
    /** ds.millis() of `raw`. */
    at = 0
    /** A measurement is under way (the other source waits for it instead of starting its own). */
    busy = false

    constructor(address: number) {
        this.address = address
    }

    /** One I2C transaction: writes `wr`, then reads rd.length bytes into `rd` (if given); 0 is success. */
    async xfer(wr: Buffer, rd: Buffer): Promise<number> {
        return await (ds as I2cCore)._i2cTransaction(this.address, wr, rd)
    }

    /** Reads the status register: true when a device answers with a word whose CRC matches. */
    async probe(): Promise<boolean> {
        const b = Buffer.alloc(3)
        return (await this.xfer(hex`f32d`, undefined)) === 0 && (await this.xfer(hex``, b)) === 0 && sht30Crc(b, 0) === b[2]
    }

    /** The reading at word `word` (0 temperature, 3 humidity) of a measurement taken now or in the last SHT30_CACHE_MS; undefined on an I2C or CRC error. */
    async value(word: number): Promise<number> {
        while (this.busy) await ds.sleep(5)
        if (this.raw === null || ds.millis() - this.at >= SHT30_CACHE_MS) {
            this.busy = true
            const b = Buffer.alloc(6)
            let rc = -1
            try {
                rc = await this.xfer(hex`2400`, undefined)
                if (rc === 0) {
                    await ds.sleep(SHT30_MEASURE_MS)
                    rc = await this.xfer(hex``, b)
                }
            } catch (e) {
                // a transaction that throws counts as a failed one
            }
            this.busy = false
            if (rc !== 0) return undefined
            this.raw = b
            this.at = ds.millis()
        }
        return sht30Value(this.raw, word)
    }
}

/** The reader fiber of one source: takes a reading, hands it to a waiting read(), if any. */
async function takeReading(s: BoardSensor) {
    const v = s.sht !== null ? await s.sht.value(s.unit === "C" ? 0 : 3) : await s.role.reading.read()
    s.reader = null
    const w = s.waiter
    if (w !== null && w.suspended) w.resume(v)
}

/** One source: a role (simulator) or one word of an SHT30 (boards). Exported for the tests. */
export class BoardSensor implements SensorSource {
    name: string
    instance: number
    intervalMs: number
    unit: string
    /** The role it reads, or null (then `sht`). */
    role: ReadingRole
    sht: Sht30
    /** The fiber taking a reading now, if any (at most one per source). */
    reader: ds.Fiber = null
    /** The fiber waiting in read(), if any. */
    waiter: ds.Fiber = null

    /** `name` is "temperature" (unit "C") or "humidity" (unit "%RH"); exactly one of role and sht is given. */
    constructor(name: string, instance: number, role: ReadingRole, sht: Sht30) {
        this.name = name
        this.instance = instance
        this.intervalMs = SENSOR_INTERVAL_MS
        this.unit = name === "temperature" ? "C" : "%RH"
        this.role = role
        this.sht = sht
    }

    async read(): Promise<Buffer> {
        if ((this.sht === null && !this.role.isBound) || this.waiter !== null) return null
        if (this.reader === null) this.reader = takeReading.start(this)
        this.waiter = ds.Fiber.self()
        const v: any = await ds.suspend(READ_TIMEOUT_MS)
        this.waiter = null
        if (typeof v !== "number") return null
        return new AttrWriter(this.name).double("value", v).string("unit", this.unit).finish()
    }
}

/** Adds a source, numbering it after the sources of its name already in `out`. */
function addSource(out: SensorSource[], name: string, role: ReadingRole, sht: Sht30) {
    let instance = 0
    for (const s of out) if (s.name === name) instance++
    out.push(new BoardSensor(name, instance, role, sht))
}

/**
 * One temperature and one humidity source per SHT30 wired in the profile. On a board, an SHT30
 * that does not answer at its address is reported on the console and skipped; in the simulator
 * the sources read roles (see the header).
 */
export async function boardSensors(p: BoardProfile): Promise<SensorSource[]> {
    const out: SensorSource[] = []
    for (const w of p.sensors) {
        if (w.driver !== "startSHT30") {
            console.log("wasmlet: sensor driver " + w.driver + " not built in")
            continue
        }
        if (ds.isSimulator()) {
            addSource(out, "temperature", new ds.Temperature(), null)
            addSource(out, "humidity", new ds.Humidity(), null)
            continue
        }
        const sht = new Sht30(w.i2c ? w.i2c.address : 0x44)
        let found = false
        try {
            found = await sht.probe()
        } catch (e) {}
        if (!found) {
            console.log("wasmlet: sensor startSHT30 at I2C address " + sht.address + " does not answer")
            continue
        }
        addSource(out, "temperature", null, sht)
        addSource(out, "humidity", null, sht)
    }
    return out
}
