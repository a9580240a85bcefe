// The app framework's benchmarks, as they run on the device (the DeviceScript simulator, through
// a program bench/framework/sim.ts generates) and on Node (bench/framework.ts, same code): a
// Runtime of framework/ driven turn by turn with rt.turn(), as its own loop would, timed with the
// framework's clock (on DeviceScript ds.millis(), frozen inside a slice but right across the
// yields every turn makes) over many operations.
//
// Each measurement prints one line `KEY name=value ...` through `emit`, with integer totals only
// (DeviceScript prints ~7 digits of a fraction): the host divides. What is measured:
//   timer     N expiries of an idle SDK timer queued by the bench (as fireTimers queues them) into
//             fw_tick, whose callback counts; `noop` the same number of calls of an empty export
//             (the scheduler's share: queue, start, slices, yields); `yield` N bare clock.pass()
//   periodic  fw_tick's timer armed at 1 ms, the scheduler left to fire it for `ms`
//   printf    fw_print's loop of printf("%s: %d readings\n", ...) to the console, and snprintf
//   request   fw_ping -> /app/fw_pong/echo -> response, ROUNDS round trips back to back
//   events    fw_pub publishing to 1 or 3 fw_sub, one event at a time whenever every
//             subscriber's queue has room (a free-running publisher would overflow the queues)
//   arena     the samples installed together in the profile's arena, images in flash or in RAM
//
// DeviceScript: no closures over loop variables, no `this` in arrows, fewer than 8 values per `+`.
import { Arena, ExternKind } from "../../interpreter/index"
import { AppLimits } from "../../boards/profile"
import { App, AppState, Kind, Msg, Phase } from "../../framework/app"
import { Clock } from "../../framework/clock"
import { HostSink, Runtime } from "../../framework/runtime"

/** How many operations each measurement runs (the host picks them: the simulator is slow). */
export interface BenchCounts {
    timer: number
    periodicMs: number
    /** printf calls per bench_printf (fw_print is built with -DPRINTS=this). */
    prints: number
    /** round trips per bench_ping (fw_ping is built with -DROUNDS=this). */
    rounds: number
    events: number
    /** how long the arena groups run before they are measured (the samples' timers are 1 s). */
    arenaRunMs: number
}

export class BenchImage {
    constructor(
        readonly name: string,
        readonly image: Buffer,
    ) {}
}

/** Counts console lines and keeps the last one (the apps' output is not printed). */
export class BenchSink implements HostSink {
    lines = 0
    last = ""
    response(b: Buffer) {}
    event(b: Buffer) {}
    console(app: App, line: string) {
        this.lines++
        this.last = line
    }
    status(app: App, note: string) {}
}

/** The framework under test and its turn counter. */
class Bench {
    turns = 0
    readonly sink = new BenchSink()
    rt: Runtime

    constructor(
        readonly clock: Clock,
        readonly arena: Arena,
        readonly limits: AppLimits,
        readonly libc: Buffer,
    ) {
        this.rt = new Runtime(arena, limits, clock, this.sink, [], libc, null)
    }

    async turn(): Promise<void> {
        this.turns++
        await this.rt.turn()
    }

    /** Turns until none of `apps` has anything queued or running. */
    async settle(apps: App[]): Promise<void> {
        let busy = true
        while (busy) {
            busy = false
            for (let i = 0; i < apps.length; i++) if (!idle(apps[i])) busy = true
            if (busy) await this.turn()
        }
    }

    async install(img: BenchImage, inFlash: boolean): Promise<App> {
        const app = await this.rt.install(img.name, img.image, inFlash)
        await this.settle([app])
        if (app.state !== AppState.RUNNING) throw new Error(img.name + " did not start: " + app.lastError)
        return app
    }

    /** Calls an export of app through its queue and returns its i32 result. */
    async call(app: App, name: string): Promise<number> {
        if (!this.rt.invoke(app, name)) throw new Error(app.name + " exports no " + name)
        await this.settle([app])
        if (app.lastError !== null) throw new Error(app.name + ": " + app.lastError)
        return app.result
    }

    /** Gives the arena back: every app uninstalled (the bench runs their on_destroy itself). */
    async clear(): Promise<void> {
        this.rt.stopped = true
        while (this.rt.apps.length > 0) await this.rt.uninstall(this.rt.apps[0].name)
    }
}

function idle(app: App): boolean {
    return app.state !== AppState.RUNNING || (app.queue.length === 0 && app.phase === Phase.IDLE)
}

function find(images: BenchImage[], name: string): BenchImage {
    for (let i = 0; i < images.length; i++) if (images[i].name === name) return images[i]
    throw new Error("no image " + name)
}

/** The timer id of the app's first live timer (slot + 1), or -1. */
function firstTimer(app: App): number {
    for (let t = 0; t < app.tInterval.length; t++) if (app.tInterval[t] >= 0) return t + 1
    return -1
}

/**
 * Queues n messages (kind, arg) into app, as fast as its queue takes them, and turns until all
 * are handled; returns the elapsed ms.
 */
async function pump(b: Bench, app: App, kind: number, arg: number, n: number): Promise<number> {
    const t0 = b.clock.now()
    let sent = 0
    const limit = b.rt.queueLimit()
    while (sent < n) {
        if (app.queue.length < limit && b.rt.enqueue(app, new Msg(kind, arg, null))) sent++
        else await b.turn()
    }
    await b.settle([app])
    return b.clock.now() - t0
}

async function timerBench(b: Bench, images: BenchImage[], c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const app = await b.install(find(images, "fw_tick"), true)
    const id = firstTimer(app)
    const noop = app.inst.module.findExport("bench_noop", ExternKind.FUNC)
    await pump(b, app, Kind.TIMER, id, 10) // warm-up
    const before = await b.call(app, "bench_count")
    let turns = b.turns
    const ms = await pump(b, app, Kind.TIMER, id, c.timer)
    turns = b.turns - turns
    const count = (await b.call(app, "bench_count")) - before
    emit(["timer", kv("n", c.timer), kv("ms", ms), kv("turns", turns), kv("count", count), kv("traps", app.traps)].join(" "))
    turns = b.turns
    const noopMs = await pump(b, app, Kind.INVOKE, noop, c.timer)
    emit(["noop", kv("n", c.timer), kv("ms", noopMs), kv("turns", b.turns - turns)].join(" "))
    let t0 = b.clock.now()
    for (let i = 0; i < c.timer; i++) await b.clock.pass()
    emit(["yield", kv("n", c.timer), kv("ms", b.clock.now() - t0)].join(" "))

    // the real thing: a periodic 1 ms timer fired by the scheduler's own timer pass
    const c0 = await b.call(app, "bench_count")
    const d0 = app.dropped
    await b.call(app, "bench_periodic")
    t0 = b.clock.now()
    while (b.clock.now() - t0 < c.periodicMs) await b.turn()
    const periodicMs = b.clock.now() - t0
    await b.call(app, "bench_stop")
    const fired = (await b.call(app, "bench_count")) - c0
    emit(["periodic", kv("ms", periodicMs), kv("fired", fired), kv("dropped", app.dropped - d0)].join(" "))
    await b.clear()
}

async function printfBench(b: Bench, images: BenchImage[], c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const app = await b.install(find(images, "fw_print"), true)
    await b.call(app, "bench_noop")
    let t0 = b.clock.now()
    for (let i = 0; i < 20; i++) await b.call(app, "bench_noop")
    emit(["call", kv("n", 20), kv("ms", b.clock.now() - t0)].join(" "))
    b.sink.lines = 0
    t0 = b.clock.now()
    const chars = await b.call(app, "bench_printf")
    const ms = b.clock.now() - t0
    // the last line must be the last call's (the check the host makes: "sensor: N-1 readings")
    emit(["printf", kv("n", c.prints), kv("ms", ms), kv("lines", b.sink.lines), kv("chars", chars), "last=" + words(b.sink.last)].join(" "))
    t0 = b.clock.now()
    const chars2 = await b.call(app, "bench_snprintf")
    emit(["snprintf", kv("n", c.prints), kv("ms", b.clock.now() - t0), kv("chars", chars2)].join(" "))
    await b.clear()
}

async function requestBench(b: Bench, images: BenchImage[], c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const pong = await b.install(find(images, "fw_pong"), true)
    const ping = await b.install(find(images, "fw_ping"), true)
    b.sink.last = ""
    const turns = b.turns
    const t0 = b.clock.now()
    b.rt.invoke(ping, "bench_ping")
    while (b.sink.last.indexOf("ping done") !== 0 && b.clock.now() - t0 < 60000) await b.turn()
    const ms = b.clock.now() - t0
    emit(["request", kv("n", c.rounds), kv("ms", ms), kv("turns", b.turns - turns), "line=" + words(b.sink.last), kv("dropped", ping.dropped + pong.dropped)].join(" "))
    await b.clear()
}

async function eventsBench(b: Bench, images: BenchImage[], subs: number, c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const pub = await b.install(find(images, "fw_pub"), true)
    const apps: App[] = [pub]
    const sub = find(images, "fw_sub")
    for (let s = 0; s < subs; s++) apps.push(await b.install(new BenchImage("fw_sub" + s, sub.image), true))
    const id = firstTimer(pub)
    const room = b.rt.queueLimit() - 1
    const turns = b.turns
    const t0 = b.clock.now()
    let sent = 0
    while (sent < c.events) {
        let free = idle(pub)
        for (let s = 1; s < apps.length; s++) if (apps[s].queue.length >= room) free = false
        if (free && b.rt.enqueue(pub, new Msg(Kind.TIMER, id, null))) sent++
        await b.turn()
    }
    await b.settle(apps)
    const ms = b.clock.now() - t0
    let got = 0
    let bad = 0
    let dropped = 0
    for (let s = 1; s < apps.length; s++) {
        got += await b.call(apps[s], "bench_count")
        bad += await b.call(apps[s], "bench_bad")
        dropped += apps[s].dropped
    }
    const published = await b.call(pub, "bench_count")
    emit(["events" + subs, kv("n", c.events), kv("ms", ms), kv("turns", b.turns - turns), kv("published", published), kv("received", got), kv("bad", bad), kv("dropped", dropped)].join(" "))
    await b.clear()
}

/**
 * One group of apps installed together in the profile's arena (images in flash or copied into
 * their accounts), run for c.arenaRunMs, then each app's account split into image, touched
 * memory, stacks and the rest. An install that does not fit is reported with its error.
 */
async function arenaGroup(b: Bench, group: string, names: string[], images: BenchImage[], inFlash: boolean, c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const where = inFlash ? "flash" : "ram"
    const apps: App[] = []
    let failed = 0
    for (let i = 0; i < names.length; i++) {
        const img = find(images, names[i])
        try {
            apps.push(await b.rt.install(img.name, img.image, inFlash))
        } catch (e: any) {
            failed++
            emit(["arena-fail", "group=" + group, "where=" + where, "app=" + names[i], "why=" + words("" + e.message)].join(" "))
        }
    }
    const t0 = b.clock.now()
    while (b.clock.now() - t0 < c.arenaRunMs) await b.turn()
    for (let i = 0; i < apps.length; i++) {
        const app = apps[i]
        const used = app.account.used
        const image = inFlash ? 0 : pages(img0(images, app.name).length)
        const touched = app.memory === null ? 0 : app.memory.chunkCount * 1024
        const stacks = pages(app.ex.bytes())
        const parts = ["arena-app", "group=" + group, "where=" + where, "app=" + app.name, kv("used", used), kv("image", image), kv("touched", touched)]
        const rest = [kv("stacks", stacks), kv("other", used - image - touched - stacks), kv("traps", app.traps), kv("dropped", app.dropped)]
        if (app.lastError !== null) rest.push("error=" + words(app.lastError))
        emit(parts.join(" ") + " " + rest.join(" "))
    }
    const usedPages = b.arena.pageCount - b.arena.freePages
    emit(["arena-group", "group=" + group, "where=" + where, kv("apps", apps.length), kv("failed", failed), kv("used", usedPages * 1024), kv("arena", b.arena.pageCount * 1024), kv("lines", b.sink.lines)].join(" "))
    await b.clear()
}

function kv(key: string, value: number): string {
    return key + "=" + value
}

/** A line of text as one token of an output line (spaces become ~). */
function words(s: string): string {
    return s.split(" ").join("~")
}

function img0(images: BenchImage[], name: string): Buffer {
    return find(images, name).image
}

/** Bytes of whole 1 KiB arena pages. */
function pages(bytes: number): number {
    return ((bytes + 1023) >> 10) << 10
}

/** The sample groups the arena scenarios install together. */
export const TRIO = ["timer", "event_publisher", "event_subscriber"]
export const PAIR = ["request_handler", "request_sender"]

/**
 * Runs the named scenarios one after the other, each on a fresh Runtime in one arena of
 * `arenaBytes` with `limits` (the simulator profile's); an arena scenario runs its group with
 * images in flash, then copied into the arena.
 */
export async function benchScenarios(names: string[], clock: Clock, arenaBytes: number, limits: AppLimits, libc: Buffer, images: BenchImage[], c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const arena = new Arena(arenaBytes)
    for (let i = 0; i < names.length; i++) await benchScenario(names[i], clock, arena, limits, libc, images, c, emit)
}

/** One scenario on a fresh Runtime in `arena` (a function of its own: nothing it made outlives it). */
export async function benchScenario(n: string, clock: Clock, arena: Arena, limits: AppLimits, libc: Buffer, images: BenchImage[], c: BenchCounts, emit: (s: string) => void): Promise<void> {
    const b = new Bench(clock, arena, limits, libc)
    if (n === "timer") await timerBench(b, images, c, emit)
    else if (n === "printf") await printfBench(b, images, c, emit)
    else if (n === "request") await requestBench(b, images, c, emit)
    else if (n === "events1") await eventsBench(b, images, 1, c, emit)
    else if (n === "events3") await eventsBench(b, images, 3, c, emit)
    else if (n.indexOf("arena-") === 0) {
        const group = n.slice(6)
        const apps = group === "trio" ? TRIO : PAIR
        await arenaGroup(b, group, apps, images, true, c, emit)
        await arenaGroup(new Bench(clock, arena, limits, libc), group, apps, images, false, c, emit)
    } else throw new Error("no scenario " + n)
    emit(["arena-free", "after=" + n, kv("pages", arena.freePages), kv("of", arena.pageCount)].join(" "))
}
