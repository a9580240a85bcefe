// Sensors (ABI §2.2): open one by name and instance, set its read interval, and each reading
// arrives as an attr_container through on_sensor_event (export it from the app), which parses it
// and calls the Sensor's handler.

import { wasm_sensor_open, wasm_sensor_config, wasm_sensor_config_with_attr_container, wasm_sensor_close } from "./env";
import { cstring } from "./cstring";
import { endCallback } from "./memory";
import { AttrContainer } from "./attr";

export type SensorHandler = (sensor: Sensor, reading: AttrContainer) => void;

// @ts-ignore: decorator (@lazy: initialised only in apps that use it)
@lazy const sensors = new Array<Opened>();

// The handler lives beside the Sensor, not in it: AssemblyScript cannot compile a class holding a
// function type that names the class.
class Opened {
  constructor(public sensor: Sensor, public handler: SensorHandler) {}
}

function indexOf(id: i32): i32 {
  for (let i = 0; i < sensors.length; i++) if (unchecked(sensors[i]).sensor.id == id) return i;
  return -1;
}

export class Sensor {
  private constructor(public readonly id: i32, public readonly name: string) {}

  /** Opens sensor `name` (instance `instance`); null if it is unknown or already open. */
  static open(name: string, instance: i32, handler: SensorHandler): Sensor | null {
    const id = wasm_sensor_open(changetype<usize>(cstring(name)), instance);
    if (id == -1) return null;
    const s = new Sensor(id, name);
    sensors.push(new Opened(s, handler));
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
    const i = indexOf(this.id);
    if (i >= 0) sensors.splice(i, 1);
    return wasm_sensor_close(this.id);
  }
}

/** Called by the runtime with a reading of sensor `id`. */
export function on_sensor_event(id: i32, buf: usize, len: u32): void {
  const i = indexOf(id);
  if (i >= 0) {
    const o = unchecked(sensors[i]);
    const reading = AttrContainer.parse(buf, len);
    if (reading !== null) {
      const h = o.handler;
      h(o.sensor, reading);
    }
  }
  endCallback();
}
