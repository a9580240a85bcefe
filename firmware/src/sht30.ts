// The Sensirion SHT30's data words, decoded (datasheet "SHT3x-DIS", sections 4.11-4.12): every 16-bit
// word the sensor sends is followed by a CRC-8 (polynomial 0x31, init 0xFF, no reflection, no final
// XOR; the datasheet's example: 0xBEEF -> 0x92). A single-shot measurement answers 6 bytes:
// temperature word, CRC, humidity word, CRC; T = -45 + 175 * S / 65535 (°C), RH = 100 * S / 65535 (%).
// board-sensors.ts does the I2C; this file is pure arithmetic so that vitest checks it on Node
// (test/sensors/) while DeviceScript compiles the same code into the firmware. No imports.

/** CRC-8 of the two bytes b[at], b[at + 1], as the SHT30 computes it. */
export function sht30Crc(b: Buffer, at: number): number {
    let crc = 0xff
    for (let i = at; i < at + 2; i++) {
        crc ^= b[i]
        for (let k = 0; k < 8; k++) crc = (crc & 0x80) !== 0 ? ((crc << 1) ^ 0x31) & 0xff : (crc << 1) & 0xff
    }
    return crc
}

/**
 * The reading in a measurement's 6 bytes at word offset `at`: 0 gives the temperature in °C, 3 the
 * relative humidity in %. Undefined when the word's CRC does not match (a corrupted transfer).
 */
export function sht30Value(b: Buffer, at: number): number {
    if (sht30Crc(b, at) !== b[at + 2]) return undefined
    const s = (b[at] << 8) | b[at + 1]
    return at === 0 ? -45 + (175 * s) / 65535 : (100 * s) / 65535
}
