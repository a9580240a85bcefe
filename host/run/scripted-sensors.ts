// Simulated sensors for the framework on Node (`wasmlet run --sensors FILE`): the same script
// format as the simulated board's (sim/sensors.ts, e.g. sim/sensors.example.json), read as the
// board's sensors are (firmware/src/board-sensors.ts): one source per role, named after it,
// instances 0, 1, ... per kind, each reading an attr_container { value: double, unit }.
import { AttrWriter } from "../../framework/attr-writer"
import type { SensorSource } from "../../framework/sensor-source"
import { loadSensorScript, readingFunction, SimSensor } from "../../sim/sensors"

const UNITS: Record<string, string> = { temperature: "C", humidity: "%RH", airPressure: "hPa", illuminance: "lux", uvIndex: "uv", airQualityIndex: "aqi" }

export class ScriptedSensor implements SensorSource {
    readonly intervalMs = 1000
    private readonly reading: (ms: number, index: number) => number
    private readonly t0 = performance.now()
    private index = 0
    constructor(
        readonly name: string,
        readonly instance: number,
        s: SimSensor,
    ) {
        this.reading = readingFunction(s)
    }
    async read(): Promise<Buffer> {
        const v = this.reading(performance.now() - this.t0, this.index++)
        const w = new AttrWriter(this.name).double("value", v)
        if (UNITS[this.name]) w.string("unit", UNITS[this.name])
        return w.finish()
    }
}

export function sensorsFrom(list: SimSensor[]): SensorSource[] {
    const seen: Record<string, number> = {}
    return list.map(s => {
        const instance = seen[s.role] ?? 0
        seen[s.role] = instance + 1
        return new ScriptedSensor(s.role, instance, s)
    })
}

export function scriptedSensors(file: string): SensorSource[] {
    return sensorsFrom(loadSensorScript(file))
}
