// Jacdac frames as a device builds and reads them, written for the pty board (pty-board.ts) from
// the Jacdac frame format, independently of jacdac-ts (which is the host under test):
//
//   frame:  crc u16 (CRC-16/CCITT, init 0xffff, over every byte after it) | size u8 (bytes of
//           packets after the 12-byte header) | flags u8 | device id u64 | packets
//   packet: payload size u8 | service index u8 | service command u16 | payload, padded to 4 bytes
//
// flags: 0x01 command (the id is the device addressed; without it, the sender), 0x04 the id field
// holds a service class instead (the USB bridge's own "processing" packets use it).

export const FLAG_COMMAND = 0x01
export const FLAG_ID_IS_SERVICE_CLASS = 0x04
export const HEADER_BYTES = 12
export const MAX_PAYLOAD = 236

export interface JdPacket {
    serviceIndex: number
    command: number
    payload: Uint8Array
}

export interface JdFrame {
    flags: number
    /** 16 hex digits, byte order as on the wire (what jacdac-ts calls the device identifier). */
    deviceId: string
    /** The id field read as the low 32 bits (a service class when FLAG_ID_IS_SERVICE_CLASS). */
    idLow: number
    packets: JdPacket[]
}

export function crc16(b: Uint8Array): number {
    let crc = 0xffff
    for (const byte of b) {
        crc ^= byte << 8
        for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff
    }
    return crc
}

export function buildFrame(flags: number, deviceId: string, packets: JdPacket[]): Uint8Array {
    const size = packets.reduce((n, p) => n + ((4 + p.payload.length + 3) & ~3), 0)
    if (size > MAX_PAYLOAD + 4) throw new Error(`frame of ${size} B of packets: more than one frame holds`)
    const f = new Uint8Array(HEADER_BYTES + size)
    f[2] = size
    f[3] = flags
    f.set(Buffer.from(deviceId, "hex"), 4)
    let at = HEADER_BYTES
    for (const p of packets) {
        if (p.payload.length > MAX_PAYLOAD) throw new Error(`packet payload of ${p.payload.length} B (at most ${MAX_PAYLOAD})`)
        f[at] = p.payload.length
        f[at + 1] = p.serviceIndex
        f[at + 2] = p.command & 0xff
        f[at + 3] = p.command >> 8
        f.set(p.payload, at + 4)
        at += (4 + p.payload.length + 3) & ~3
    }
    const c = crc16(f.subarray(2))
    f[0] = c & 0xff
    f[1] = c >> 8
    return f
}

/** The frame in `b`, or why not (a CRC that does not match, a size past the bytes). */
export function parseFrame(b: Uint8Array): JdFrame | string {
    if (b.length < HEADER_BYTES) return "short frame"
    const end = HEADER_BYTES + b[2]
    if (b.length < end) return "frame shorter than its size"
    const c = crc16(b.subarray(2, end))
    if (b[0] !== (c & 0xff) || b[1] !== c >> 8) return "crc mismatch"
    const packets: JdPacket[] = []
    for (let at = HEADER_BYTES; at + 4 <= end; ) {
        const n = b[at]
        if (at + 4 + n > end) return "packet past the frame's end"
        packets.push({ serviceIndex: b[at + 1], command: b[at + 2] | (b[at + 3] << 8), payload: b.slice(at + 4, at + 4 + n) })
        at += (4 + n + 3) & ~3
    }
    const id = b.subarray(4, 12)
    return { flags: b[3], deviceId: Buffer.from(id).toString("hex"), idLow: Buffer.from(id).readUInt32LE(0), packets }
}
