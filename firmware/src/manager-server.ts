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
 * Reports waiting for the link: past this many, new logs, events and responses are dropped (a
 * stalled link must not fill the heap); results always go (one per command, and commands wait
 * their turn).
 */
const OUTBOX = 8

export class JacdacReports implements ReportSink {
    readonly outbox: ds.Packet[] = []
    send(code: number, values: any[]): void {
        if (this.outbox.length >= OUTBOX && code !== 0x90) return
        this.outbox.push(SPEC.lookup(REPORTS[code - 0x90]).encode(values))
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
        const q = reports.outbox
        if (q.length > 0) await dss._serverSend(INDEX, q.shift())
        else await ds.sleep(5)
    }
}
