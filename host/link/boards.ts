// Every board on the links a command opens, for the commands that serve several at once
// (`wasmlet serve`, `wasmlet bridge`): every Wasmlet Manager on the links it opens (--sim: the
// simulator's; --port PATH: that serial port's; neither: every board-like serial port and the
// simulator when it runs, as host/link/transport.ts's listDevices finds them). Each manager gets its
// own ManagerClient; managers that announce later (a board that boots after the gateway started,
// a second simulated board) are added as they appear. `--device ID` keeps only that one.
import { SERVICE_CLASS } from "../../manager/protocol"
import { ServiceChannel } from "./channel"
import { LinkTiming, ManagerClient } from "./client"
import { findManager, managersOn } from "./discover"
import { NoBoardError } from "./errors"
import { jd } from "./jacdac"
import { describeTarget, listDevices, openBus, OpenBus, Target, TargetOptions } from "./transport"

/** One board found: its manager's device id (16 hex digits), short id, where it is, its client. */
export interface LinkedBoard {
    id: string
    shortId: string
    label: string
    client: ManagerClient
    /** Whether the board is on its link now (it announced within the last 1.5 s); absent: always. */
    present?(): boolean
}

export interface BoardsOptions extends TargetOptions {
    device?: string
    /** How long to wait for the first manager (ms, default 10000). */
    timeoutMs?: number
    timing?: Partial<LinkTiming>
    /** Called for each board found (the first ones and those that come later). */
    onBoard?: (b: LinkedBoard) => void
}

export interface ServedBoards {
    boards: LinkedBoard[]
    close(): Promise<void>
}

/** The links to open for the options. */
export async function targetsFor(o: TargetOptions): Promise<Target[]> {
    if (o.port && o.sim) throw new NoBoardError("give --port or --sim, not both")
    if (o.port) return [{ kind: "serial", path: o.port }]
    if (o.sim) return [{ kind: "sim", host: o.simHost ?? "127.0.0.1", port: o.simPort ?? 8082 }]
    const d = await listDevices(o)
    const t: Target[] = d.boards.map(b => ({ kind: "serial", path: b.path }))
    if (d.sim.running) t.push({ kind: "sim", host: d.sim.host, port: d.sim.port })
    if (!t.length) throw new NoBoardError("no board connected and no simulator running: start one with `wasmlet sim`, or give --port PATH")
    return t
}

/** Opens the links, waits for their managers, and keeps adding managers that announce later. */
export async function openBoards(o: BoardsOptions = {}): Promise<ServedBoards> {
    const targets = await targetsFor(o)
    const boards: LinkedBoard[] = []
    const buses: { open: OpenBus; clients: ManagerClient[]; off: () => void }[] = []
    const close = async () => {
        for (const b of buses) {
            b.off()
            for (const c of b.clients) c.close()
            await b.open.close().catch((): void => undefined)
        }
    }
    try {
        for (const target of targets) {
            const open = await openBus(target)
            const where = describeTarget(target)
            const entry = { open, clients: [] as ManagerClient[], off: () => {} }
            buses.push(entry)
            const add = () => {
                for (const m of managersOn(open.bus)) {
                    if (boards.some(b => b.id === m.deviceId)) continue
                    if (o.device && o.device.toLowerCase() !== m.deviceId.toLowerCase() && o.device.toLowerCase() !== m.shortId.toLowerCase()) continue
                    const label = `${where} device ${m.shortId}`
                    const client = new ManagerClient(new ServiceChannel(m.service, label), o.timing)
                    entry.clients.push(client)
                    const b: LinkedBoard = {
                        id: m.deviceId,
                        shortId: m.shortId,
                        label,
                        client,
                        present: () => {
                            const d = open.bus.device(m.deviceId, true)
                            return d !== undefined && !d.lost
                        },
                    }
                    boards.push(b)
                    o.onBoard?.(b)
                }
            }
            // at least one manager on this link (several boards announce within the settle time)
            try {
                await findManager(open.bus, where, { device: o.device, timeoutMs: o.timeoutMs ?? 10000, settleMs: 1200 })
            } catch (e) {
                // several boards is what the gateway wants; no board on one of several links is not fatal
                if (!(e instanceof NoBoardError) || (!/pick one/.test(e.message) && targets.length === 1)) throw e
            }
            add()
            entry.off = open.bus.subscribe(jd.DEVICE_ANNOUNCE, (d: any) => {
                if (d?.services?.({ serviceClass: SERVICE_CLASS })?.length) add()
            })
        }
        if (!boards.length) throw new NoBoardError(`no wasmlet board on ${targets.map(describeTarget).join(", ")}`)
        return { boards, close }
    } catch (e) {
        await close()
        throw e
    }
}
