// Board sensors inside the DeviceScript simulator (firmware/src/board-sensors.ts): the simulator
// profile's SHT30 gives a temperature and a humidity source; a read of an unbound role gives null at
// once; a role bound to a server gives an attr_container whose bytes decode to the source's tag,
// `value` and `unit`; a bound role that does not answer gives null after the read timeout, with one
// reader fiber per source, and its value once the server answers. The SHT30's I2C path (real
// boards) runs against a scripted bus: the bytes sent, the wait, the shared measurement, CRC and
// I2C errors.
// The servers here run in the same VM; nothing outside the VM is needed. (test/sim/ reads the
// sources' own roles, served from Node.)
import * as ds from "@devicescript/core"
import { describe, test, expect } from "@devicescript/test"
import { startTemperature, startHumidity } from "@devicescript/drivers/src/servers"
import { profile } from "../../boards/simulator"
import { boardSensors, BoardSensor, Sht30, READ_TIMEOUT_MS, SHT30_CACHE_MS } from "../../firmware/src/board-sensors"
import { SensorSource } from "../../framework/sensor-source"

/** One attribute of a container: its key, type byte and value (a number, or a string for type 13). */
interface Attr {
    key: string
    type: number
    value: any
}

function text(b: Buffer, at: number): string {
    const n = b.getAt(at, "u16") // includes the NUL
    return b.slice(at + 2, at + 1 + n).toString()
}

/** Decodes a container per ../shared/wamr-app-abi.md §5 (double, int and string values only). */
function decode(b: Buffer): { flags: number; totalLen: number; tag: string; attrs: Attr[] } {
    const flags = b.getAt(0, "u16")
    const totalLen = b.getAt(2, "u32")
    const tag = text(b, 6)
    let at = 6 + 2 + b.getAt(6, "u16")
    const n = b.getAt(at, "u16")
    at += 2
    const attrs: Attr[] = []
    for (let i = 0; i < n; i++) {
        const key = text(b, at)
        at += 2 + b.getAt(at, "u16")
        const type = b[at++]
        let value: any
        if (type === 11) {
            value = b.getAt(at, "f64")
            at += 8
        } else if (type === 2) {
            value = b.getAt(at, "i32")
            at += 4
        } else if (type === 13) {
            value = text(b, at)
            at += 2 + b.getAt(at, "u16")
        } else throw new Error("unexpected attribute type " + type)
        attrs.push({ key, type, value })
    }
    if (at !== b.length) throw new Error("container has " + (b.length - at) + " bytes after its attributes")
    return { flags, totalLen, tag, attrs }
}

function find(sources: SensorSource[], name: string): SensorSource {
    for (const s of sources) if (s.name === name) return s
    return null
}

/** An SHT30 on a scripted I2C bus: logs every transaction and its time, answers reads with `answer`. */
class ScriptedSht30 extends Sht30 {
    log: string[] = []
    times: number[] = []
    answer: Buffer = hex`666693666693`
    /** Status every transaction returns (0 is success; 2 stands for a NACK). */
    rc = 0
    fault = false

    constructor() {
        super(0x44)
    }

    override async xfer(wr: Buffer, rd: Buffer): Promise<number> {
        this.log.push("w" + wr.toString("hex") + " r" + (rd ? rd.length : 0))
        this.times.push(ds.millis())
        await ds.sleep(1)
        if (this.fault) throw new Error("bus fault")
        if (this.rc !== 0) return this.rc
        if (rd) rd.blitAt(0, this.answer, 0, rd.length)
        return 0
    }
}

/** Value and unit of a reading, "null" for none. */
function reading(b: Buffer): string {
    if (b === null) return "null"
    const c = decode(b)
    return c.tag + "=" + c.attrs[0].value + c.attrs[1].value
}

let concurrent: Buffer = null
async function readConcurrently(s: BoardSensor) {
    concurrent = await s.read()
}

let sources: SensorSource[]
let slowHumidity: any
const SLOW_MS = 1500

/**
 * Servers in this VM, and roles bound to them ("Temperature_0[app:0]"; the simulator's role manager
 * does not bind the drivers' roles to the VM's own servers). Both start at once: a service added
 * after the device was first announced was never bound.
 */
function startServers(): any {
    const temperature = startTemperature({ reading: () => 21.5, simOk: true })
    // a humidity server whose reading takes far longer than READ_TIMEOUT_MS
    slowHumidity = startHumidity({
        reading: async () => {
            await ds.sleep(SLOW_MS)
            return 50
        },
        simOk: true,
    })
    return temperature
}

describe("board sensors in the simulator", () => {
    test("the simulator profile's SHT30 gives temperature and humidity sources", async () => {
        sources = await boardSensors(profile)
        expect(sources.length).toBe(2)
        expect(sources[0].name + "/" + sources[0].instance).toBe("temperature/0")
        expect(sources[1].name + "/" + sources[1].instance).toBe("humidity/0")
        expect(sources[0].intervalMs).toBe(1000)
    })

    test("two sensors of a kind get instances 0 and 1; a driver not built in is skipped", async () => {
        const sht = profile.sensors[0]
        const more = await boardSensors({
            id: profile.id,
            name: profile.name,
            arch: profile.arch,
            devsHeapBytes: profile.devsHeapBytes,
            arenaBytes: profile.arenaBytes,
            storeChunks: profile.storeChunks,
            limits: profile.limits,
            sensors: [sht, { role: "light", driver: "startNoSuchDriver" }, sht],
        })
        let names = ""
        for (const s of more) names += s.name + "/" + s.instance + " "
        expect(names).toBe("temperature/0 humidity/0 temperature/1 humidity/1 ")
    })

    test("an SHT30 measurement: command 0x2400, the measurement wait, 6 bytes; one serves both sources", async () => {
        const sht = new ScriptedSht30()
        const t = new BoardSensor("temperature", 0, null, sht)
        const h = new BoardSensor("humidity", 0, null, sht)
        expect(reading(await t.read())).toBe("temperature=25C")
        expect(reading(await h.read())).toBe("humidity=40%RH")
        expect(sht.log.join(",")).toBe("w2400 r0,w r6")
        expect(sht.times[1] - sht.times[0] >= 16).toBe(true) // datasheet: up to 15.5 ms
        // a fresh measurement once the last is SHT30_CACHE_MS old; two sources reading at once share it
        await ds.sleep(SHT30_CACHE_MS)
        sht.answer = hex`beef928000a2`
        concurrent = null
        readConcurrently.start(t)
        await ds.sleep(0)
        const rh = decode(await h.read()).attrs[0].value
        while (concurrent === null) await ds.sleep(5)
        expect(sht.log.join(",")).toBe("w2400 r0,w r6,w2400 r0,w r6")
        const v = decode(concurrent).attrs[0].value
        expect(Math.abs(v - (-45 + (175 * 0xbeef) / 65535)) < 1e-9).toBe(true)
        expect(Math.abs(rh - (100 * 0x8000) / 65535) < 1e-9).toBe(true)
    })

    test("a CRC mismatch, an I2C error and a bus fault read as null; the next good measurement reads", async () => {
        const sht = new ScriptedSht30()
        const t = new BoardSensor("temperature", 0, null, sht)
        const h = new BoardSensor("humidity", 0, null, sht)
        sht.answer = hex`666694666693` // temperature's CRC off by one
        expect(reading(await t.read())).toBe("null")
        expect(reading(await h.read())).toBe("humidity=40%RH")
        await ds.sleep(SHT30_CACHE_MS)
        sht.rc = 2
        expect(reading(await t.read())).toBe("null")
        expect(sht.log.join(",")).toBe("w2400 r0,w r6,w2400 r0") // no read after a refused command
        sht.rc = 0
        sht.fault = true
        expect(reading(await h.read())).toBe("null")
        sht.fault = false
        sht.answer = hex`666693666693`
        expect(reading(await t.read())).toBe("temperature=25C") // not stuck after the fault
        expect(sht.log.length).toBe(6)
    })

    test("probe: a status word with a good CRC is an SHT30; a bad CRC or no answer is not", async () => {
        const sht = new ScriptedSht30()
        sht.answer = hex`000081`
        expect(await sht.probe()).toBe(true)
        expect(sht.log.join(",")).toBe("wf32d r0,w r3")
        sht.answer = hex`000080`
        expect(await sht.probe()).toBe(false)
        sht.rc = 2
        expect(await sht.probe()).toBe(false)
    })

    test("an unbound role reads as null without waiting", async () => {
        const t0 = ds.millis()
        const r = await find(sources, "temperature").read()
        expect(r).toBe(null)
        expect(ds.millis() - t0 < 100).toBe(true)
    })

    test("a bound role reads as a container with tag, value and unit", async () => {
        const role = startServers()
        const s = new BoardSensor("temperature", 0, role, null)
        const t0 = ds.millis()
        while (!role.isBound && ds.millis() - t0 < 10000) await ds.sleep(20)
        expect(role.isBound).toBe(true)
        const t1 = ds.millis()
        const b = await s.read()
        const ms = ds.millis() - t1
        console.log("sensors: bound after " + (t1 - t0) + " ms, read took " + ms + " ms, " + b.length + " B")
        const c = decode(b)
        expect(c.flags).toBe(0)
        expect(c.totalLen).toBe(b.length - 2)
        expect(c.tag).toBe("temperature")
        expect(c.attrs.length).toBe(2)
        expect(c.attrs[0].key + ":" + c.attrs[0].type + ":" + c.attrs[0].value).toBe("value:11:21.5")
        expect(c.attrs[1].key + ":" + c.attrs[1].type + ":" + c.attrs[1].value).toBe("unit:13:C")
        const again = decode(await s.read())
        expect(again.attrs[0].value).toBe(21.5)
    })

    test("a bound role that does not answer in time reads as null after the timeout, then recovers", async () => {
        const role = slowHumidity
        const s = new BoardSensor("humidity", 0, role, null)
        const t0 = ds.millis()
        while (!role.isBound && ds.millis() - t0 < 10000) await ds.sleep(20)
        expect(role.isBound).toBe(true)
        const t1 = ds.millis()
        const r = await s.read()
        const ms = ds.millis() - t1
        console.log("sensors: unanswered read gave up after " + ms + " ms")
        expect(r).toBe(null)
        expect(ms >= READ_TIMEOUT_MS && ms < READ_TIMEOUT_MS + 300).toBe(true)
        // the reader fiber is still waiting for that answer: the next read waits for the same fiber
        const reader = (s as any).reader
        expect(reader !== null).toBe(true)
        const t2 = ds.millis()
        expect(await s.read()).toBe(null)
        expect(ds.millis() - t2 >= READ_TIMEOUT_MS).toBe(true)
        expect((s as any).reader === reader).toBe(true)
        // once the server has answered, reads give its value again
        await ds.sleep(SLOW_MS)
        expect((s as any).reader).toBe(null)
        const b = await s.read()
        expect(b !== null).toBe(true)
        expect(decode(b).attrs[0].value).toBe(50)
    })
})
