// The app manager's link protocol (services/wasmletmanager.md says it in full): command and
// report codes, result statuses, the chunk size and the per-chunk check. One source for the device
// (firmware, DeviceScript) and the host (host/link/, Node), so the two cannot drift apart.

/** Jacdac service class of the Wasmlet Manager (services/wasmletmanager.md). */
export const SERVICE_CLASS = 0x1d3a57e1

export const enum Cmd {
    BEGIN = 0x80,
    CHUNK = 0x81,
    COMMIT = 0x82,
    UNINSTALL = 0x83,
    START = 0x84,
    STOP = 0x85,
    LIST = 0x86,
    REQUEST = 0x87,
    SUBSCRIBE = 0x88,
    LOGS = 0x89,
}

export const enum Rep {
    RESULT = 0x90,
    APP = 0x91,
    BOARD = 0x92,
    RESPONSE = 0x93,
    EVENT = 0x94,
    LOG = 0x95,
}

/** result.status */
export const enum Status {
    OK = 0,
    BAD_COMMAND = 1,
    NOT_FOUND = 2,
    /** The chunk was corrupt, missing or out of order: send chunk `value` next. */
    RESEND = 3,
    NO_STORE = 4,
    STORE_FAILED = 5,
    REFUSED = 6,
    BUSY = 7,
    NO_UPLOAD = 8,
}

/** app.flags */
export const enum AppFlag {
    BAKED = 1,
    INSTALLED = 2,
    IN_FLASH = 4,
}

/** log.kind */
export const enum LogKind {
    CONSOLE = 0,
    NOTE = 1,
}

/**
 * Bytes of stored form per chunk, and so per settings value: a value and its key must fit one
 * settings packet (key + 1 + value <= 232 B, devicescript-facts.md section 4); keys are <= 5 chars.
 */
export const CHUNK_BYTES = 224

/** Data bytes of one `request`, `response` or `event` fragment (236 B payload less tag/more). */
export const FRAGMENT_BYTES = 224

/** Longest app name (it is part of every list report and of the store's index). */
export const MAX_NAME = 15

/** Fletcher-16 of buf[0, len): the per-chunk check (catches swapped and changed bytes). */
export function fletcher16(buf: Buffer, len: number): number {
    let a = 0
    let b = 0
    for (let i = 0; i < len; i++) {
        a = (a + buf[i]) % 255
        b = (b + a) % 255
    }
    return (b << 8) | a
}
