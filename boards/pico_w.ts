import { BoardProfile } from "./profile"

// Raspberry Pi Pico W (RP2040, 264 KB SRAM, DeviceScript heap 64 KB).
export const profile: BoardProfile = {
    id: "pico_w",
    name: "Raspberry Pi Pico W",
    arch: "rp2040w",
    devsHeapBytes: 64 * 1024,
    arenaBytes: 28 * 1024,
    limits: { maxApps: 4, timersPerApp: 4, appArenaBytes: 14 * 1024, callDepth: 64, valueStackSlots: 704, sliceFuel: 1500 },
    // SHT30 on I2C0: GP4 (SDA) / GP5 (SCL).
    sensors: [
        {
            role: "temperature",
            driver: "startSHT30",
            i2c: { sda: "GP4", scl: "GP5", sdaGpio: 4, sclGpio: 5, address: 0x44 },
        },
    ],
}
