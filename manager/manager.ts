// The app manager on the board: the commands of services/wasmletmanager.md acted out on the
// framework's Runtime and the settings store, and what the runtime tells the host (HostSink) sent
// back as reports. One source for DeviceScript (firmware/src/manager-server.ts gives it the
// Jacdac link and the settings store) and Node (the tests give it a store and take its reports).
//
// The device acts and the host plans (the protocol page says why): here are only what must run on
// the board: storing values, starting an app from its manifest and chunks (read back, decompressed
// and checked) with the version that ran before started again if the new one fails, boot, and the
// forwarding of requests, events and console lines. Written for bytecode: each command sets
// st/val/msg and command() sends its one result.
import { App, AppState } from "../framework/app"
import { HostSink, Runtime } from "../framework/runtime"
import { removeAt } from "../framework/list"
import { ImageFill } from "../interpreter/index"
import { BAKED_SLOT, Cmd, FRAGMENT_BYTES, LogKind, Rep, Status, fletcher16 } from "./protocol"
import { MFlag, Manifest, Store, chunkKey, manifestKey } from "./manifest"
import { LzssDecoder } from "./lzss"

/** Where reports go: the firmware encodes them with the service's spec and queues them for the link. */
export interface ReportSink {
    /** `reply`: an answer to a command (the logs command's lines), not a live stream report. */
    send(code: number, values: any[], reply?: boolean): void
}

/** Console lines kept for `logs` (the newest). */
const LOG_LINES = 8
const STOPPED = 2
/** Commands that may wait while one is handled. */
const MAX_WAITING = 4

/** An installed app's image: its chunks read back from the store and decompressed into the arena. */
class StoredImage implements ImageFill {
    length: number
    constructor(
        readonly store: Store,
        readonly m: Manifest,
    ) {
        this.length = m.i
    }

    async fill(buf: Buffer, at: number): Promise<void> {
        const m = this.m
        const dec = new LzssDecoder(buf, at, at + m.i)
        for (let i = 0; i < m.p.length; i++) {
            const c = await this.store.get(chunkKey(m.p[i]))
            if (c === null || !dec.feed(c, c.length)) break
        }
        if (!dec.done()) throw new Error("the stored form of " + m.n + " is corrupt or incomplete")
    }
}

export class AppManager implements HostSink {
    rt: Runtime = null
    /** Apps loaded since boot: name, the slot it was loaded from (BAKED_SLOT: flash), loads after the first. */
    names: string[] = []
    from: number[] = []
    restarts: number[] = []
    private busy = false
    private waiting = 0
    private req: Buffer = null
    private reqTag = -1
    private logApp: string[] = []
    private logText: string[] = []
    /** The result of the command being handled. */
    private st = 0
    private val = 0
    private msg = ""

    constructor(
        readonly store: Store,
        readonly out: ReportSink,
        /** Manifest slots (maxApps + 1) and chunk keys (the profile's storeChunks) of the store. */
        readonly slots: number,
        readonly chunks: number,
        readonly board: string,
        readonly bakedNames: string[],
        readonly bakedImages: Buffer[],
    ) {}

    /** Boot: the installed apps (of two manifests of one name the newer), then the baked apps no manifest overrides. */
    async restore(): Promise<void> {
        const ms: Manifest[] = []
        for (let s = 0; s < this.slots; s++) ms.push(await this.manifest(s))
        const taken: string[] = []
        for (let s = 0; s < this.slots; s++) {
            const m = ms[s]
            if (m === null || (m.f & MFlag.PENDING) !== 0) continue
            let newest = true
            for (let o = 0; o < this.slots; o++) {
                const n = ms[o]
                if (n !== null && o !== s && n.n === m.n && (n.f & MFlag.PENDING) === 0 && n.g > m.g) newest = false
            }
            if (!newest) continue
            taken.push(m.n)
            if ((m.f & MFlag.STOPPED) === 0) await this.launchQuiet(m.n, s)
        }
        for (let i = 0; i < this.bakedNames.length; i++) if (taken.indexOf(this.bakedNames[i]) < 0) await this.launchQuiet(this.bakedNames[i], BAKED_SLOT)
    }

    /** One command from the link: its code and decoded fields; sends its result. */
    async command(code: number, a: any[]): Promise<void> {
        // commands are handled one at a time; a few may wait their turn (the host pipelines chunk
        // puts), more are answered busy (each waiting one holds its packet in the heap)
        if (this.busy && this.waiting < MAX_WAITING) {
            this.waiting++
            while (this.busy) await this.rt.clock.sleep(2)
            this.waiting--
        }
        if (this.busy) {
            // (st/val/msg belong to the command being handled)
            this.out.send(Rep.RESULT, [a[0], Status.BUSY, 0, ""])
            return
        }
        this.st = Status.OK
        this.val = 0
        this.msg = ""
        {
            this.busy = true
            try {
                const rt = this.rt
                // only the manager's own keys ("wm<slot>", "w<chunk>"): other settings are the firmware's
                const key: string = code === Cmd.PUT ? a[2] : a[1]
                const c1 = code <= Cmd.REMOVE ? key.charCodeAt(1) : 0
                if (code <= Cmd.REMOVE && !(key.length <= 5 && key.charCodeAt(0) === 119 && (c1 === 109 || (c1 >= 48 && c1 <= 57)))) this.st = Status.BAD_COMMAND
                else if (code === Cmd.PUT) {
                    const data: Buffer = a[3]
                    if (fletcher16(data, data.length) !== a[1]) this.st = Status.RESEND
                    else await this.store.set(key, data)
                } else if (code === Cmd.GET) {
                    let v = await this.store.get(key)
                    if (v === null) v = Buffer.alloc(0)
                    this.out.send(Rep.STORED, [a[0], v])
                    this.val = v.length
                } else if (code === Cmd.REMOVE) await this.store.remove(key)
                else if (code === Cmd.LOAD) await this.load(a[2], a[1])
                else if (code === Cmd.UNLOAD) {
                    if (rt.find(a[1]) === null) this.st = Status.NOT_FOUND
                    else await rt.uninstall(a[1])
                } else if (code === Cmd.LIST) this.list(a[0])
                else if (code === Cmd.REQUEST) this.request(a[0], a[1], a[2])
                else if (code === Cmd.SUBSCRIBE) {
                    if (a[1] !== 0) rt.hostSubscribe(a[2])
                    else rt.hostUnsubscribe(a[2])
                } else if (code === Cmd.LOGS) {
                    for (let i = 0; i < this.logApp.length; i++) {
                        if (a[1].length > 0 && this.logApp[i] !== a[1]) continue
                        this.out.send(Rep.LOG, [LogKind.CONSOLE, this.logApp[i], this.logText[i]], true)
                        this.val++
                    }
                } else this.st = Status.BAD_COMMAND
            } catch (e: any) {
                this.st = Status.REFUSED
                this.msg = e && e.message ? e.message : "" + e
            }
            this.busy = false
        }
        this.out.send(Rep.RESULT, [a[0], this.st, this.val, this.msg])
    }

    /** Starts name from slot in place of the app of that name; if it fails, the one that ran before runs again. */
    private async load(name: string, slot: number): Promise<void> {
        const rt = this.rt
        const k = this.names.indexOf(name)
        const running = rt.find(name) !== null
        if (running) await rt.uninstall(name)
        try {
            // answered once its start-up is over: a version whose on_init traps is refused too
            const app = await this.launch(name, slot)
            while (rt.starting(app)) await rt.clock.sleep(20)
            if (app.state === AppState.STOPPED) throw new Error(app.lastError)
            this.val = app.account.used
            this.say(name, "started " + name)
        } catch (e) {
            if (rt.find(name) !== null) await rt.uninstall(name)
            if (running && this.from[k] !== slot) await this.launchQuiet(name, this.from[k])
            throw e
        }
    }

    private list(tag: number): void {
        const rt = this.rt
        for (let i = 0; i < rt.apps.length; i++) {
            const app = rt.apps[i]
            const k = this.names.indexOf(app.name)
            const b = this.bakedNames.indexOf(app.name)
            const slot = k < 0 ? BAKED_SLOT : this.from[k]
            const image = slot === BAKED_SLOT && b >= 0 ? this.bakedImages[b].length : 0
            const err = app.lastError !== null ? app.lastError : ""
            this.out.send(Rep.APP, [tag, k < 0 ? 0 : this.restarts[k], image, app.account.used, rt.clock.now() - app.startedAt, app.state, slot, b >= 0 ? 1 : 0, app.name, err])
            this.val++
        }
        for (let b = 0; b < this.bakedNames.length; b++) {
            if (rt.find(this.bakedNames[b]) !== null) continue
            this.out.send(Rep.APP, [tag, 0, this.bakedImages[b].length, 0, 0, STOPPED, BAKED_SLOT, 1, this.bakedNames[b], ""])
            this.val++
        }
        const lim = rt.limits
        this.out.send(Rep.BOARD, [tag, lim.maxApps, this.slots, this.chunks, 224, rt.arena.buf.length, rt.arena.freePages * 1024, lim.appArenaBytes, this.board])
    }

    /**
     * One fragment of a request from the host. A fragment sent again (its result was lost: same
     * tag) is answered without being applied again, so an app never gets a request twice.
     */
    private request(tag: number, more: number, data: Buffer): void {
        if (tag === this.reqTag) return
        this.reqTag = tag
        let b = data
        const r = this.req
        if (r !== null) {
            b = Buffer.alloc(r.length + data.length)
            b.blitAt(0, r, 0, r.length)
            b.blitAt(r.length, data, 0, data.length)
        }
        this.req = more > 0 ? b : null
        if (more === 0 && !this.rt.hostRequest(b)) this.st = Status.BAD_COMMAND
    }

    // ---- starting apps ----------------------------------------------------------------------

    private async manifest(slot: number): Promise<Manifest> {
        const b = await this.store.get(manifestKey(slot))
        if (b === null) return null
        try {
            return JSON.parse(b.toString())
        } catch (e) {
            return null
        }
    }

    /** Starts app name from manifest slot (its chunks read back and decompressed) or from flash (BAKED_SLOT). */
    private async launch(name: string, slot: number): Promise<App> {
        let app: App = null
        if (slot === BAKED_SLOT) {
            const b = this.bakedNames.indexOf(name)
            if (b < 0) throw new Error("no baked app named " + name)
            app = await this.rt.install(name, this.bakedImages[b], true)
        } else {
            const m = await this.manifest(slot)
            if (m === null || m.n !== name) throw new Error("no manifest of " + name + " in slot " + slot)
            app = await this.rt.install(name, null, false, null, new StoredImage(this.store, m))
        }
        const k = this.names.indexOf(name)
        if (k < 0) {
            this.names.push(name)
            this.from.push(slot)
            this.restarts.push(0)
        } else {
            this.from[k] = slot
            this.restarts[k]++
        }
        return app
    }

    private async launchQuiet(name: string, slot: number): Promise<void> {
        try {
            await this.launch(name, slot)
            this.say(name, "started " + name)
        } catch (err: any) {
            this.say(name, err.message)
        }
    }

    // ---- HostSink: what the runtime tells the host ------------------------------------------

    response(b: Buffer): void {
        this.fragments(Rep.RESPONSE, b)
    }
    event(b: Buffer): void {
        this.fragments(Rep.EVENT, b)
    }
    console(app: App, line: string): void {
        console.log("[" + app.name + "] " + line)
        if (this.logApp.length >= LOG_LINES) {
            // an app holding half the lines or more gives up its own oldest: a chatty app does not
            // push the others' last lines out (`wasmlet logs NAME` still has them)
            let k = 0
            let mine = 0
            for (let i = this.logApp.length - 1; i >= 0; i--) {
                if (this.logApp[i] === app.name) {
                    mine++
                    k = i
                }
            }
            if (mine < LOG_LINES / 2) k = 0
            removeAt(this.logApp, k)
            removeAt(this.logText, k)
        }
        this.logApp.push(app.name)
        this.logText.push(line)
        this.out.send(Rep.LOG, [LogKind.CONSOLE, app.name, line])
    }
    status(app: App, note: string): void {
        this.say(app.name, note)
    }

    private say(name: string, note: string): void {
        console.log("wasmlet: " + note)
        this.out.send(Rep.LOG, [LogKind.NOTE, name, note])
    }

    private fragments(code: number, b: Buffer): void {
        const n = b.length === 0 ? 1 : Math.ceil(b.length / FRAGMENT_BYTES)
        for (let i = 0; i < n; i++) this.out.send(code, [n - 1 - i, b.slice(i * FRAGMENT_BYTES, Math.min(b.length, (i + 1) * FRAGMENT_BYTES))])
    }
}
