// Sensors (ABI §2.2): open one by name and instance, set its read interval, and each reading
// arrives as an attr_container through on_sensor_event (export it from the app), which parses it
// and calls the Sensor's handler.

import { wasm_sensor_open, wasm_sensor_config, wasm_sensor_config_with_attr_container, wasm_sensor_close } from "./env";
import { tempCString } from "./cstring";
import { endCallback } from "./memory";
import { AttrContainer } from "./attr";
import { unlink } from "./list";

export type SensorHandler = (sensor: Sensor, reading: AttrContainer) => void;

// @ts-ignore: decorator (lazy: compiled only into apps that use it)
@lazy let sensors: Opened | null = null;

// The handler lives beside the Sensor, not in it: AssemblyScript cannot compile a class holding a
// function type that names the class.
class Opened {
  constructor(public sensor: Sensor, public handler: SensorHandler, public _next: Opened | null) {}
}

function find(id: i32): Opened | null {
  let o: Opened | null = sensors;
  while (o !== null && o.sensor.id != id) o = o._next;
  return o;
}

export class Sensor {
  private constructor(public readonly id: i32, public readonly name: string) {}

  /** Opens sensor `name` (instance `instance`); null if it is unknown or already open. */
  static open(name: string, instance: i32, handler: SensorHandler): Sensor | null {
    const id = wasm_sensor_open(tempCString(name), instance);
    if (id == -1) return null;
    const s = new Sensor(id, name);
    sensors = new Opened(s, handler, sensors);
    return s;
  }

  /** Reads every `intervalMs` (0 stops this client's reads). */
  config(intervalMs: u32, bitCfg: i32 = 0, delay: u32 = 0): bool {
    return wasm_sensor_config(this.id, intervalMs, bitCfg, delay);
  }

  /** Passes `cfg` to the sensor's configuration hook. */
  configWith(cfg: AttrContainer): bool {
    const b = cfg.serialize();
    return wasm_sensor_config_with_attr_container(this.id, changetype<usize>(b), <u32>b.byteLength);
  }

  close(): bool {
    const o = find(this.id);
    if (o !== null) sensors = unlink<Opened>(sensors, o);
    return wasm_sensor_close(this.id);
  }
}

/** Called by the runtime with a reading of sensor `id`. */
export function on_sensor_event(id: i32, buf: usize, len: u32): void {
  const o = find(id);
  if (o !== null) {
    const reading = AttrContainer.parse(buf, len);
    if (reading !== null) {
      const h = o.handler;
      h(o.sensor, reading);
    }
  }
  endCallback();
}
