// WAMR's sample runtime's test sensors, sensor_test1 and sensor_test2 (instance 0, 1000 ms), so
// that WAMR's sensor samples run unchanged: each read is an attr_container tagged
// "read test sensor data" with name = "read test sensor".
import { AttrWriter, SensorSource } from "./sensor-source"

export class TestSensor implements SensorSource {
    readonly instance = 0
    readonly intervalMs = 1000
    constructor(readonly name: string) {}
    async read(): Promise<Buffer> {
        return new AttrWriter("read test sensor data").string("name", "read test sensor").finish()
    }
}

export function testSensors(): SensorSource[] {
    return [new TestSensor("sensor_test1"), new TestSensor("sensor_test2")]
}
