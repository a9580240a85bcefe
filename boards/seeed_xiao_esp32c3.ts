import { BoardProfile } from "./profile"

// Seeed Studio XIAO ESP32-C3 (RISC-V, 400 KB SRAM, DeviceScript heap 64 KB).
export const profile: BoardProfile = {
    id: "seeed_xiao_esp32c3",
    name: "Seeed Studio XIAO ESP32C3",
    arch: "esp32c3",
    devsHeapBytes: 64 * 1024,
    arenaBytes: 24 * 1024,
    limits: { maxApps: 4, timersPerApp: 4, appArenaBytes: 12 * 1024, callDepth: 64, valueStackSlots: 448, sliceFuel: 1500 },
    // Grove/Qwiic SHT30 on the XIAO's I2C pins D4/D5.
    sensors: [
        {
            role: "temperature",
            driver: "startSHT30",
            i2c: { sda: "SDA_D4", scl: "SCL_D5", sdaGpio: 6, sclGpio: 7, address: 0x44 },
        },
    ],
}
