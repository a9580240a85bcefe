// What the app manager keeps in the settings store (services/wasmletmanager.md, "What the store
// holds"): a JSON manifest per installed app or upload in progress, and the app's stored form
// (LZSS, manager/lzss.ts) in chunks. One source for the device (it reads manifests at boot and on
// `load`) and the host (it writes them).
//
// DeviceScript's store (fstor) never forgets a key: a deleted key keeps a 32 B entry, so keys come
// from two fixed sets that are reused: manifests "wm0".."wm<slots-1>", chunks "w0".."w<chunks-1>".

export interface Store {
    /** The value of key, or null when there is none. */
    get(key: string): Promise<Buffer>
    set(key: string, value: Buffer): Promise<void>
    remove(key: string): Promise<void>
}

/** Manifest.f */
export const enum MFlag {
    /** Stopped by the host: not started at boot. */
    STOPPED = 1,
    /** An upload in progress: not started at boot (the host resumes or removes it). */
    PENDING = 2,
}

export interface Manifest {
    /** App name. */
    n: string
    /** MFlag bits. */
    f: number
    /** Stored bytes (the compressed image). */
    s: number
    /** Image bytes. */
    i: number
    /** FNV-1a of the stored form: the upload's identity. */
    k: number
    /** Generation: of two manifests of one app, the higher is the newer. */
    g: number
    /** Chunk numbers holding the stored form, in order. */
    p: number[]
}

export function manifestKey(slot: number): string {
    return "wm" + slot
}
export function chunkKey(n: number): string {
    return "w" + n
}
