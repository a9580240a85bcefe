import { BoardProfile } from "./profile"

// Seeed Studio XIAO ESP32-C3 (RISC-V, 400 KB SRAM, DeviceScript heap 64 KB).
export const profile: BoardProfile = {
    id: "seeed_xiao_esp32c3",
    name: "Seeed Studio XIAO ESP32C3",
    arch: "esp32c3",
    devsHeapBytes: 64 * 1024,
    // 20 KB, not 24: with the app manager and the Jacdac link in use, three samples and a 24 KB
    // arena ran the simulator's heap out (OutOfMemory in the run loop); 20 KB still holds the
    // timer/publisher/subscriber trio (16 KB) or two of them and a third installed (18 KB)
    arenaBytes: 20 * 1024,
    storeChunks: 60,
    // 3 apps: each installed app holds ~4.6 KB of the 64 KB DeviceScript heap besides its arena
    // account (framework/README.md "Heap"), and the firmware keeps 24 KB of heap for itself
    limits: { maxApps: 3, timersPerApp: 4, appArenaBytes: 12 * 1024, callDepth: 64, valueStackSlots: 448, sliceFuel: 1500 },
    // Grove/Qwiic SHT30 on the XIAO's I2C pins D4/D5.
    sensors: [
        {
            role: "temperature",
            driver: "startSHT30",
            i2c: { sda: "SDA_D4", scl: "SCL_D5", sdaGpio: 6, sclGpio: 7, address: 0x44 },
        },
    ],
}
