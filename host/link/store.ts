// The board's store as the host plans it (services/wasmletmanager.md, "What the store holds"):
// manifest slots wm0..wm<slots-1> (JSON, manager/manifest.ts) and chunk keys w0..w<chunks-1>.
// The device only stores values; which slot and chunks an upload takes, which manifest is the
// installed version and what is a left-over is decided here.
import { CHUNK_BYTES } from "../../manager/protocol"
import { MFlag, type Manifest, chunkKey, manifestKey } from "../../manager/manifest"
import { ManagerError } from "./errors"
import { inFlight, type Wire } from "./wire"
import { Status } from "../../manager/protocol"

/** Longest value the store takes under a 3-4 character key (key + 1 + value <= 232 B). */
export const MAX_VALUE_BYTES = 232 - 4 - 1

export interface StoreView {
    /** Manifest per slot, null where the slot is free (or holds something unreadable). */
    manifests: (Manifest | null)[]
    chunks: number
}

/** Every manifest slot, read two at a time (each get answers with two reports; the device queues 8). */
export async function readStore(wire: Wire, slots: number, chunks: number): Promise<StoreView> {
    const manifests: (Manifest | null)[] = new Array(slots).fill(null)
    await inFlight([...Array(slots).keys()], wire.timing.window, async s => {
        manifests[s] = parseManifest(await wire.get(manifestKey(s)))
    })
    return { manifests, chunks }
}

export function parseManifest(b: Uint8Array | null): Manifest | null {
    if (!b || !b.length) return null
    try {
        const m = JSON.parse(Buffer.from(b).toString("utf8"))
        if (typeof m?.n !== "string" || !Array.isArray(m.p)) return null
        return m
    } catch {
        return null
    }
}

export function encodeManifest(m: Manifest): Buffer {
    const b = Buffer.from(JSON.stringify({ n: m.n, f: m.f, s: m.s, i: m.i, k: m.k, g: m.g, p: m.p }))
    if (b.length > MAX_VALUE_BYTES)
        throw new ManagerError(
            `install ${m.n}`,
            Status.REFUSED,
            `its manifest (${m.p.length} chunks) takes ${b.length} B, one store value holds ${MAX_VALUE_BYTES} B: the app is too large for this board's store`
        )
    return b
}

/** Writes a manifest and reads it back. */
export async function writeManifest(wire: Wire, slot: number, m: Manifest): Promise<void> {
    const b = encodeManifest(m)
    await wire.put(manifestKey(slot), b)
    const back = await wire.get(manifestKey(slot))
    if (!back || !back.equals(b))
        throw new ManagerError(`install ${m.n}`, Status.REFUSED, `the store did not keep manifest ${manifestKey(slot)} (read back ${back ? back.length : 0} of ${b.length} B): is it full?`)
}

/** The installed version of name: its newest manifest that is not pending, with its slot. */
export function installed(v: StoreView, name: string): { slot: number; m: Manifest } | undefined {
    let best: { slot: number; m: Manifest } | undefined
    v.manifests.forEach((m, slot) => {
        if (m && m.n === name && (m.f & MFlag.PENDING) === 0 && (!best || m.g > best.m.g)) best = { slot, m }
    })
    return best
}

/** Names with an installed (not pending) manifest; with startedAtBoot, only those the host did not stop. */
export function installedNames(v: StoreView, startedAtBoot = false): string[] {
    const names = new Set<string>()
    for (const m of v.manifests) if (m && (m.f & MFlag.PENDING) === 0) names.add(m.n)
    return [...names].filter(n => !startedAtBoot || (installed(v, n)!.m.f & MFlag.STOPPED) === 0)
}

/** Chunk numbers no manifest names, lowest first. */
export function freeChunks(v: StoreView): number[] {
    const used = new Set<number>()
    for (const m of v.manifests) if (m) for (const c of m.p) used.add(c)
    const free: number[] = []
    for (let c = 0; c < v.chunks; c++) if (!used.has(c)) free.push(c)
    return free
}

export function usedBytes(v: StoreView): number {
    let n = 0
    for (const m of v.manifests) if (m) n += m.s
    return n
}

export function freeSlot(v: StoreView): number {
    return v.manifests.findIndex(m => m === null)
}

export function nextGeneration(v: StoreView): number {
    return v.manifests.reduce((g, m) => (m && m.g >= g ? m.g + 1 : g), 1)
}

/** Removes a manifest and then its chunks (the manifest first: a cut leaves unnamed chunks, which count as free). */
export async function removeVersion(wire: Wire, v: StoreView, slot: number, keepChunks: Set<number> = new Set()): Promise<void> {
    const m = v.manifests[slot]
    if (!m) return
    await wire.remove(manifestKey(slot))
    v.manifests[slot] = null
    await inFlight(m.p.filter(c => !keepChunks.has(c)), wire.timing.window, c => wire.remove(chunkKey(c)))
}

export { CHUNK_BYTES, MFlag, chunkKey, manifestKey }
export type { Manifest }
