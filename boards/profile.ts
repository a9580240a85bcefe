// What a board gives the Wasm runtime. One profile per board; the firmware entry for a board
// imports its profile (firmware/src/boards/<id>.ts), the host-side tests import them all (./index.ts).
// Plain data only: this file compiles both with `devs build` and with tsc on Node.
// (Do not name files here *.board.json: `devs build` reads those from ./boards as custom
// DeviceScript board definitions.)

/**
 * A sensor the firmware reads for apps (firmware/src/board-sensors.ts, without the drivers
 * library): an SHT30 gives the app-visible sensors "temperature" and "humidity", instances 0, 1, ...
 * per name in profile order.
 */
export interface SensorWiring {
    /** The sensor's main role, e.g. "temperature" (for the boot log; apps see the driver's role names). */
    role: string
    /** Which sensor, named after its @devicescript/drivers start function; board-sensors.ts knows "startSHT30" only. */
    driver: string
    /** I2C wiring. In the simulator no I2C is used: the sensor's sources read simulated roles instead. */
    i2c?: {
        /** Board pin names (as in the board's `pins`), and the GPIO numbers they map to. */
        sda: string
        scl: string
        sdaGpio: number
        sclGpio: number
        /** 7-bit device address. */
        address: number
    }
}

export interface AppLimits {
    /** Apps loaded at the same time. */
    maxApps: number
    /** Timers one app may have pending. */
    timersPerApp: number
    /** Arena bytes one app may hold (memory, tables, globals, stacks); apps share the arena. */
    appArenaBytes: number
    /** Wasm call-stack depth (frames on the engine's explicit stack, not DeviceScript's). */
    callDepth: number
    /** Value-stack slots (8 bytes each) per execution: locals + operands of all active frames. */
    valueStackSlots: number
    /**
     * Work per slice before the engine yields to DeviceScript, in fuel (about bytes of code run:
     * an instruction is 5-13 bytes). DeviceScript panics after 128K VM steps without a yield.
     */
    sliceFuel: number
    /** Messages (timer expiries, requests, events, sensor readings) waiting per app; more are refused. */
    queueLength?: number
    /** Longest one callback may run (ms, wall time) before the watchdog stops its app. */
    watchdogMs?: number
}

export interface BoardProfile {
    /** DeviceScript board id (@dsboard/<id>), or "simulator". */
    id: string
    name: string
    /** DeviceScript arch id, as reported by ds._dcfgString("archId") on the device. */
    arch: string
    /** Total DeviceScript GC heap on this board (JD_GC_KB), in bytes. */
    devsHeapBytes: number
    /** Bytes reserved for Wasm apps (linear memories, tables, stacks). */
    arenaBytes: number
    limits: AppLimits
    sensors: SensorWiring[]
    /**
     * Settings-store values (224 B of an app's stored form each) the app manager may use for
     * installed apps. The store (DeviceScript's fstor) keeps every key's entry (24 B) and value
     * (rounded up to 8 B) in its header area, ~8 KB on the simulator and RP2040 and ~16 KB on ESP32;
     * a deleted key leaves a 32 B entry for good, so the manager reuses a fixed set of keys.
     */
    storeChunks: number
}
