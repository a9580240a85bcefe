// Installing an app: the host's steps of services/wasmletmanager.md ("Installing an app").
//
//   list + get manifests ─► refuse what cannot fit ─► put pending manifest (read back)
//     ─► put chunks (each with its Fletcher-16; `resend` and timeouts send it again; a few in flight)
//     ─► load the slot (the device reads back, decompresses, checks, starts; else the old runs)
//     ─► put the manifest without the pending flag (the switch; read back) ─► remove the old version
//
// The stored form is the device image LZSS-compressed (compress.ts) and cut into CHUNK_BYTES
// pieces; its FNV-1a identifies the upload, so a pending manifest of the same name and checksum
// is an interrupted upload: its chunks that read back equal are not sent again. Other pending
// manifests are left-overs and go first. A cut before the switch leaves the old version the
// installed one (a reboot starts it, the pending manifest is never started); after it, the new.
import { CHUNK_BYTES, Status } from "../../manager/protocol"
import { lzssCompress } from "./compress"
import { ManagerError } from "./errors"
import { StoreView, chunkKey, encodeManifest, freeChunks, freeSlot, installedNames, MFlag, nextGeneration, readStore, removeVersion, usedBytes, writeManifest, type Manifest } from "./store"
import { inFlight, type Wire } from "./wire"

export interface InstallProgress {
    /** Chunks on the board. */
    done: number
    chunks: number
    /** Stored bytes on the board. */
    bytes: number
    storedBytes: number
    /** "upload" while chunks go, "commit" while the device checks and starts the app and the store switches. */
    phase: "upload" | "commit"
}

export interface InstallOptions {
    onProgress?: (p: InstallProgress) => void
}

export interface InstallReport {
    imageBytes: number
    storedBytes: number
    chunks: number
    /** Commands sent again (timeouts, `resend`s) during the upload. */
    resent: number
    /** Chunks already on the board from an interrupted upload (> 0: it resumed). */
    resumedAt: number
    ms: number
    /** Arena bytes the started app holds (load's result). */
    arenaBytes: number
    /**
     * Where the time went (ms): list and manifests read, fit checks and left-overs removed; the
     * pending manifest written and read back; the chunks; load; the switch and the old version removed.
     */
    phases?: { planMs: number; manifestMs: number; chunksMs: number; loadMs: number; switchMs: number }
}

/** FNV-1a (32 bit, per byte) of the stored form: the upload's identity (manifest "k"). */
export function fnv1a(buf: Uint8Array): number {
    let h = 0x811c9dc5
    for (let i = 0; i < buf.length; i++) h = Math.imul(h ^ buf[i], 0x01000193)
    return h >>> 0
}

/** The stored form of an image and its chunks. */
export function storedChunks(image: Uint8Array): { stored: Buffer; chunks: Buffer[] } {
    const stored = lzssCompress(image)
    const chunks: Buffer[] = []
    for (let at = 0; at < stored.length; at += CHUNK_BYTES) chunks.push(stored.subarray(at, at + CHUNK_BYTES))
    return { stored, chunks }
}

const refuse = (name: string, why: string) => new ManagerError(`install ${name}`, Status.REFUSED, why)

export async function upload(wire: Wire, name: string, image: Uint8Array, opts: InstallOptions = {}): Promise<InstallReport> {
    const t0 = Date.now()
    const resends0 = wire.resends
    const { stored, chunks } = storedChunks(image)
    const n = chunks.length
    const k = fnv1a(stored)
    const progress = (done: number, phase: InstallProgress["phase"]) =>
        opts.onProgress?.({ done, chunks: n, bytes: Math.min(done * CHUNK_BYTES, stored.length), storedBytes: stored.length, phase })

    // 1. what the board has and holds
    const { apps, board } = await wire.list()
    const view = await readStore(wire, board.storeSlots, board.storeChunks)
    if (image.length > board.appArenaBytes)
        throw refuse(name, `too large for the arena: its image is ${image.length} B, an app gets ${board.appArenaBytes} B on this board`)
    const running = new Set(apps.filter(a => a.slot !== 255 || a.state !== "stopped" || a.arenaBytes > 0).map(a => a.name))
    // what will run: the apps in the runtime, and the installed ones a reboot starts
    const others = new Set([...installedNames(view, true), ...running])
    others.delete(name)
    if (others.size >= board.maxApps)
        throw refuse(name, `too many apps: this board runs at most ${board.maxApps} (${[...others].join(", ")}); uninstall one first`)

    // an interrupted upload of this very image resumes; other pending manifests are left-overs
    let slot = -1
    let resumed: Manifest | undefined
    for (let s = 0; s < view.manifests.length; s++) {
        const m = view.manifests[s]
        if (!m || (m.f & MFlag.PENDING) === 0) continue
        if (m.n === name && m.k === k && m.s === stored.length && m.p.length === n && !resumed) {
            resumed = m
            slot = s
        } else await removeVersion(wire, view, s, keptChunks(view, s))
    }

    let m: Manifest
    if (resumed) m = resumed
    else {
        const free = freeChunks(view)
        if (free.length < n) {
            const capacity = board.storeChunks * CHUNK_BYTES
            throw refuse(
                name,
                `not enough persistent storage: need ${stored.length} B (${n} chunks), free ${free.length * CHUNK_BYTES} B (${free.length} of ${board.storeChunks} chunks; ${usedBytes(view)} of ${capacity} B in use)`
            )
        }
        slot = freeSlot(view)
        if (slot < 0) throw refuse(name, `no free manifest slot of ${board.storeSlots}: uninstall an app first`)
        m = { n: name, f: MFlag.PENDING, s: stored.length, i: image.length, k, g: nextGeneration(view), p: free.slice(0, n) }
        encodeManifest(m) // refuses a manifest too long for one value before anything is written
    }

    const tPlan = Date.now()
    // 2. the pending manifest
    if (!resumed) {
        await writeManifest(wire, slot, m)
        view.manifests[slot] = m
    }

    const tManifest = Date.now()
    // 3. the chunks (of a resumed upload, those that read back equal stay)
    let first = 0
    if (resumed) {
        // read back in order (a few at a time); the first chunk that differs is where the upload
        // goes on, and no more are read after it
        const same = new Array<boolean>(n).fill(false)
        const differs = new Error("differs")
        await inFlight([...Array(n).keys()], wire.timing.window, async c => {
            const back = await wire.get(chunkKey(m.p[c]))
            same[c] = back !== null && back.equals(chunks[c])
            if (!same[c]) throw differs
        }).catch(e => {
            if (e !== differs) throw e
        })
        while (first < n && same[first]) first++
    }
    progress(first, "upload")
    let landed = first
    const todo = [...Array(n - first).keys()].map(i => first + i)
    await inFlight(todo, wire.timing.window, async c => {
        await wire.put(chunkKey(m.p[c]), chunks[c])
        progress(++landed, "upload")
    })

    const tChunks = Date.now()
    // 4. start it; on refusal the device runs the old version again, and the upload is a left-over
    progress(n, "commit")
    let arenaBytes: number
    try {
        arenaBytes = await wire.load(slot, name)
    } catch (e) {
        if (e instanceof ManagerError) await removeVersion(wire, view, slot, keptChunks(view, slot)).catch((): void => undefined)
        throw e
    }

    const tLoad = Date.now()
    // 5. the switch, then the old version goes
    const done: Manifest = { ...m, f: m.f & ~MFlag.PENDING & ~MFlag.STOPPED }
    await writeManifest(wire, slot, done)
    view.manifests[slot] = done
    for (let s = 0; s < view.manifests.length; s++) {
        const o = view.manifests[s]
        if (s !== slot && o && o.n === name) await removeVersion(wire, view, s, keptChunks(view, s))
    }
    const t1 = Date.now()
    const phases = { planMs: tPlan - t0, manifestMs: tManifest - tPlan, chunksMs: tChunks - tManifest, loadMs: tLoad - tChunks, switchMs: t1 - tLoad }
    return { imageBytes: image.length, storedBytes: stored.length, chunks: n, resent: wire.resends - resends0, resumedAt: first, ms: t1 - t0, arenaBytes, phases }
}

/** Chunks named by manifests other than `except` (a version being removed must leave those). */
function keptChunks(v: StoreView, except = -1): Set<number> {
    const keep = new Set<number>()
    v.manifests.forEach((m, s) => {
        if (m && s !== except) for (const c of m.p) keep.add(c)
    })
    return keep
}
