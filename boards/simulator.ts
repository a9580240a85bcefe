import { BoardProfile } from "./profile"

// The DeviceScript simulator (Wasm build of the runtime, run by `devs run`). It mirrors the
// tightest real board (the XIAO ESP32-C3) so that what fits here fits there.
export const profile: BoardProfile = {
    id: "simulator",
    name: "DeviceScript simulator",
    arch: "wasm",
    devsHeapBytes: 64 * 1024,
    // 20 KB, not 24: with the app manager and the Jacdac link in use, three samples and a 24 KB
    // arena ran the simulator's heap out (OutOfMemory in the run loop); 20 KB still holds the
    // timer/publisher/subscriber trio (16 KB) or two of them and a third installed (18 KB)
    arenaBytes: 20 * 1024,
    storeChunks: 30,
    // 3 apps: each installed app holds ~4.6 KB of the 64 KB DeviceScript heap besides its arena
    // account (framework/README.md "Heap"), and the firmware keeps 24 KB of heap for itself
    limits: { maxApps: 3, timersPerApp: 4, appArenaBytes: 12 * 1024, callDepth: 64, valueStackSlots: 448, sliceFuel: 1500 },
    // Under the simulator the drivers expose a role for the dashboard or a sim/ script to serve.
    sensors: [{ role: "temperature", driver: "startSHT30" }],
}
