// What the framework needs of a sensor: a name and instance apps open it by, a default interval, and
// a way to read it. The firmware supplies the board's sensors (firmware/src/board-sensors.ts: I2C on
// boards, DeviceScript roles served by sim/sensors.ts in the simulator), `wasmlet run` on Node
// scripted ones (host/run/scripted-sensors.ts); WAMR's test sensors (sensor_test1/2) are in
// test-sensors.ts.
import { AttrWriter } from "./attr-writer"

export interface SensorSource {
    readonly name: string
    readonly instance: number
    /** Read interval a newly opened sensor starts with (ms). */
    readonly intervalMs: number
    /**
     * Takes one reading and returns it as a finished attr_container (see AttrWriter), or null when
     * the sensor has no reading now (unbound role, I/O error): apps then get no event.
     */
    read(): Promise<Buffer>
}

export { AttrWriter }
