import { BoardProfile } from "./profile"

// Espressif ESP32-S3 DevKitM (Xtensa LX7, 512 KB SRAM, DeviceScript heap 64 KB).
export const profile: BoardProfile = {
    id: "esp32s3_devkit_m",
    name: "Espressif ESP32-S3 DevKitM",
    arch: "esp32s3",
    devsHeapBytes: 64 * 1024,
    // 20 KB, not 24: with the app manager and the Jacdac link in use, three samples and a 24 KB
    // arena ran the simulator's heap out (OutOfMemory in the run loop); 20 KB still holds the
    // timer/publisher/subscriber trio (16 KB) or two of them and a third installed (18 KB)
    arenaBytes: 20 * 1024,
    storeChunks: 60,
    // 3 apps: each installed app holds ~4.6 KB of the 64 KB DeviceScript heap besides its arena
    // account (framework/README.md "Heap"), and the firmware keeps 24 KB of heap for itself
    limits: { maxApps: 3, timersPerApp: 8, appArenaBytes: 12 * 1024, callDepth: 96, valueStackSlots: 928, sliceFuel: 1500 },
    // SHT30 on GPIO8 (SDA) / GPIO9 (SCL), the ESP32-S3 default I2C pins.
    sensors: [
        {
            role: "temperature",
            driver: "startSHT30",
            i2c: { sda: "P8", scl: "P9", sdaGpio: 8, sclGpio: 9, address: 0x44 },
        },
    ],
}
