// One call from options to a ready client: resolve the target (transport.ts), open its bus, find
// the Wasmlet Manager on it (discover.ts), wrap it in a ManagerClient (client.ts).
//
//   const link = await connect({ sim: true })          // or { port: "/dev/ttyACM0" }, or {}
//   try { console.log(await link.client.list()) } finally { await link.close() }
import { ServiceChannel } from "./channel"
import { LinkTiming, ManagerClient } from "./client"
import { DiscoverOptions, findManager } from "./discover"
import { describeTarget, openBus, OpenBus, resolveTarget, Target, TargetOptions } from "./transport"

export interface ConnectOptions extends TargetOptions, DiscoverOptions {
    timing?: Partial<LinkTiming>
}

export interface Link {
    client: ManagerClient
    target: Target
    /** Who answers: "simulator (127.0.0.1:8082) device ABCD", "/dev/ttyACM0 device ABCD". */
    label: string
    /** Device id and short id of the board. */
    deviceId: string
    shortId: string
    open: OpenBus
    close(): Promise<void>
}

export async function connect(o: ConnectOptions = {}): Promise<Link> {
    const target = await resolveTarget(o)
    const open = await openBus(target)
    try {
        const where = describeTarget(target)
        const m = await findManager(open.bus, where, o)
        const label = `${where} device ${m.shortId}`
        const client = new ManagerClient(new ServiceChannel(m.service, label), o.timing)
        return {
            client,
            target,
            label,
            deviceId: m.deviceId,
            shortId: m.shortId,
            open,
            close: async () => {
                client.close()
                await open.close()
            },
        }
    } catch (e) {
        await open.close()
        throw e
    }
}

/**
 * What host/cli/_common.ts's io.connect calls: --port / --sim / neither, and --timeout MS (how long
 * to wait for the board to show up, and for an app's response).
 */
export async function connectBoard(t: { port?: string; sim?: boolean; timeoutMs?: number; device?: string }): Promise<Link> {
    return connect({
        port: t.port,
        sim: t.sim,
        device: t.device,
        timeoutMs: t.timeoutMs,
        timing: t.timeoutMs ? { responseMs: t.timeoutMs } : undefined,
    })
}
