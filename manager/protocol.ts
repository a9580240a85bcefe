// The app manager's link protocol (services/wasmletmanager.md says it in full): command and
// report codes, result statuses, the chunk size and the per-chunk check. The device acts (store
// values, load and unload apps, list what runs); the host plans (which slot and chunks an upload
// takes, when a version switches) and words the messages: bytecode on the device is scarce.
// One source for the device (firmware, DeviceScript) and the host (host/link/, Node).

/** Jacdac service class of the Wasmlet Manager (services/wasmletmanager.md). */
export const SERVICE_CLASS = 0x1d3a57e1

export const enum Cmd {
    PUT = 0x80,
    GET = 0x81,
    REMOVE = 0x82,
    LOAD = 0x83,
    UNLOAD = 0x84,
    LIST = 0x85,
    REQUEST = 0x86,
    SUBSCRIBE = 0x87,
    LOGS = 0x88,
}

export const enum Rep {
    RESULT = 0x90,
    APP = 0x91,
    BOARD = 0x92,
    RESPONSE = 0x93,
    EVENT = 0x94,
    LOG = 0x95,
    /** The value of a key (`get`); the spec cannot name it "value" (a system register's name). */
    STORED = 0x96,
}

/** `load` slot (and `app` report slot) meaning the firmware's baked app of that name. */
export const BAKED_SLOT = 255

/** result.status */
export const enum Status {
    OK = 0,
    BAD_COMMAND = 1,
    /** No app of that name runs (unload), or no such manifest or baked app (load). */
    NOT_FOUND = 2,
    /** The data did not match its check (put): send it again. */
    RESEND = 3,
    /** The image was refused (load): the message says why (corrupt, arena, board limits). */
    REFUSED = 6,
    /** Another command is being handled: try again shortly. */
    BUSY = 7,
}

/** app.flags */
export const enum AppFlag {
    /** The firmware has a baked app of this name. */
    BAKED = 1,
}

/** log.kind */
export const enum LogKind {
    CONSOLE = 0,
    NOTE = 1,
}

/**
 * Bytes of stored form per chunk, and so per settings value: a value and its key must fit one
 * settings packet (key + 1 + value <= 232 B, devicescript-facts.md section 4); chunk keys are
 * <= 4 chars. The host cuts the stored form so.
 */
export const CHUNK_BYTES = 224

/** Data bytes of one `request`, `response` or `event` fragment (236 B payload less tag/more). */
export const FRAGMENT_BYTES = 224

/** Longest app name, in bytes (WAMR samples have names of 16: event_subscriber). */
export const MAX_NAME = 31

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
