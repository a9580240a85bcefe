// The Wasmlet Manager service (services/wasmletmanager.md) on the board's Jacdac link, without
// @devicescript/server's classes (their methods would cost ~1.5 KB of the 64 KB of bytecode):
// this device announces the service itself every 500 ms, hands each command packet to the
// AppManager, and sends its reports from a queue (HostSink calls cannot await a send).
import * as ds from "@devicescript/core"
import { SERVICE_CLASS } from "../../manager/protocol"
import { AppManager, ReportSink } from "../../manager/manager"

type DsServer = typeof ds & {
    _onServerPacket(pkt: ds.Packet): Promise<void>
    _serverSend(serviceIndex: number, pkt: ds.Packet): Promise<void>
}
const dss = ds as DsServer
// (typed loosely: the generated spec's lookup() types each name's fields)
const SPEC: ds.ServiceSpec = ds.WasmletManager.spec
/** Report names by code - 0x90 (manager/protocol.ts Rep). */
const REPORTS = ["result", "app", "board", "response", "event", "log", "stored"]
/** Service index of the manager: 0 is the control service. */
const INDEX = 1

/**
 * Reports wait for the link in two queues. Replies to commands (results, list's app and board
 * reports, get's stored value, the logs command's lines, an app's response to a host request) go first: an app publishing
 * faster than the link carries (~44 reports/s in the simulator) must not starve the host's
 * commands. Events and console lines wait behind them, and past STREAM_MAX waiting new ones are
 * dropped (a stalled link must not fill the heap). Replies are bounded by the commands waiting
 * (at most 5) but capped at REPLIES_MAX all the same; results are never dropped.
 */
const STREAM_MAX = 8
const REPLIES_MAX = 24

export class JacdacReports implements ReportSink {
    readonly replies: ds.Packet[] = []
    readonly stream: ds.Packet[] = []
    /**
     * A command's reports are out and its result is not yet queued: the stream waits, so that a
     * console line never lands between the logs command's lines and its result (the host takes
     * the lines just before the result as the answer).
     */
    holding = false
    send(code: number, values: any[], reply?: boolean): void {
        // 0x94 event, 0x95 log (manager/protocol.ts Rep); the logs command's lines are replies
        const isStream = !reply && (code === 0x94 || code === 0x95)
        const q = isStream ? this.stream : this.replies
        if (code !== 0x90 && q.length >= (isStream ? STREAM_MAX : REPLIES_MAX)) return
        q.push(SPEC.lookup(REPORTS[code - 0x90]).encode(values))
        // app, board, stored and the logs command's lines are followed by their result (0x90);
        // an app's response (0x93) comes by itself
        if (code === 0x90) this.holding = false
        else if (!isStream && code !== 0x93) this.holding = true
    }
}

/** Serves the manager on the link; returns once the first announce is out. */
export async function serveManager(mgr: AppManager, reports: JacdacReports): Promise<void> {
    dss._onServerPacket = async (pkt: ds.Packet) => {
        if (pkt.isReport || pkt.serviceIndex !== INDEX) return
        // a malformed packet (short, unknown code) is dropped: the host resends what it meant
        try {
            SPEC.assign(pkt)
            // (a one-field command, list's, decodes to the value itself)
            const a = pkt.decode()
            await mgr.command(pkt.serviceCommand, Array.isArray(a) ? a : [a])
        } catch (e) {}
    }
    sendLoop.start(reports)
}

async function sendLoop(reports: JacdacReports) {
    const announce = ds.Control.spec.lookup("announce").response
    let restarts = 1
    let due = 0
    while (true) {
        const now = ds.millis()
        if (now >= due) {
            // the restart counter in the low bits counts up to 15 and stays: the host sees no reset
            if (restarts < 15) restarts++
            await dss._serverSend(0, announce.encode([restarts, 0, 0, SERVICE_CLASS]))
            due = now + 500
        }
        const q = reports.replies.length > 0 || reports.holding ? reports.replies : reports.stream
        if (q.length > 0) await dss._serverSend(INDEX, q.shift())
        else await ds.sleep(5)
    }
}
