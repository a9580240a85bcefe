// The host's client of a board's Wasmlet Manager: install, uninstall, start, stop, list, request,
// subscribe, logs, as every host command (CLI, gateway, bridge) uses them. The device only acts
// (wire.ts has its commands); the plans are here and in upload.ts: which store keys an app takes,
// when a version switches, what "stopped" means across reboots (the manifest's flag).
//
// One operation at a time per client (serial()): an install is many commands, and the device
// answers a second command `busy` anyway.
import { BAKED_SLOT, Cmd, MAX_NAME, Status } from "../../manager/protocol"
import { installDeviceScriptBuffer } from "../../interpreter/platform/node-buffer"
import { ACTION_DELETE, ACTION_GET, ACTION_POST, ACTION_PUT, FMT_ATTR_CONTAINER, FMT_RAW, HOST_ID, packRequest, requestAction, requestPayload, requestUrl, requestValid } from "../../framework/packets"
import type { ManagerChannel } from "./channel"
import { LinkTimeoutError, ManagerError } from "./errors"
import { unpack } from "./packets"
import type { AppInfo, BoardInfo, LogLine } from "./packets"
import { MFlag, installed, readStore, removeVersion, usedBytes, writeManifest } from "./store"
import { InstallOptions, InstallReport, upload } from "./upload"
import { AppResponse, LinkTiming, Wire } from "./wire"

export type { AppResponse, LinkTiming } from "./wire"
export { DEFAULT_TIMING } from "./wire"

installDeviceScriptBuffer() // framework/packets.ts writes with DeviceScript's Buffer.blitAt

export interface ListResult {
    apps: AppInfo[]
    board: BoardInfo
}

export interface AppEvent {
    url: string
    action: number
    fmt: number
    mid: number
    sender: number
    payload: Uint8Array
}

export interface RequestOptions {
    payload?: Uint8Array
    /** Payload format (framework/packets.ts): FMT_ATTR_CONTAINER (99, the default with a payload) or FMT_RAW (98). */
    fmt?: number
    /** Wait for the response this long (ms); default timing.responseMs. */
    timeoutMs?: number
}

const METHODS: Record<string, number> = { GET: ACTION_GET, POST: ACTION_POST, PUT: ACTION_PUT, DELETE: ACTION_DELETE }

export class ManagerClient {
    readonly wire: Wire
    private lock: Promise<unknown> = Promise.resolve()
    private midCounter = (Math.random() * 0x40000000) >>> 0
    private eventListeners = new Set<{ url?: string; fn: (e: AppEvent) => void }>()
    private restartListeners = new Set<() => void>()
    private offEvents: () => void
    private offRestart: () => void
    private offOthers: () => void

    constructor(channel: ManagerChannel, timing: Partial<LinkTiming> = {}) {
        this.wire = new Wire(channel, timing)
        this.offEvents = this.wire.onEventPacket(b => this.gotEvent(b))
        this.offRestart = channel.onRestart?.(() => this.boardRestarted()) ?? (() => {})
        this.offOthers = channel.onOtherCommand?.((code, payload) => this.otherHostSent(code, payload)) ?? (() => {})
    }

    get timing(): LinkTiming {
        return this.wire.timing
    }

    /** Stops listening to the channel (the channel itself is closed by whoever opened it). */
    close(): void {
        this.offEvents()
        this.offRestart()
        this.offOthers()
        this.wire.close()
    }

    /** Runs fn when the operations before it are done. */
    serial<T>(fn: () => Promise<T>): Promise<T> {
        const run = this.lock.then(fn, fn)
        this.lock = run.catch((): void => undefined)
        return run
    }

    // ------------------------------------------------------------ apps

    /** Uploads a device image as app `name` and starts it, in place of the installed version if any. */
    install(name: string, image: Uint8Array, opts: InstallOptions = {}): Promise<InstallReport> {
        checkName(name)
        return this.serial(() => upload(this.wire, name, image, opts))
    }

    /** Stops app `name` and removes it from the board and its store; a baked app of that name comes back. */
    uninstall(name: string): Promise<void> {
        checkGiven(name)
        return this.serial(async () => {
            const { apps, board } = await this.wire.list()
            const view = await readStore(this.wire, board.storeSlots, board.storeChunks)
            const mine = view.manifests.map((m, s) => (m && m.n === name ? s : -1)).filter(s => s >= 0)
            const report = apps.find(a => a.name === name)
            const loaded = report !== undefined && !(report.slot === BAKED_SLOT && report.arenaBytes === 0 && report.state === "stopped")
            if (!mine.length && !(loaded && report!.slot !== BAKED_SLOT))
                throw new ManagerError(`uninstall ${name}`, Status.NOT_FOUND, report?.baked ? `${name} is baked into the firmware, not installed (stop it instead)` : `no app named ${name}`)
            if (loaded) await this.wire.unload(name)
            for (const s of mine) {
                const keep = new Set<number>()
                view.manifests.forEach((m, o) => o !== s && m && m.p.forEach(c => keep.add(c)))
                await removeVersion(this.wire, view, s, keep)
            }
            if (report?.baked) await this.wire.load(BAKED_SLOT, name)
        })
    }

    /** Starts a stopped app again (and clears its stopped flag, so a reboot starts it too). */
    start(name: string): Promise<void> {
        checkGiven(name)
        return this.serial(async () => {
            const { apps, board } = await this.wire.list()
            const view = await readStore(this.wire, board.storeSlots, board.storeChunks)
            const inst = installed(view, name)
            const report = apps.find(a => a.name === name)
            if (!inst && !report?.baked) throw new ManagerError(`start ${name}`, Status.NOT_FOUND, `no app named ${name}`)
            if (inst && inst.m.f & MFlag.STOPPED) await writeManifest(this.wire, inst.slot, { ...inst.m, f: inst.m.f & ~MFlag.STOPPED })
            await this.wire.load(inst ? inst.slot : BAKED_SLOT, name)
        })
    }

    /**
     * Stops an app (its on_destroy runs). An installed app stays stopped across reboots until
     * start() (its manifest says so); a baked app comes back at the next boot.
     */
    stop(name: string): Promise<void> {
        checkGiven(name)
        return this.serial(async () => {
            const { board } = await this.wire.list()
            const view = await readStore(this.wire, board.storeSlots, board.storeChunks)
            const inst = installed(view, name)
            const ran = await this.wire.unload(name)
            if (!ran && !inst) throw new ManagerError(`stop ${name}`, Status.NOT_FOUND, `no app named ${name} runs`)
            if (inst && !(inst.m.f & MFlag.STOPPED)) await writeManifest(this.wire, inst.slot, { ...inst.m, f: inst.m.f | MFlag.STOPPED })
        })
    }

    /** Every app (running, stopped, baked, installed) and the board's limits and store use. */
    list(): Promise<ListResult> {
        return this.serial(async () => {
            const { apps, board } = await this.wire.list()
            const view = await readStore(this.wire, board.storeSlots, board.storeChunks)
            const out = new Map<string, AppInfo>()
            for (const a of apps) {
                const inst = installed(view, a.name)
                const fromStore = a.slot !== BAKED_SLOT
                out.set(a.name, {
                    name: a.name,
                    state: a.state,
                    restarts: a.restarts,
                    imageBytes: fromStore && inst ? inst.m.i : a.imageBytes,
                    arenaBytes: a.arenaBytes,
                    uptimeMs: a.uptimeMs,
                    storedBytes: inst ? inst.m.s : 0,
                    baked: a.baked,
                    installed: inst !== undefined,
                    inFlash: !fromStore,
                    slot: a.slot,
                    error: a.error,
                })
            }
            // installed apps the host stopped are not in the runtime: the store knows them
            for (const m of view.manifests) {
                if (!m || out.has(m.n)) continue
                const inst = installed(view, m.n)
                if (!inst) continue
                out.set(m.n, {
                    name: m.n,
                    state: "stopped",
                    restarts: 0,
                    imageBytes: inst.m.i,
                    arenaBytes: 0,
                    uptimeMs: 0,
                    storedBytes: inst.m.s,
                    baked: false,
                    installed: true,
                    inFlash: false,
                    slot: -1,
                    error: "",
                })
            }
            const info: BoardInfo = {
                board: board.board,
                maxApps: board.maxApps,
                apps: apps.filter(a => a.arenaBytes > 0 || a.slot !== BAKED_SLOT).length,
                storeSlots: board.storeSlots,
                storeChunks: board.storeChunks,
                chunkBytes: board.chunkBytes,
                storeCapacity: board.storeChunks * board.chunkBytes,
                storeUsed: usedBytes(view),
                arenaBytes: board.arenaBytes,
                arenaFree: board.arenaFree,
                appArenaBytes: board.appArenaBytes,
            }
            return { apps: [...out.values()], board: info }
        })
    }

    // ------------------------------------------------------------ talking to apps

    /**
     * A request to an app's resource (`/app/NAME/...` or a url an app registered), answered by the
     * app's response. method: GET, POST, PUT, DELETE (or a WAMR action number).
     */
    request(method: string | number, url: string, opts: RequestOptions = {}): Promise<AppResponse> {
        const action = typeof method === "number" ? method : METHODS[method.toUpperCase()]
        if (action === undefined) throw new Error(`unknown method ${method} (GET, POST, PUT, DELETE)`)
        const payload = opts.payload ?? new Uint8Array(0)
        const fmt = opts.fmt ?? (payload.length ? FMT_ATTR_CONTAINER : FMT_RAW)
        return this.serial(async () => {
            const mid = (this.midCounter = (this.midCounter + 1) >>> 0)
            let resolve!: (r: AppResponse) => void
            let got = false
            const response = new Promise<AppResponse>(r => (resolve = r))
            const off = this.wire.onResponse(r => {
                if (r.mid !== mid) return
                got = true
                resolve(r)
            })
            try {
                await this.wire.request(packRequest(action, url, fmt, mid, HOST_ID, Buffer.from(payload)), `request ${url}`, () => got)
                const ms = opts.timeoutMs ?? this.timing.responseMs
                let timer: NodeJS.Timeout | undefined
                const timeout = new Promise<never>((_, rej) => {
                    timer = setTimeout(() => rej(new LinkTimeoutError(`request ${url}: no response within ${ms} ms`, 1)), ms)
                })
                try {
                    return await Promise.race([response, timeout])
                } finally {
                    clearTimeout(timer)
                }
            } finally {
                off()
            }
        })
    }

    private gotEvent(b: Buffer): void {
        if (!requestValid(b)) return
        const e: AppEvent = {
            url: requestUrl(b),
            action: requestAction(b),
            fmt: b.readUInt16BE(2),
            mid: b.readUInt32BE(4),
            sender: b.readUInt32BE(8),
            payload: new Uint8Array(requestPayload(b)),
        }
        for (const l of [...this.eventListeners]) if (l.url === undefined || l.url === e.url) l.fn(e)
    }

    /** Every event the board forwards (urls this host subscribed to); returns the unsubscribe. */
    onEvent(listener: (e: AppEvent) => void): () => void {
        const l = { fn: listener }
        this.eventListeners.add(l)
        return () => this.eventListeners.delete(l)
    }

    /**
     * Subscribes the host to events on `url`; `listener` gets each one. The returned function
     * unsubscribes (and tells the board when it was the last listener of that url).
     */
    async subscribe(url: string, listener: (e: AppEvent) => void): Promise<() => Promise<void>> {
        await this.serial(() => this.wire.subscribe(url, true))
        const l = { url, fn: listener }
        this.eventListeners.add(l)
        return async () => {
            if (!this.eventListeners.delete(l)) return
            if (![...this.eventListeners].some(o => o.url === url)) await this.serial(() => this.wire.subscribe(url, false))
        }
    }

    /**
     * Calls `listener` each time the board is back after a reboot, once this client has subscribed
     * it again to the event urls its listeners wait on (the board forgot them with its RAM).
     */
    onRestart(listener: () => void): () => void {
        this.restartListeners.add(listener)
        return () => this.restartListeners.delete(listener)
    }

    /**
     * The board keeps one set of host subscriptions for every host on its link: when another host
     * (a gateway's stream that closed, a `wasmlet subscribe` that ended) unsubscribes a url this
     * client still listens to, subscribe it again.
     */
    private otherHostSent(code: number, payload: Uint8Array): void {
        if (code !== Cmd.SUBSCRIBE) return
        let s: Record<string, any>
        try {
            s = unpack("subscribe", payload)
        } catch {
            return
        }
        const url = s.url as string
        if (s.on || ![...this.eventListeners].some(l => l.url === url)) return
        this.serial(() => this.wire.subscribe(url, true)).catch((): void => undefined)
    }

    private boardRestarted(): void {
        const urls = new Set([...this.eventListeners].map(l => l.url).filter((u): u is string => u !== undefined))
        this.serial(async () => {
            for (const u of urls) await this.wire.subscribe(u, true)
        })
            .catch((): void => undefined) // a board that fails again is seen by the next command
            .then(() => {
                for (const l of [...this.restartListeners]) l()
            })
    }

    /** Every console line and runtime note the board sends, as it comes; returns the unsubscribe. */
    onLog(listener: (line: LogLine) => void): () => void {
        return this.wire.onLog(listener)
    }

    /** The console lines the board still holds (its last few), of app `name` or of every app. */
    logs(name = ""): Promise<LogLine[]> {
        return this.serial(() => this.wire.logs(name))
    }
}

/** A name an app can be installed under (it goes into the store's manifest and every list report). */
export function checkName(name: string): void {
    const n = Buffer.byteLength(name)
    if (n < 1 || n > MAX_NAME || /[\0/]/.test(name)) throw new Error(`bad app name ${JSON.stringify(name)}: 1 to ${MAX_NAME} bytes, no "/"`)
}

/** A name of an app that may be there already (baked apps' names can be longer than MAX_NAME). */
function checkGiven(name: string): void {
    if (!name || name.includes("\0")) throw new Error(`bad app name ${JSON.stringify(name)}`)
}
