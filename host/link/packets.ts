// The Wasmlet Manager's packets (services/wasmletmanager.md) as jdpack formats, and their
// encoders and decoders on the host. The table below is checked against the service spec by
// test/link/packets.test.ts (field names, types and formats as DeviceScript's build reads them).
import { AppFlag, Cmd, Rep } from "../../manager/protocol"
import { jd } from "./jacdac"

/** The `stored` report (a key's value, for `get`): 0x96 (Rep.VALUE, renamed STORED on the device side). */
export const REP_STORED = 0x96

export interface PacketSpec {
    code: number
    kind: "command" | "report"
    /** jdpack format. */
    format: string
    /** Field names in order, as in the spec. */
    fields: string[]
}

export const PACKETS: Record<string, PacketSpec> = {
    put: { code: Cmd.PUT, kind: "command", format: "u16 u16 z b", fields: ["tag", "check", "key", "data"] },
    get: { code: Cmd.GET, kind: "command", format: "u16 s", fields: ["tag", "key"] },
    remove: { code: Cmd.REMOVE, kind: "command", format: "u16 s", fields: ["tag", "key"] },
    load: { code: Cmd.LOAD, kind: "command", format: "u16 u8 s", fields: ["tag", "slot", "name"] },
    unload: { code: Cmd.UNLOAD, kind: "command", format: "u16 s", fields: ["tag", "name"] },
    list: { code: Cmd.LIST, kind: "command", format: "u16", fields: ["tag"] },
    request: { code: Cmd.REQUEST, kind: "command", format: "u16 u8 b", fields: ["tag", "more", "data"] },
    subscribe: { code: Cmd.SUBSCRIBE, kind: "command", format: "u16 u8 s", fields: ["tag", "on", "url"] },
    logs: { code: Cmd.LOGS, kind: "command", format: "u16 s", fields: ["tag", "name"] },
    result: { code: Rep.RESULT, kind: "report", format: "u16 u16 u32 s", fields: ["tag", "status", "value", "message"] },
    app: {
        code: Rep.APP,
        kind: "report",
        format: "u16 u16 u32 u32 u32 u8 u8 u8 z s",
        fields: ["tag", "restarts", "image_bytes", "arena_bytes", "uptime", "state", "slot", "flags", "name", "error"],
    },
    board: {
        code: Rep.BOARD,
        kind: "report",
        format: "u16 u8 u8 u16 u16 u32 u32 u32 s",
        fields: ["tag", "max_apps", "store_slots", "store_chunks", "chunk_bytes", "arena_bytes", "arena_free", "app_arena_bytes", "board"],
    },
    response: { code: Rep.RESPONSE, kind: "report", format: "u8 b", fields: ["more", "data"] },
    event: { code: Rep.EVENT, kind: "report", format: "u8 b", fields: ["more", "data"] },
    log: { code: Rep.LOG, kind: "report", format: "u8 z s", fields: ["kind", "app", "text"] },
    stored: { code: REP_STORED, kind: "report", format: "u16 b", fields: ["tag", "data"] },
}

const byCode = new Map<number, [string, PacketSpec]>(Object.entries(PACKETS).map(([n, p]) => [p.code, [n, p]]))

/** The payload of packet `name` from its field values in spec order. */
export function pack(name: keyof typeof PACKETS, values: unknown[]): Uint8Array {
    const p = PACKETS[name]
    if (values.length !== p.fields.length) throw new Error(`${name}: ${p.fields.length} fields, got ${values.length}`)
    return jd.jdpack(p.format, values as any[])
}

/** The field values of a payload of packet `name`, by field name. */
export function unpack(name: keyof typeof PACKETS, payload: Uint8Array): Record<string, any> {
    const p = PACKETS[name]
    const vals = jd.jdunpack(payload, p.format) as unknown[]
    const o: Record<string, any> = {}
    p.fields.forEach((f, i) => (o[f] = vals[i]))
    return o
}

/** The name of the packet with this service command code, or undefined. */
export function packetName(code: number): string | undefined {
    return byCode.get(code)?.[0]
}

// ---------------------------------------------------------------- decoded reports

export interface Result {
    tag: number
    status: number
    value: number
    message: string
}

export const APP_STATES = ["loading", "running", "stopped", "exited"] as const
export type AppState = (typeof APP_STATES)[number] | `state ${number}`

export interface AppInfo {
    name: string
    state: AppState
    /** Loads since boot after the first. */
    restarts: number
    /** Image bytes: a baked app's (from the device), an installed app's (from its manifest). */
    imageBytes: number
    arenaBytes: number
    uptimeMs: number
    /** Bytes its stored form takes in the store (0 for a baked app that is not installed). */
    storedBytes: number
    /** The firmware has a baked app of this name. */
    baked: boolean
    /** Installed: a manifest in the store names it. */
    installed: boolean
    /** Runs from its image in flash (a baked app), not from the store. */
    inFlash: boolean
    /** The manifest slot it was loaded from (BAKED_SLOT: flash), -1 when not loaded. */
    slot: number
    /** The last error (trap, exit reason), "" if none. */
    error: string
}

/** An `app` report as the device sends it. */
export interface AppReport {
    tag: number
    name: string
    state: AppState
    restarts: number
    imageBytes: number
    arenaBytes: number
    uptimeMs: number
    slot: number
    baked: boolean
    error: string
}

export interface BoardInfo {
    board: string
    maxApps: number
    /** Apps in the runtime (running or stopped by the runtime). */
    apps: number
    /** Manifest slots and chunks the store has for apps, and the chunk size. */
    storeSlots: number
    storeChunks: number
    chunkBytes: number
    /** storeChunks * chunkBytes, and the part of it the manifests' chunks take. */
    storeCapacity: number
    storeUsed: number
    arenaBytes: number
    arenaFree: number
    appArenaBytes: number
}

/** A `board` report as the device sends it. */
export interface BoardReport {
    tag: number
    board: string
    maxApps: number
    storeSlots: number
    storeChunks: number
    chunkBytes: number
    arenaBytes: number
    arenaFree: number
    appArenaBytes: number
}

export interface LogLine {
    /** console: a line the app printed; note: the runtime's word about it (trapped, stopped, ...). */
    kind: "console" | "note"
    app: string
    text: string
}

export function decodeResult(payload: Uint8Array): Result {
    const r = unpack("result", payload)
    return { tag: r.tag, status: r.status, value: r.value, message: r.message ?? "" }
}

export function decodeApp(payload: Uint8Array): AppReport {
    const a = unpack("app", payload)
    return {
        tag: a.tag,
        name: a.name,
        state: APP_STATES[a.state] ?? `state ${a.state}`,
        restarts: a.restarts,
        imageBytes: a.image_bytes,
        arenaBytes: a.arena_bytes,
        uptimeMs: a.uptime,
        slot: a.slot,
        baked: (a.flags & AppFlag.BAKED) !== 0,
        error: a.error ?? "",
    }
}

export function decodeBoard(payload: Uint8Array): BoardReport {
    const b = unpack("board", payload)
    return {
        tag: b.tag,
        board: b.board ?? "",
        maxApps: b.max_apps,
        storeSlots: b.store_slots,
        storeChunks: b.store_chunks,
        chunkBytes: b.chunk_bytes,
        arenaBytes: b.arena_bytes,
        arenaFree: b.arena_free,
        appArenaBytes: b.app_arena_bytes,
    }
}

export function decodeStored(payload: Uint8Array): { tag: number; data: Uint8Array } {
    const v = unpack("stored", payload)
    return { tag: v.tag, data: v.data }
}

export function decodeLog(payload: Uint8Array): LogLine {
    const l = unpack("log", payload)
    return { kind: l.kind === 1 ? "note" : "console", app: l.app ?? "", text: l.text ?? "" }
}
