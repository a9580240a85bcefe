// The embedded broker (host/bridge/embedded-broker.ts, aedes, MQTT 3.1.1) that demos use instead of
// a real one: it listens on the port asked for, a bridge on a NodeBoard that asks for MQTT 5 falls back to 3.1.1,
// its state is retained there, events flow, a request without a response topic (3.1.1 has none) is
// answered on PREFIX/DEV/response/..., and close() frees the port.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { createServer } from "node:net"
import { ManagerClient } from "../../host/link/client"
import { compileAppImage } from "../../host/run/app-images"
import { BoardBridge } from "../../host/bridge/board-bridge"
import { EmbeddedBroker, startEmbeddedBroker } from "../../host/bridge/embedded-broker"
import { NodeBoard } from "../link/node-board"
import { haveClang } from "../framework/build-c"
import { cfgApp, teleApp } from "./apps"
import { freePort } from "./mosquitto"
import { Watcher } from "./watcher"

describe.skipIf(!haveClang)("embedded broker (aedes)", () => {
    let broker: EmbeddedBroker
    let board: NodeBoard
    let client: ManagerClient
    let bridge: BoardBridge
    let watcher: Watcher
    let port: number
    const notes: string[] = []

    beforeAll(async () => {
        port = await freePort()
        broker = await startEmbeddedBroker(port)
        const baked = [
            { name: "cfg", image: Buffer.from(compileAppImage(cfgApp()).image) },
            { name: "tele", image: Buffer.from(compileAppImage(teleApp(100)).image) },
        ]
        board = await new NodeBoard({ arenaBytes: 96 * 1024, appArenaBytes: 32 * 1024, baked }).boot()
        client = new ManagerClient(board.channel, { resendMs: 100 })
        bridge = await new BoardBridge({ url: broker.url, id: "demo", client, events: ["sensor/temp"], pollMs: 500, log: s => notes.push(s) }).start()
        watcher = await Watcher.connect(broker.url, ["wasmlet/#"], { protocolVersion: 4 })
    }, 60_000)

    afterAll(async () => {
        await bridge?.close()
        await watcher?.close()
        client?.close()
        board?.halt()
        await broker?.close()
    })

    it("takes a bridge that asked for MQTT 5 on 3.1.1", () => {
        expect(bridge.isConnected).toBe(true)
        expect(bridge.mqtt.options.protocolVersion).toBe(4)
        expect(notes.join("\n")).toMatch(/refuses MQTT 5: using 3.1.1/)
    })

    it("listens on the port asked for and keeps the board's state retained", async () => {
        expect(broker.port).toBe(port)
        expect(broker.url).toBe(`mqtt://127.0.0.1:${port}`)
        const s = await watcher.waitFor("wasmlet/demo/state")
        expect(s.packet.retain).toBe(true) // delivered from the broker's retained store to a new subscriber
        expect(s.json.apps.map((a: any) => a.name).sort()).toEqual(["cfg", "tele"])
    })

    it("carries events, and answers requests on the response topic under MQTT 3.1.1", async () => {
        const e = await watcher.waitFor("wasmlet/demo/events/sensor/temp", j => j.seq >= 1)
        expect(e.json).toMatchObject({ unit: "C", ok: true, temp: 20.5 + e.json.seq })
        await watcher.client.publishAsync("wasmlet/demo/request/PUT/app/cfg/config", JSON.stringify({ threshold: 99 }), { qos: 1 })
        const r = await watcher.waitFor("wasmlet/demo/response/PUT/app/cfg/config")
        expect(r.json).toMatchObject({ status: 68, code: "2.04", payload: { threshold: 99, gain: 1, label: "none" } })
    })

    it("frees its port when closed", async () => {
        await bridge.close()
        await watcher.close()
        await broker.close()
        await new Promise<void>((resolve, reject) => {
            const s = createServer()
            s.once("error", reject)
            s.listen(port, "127.0.0.1", () => s.close(() => resolve()))
        })
    })
})
