// The app framework's runtime: installs apps, routes their requests, responses and events,
// keeps their timers and sensor subscriptions, and runs every callback from one scheduler.
//
// Scheduling: one loop. Each turn it fires due timers, reads due sensors, then runs ONE slice of
// one app (round robin) and yields: a slice is the engine's resumable run(ex, fuel), sized so
// that DeviceScript's 128K-step guard never trips, so an endless loop in an app never blocks the
// other apps, the host link or the firmware. A callback that runs longer than the watchdog
// limit stops its app (it stays installed, with the reason kept); a trap ends that callback only.
//
// The host side (the app manager next, `wasmlet run` now) delivers requests with hostRequest /
// call, subscribes with hostSubscribe, and gets responses, events and console lines via HostSink.
import {
    Arena,
    Execution,
    ImportRec,
    forgetRunning,
    Sec,
    ExternKind,
    GlobalCell,
    HostFunc,
    Instance,
    Limits,
    LoadedModule,
    Memory,
    RunState,
    instantiateAsync,
    loadImageAsync,
    loadImageInto,
    ImageFill,
    run,
    startCall,
} from "../interpreter/index"
import { AppLimits } from "../boards/profile"
import { APP_CALLBACKS, App, AppState, CALLBACK_NAMES, Kind, Msg, Phase } from "./app"
import { AttrWriter } from "./attr-writer"
import { Clock } from "./clock"
import {
    ACTION_EVENT,
    FMT_ATTR_CONTAINER,
    HOST_ID,
    MID_AT,
    PEER_AT,
    STATUS_GATEWAY_TIMEOUT,
    STATUS_INTERNAL_ERROR,
    STATUS_SERVICE_UNAVAILABLE,
    getU32BE,
    packRequest,
    packResponse,
    requestAction,
    requestUrl,
    requestValid,
    responseValid,
    setU32BE,
    urlMatches,
    withUrl,
} from "./packets"
import { SensorSource } from "./sensor-source"
import { ConnectionProvider } from "./connections"
import { Natives } from "./natives"
import { removeAt } from "./list"

/** What the runtime tells the host side. */
export interface HostSink {
    /** A packed response whose receiver is the host. */
    response(b: Buffer): void
    /** A packed event (action 6) on a url the host subscribed to. */
    event(b: Buffer): void
    /** One line of an app's console. */
    console(app: App, line: string): void
    /** An app trapped, was stopped, exited or was removed; `note` says why. */
    status(app: App, note: string): void
}

/** Per-app limits the board profile gives beyond the engine's (defaults where a profile is silent). */
const DEFAULT_QUEUE = 8
const DEFAULT_WATCHDOG_MS = 10000
const MAX_RESOURCES = 16
/** How long the loop sleeps at most when nothing is due (host messages arrive meanwhile). */
const IDLE_MS = 20
/**
 * DeviceScript heap (not arena) one installed app holds: its App, module, instances, memory,
 * execution and their arrays; measured in the simulator 3.5-4.8 KB for the samples and bench
 * apps (bench/framework/heap.ts). install refuses an app the heap budget (heapBytes) cannot take.
 */
const APP_HEAP_BYTES = 4608
/** Slices an app's start-up runs ahead of the other apps (see turn). */
const INIT_FIRST_SLICES = 32

const IMPORT_MODULE_ENV = "env"
const WASI_MODULE = "wasi_snapshot_preview1"
const NEEDS_LIBC = 1
const NEEDS_WASI = 2

export class Runtime {
    readonly apps: App[] = []
    private nextId = 1
    private rr = 0
    /** The app whose code is running now (the natives act for it). */
    running: App = null
    /** No loop() is running (until it starts, and after it is told to stop): uninstall then drives on_destroy itself. */
    stopped = true

    // resource registrations and event subscriptions, newest last (app null = the host)
    regUrl: string[] = []
    regApp: App[] = []
    subUrl: string[] = []
    subApp: App[] = []

    // sensor clients (an app that opened a sensor): the app, the source, its interval, its next read
    cApp: App[] = []
    cSrc: number[] = []
    cInterval: number[] = []
    cDue: number[] = []

    /**
     * DeviceScript heap the apps may hold (APP_HEAP_BYTES each), 0 for no limit (Node); the
     * firmware sets it from its profile. Running the heap out is an uncatchable panic that
     * restarts the board, so the runtime refuses work that would get near it.
     */
    heapBytes = 0
    /** Message bytes one app's queue may hold (they are in the heap until handled). */
    maxQueued = 1024

    /** The network stack apps' connections go through, or null (board without one). */
    connections: ConnectionProvider = null
    private natives: Natives
    /** The support modules' images (flash) and, once an app needed them, their loaded modules. */
    private libcMod: LoadedModule = null
    private wasiMod: LoadedModule = null

    constructor(
        readonly arena: Arena,
        readonly limits: AppLimits,
        readonly clock: Clock,
        readonly host: HostSink,
        readonly sensors: SensorSource[],
        private readonly libcImage: Buffer,
        private readonly wasiImage: Buffer,
    ) {
        this.natives = new Natives(this)
    }

    queueLimit(): number {
        const q = this.limits.queueLength
        return q > 0 ? q : DEFAULT_QUEUE
    }
    watchdogMs(): number {
        const w = this.limits.watchdogMs
        return w > 0 ? w : DEFAULT_WATCHDOG_MS
    }

    find(name: string): App {
        for (let i = 0; i < this.apps.length; i++) if (this.apps[i].name === name) return this.apps[i]
        return null
    }
    byId(id: number): App {
        for (let i = 0; i < this.apps.length; i++) if (this.apps[i].id === id) return this.apps[i]
        return null
    }

    /**
     * Installs an app from a device image and queues its start (on_init, or _start for a WASI
     * command). `inFlash`: the image stays where it is (a `hex` literal); otherwise it is copied
     * into the app's arena account, or (image null) written there by `fill`. Throws an Error that
     * says what is wrong; nothing is left over.
     */
    async install(name: string, image: Buffer, inFlash: boolean, args?: string[], fill?: ImageFill): Promise<App> {
        this.admit(name)
        const acc = this.arena.account(name, this.limits.appArenaBytes)
        const app = new App(name, this.nextId++, acc)
        app.args = args === undefined || args === null ? [name] : args
        try {
            app.mod = inFlash ? await loadImageAsync(image) : await loadImageInto(acc, image, fill)
            const lim = new Limits()
            lim.account = acc
            lim.stackBytes = this.limits.valueStackSlots * 8
            lim.callDepth = this.limits.callDepth
            lim.sliceFuel = this.limits.sliceFuel
            const rt = this
            const resolve = (mod: string, field: string, kind: number) => rt.resolve(app, mod, field, kind)
            const need = this.scanImports(app)
            if ((need & NEEDS_LIBC) !== 0) {
                if (this.libcMod === null) this.libcMod = await this.support(this.libcImage, "libc")
                app.libc = await instantiateAsync(this.libcMod, resolve, lim)
            }
            if ((need & NEEDS_WASI) !== 0) {
                if (this.wasiMod === null) this.wasiMod = await this.support(this.wasiImage, "WASI")
                app.wasi = await instantiateAsync(this.wasiMod, resolve, lim)
            }
            // stacks as the host's bound says (the runtime also calls the libc or adapter directly on
            // them), the profile's default where any bound is unknown (recursion, indirect calls)
            const mods = [app.mod]
            if (app.libc !== null) mods.push(this.libcMod)
            if (app.wasi !== null) mods.push(this.wasiMod)
            lim.fitStacks(mods)
            this.running = app
            app.inst = await instantiateAsync(app.mod, resolve, lim)
            this.running = null
            if (app.memory === null) app.memory = app.inst.memory
            app.ex = new Execution(lim.stackBytes, lim.callDepth, acc)
            this.findCallbacks(app)
            this.apps.push(app)
        } catch (e: any) {
            this.running = null
            this.release(app)
            throw new Error(`install ${name}: ${e && e.message ? e.message : e}`)
        }
        app.state = AppState.RUNNING
        app.startedAt = this.clock.now()
        if (app.libc !== null) {
            const hb = app.inst.getExport("__heap_base")
            if (!(hb instanceof GlobalCell)) {
                this.stop(app, "the app exports no __heap_base: the runtime cannot place its heap")
                return app
            }
            app.queue.push(new Msg(Kind.LIBC_INIT, hb.buf.getAt(hb.off, "i32"), null))
        }
        if (app.fns[Kind.START] >= 0) app.queue.push(new Msg(Kind.START, 0, null))
        else if (app.fns[Kind.INIT] >= 0) app.queue.push(new Msg(Kind.INIT, 0, null))
        return app
    }

    /**
     * Throws unless one more app named `name` may be installed (board limits, heap): the app
     * manager asks before it reads an image into the heap, since running the heap out panics.
     */
    admit(name: string): void {
        if (this.find(name) !== null) throw new Error(`app "${name}" is already installed`)
        if (this.apps.length >= this.limits.maxApps) throw new Error(`too many apps: this board runs at most ${this.limits.maxApps}`)
        if (this.heapBytes > 0 && (this.apps.length + 1) * APP_HEAP_BYTES > this.heapBytes)
            throw new Error(`no heap for app "${name}": ${this.heapBytes} B for apps, ~${APP_HEAP_BYTES} B each`)
    }

    /** The app's start-up (its libc's init, then on_init) has yet to finish. */
    starting(app: App): boolean {
        const m = app.msg !== null ? app.msg : app.queue.length > 0 ? app.queue[0] : null
        return app.state === AppState.RUNNING && m !== null && (m.kind === Kind.INIT || m.kind === Kind.LIBC_INIT)
    }

    private async support(image: Buffer, what: string): Promise<LoadedModule> {
        if (image === null) throw new Error(`this firmware has no ${what} for such apps`)
        return await loadImageAsync(image)
    }

    /**
     * One pass over the app's imports: env.memory is made here, in the app's account (the host
     * turned the app's own memory into that import); the result says whether the app needs the
     * libc (env functions that are not natives) or the WASI adapter.
     */
    private scanImports(app: App): number {
        const m = app.mod
        const img = m.image
        const off = m.offset(Sec.IMPORTS)
        let need = 0
        for (let i = 0; i < m.count(Sec.IMPORTS); i++) {
            const rec = off + i * ImportRec.SIZE
            const mod = m.str(img.getAt(rec + ImportRec.MODULE, "u32"))
            if (img[rec + ImportRec.KIND] === ExternKind.MEMORY) {
                if (mod !== IMPORT_MODULE_ENV) continue
                const max = img.getAt(rec + ImportRec.MAX, "u32")
                app.memory = new Memory(img.getAt(rec + ImportRec.MIN, "u32"), max > 65536 ? 65536 : max, app.account)
                app.memory.declaredMax = max
            } else if (mod === WASI_MODULE) need |= NEEDS_WASI
            else if (mod === IMPORT_MODULE_ENV && this.natives.find(mod, m.str(img.getAt(rec + ImportRec.NAME, "u32"))) === null) need |= NEEDS_LIBC
        }
        return need
    }

    private resolve(app: App, mod: string, name: string, kind: number): any {
        if (kind === ExternKind.MEMORY) return mod === IMPORT_MODULE_ENV && name === "memory" ? app.memory : null
        const n = this.natives.find(mod, name)
        if (n !== null) return n
        if (kind !== ExternKind.FUNC) return null
        if (mod === IMPORT_MODULE_ENV && app.libc !== null) return app.libc.getExport(name)
        if (mod === WASI_MODULE && app.wasi !== null) return app.wasi.getExport(name)
        return null
    }

    private exportFn(inst: Instance, name: string): number {
        const m = inst.module
        const f = m.findExport("_" + name, ExternKind.FUNC)
        return f >= 0 ? f : m.findExport(name, ExternKind.FUNC)
    }

    private findCallbacks(app: App): void {
        for (let k = 0; k < APP_CALLBACKS; k++) app.fns.push(this.exportFn(app.inst, CALLBACK_NAMES[k]))
        // a command built with the SDK (no WASI) exports its main: it runs as _start, with no
        // arguments, and what it returns is its exit code
        if (app.fns[Kind.START] < 0 && app.fns[Kind.INIT] < 0) {
            let f = this.exportFn(app.inst, "__main_argc_argv")
            if (f < 0) f = this.exportFn(app.inst, "main")
            app.fns[Kind.START] = f
            app.mainReturns = f >= 0
        }
        // the app's own allocator (wasi-libc builds) if it has one, else its libc's
        const m = this.exportFn(app.inst, "malloc")
        const f = this.exportFn(app.inst, "free")
        if (m >= 0 && f >= 0) {
            app.allocInst = app.inst
            app.mallocFn = m
            app.freeFn = f
        } else if (app.libc !== null) {
            app.allocInst = app.libc
            app.mallocFn = app.libc.module.findExport("malloc", ExternKind.FUNC)
            app.freeFn = app.libc.module.findExport("free", ExternKind.FUNC)
        }
    }

    /**
     * Queues a message for an app; false when its queue is full: queueLength messages, or
     * more than maxQueued bytes of them (the message is counted as dropped).
     */
    enqueue(app: App, m: Msg): boolean {
        if (app.state !== AppState.RUNNING) return false
        let bytes = m.data === null ? 0 : m.data.length
        for (let i = 0; i < app.queue.length; i++) if (app.queue[i].data !== null) bytes += app.queue[i].data.length
        // (a message alone in the queue may be larger: it is in the heap already)
        if (app.queue.length >= this.queueLimit() || (bytes > this.maxQueued && app.queue.length > 0)) {
            app.dropped++
            app.lastError = `queue full (${this.queueLimit()} messages or ${this.maxQueued} B): ${app.dropped} dropped`
            return false
        }
        app.queue.push(m)
        return true
    }

    /** Calls an export of a running app (the host's `--invoke`); false when it has no such export. */
    invoke(app: App, name: string): boolean {
        const f = app.inst.module.findExport(name, ExternKind.FUNC)
        if (f < 0) return false
        const m = app.inst.module
        app.invokeResults = m.image[m.sig(m.funcType(f)) + 1]
        app.queue.push(new Msg(Kind.INVOKE, f, null))
        return true
    }

    // ---- requests, responses and events -------------------------------------------------------

    /** A request from an app (sender already set) or the host: event, `/app/NAME/…`, or a resource. */
    route(b: Buffer): void {
        const url = requestUrl(b)
        if (requestAction(b) === ACTION_EVENT) {
            this.publish(b, url)
            return
        }
        if (url.indexOf("/app/") === 0) {
            const rest = url.slice(5)
            const slash = rest.indexOf("/")
            if (slash < 0) return
            const target = this.find(rest.slice(0, slash))
            if (target === null) this.replyError(b, STATUS_INTERNAL_ERROR, "Send request to applet failed: invalid applet name")
            else this.deliverRequest(target, withUrl(b, rest.slice(slash + 1)))
            return
        }
        for (let i = this.regUrl.length - 1; i >= 0; i--) {
            if (urlMatches(this.regUrl[i], url)) {
                this.deliverRequest(this.regApp[i], b)
                return
            }
        }
    }

    private deliverRequest(app: App, b: Buffer): void {
        if (!this.enqueue(app, new Msg(Kind.REQUEST, 0, b)))
            this.replyError(b, STATUS_SERVICE_UNAVAILABLE, `app ${app.name} is not taking requests (${app.state === AppState.RUNNING ? "queue full" : "not running"})`)
    }

    /** Answers a request on the runtime's behalf, with {"error message": text}. */
    private replyError(req: Buffer, status: number, text: string): void {
        const body = new AttrWriter("").string("error message", text).finish()
        this.respond(packResponse(status, FMT_ATTR_CONTAINER, getU32BE(req, MID_AT), getU32BE(req, PEER_AT), body))
    }

    /** A response goes to the app whose id is its receiver, else to the host. */
    respond(b: Buffer): void {
        const app = this.byId(getU32BE(b, PEER_AT))
        if (app !== null) {
            this.enqueue(app, new Msg(Kind.RESPONSE, 0, b))
            return
        }
        this.host.response(b)
    }

    publish(b: Buffer, url: string): void {
        for (let i = 0; i < this.subUrl.length; i++) {
            if (this.subUrl[i] !== url) continue
            const app = this.subApp[i]
            if (app === null) this.host.event(b)
            else this.enqueue(app, new Msg(Kind.REQUEST, 0, b))
        }
    }

    subscribe(app: App, url: string): void {
        for (let i = 0; i < this.subUrl.length; i++) if (this.subUrl[i] === url && this.subApp[i] === app) return
        this.subUrl.push(url)
        this.subApp.push(app)
    }

    unsubscribe(app: App, url: string): void {
        for (let i = this.subUrl.length - 1; i >= 0; i--) {
            if (this.subApp[i] === app && (url === null || this.subUrl[i] === url)) {
                removeAt(this.subUrl, i)
                removeAt(this.subApp, i)
            }
        }
    }

    registerResource(app: App, url: string): void {
        let mine = 0
        for (let i = 0; i < this.regUrl.length; i++) {
            if (this.regUrl[i] === url) return
            if (this.regApp[i] === app) mine++
        }
        if (mine >= MAX_RESOURCES) {
            this.say(app, `wasmlet: ${app.name}: resource ${url} not registered (at most ${MAX_RESOURCES} per app)`)
            return
        }
        this.regUrl.push(url)
        this.regApp.push(app)
    }

    /** A packed request from the host: its sender becomes HOST_ID, then it is routed. */
    hostRequest(b: Buffer): boolean {
        if (!requestValid(b)) return false
        setU32BE(b, PEER_AT, HOST_ID)
        this.route(b)
        return true
    }

    hostSubscribe(url: string): void {
        this.subscribe(null, url)
    }
    hostUnsubscribe(url: string): void {
        this.unsubscribe(null, url)
    }

    /** Data that arrived on an app's connection (null: the peer closed it), for on_connection_data. */
    connectionData(app: App, handle: number, data: Buffer): void {
        this.enqueue(app, new Msg(Kind.CONNECTION, handle, data))
    }

    // ---- console -------------------------------------------------------------------------------

    /** Console bytes of an app: whole lines go to the host. */
    write(app: App, text: string): void {
        let s = app.line + text
        let nl = s.indexOf("\n")
        while (nl >= 0) {
            this.host.console(app, s.slice(0, nl))
            s = s.slice(nl + 1)
            nl = s.indexOf("\n")
        }
        if (s.length > 200) {
            this.host.console(app, s)
            s = ""
        }
        app.line = s
    }

    private say(app: App, note: string): void {
        this.host.status(app, note)
    }

    // ---- lifecycle -------------------------------------------------------------------------------

    /** Stops an app: no more callbacks or timers; it stays installed with the reason kept. */
    stop(app: App, why: string): void {
        if (app.state === AppState.RUNNING || app.state === AppState.LOADING) app.state = AppState.STOPPED
        this.quiesce(app)
        if (why !== null) {
            app.lastError = why
            this.say(app, why)
        }
    }

    /** Drops an app's queue, its current callback and its timers. */
    private quiesce(app: App): void {
        app.queue = []
        if (app.ex !== null) app.ex.state = RunState.IDLE
        app.phase = Phase.IDLE
        app.msg = null
        for (let t = 0; t < app.tDue.length; t++) app.tDue[t] = -1
    }

    /**
     * Uninstalls an app: its queue stops, on_destroy runs (within the watchdog), then its
     * resources, subscriptions, timers, sensors and arena pages are given back.
     */
    async uninstall(name: string): Promise<boolean> {
        const app = this.find(name)
        if (app === null) return false
        const running = app.state === AppState.RUNNING
        this.quiesce(app)
        if (running && app.fns[Kind.DESTROY] >= 0) {
            app.queue.push(new Msg(Kind.DESTROY, 0, null))
            while (app.queue.length > 0 || app.phase !== Phase.IDLE) {
                if (this.stopped) this.turnApp(app)
                await this.clock.sleep(this.stopped ? 0 : 5)
                if (app.state !== AppState.RUNNING) break
            }
        }
        this.release(app)
        removeAt(this.apps, this.apps.indexOf(app))
        this.say(app, `${name}: removed`)
        return true
    }

    /** Everything an app holds, given back. */
    private release(app: App): void {
        app.state = AppState.REMOVED
        this.quiesce(app)
        for (let i = this.regApp.length - 1; i >= 0; i--) {
            if (this.regApp[i] === app) {
                removeAt(this.regApp, i)
                removeAt(this.regUrl, i)
            }
        }
        this.unsubscribe(app, null)
        if (this.connections !== null) this.connections.closeAll(app)
        for (let c = 0; c < this.cApp.length; c++) if (this.cApp[c] === app) this.cApp[c] = null
        if (app.inst !== null) app.inst.dispose()
        if (app.libc !== null) app.libc.dispose()
        if (app.wasi !== null) app.wasi.dispose()
        app.account.close()
        // the engine still names the execution and instance that ran last, and through their
        // host functions this runtime: the heap of a removed app would stay held (4.9 KB measured)
        forgetRunning()
    }

    // ---- the scheduler ---------------------------------------------------------------------------

    /** Runs the scheduler until stop() (forever on a board). */
    async loop(): Promise<void> {
        this.stopped = false
        while (!this.stopped) await this.turn()
    }

    /** One turn: due timers, host timeouts and sensors, then one slice of one app. */
    async turn(): Promise<void> {
        const now = this.clock.now()
        const next = this.fireTimers(now)
        await this.readSensors(now)
        const n = this.apps.length
        // start-up first: while an app's on_init (or its libc's init) is unfinished, only it runs,
        // as when apps are installed one after another, so that what one app's on_init sends finds
        // the resources and subscriptions that apps installed before it made in theirs; for
        // INIT_FIRST_SLICES slices at most, so that an endless on_init does not hold up the others
        for (let k = 0; k < n; k++) {
            const app = this.apps[k]
            const m = app.msg !== null ? app.msg : app.queue.length > 0 ? app.queue[0] : null
            const early = app.msg === null || app.slices < INIT_FIRST_SLICES
            if (m !== null && early && (m.kind === Kind.INIT || m.kind === Kind.LIBC_INIT) && app.state === AppState.RUNNING) {
                this.turnApp(app)
                await this.clock.pass()
                return
            }
        }
        for (let k = 0; k < n; k++) {
            const app = this.apps[(this.rr + k) % n]
            if (this.turnApp(app)) {
                this.rr = (this.rr + k + 1) % n
                await this.clock.pass()
                return
            }
        }
        await this.clock.sleep(next - now)
    }

    /** Runs a slice of app, starting its next message if it is idle; false when it had nothing to do. */
    turnApp(app: App): boolean {
        if (app.phase === Phase.IDLE) {
            if (app.queue.length === 0 || app.state !== AppState.RUNNING) return false
            app.msg = app.queue.shift()
            app.since = this.clock.now()
            app.slices = 0
            this.running = app
            try {
                this.begin(app)
            } catch (e: any) {
                this.trapped(app, e)
            }
            this.running = null
            return true
        }
        if (this.clock.now() - app.since > this.watchdogMs()) {
            this.stop(app, `watchdog: ${CALLBACK_NAMES[app.msg.kind]} ran longer than ${this.watchdogMs()} ms; app stopped`)
            return true
        }
        app.slices++
        this.running = app
        try {
            const st = app.ex.state === RunState.SUSPENDED ? run(app.ex, app.inst.limits.sliceFuel) : app.ex.state
            if (st === RunState.DONE) this.advance(app)
        } catch (e: any) {
            this.trapped(app, e)
        }
        this.running = null
        return true
    }

    /** Starts handling app.msg: its buffer is allocated first, when it has one. */
    private begin(app: App): void {
        const m = app.msg
        if (m.data !== null) {
            if (app.mallocFn < 0) {
                this.drop(app, "the app has no heap for message buffers")
                return
            }
            app.phase = Phase.ALLOC
            this.start(app, app.allocInst, app.mallocFn, m.data.length, 0, 0)
            return
        }
        this.callback(app)
    }

    private callback(app: App): void {
        const m = app.msg
        const k = m.kind
        let inst = app.inst
        let f = k === Kind.INVOKE ? m.arg : app.fns[k]
        let a0 = app.ptr
        let a1 = m.data === null ? 0 : m.data.length
        let a2 = 0
        if (k === Kind.LIBC_INIT) {
            inst = app.libc
            f = inst.module.findExport("__wasmlet_libc_init", ExternKind.FUNC)
            a0 = m.arg
            a1 = app.memory.byteLength
        } else if (k === Kind.TIMER || k === Kind.SENSOR || k === Kind.CONNECTION) {
            a2 = a1
            a1 = a0
            a0 = m.arg
        }
        if (f < 0) {
            this.finish(app)
            return
        }
        app.phase = Phase.CALL
        this.start(app, inst, f, a0, a1, a2)
    }

    private start(app: App, inst: Instance, f: number, a0: number, a1: number, a2: number): void {
        const ex = app.ex
        ex.stack.setAt(ex.base, "i32", a0)
        ex.stack.setAt(ex.base + 8, "i32", a1)
        ex.stack.setAt(ex.base + 16, "i32", a2)
        startCall(ex, inst, f)
    }

    /** A phase finished: the next one starts. */
    private advance(app: App): void {
        const ex = app.ex
        const r = ex.stack.getAt(ex.base, "i32")
        ex.state = RunState.IDLE
        const m = app.msg
        if (app.phase === Phase.ALLOC) {
            if (r === 0) {
                this.drop(app, `no room in the app heap for a ${m.data.length}-byte message`)
                return
            }
            app.ptr = r
            app.memory.writeBytes(r >>> 0, m.data, 0, m.data.length)
            this.callback(app)
            return
        }
        if (app.phase === Phase.CALL) {
            if (m.kind === Kind.INVOKE) app.result = r
            if (m.kind === Kind.LIBC_INIT && r !== 0) {
                this.stop(app, `${app.name}: the app heap is too small (libc init failed)`)
                return
            }
            if (m.kind === Kind.START) {
                this.exited(app, app.mainReturns ? r : 0)
                return
            }
            if (m.data !== null) {
                app.phase = Phase.FREE
                this.start(app, app.allocInst, app.freeFn, app.ptr, 0, 0)
                return
            }
        }
        this.finish(app)
    }

    private finish(app: App): void {
        app.phase = Phase.IDLE
        app.msg = null
        app.ptr = 0
    }

    private drop(app: App, why: string): void {
        app.dropped++
        app.lastError = why
        this.finish(app)
    }

    /** A trap (or proc_exit) ended the current call. */
    private trapped(app: App, e: any): void {
        if (app.exitCode >= 0) {
            this.exited(app, app.exitCode)
            return
        }
        const msg = e && e.message ? e.message : "" + e
        const kind = app.msg.kind
        const what = CALLBACK_NAMES[kind]
        app.traps++
        app.lastError = `${what}: ${msg}`
        this.say(app, `${app.name}: ${what} trapped: ${msg}`)
        this.finish(app)
        if (kind === Kind.START) this.exited(app, 1)
        else if (kind === Kind.INIT || kind === Kind.LIBC_INIT) {
            // WAMR: an app whose on_init traps gets on_destroy, then it no longer runs
            app.queue = []
            if (kind === Kind.INIT && app.fns[Kind.DESTROY] >= 0) app.queue.push(new Msg(Kind.DESTROY, 0, null))
            else this.stop(app, null)
        } else if (kind === Kind.DESTROY && app.state === AppState.RUNNING) this.stop(app, null)
    }

    private exited(app: App, code: number): void {
        app.exitCode = code
        this.finish(app)
        this.quiesce(app)
        app.state = AppState.EXITED
        if (app.line.length > 0) this.write(app, "\n")
        this.say(app, `${app.name}: exited with code ${code}`)
    }

    // ---- timers ----------------------------------------------------------------------------------

    /** Queues due timer expiries; returns when the next timer is due (at most IDLE_MS ahead). */
    private fireTimers(now: number): number {
        let next = now + IDLE_MS
        for (let a = 0; a < this.apps.length; a++) {
            const app = this.apps[a]
            if (app.state !== AppState.RUNNING) continue
            for (let t = 0; t < app.tDue.length; t++) {
                let due = app.tDue[t]
                if (due >= 0 && due <= now) {
                    const iv = app.tInterval[t]
                    due = app.tPeriodic[t] ? now + (iv > 0 ? iv : 1) : -1
                    app.tDue[t] = due
                    this.enqueue(app, new Msg(Kind.TIMER, t + 1, null))
                }
                if (due >= 0 && due < next) next = due
            }
        }
        return next
    }

    // ---- sensors ---------------------------------------------------------------------------------

    /**
     * Reads the sensors whose clients are due and queues the readings. Each client (an app that
     * opened a sensor) keeps its own interval; two clients due in the same turn share one read.
     */
    private async readSensors(now: number): Promise<void> {
        for (let s = 0; s < this.sensors.length; s++) {
            let data: Buffer = null
            for (let c = 0; c < this.cApp.length; c++) {
                const app = this.cApp[c]
                if (app === null || this.cSrc[c] !== s || this.cInterval[c] <= 0 || this.cDue[c] > now || app.state !== AppState.RUNNING) continue
                this.cDue[c] = now + this.cInterval[c]
                if (data === null) data = await this.sensors[s].read()
                if (data !== null) this.enqueue(app, new Msg(Kind.SENSOR, c, data))
            }
        }
    }
}
