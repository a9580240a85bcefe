// The MQTT bridge's benchmark (not a test): `npx tsx bench/bridge.ts [--seconds S]`.
//   - events/s from a NodeBoard app (test/link/node-board.ts: the real AppManager and Runtime on
//     Node) through the bridge to a real mosquitto, counted at a subscriber; the app publishes
//     from a 1 ms periodic timer, so the figure is what board + bridge + broker carry;
//   - the bridge's CPU and memory with 1 and 4 boards, each publishing 100 events/s: the boards run
//     in this process too, so each case is measured first without bridges (boards alone) and then
//     with them; the bridge's share is the difference (CPU % of one core, RSS after a GC).
// These are the bridge's own costs without a simulator; bench/bridge-sim.ts measures the real path
// (simulated boards, their link, the `wasmlet bridge` process). Prints one JSON document (stdout)
// and a Markdown table (stderr).
import { performance } from "node:perf_hooks"
import { ManagerClient } from "../host/link/client"
import { compileAppImage } from "../host/run/app-images"
import { BoardBridge } from "../host/bridge/board-bridge"
import { NodeBoard } from "../test/link/node-board"
import { teleApp } from "../test/bridge/apps"
import { Mosquitto } from "../test/bridge/mosquitto"
import { Watcher } from "../test/bridge/watcher"

const seconds = Number(process.argv[process.argv.indexOf("--seconds") + 1]) || 5
const gc = (globalThis as any).gc as (() => void) | undefined

async function boards(n: number, periodMs: number) {
    const image = Buffer.from(compileAppImage(teleApp(periodMs)).image)
    const out: { board: NodeBoard; client: ManagerClient }[] = []
    for (let i = 0; i < n; i++) {
        const board = await new NodeBoard({ arenaBytes: 96 * 1024, appArenaBytes: 32 * 1024, baked: [{ name: "tele", image }] }).boot()
        out.push({ board, client: new ManagerClient(board.channel) })
    }
    return out
}

async function measure(ms: number): Promise<{ cpuPct: number; rssMB: number; heapMB: number }> {
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await new Promise(r => setTimeout(r, ms))
    const c = process.cpuUsage(c0)
    const wall = performance.now() - t0
    gc?.()
    const m = process.memoryUsage()
    return { cpuPct: ((c.user + c.system) / 1000 / wall) * 100, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 }
}

async function throughput(broker: Mosquitto) {
    const [b] = await boards(1, 1)
    const w = await Watcher.connect(broker.url, ["bench/+/events/#"])
    const bridge = await new BoardBridge({ url: broker.url, id: "fast", client: b.client, prefix: "bench", events: ["sensor/temp"], pollMs: 3000 }).start()
    await w.waitFor("bench/fast/events/sensor/temp")
    const n0 = w.seen.length
    const e0 = bridge.stats.events
    const t0 = performance.now()
    await new Promise(r => setTimeout(r, seconds * 1000))
    const s = (performance.now() - t0) / 1000
    const result = { boardEventsPerSec: (bridge.stats.events - e0) / s, deliveredPerSec: (w.seen.length - n0) / s }
    await bridge.close()
    await w.close()
    b.client.close()
    b.board.halt()
    return result
}

async function footprint(broker: Mosquitto, n: number) {
    const fleet = await boards(n, 10)
    await measure(1000) // warm up
    const alone = await measure(seconds * 1000)
    const bridges: BoardBridge[] = []
    for (let i = 0; i < n; i++)
        bridges.push(await new BoardBridge({ url: broker.url, id: `b${i}`, client: fleet[i].client, prefix: "bench", events: ["sensor/temp"], pollMs: 3000 }).start())
    await measure(1000)
    const forwarded = () => bridges.reduce((a, b) => a + b.stats.events, 0)
    const e0 = forwarded()
    const t0 = performance.now()
    const withBridges = await measure(seconds * 1000)
    const events = forwarded() - e0
    const eventsPerSec = events / ((performance.now() - t0) / 1000)
    for (const b of bridges) await b.close()
    for (const f of fleet) (f.client.close(), f.board.halt())
    return {
        boards: n,
        cpuPctBoardsAlone: alone.cpuPct,
        cpuPctWithBridges: withBridges.cpuPct,
        bridgeCpuPct: withBridges.cpuPct - alone.cpuPct,
        rssMBBoardsAlone: alone.rssMB,
        rssMBWithBridges: withBridges.rssMB,
        bridgeRssMB: withBridges.rssMB - alone.rssMB,
        bridgeHeapMB: withBridges.heapMB - alone.heapMB,
        eventsForwarded: events,
        eventsPerSec,
    }
}

const broker = await Mosquitto.start()
try {
    // the footprints first: the throughput run leaves garbage and a grown heap behind
    const one = await footprint(broker, 1)
    const four = await footprint(broker, 4)
    const fast = await throughput(broker)
    const result = { seconds, gc: gc !== undefined, throughput: fast, footprint: [one, four] }
    process.stdout.write(JSON.stringify(result, null, 2) + "\n")
    const f = (x: number) => x.toFixed(1)
    const rows = [
        ["NodeBoard, app on a 1 ms timer", "1", `${f(fast.boardEventsPerSec)} → ${f(fast.deliveredPerSec)}`, "", "", ""],
        ...[one, four].map(r => [
            "NodeBoards, 100 events/s each",
            String(r.boards),
            f(r.eventsPerSec),
            `${f(r.bridgeCpuPct)} (${f(r.cpuPctBoardsAlone)} → ${f(r.cpuPctWithBridges)})`,
            `${f(r.bridgeRssMB)} (${f(r.rssMBBoardsAlone)} → ${f(r.rssMBWithBridges)})`,
            f(r.bridgeHeapMB),
        ]),
    ]
    const head = ["boards on Node", "boards", "events/s forwarded (board → at broker)", "bridge CPU % (boards alone → with bridges)", "bridge RSS MB (alone → with)", "bridge JS heap MB"]
    const w = head.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)))
    const line = (c: string[]) => "| " + c.map((x, i) => x.padEnd(w[i])).join(" | ") + " |"
    process.stderr.write([line(head), "| " + w.map(n => "-".repeat(n)).join(" | ") + " |", ...rows.map(line)].join("\n") + "\n")
    process.stderr.write(
        `\nNodeBoards (test/link/node-board.ts: the real AppManager and Runtime on Node) in the benchmark's own process, one BoardBridge each (own MQTT connection) to mosquitto, the tele app's {seq, temp, unit, ok} events; ${seconds} s windows${gc ? ", RSS and heap after a GC" : ""}. The bridge's share is the difference with the boards alone, so it includes the boards' side of forwarding (a board forwards nothing while no host subscribes); no link and no simulator.\n`
    )
} finally {
    await broker.dispose()
}
