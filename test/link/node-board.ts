// A board on Node for the link tests: the REAL device side (manager/manager.ts's AppManager on the
// framework's Runtime, as firmware/src/firmware.ts wires them) behind a channel that encodes and
// decodes packets with the formats read from the service spec (spec.ts), not with the host's own
// table. The store is a Map that can be given a capacity (writes past it are dropped silently, as
// DeviceScript's are), and the channel can drop, duplicate or corrupt packets on a deterministic
// schedule: faults(dir, code, n) is asked for the n-th packet of each code in each direction.
import "../../interpreter/platform/node-core"
import { Arena } from "../../interpreter/index"
import { Runtime } from "../../framework/runtime"
import { testSensors } from "../../framework/test-sensors"
import { AppManager } from "../../manager/manager"
import type { Store } from "../../manager/manifest"
import { profile as simulator } from "../../boards/simulator"
import { supportImages } from "../../host/run/app-images"
import { NodeClock } from "../../host/run/node-clock"
import { jd } from "../../host/link/jacdac"
import type { ManagerChannel } from "../../host/link/channel"
import { serviceSpec, SpecPacket } from "./spec"

export type Fault = "drop" | "duplicate" | "corrupt" | "delay" | undefined
export type Direction = "toDevice" | "toHost"

export class MapStore implements Store {
    readonly values = new Map<string, Buffer>()
    writes = 0
    /** Total bytes of values it keeps at most (keys count too); past it a write is dropped silently. */
    constructor(public capacity = Infinity) {}
    private size(): number {
        let n = 0
        for (const [k, v] of this.values) n += k.length + v.length
        return n
    }
    async get(key: string): Promise<Buffer> {
        const v = this.values.get(key)
        return v ? Buffer.from(v) : null
    }
    async set(key: string, value: Buffer): Promise<void> {
        this.writes++
        const old = this.values.get(key)
        if (this.size() - (old ? key.length + old.length : 0) + key.length + value.length > this.capacity) return
        this.values.set(key, Buffer.from(value))
    }
    async remove(key: string): Promise<void> {
        this.values.delete(key)
    }
}

export interface NodeBoardOptions {
    store?: MapStore
    faults?: (dir: Direction, code: number, n: number) => Fault
    baked?: { name: string; image: Buffer }[]
    /** Packet transit time each way (ms). */
    latencyMs?: number
    /** A roomier board than the simulator's profile (its 12 KB per app holds few images in RAM). */
    arenaBytes?: number
    appArenaBytes?: number
}

const spec = serviceSpec()
const byCode = new Map<number, SpecPacket>(spec.map(p => [p.code, p]))

/** The device side and the host's end of its channel. */
export class NodeBoard {
    readonly store: MapStore
    /** The device's manager and runtime; reboot() makes new ones on the same store. */
    mgr!: AppManager
    rt!: Runtime
    readonly channel: ManagerChannel
    /** Packets seen per direction and code, and the faults applied. */
    readonly counts = new Map<string, number>()
    readonly applied: string[] = []
    private listeners = new Set<(code: number, payload: Uint8Array) => void>()
    private restartListeners = new Set<() => void>()
    private hosts: Set<(code: number, payload: Uint8Array) => void>[] = []

    constructor(readonly o: NodeBoardOptions = {}) {
        this.store = o.store ?? new MapStore()
        this.powerOn()
        this.channel = this.hostChannel("node board")
    }

    /**
     * A host's end of the link. More than one makes a shared link, as the simulator's is: each
     * host hears the commands the others send (onOtherCommand), and every report.
     */
    hostChannel(label = "another host"): ManagerChannel {
        const board = this
        const others = new Set<(code: number, payload: Uint8Array) => void>()
        this.hosts.push(others)
        return {
            label,
            async send(code, payload) {
                for (const h of board.hosts) if (h !== others) for (const l of [...h]) l(code, payload)
                board.deliver("toDevice", code, payload, p => board.command(code, p))
            },
            onReport(listener) {
                board.listeners.add(listener)
                return () => board.listeners.delete(listener)
            },
            onRestart(listener) {
                board.restartListeners.add(listener)
                return () => board.restartListeners.delete(listener)
            },
            onOtherCommand(listener) {
                others.add(listener)
                return () => others.delete(listener)
            },
        }
    }

    /** A fresh manager and runtime on the store, as the firmware makes them at boot. */
    private powerOn(): void {
        const p = simulator
        const support = supportImages()
        const baked = this.o.baked ?? []
        const out = { send: (code: number, values: any[]) => this.report(code, values) }
        this.mgr = new AppManager(this.store, out, p.limits.maxApps + 1, p.storeChunks, p.id, baked.map(b => b.name), baked.map(b => b.image))
        const limits = { ...p.limits, appArenaBytes: this.o.appArenaBytes ?? p.limits.appArenaBytes }
        this.rt = new Runtime(new Arena(this.o.arenaBytes ?? p.arenaBytes), limits, new NodeClock(), this.mgr, testSensors(), support.libc, support.wasi)
        this.mgr.rt = this.rt
    }

    /**
     * A reboot: everything in RAM is gone (apps, the host's subscriptions, log lines), the store
     * stays; the board boots again and announces itself (the channel's onRestart).
     */
    async reboot(): Promise<void> {
        this.halt()
        this.powerOn()
        await this.boot()
        for (const l of [...this.restartListeners]) l()
    }

    /** Boot: restore the store's apps and start the scheduler. */
    async boot(): Promise<this> {
        await this.mgr.restore()
        void this.rt.loop()
        return this
    }

    /** A report from somewhere else on the bus (another host's board, a stranger): straight to the host. */
    emit(code: number, payload: Uint8Array): void {
        for (const l of [...this.listeners]) l(code, payload)
    }

    /** Stops the scheduler (the apps stay as they are). */
    halt(): void {
        this.rt.stopped = true
    }

    private deliver(dir: Direction, code: number, payload: Uint8Array, go: (p: Uint8Array) => void): void {
        const key = `${dir}:${code}`
        const n = (this.counts.get(key) ?? 0) + 1
        this.counts.set(key, n)
        const f = this.o.faults?.(dir, code, n)
        if (f) this.applied.push(`${f} ${dir} 0x${code.toString(16)} #${n}`)
        const lat = this.o.latencyMs ?? 0
        const later = (fn: () => void, ms = lat) => (ms > 0 ? setTimeout(fn, ms) : queueMicrotask(fn))
        if (f === "drop") return
        if (f === "corrupt") {
            // a flipped bit in the last byte (a chunk's data, a string's end)
            const c = new Uint8Array(payload)
            c[c.length - 1] ^= 0x10
            later(() => go(c))
            return
        }
        if (f === "delay") {
            later(() => go(payload), lat + 700)
            return
        }
        later(() => go(payload))
        if (f === "duplicate") later(() => go(payload), lat + 1)
    }

    private command(code: number, payload: Uint8Array): void {
        const p = byCode.get(code)
        if (!p || p.kind !== "command") return
        let values: any[]
        try {
            values = jd.jdunpack(payload, p.format)
        } catch {
            return // malformed: the firmware's decode would not get it either
        }
        // DeviceScript hands `bytes` fields over as Buffers
        values = values.map(v => (v instanceof Uint8Array ? Buffer.from(v) : v))
        // each packet in a handler of its own, as DeviceScript runs them: one that arrives while
        // another command is handled meets the manager's `busy`
        this.mgr.command(code, values).catch(e => console.error("board:", e))
    }

    private report(code: number, values: any[]): void {
        const p = byCode.get(code)
        if (!p) throw new Error(`the manager sent unknown report 0x${code.toString(16)}`)
        const payload = jd.jdpack(p.format, values)
        this.deliver("toHost", code, payload, pl => {
            for (const l of [...this.listeners]) l(code, pl)
        })
    }
}
