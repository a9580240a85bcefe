import { BoardProfile } from "./profile"

// Raspberry Pi Pico W (RP2040, 264 KB SRAM, DeviceScript heap 64 KB).
export const profile: BoardProfile = {
    id: "pico_w",
    name: "Raspberry Pi Pico W",
    arch: "rp2040w",
    devsHeapBytes: 64 * 1024,
    // 20 KB, not 24: with the app manager and the Jacdac link in use, three samples and a 24 KB
    // arena ran the simulator's heap out (OutOfMemory in the run loop); 20 KB still holds the
    // timer/publisher/subscriber trio (16 KB) or two of them and a third installed (18 KB)
    arenaBytes: 20 * 1024,
    storeChunks: 30,
    // 3 apps: each installed app holds ~4.6 KB of the 64 KB DeviceScript heap besides its arena
    // account (framework/README.md "Heap"), and the firmware keeps 24 KB of heap for itself
    limits: { maxApps: 3, timersPerApp: 4, appArenaBytes: 12 * 1024, callDepth: 64, valueStackSlots: 704, sliceFuel: 1500 },
    // SHT30 on I2C0: GP4 (SDA) / GP5 (SCL).
    sensors: [
        {
            role: "temperature",
            driver: "startSHT30",
            i2c: { sda: "GP4", scl: "GP5", sdaGpio: 4, sclGpio: 5, address: 0x44 },
        },
    ],
}
