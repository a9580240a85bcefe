// The MQTT bridge (host/bridge/board-bridge.ts) against a real mosquitto (MQTT 5) started here, with
// two NodeBoards (the real AppManager and Runtime on Node, test/link/node-board.ts) as a small fleet
// ("alpha", "beta"), each running the cfg and tele apps (apps.ts): events on their topics with their
// types, state retained and marked offline by the last will, desired config applied and reported,
// MQTT 5 request/response, a broker restart (state republished, queued events delivered in order),
// remote install refused unsigned / signed by another key, accepted signed by the trusted key.
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { ManagerClient } from "../../host/link/client"
import { compileAppImage } from "../../host/run/app-images"
import { BoardBridge } from "../../host/bridge/board-bridge"
import { attrToTypedJson } from "../../host/bridge/attr-json"
import { keygen, loadPrivateKey, loadPublicKey, signBundle } from "../../host/bridge/signing"
import { NodeBoard } from "../link/node-board"
import { buildCApp, haveClang } from "../framework/build-c"
import { cfgApp, teleApp } from "./apps"
import { Mosquitto } from "./mosquitto"
import { Watcher } from "./watcher"

const ROOMY = { arenaBytes: 96 * 1024, appArenaBytes: 32 * 1024 }
/** A tiny app for remote install: prints a line at start. */
const HI = `#include "wasm_app.h"
void on_init(void) { printf("hi from remote\\n"); }
void on_destroy(void) {}
`

/** A board with the cfg and tele apps baked (in flash: the simulator profile's store holds ~6.7 KB, the remote install's room). */
async function fleetBoard(): Promise<NodeBoard> {
    const cfg = compileAppImage(cfgApp()).image
    const tele = compileAppImage(teleApp(100)).image
    return new NodeBoard({ ...ROOMY, baked: [{ name: "cfg", image: Buffer.from(cfg) }, { name: "tele", image: Buffer.from(tele) }] }).boot()
}

interface Fleet {
    board: NodeBoard
    client: ManagerClient
    bridge?: BoardBridge
}

describe.skipIf(!haveClang)("wasmlet bridge on mosquitto", () => {
    let broker: Mosquitto
    let watcher: Watcher
    const fleet: Record<string, Fleet> = {}
    let keys: string
    let hiWasm: Uint8Array
    const logs: string[] = []

    beforeAll(async () => {
        broker = await Mosquitto.start(true)
        hiWasm = buildCApp(HI)
        keys = mkdtempSync(join(tmpdir(), "wasmlet-bridge-keys-"))
        keygen(join(keys, "fleet"))
        keygen(join(keys, "stranger"))
        // a session that outlives a broker restart (the broker saves it), so nothing published after it is missed
        watcher = await Watcher.connect(broker.url, ["wasmlet/#"], { clientId: `watcher-${process.pid}`, clean: false, properties: { sessionExpiryInterval: 600 } })
        for (const id of ["alpha", "beta"]) {
            const board = await fleetBoard()
            const client = new ManagerClient(board.channel, { resendMs: 100 })
            fleet[id] = { board, client }
            fleet[id].bridge = await new BoardBridge({
                url: broker.url,
                id,
                client,
                events: ["sensor/temp"],
                pollMs: 500,
                reconnectMinMs: 200,
                reconnectMaxMs: 1000,
                queueLimit: id === "beta" ? 5 : 1000, // beta overflows while the broker is away
                allowInstall: id === "alpha",
                trust: [loadPublicKey(join(keys, "fleet.pub"))],
                log: s => logs.push(`${id}: ${s}`),
            }).start()
        }
    }, 60_000)

    afterAll(async () => {
        for (const f of Object.values(fleet)) {
            await f.bridge?.close()
            f.client.close()
            f.board.halt()
        }
        await watcher?.close()
        await broker?.dispose()
        if (keys) rmSync(keys, { recursive: true, force: true })
    })

    it("publishes each board's events on its own topic, as JSON with the attr types", async () => {
        for (const id of ["alpha", "beta"]) {
            const e = await watcher.waitFor(`wasmlet/${id}/events/sensor/temp`, j => j.seq >= 2)
            expect(e.json).toEqual({ seq: e.json.seq, temp: 20.5 + e.json.seq, unit: "C", ok: true })
            const props = e.packet.properties!.userProperties as Record<string, string>
            expect(JSON.parse(props.types)).toEqual({ seq: "int32", temp: "double", unit: "string", ok: "bool" })
            expect(e.packet.properties!.contentType).toBe("application/json")
        }
        // one board's events never on the other's topic: each seq sequence is its own, in order
        const seqs = watcher.on("wasmlet/alpha/events/sensor/temp").map(s => s.json.seq)
        expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    })

    it("keeps a retained state per board, updated when an app stops", async () => {
        const late = await Watcher.connect(broker.url, ["wasmlet/+/state"])
        try {
            for (const id of ["alpha", "beta"]) {
                const s = await late.waitFor(`wasmlet/${id}/state`)
                expect(s.packet.retain).toBe(true)
                expect(s.json.online).toBe(true)
                expect(s.json.device).toBe(id)
                expect(s.json.apps.map((a: any) => `${a.name}:${a.state}`).sort()).toEqual(["cfg:running", "tele:running"])
            }
            const t0 = Date.now()
            await fleet.beta.client.stop("tele")
            const s = await late.waitFor("wasmlet/beta/state", j => j.apps.find((a: any) => a.name === "tele")?.state === "stopped", 5000, t0)
            expect(s.json.online).toBe(true)
            await fleet.beta.client.start("tele")
            await late.waitFor("wasmlet/beta/state", j => j.apps.find((a: any) => a.name === "tele")?.state === "running", 5000, Date.now())
        } finally {
            await late.close()
        }
    })

    it("applies the desired config to the app named and reports the result; forwards the events it names", async () => {
        const t0 = Date.now()
        await watcher.client.publishAsync("wasmlet/alpha/desired", JSON.stringify({ apps: { cfg: { threshold: 30, gain: 1.5, label: "hot" }, ghost: { x: 1 } }, events: ["cfg/changed"] }), { retain: true, qos: 1 })
        const r = await watcher.waitFor("wasmlet/alpha/reported", j => j.apps?.cfg?.status === "2.04", 10_000, t0)
        expect(r.packet.retain).toBe(true)
        expect(r.json.apps.cfg.ok).toBe(true)
        expect(r.json.apps.cfg.response).toEqual({ threshold: 30, gain: 1.5, label: "hot" })
        expect(Date.parse(r.json.apps.cfg.time)).toBeGreaterThanOrEqual(t0 - 1000)
        // an app that is not on the board is reported pending, not applied
        expect(r.json.apps.ghost).toMatchObject({ status: "pending", ok: false })
        expect(r.json.apps.ghost.error).toMatch(/no app named ghost/)
        // beta was not told anything
        const beta = await fleet.beta.client.request("GET", "/app/cfg/config")
        expect(beta.status).toBe(69)
        // the app's own event after the change, subscribed because the desired document names it;
        // the config survives as sent (int stays an int, double a double)
        const ev = await watcher.waitFor("wasmlet/alpha/events/cfg/changed", j => j.threshold === 30, 5000)
        expect(JSON.parse((ev.packet.properties!.userProperties as any).types)).toEqual({ threshold: "int32", gain: "double", label: "string" })
        // a new desired value is applied again
        await watcher.client.publishAsync("wasmlet/alpha/desired", JSON.stringify({ apps: { cfg: { threshold: 31 } } }), { retain: true, qos: 1 })
        const r2 = await watcher.waitFor("wasmlet/alpha/reported", j => j.apps?.cfg?.response?.threshold === 31, 10_000, t0)
        expect(r2.json.apps.cfg.response).toEqual({ threshold: 31, gain: 1.5, label: "hot" })
    })

    it("applies the desired config again when the app restarts (its state is gone)", async () => {
        await fleet.alpha.client.stop("cfg")
        await fleet.alpha.client.start("cfg") // a fresh instance: threshold 10 again, until the bridge sees it start
        const t0 = Date.now()
        await watcher.waitFor("wasmlet/alpha/events/cfg/changed", j => j.threshold === 31, 10_000, t0 - 50)
        const r = await fleet.alpha.client.request("GET", "/app/cfg/config")
        expect(r.status).toBe(69)
        // the desired document now says only threshold 31: the new instance keeps its defaults for the rest
        expect(attrToTypedJson(r.payload)).toEqual({ threshold: 31, gain: 1, label: "none" })
    })

    it("answers MQTT 5 requests on the response topic with the same correlation data", async () => {
        const asked = new Map<string, any>()
        const got = new Promise<void>(resolve => {
            watcher.client.on("message", (topic, payload, packet) => {
                if (topic !== "client/7/answers") return
                asked.set(Buffer.from(packet.properties!.correlationData!).toString(), JSON.parse(payload.toString()))
                if (asked.size === 3) resolve()
            })
        })
        await watcher.client.subscribeAsync("client/7/answers", { qos: 1 })
        const ask = (topic: string, body: string, corr: string) =>
            watcher.client.publishAsync(topic, body, { qos: 1, properties: { responseTopic: "client/7/answers", correlationData: Buffer.from(corr) } })
        await ask("wasmlet/beta/request/PUT/app/cfg/config", JSON.stringify({ label: "beta-1", threshold: 7 }), "c-put")
        await ask("wasmlet/beta/request/GET/app/cfg/config", "", "c-get")
        await ask("wasmlet/beta/request/GET/app/nobody/x", "", "c-404")
        await got
        expect(asked.get("c-put")).toMatchObject({ status: 68, code: "2.04", payload: { threshold: 7, gain: 1, label: "beta-1" } })
        expect(asked.get("c-get")).toMatchObject({ status: 69, code: "2.05", payload: { threshold: 7, label: "beta-1" }, types: { threshold: "int32", gain: "double" } })
        expect(asked.get("c-404").status).toBeGreaterThanOrEqual(128)
        expect(asked.get("c-404").payload["error message"]).toMatch(/invalid applet name/)
    })

    it("refuses remote installs that are unsigned, signed by another key, or on a bridge without --allow-install", async () => {
        const t0 = Date.now()
        await watcher.client.publishAsync("wasmlet/alpha/install/hi", Buffer.from(hiWasm), { qos: 1 })
        let r = await watcher.waitFor("wasmlet/alpha/reported", j => j.installs?.hi?.status === "refused", 5000, t0)
        expect(r.json.installs.hi.reason).toMatch(/not a signed bundle/)
        const t1 = Date.now()
        await watcher.client.publishAsync("wasmlet/alpha/install/hi", signBundle(hiWasm, loadPrivateKey(join(keys, "stranger")), "hi"), { qos: 1 })
        r = await watcher.waitFor("wasmlet/alpha/reported", j => /does not trust/.test(j.installs?.hi?.reason ?? ""), 5000, t1)
        expect(r.json.installs.hi.ok).toBe(false)
        // signed by the trusted key, but one byte changed afterwards
        const tampered = signBundle(hiWasm, loadPrivateKey(join(keys, "fleet")), "hi")
        tampered[tampered.length - 3] ^= 1
        const t2 = Date.now()
        await watcher.client.publishAsync("wasmlet/alpha/install/hi", tampered, { qos: 1 })
        r = await watcher.waitFor("wasmlet/alpha/reported", j => /bad signature/.test(j.installs?.hi?.reason ?? ""), 5000, t2)
        // signed by the trusted key for another app's name: it must not install over that one
        const t5 = Date.now()
        await watcher.client.publishAsync("wasmlet/alpha/install/hi", signBundle(hiWasm, loadPrivateKey(join(keys, "fleet")), "other"), { qos: 1 })
        r = await watcher.waitFor("wasmlet/alpha/reported", j => /signed for app "other", not "hi"/.test(j.installs?.hi?.reason ?? ""), 5000, t5)
        expect(r.json.installs.hi.ok).toBe(false)
        // too large to be an app for these boards: refused before it is even checked
        const t4 = Date.now()
        await watcher.client.publishAsync("wasmlet/alpha/install/hi", Buffer.alloc(300_000), { qos: 1 })
        r = await watcher.waitFor("wasmlet/alpha/reported", j => /more than the 262144 B/.test(j.installs?.hi?.reason ?? ""), 5000, t4)
        // beta does not allow installs at all, even signed ones
        const t3 = Date.now()
        await watcher.client.publishAsync("wasmlet/beta/install/hi", signBundle(hiWasm, loadPrivateKey(join(keys, "fleet")), "hi"), { qos: 1 })
        r = await watcher.waitFor("wasmlet/beta/reported", j => j.installs?.hi?.status === "refused", 5000, t3)
        expect(r.json.installs.hi.reason).toMatch(/remote install is off/)
        for (const id of ["alpha", "beta"]) expect((await fleet[id].client.list()).apps.map(a => a.name)).not.toContain("hi")
    })

    it("installs a bundle signed by the trusted key", async () => {
        const t0 = Date.now()
        const lines: string[] = []
        const off = fleet.alpha.client.onLog(l => lines.push(l.text))
        await watcher.client.publishAsync("wasmlet/alpha/install/hi", signBundle(hiWasm, loadPrivateKey(join(keys, "fleet")), "hi"), { qos: 1 })
        const r = await watcher.waitFor("wasmlet/alpha/reported", j => j.installs?.hi?.status === "installed", 15_000, t0).catch(e => {
            throw new Error(`${e.message}; bridge: ${logs.join("; ")}`)
        })
        off()
        expect(r.json.installs.hi.ok).toBe(true)
        expect(r.json.installs.hi.keyId).toMatch(/^[0-9a-f]{16}$/)
        const s = await watcher.waitFor("wasmlet/alpha/state", j => j.apps.some((a: any) => a.name === "hi" && a.installed), 5000, t0)
        expect(s.json.apps.length).toBe(3)
        expect(lines.some(l => l.includes("hi from remote"))).toBe(true)
    })

    it("survives a broker restart: reconnects, republishes state, delivers the events queued meanwhile", async () => {
        const alpha = fleet.alpha.bridge!
        const connects = alpha.stats.connects
        await watcher.waitFor("wasmlet/alpha/events/sensor/temp")
        await broker.stop()
        const lastSeq = (id: string) => Math.max(...watcher.on(`wasmlet/${id}/events/sensor/temp`).map(s => s.json.seq))
        const lastBefore = lastSeq("alpha")
        const betaBefore = lastSeq("beta")
        await new Promise(r => setTimeout(r, 1500)) // ~15 events from each tele while the broker is away
        expect(alpha.isConnected).toBe(false)
        expect(alpha.queue.length).toBeGreaterThanOrEqual(5)
        const fresh = new Date().getTime()
        await broker.start()
        const state = await watcher.waitFor("wasmlet/alpha/state", j => j.online === true, 10_000, fresh)
        expect(state.packet.retain).toBe(true) // retained again on a broker that had lost it
        expect(alpha.stats.connects).toBeGreaterThan(connects)
        // events flow again, and the ones produced while it was away came through, in order, none lost
        await watcher.waitFor("wasmlet/alpha/events/sensor/temp", j => j.seq > lastBefore + 20, 10_000, fresh)
        const seqs = watcher.on("wasmlet/alpha/events/sensor/temp").map(s => s.json.seq).filter(s => s > lastBefore)
        const wanted = Array.from({ length: Math.max(...seqs) - lastBefore }, (_, i) => lastBefore + 1 + i)
        expect(seqs.slice(0, wanted.length).sort((a, b) => a - b)).toEqual(wanted)
        expect(alpha.stats.dropped).toBe(0)
        // beta kept its first 5 and counted the rest as dropped, in its state too
        const beta = fleet.beta.bridge!
        expect(beta.stats.dropped).toBeGreaterThanOrEqual(5)
        await watcher.waitFor("wasmlet/beta/events/sensor/temp", j => j.seq > betaBefore + 30, 10_000, fresh)
        const seen = new Set(watcher.on("wasmlet/beta/events/sensor/temp").map(s => s.json.seq))
        const missing = Array.from({ length: 30 }, (_, i) => betaBefore + 1 + i).filter(q => !seen.has(q))
        expect(missing.length).toBe(beta.stats.dropped) // exactly the ones counted, the rest in order
        const st = await watcher.waitFor("wasmlet/beta/state", j => j.eventsDropped === beta.stats.dropped, 5000, fresh)
        expect(st.json.eventsDropped).toBeGreaterThanOrEqual(5)
        // a newcomer reads the retained state from the restarted broker
        const late = await Watcher.connect(broker.url, ["wasmlet/beta/state"])
        try {
            expect((await late.waitFor("wasmlet/beta/state")).json.online).toBe(true)
        } finally {
            await late.close()
        }
    }, 40_000)

    it("is marked offline by its last will when its connection dies, and by itself when closed", async () => {
        const t0 = Date.now()
        // a broken connection (no DISCONNECT): the broker publishes the will
        fleet.beta.bridge!.mqtt.stream.destroy()
        fleet.beta.bridge!.mqtt.options.reconnectPeriod = 0
        const will = await watcher.waitFor("wasmlet/beta/state", j => j.online === false, 10_000, t0)
        expect(will.json.reason).toBe("bridge lost")
        expect(will.packet.retain).toBe(true)
        const t1 = Date.now()
        await fleet.alpha.bridge!.close()
        const bye = await watcher.waitFor("wasmlet/alpha/state", j => j.online === false, 5000, t1)
        expect(bye.json.reason).toBe("bridge stopped")
    })

    it("follows a board through a reboot (events again, desired config again) and marks it offline while it does not answer", async () => {
        const board = await fleetBoard()
        const client = new ManagerClient(board.channel, { resendMs: 100, tries: 3 })
        const bridge = await new BoardBridge({ url: broker.url, id: "gamma", client, events: ["sensor/temp"], pollMs: 500, log: s => logs.push(`gamma: ${s}`) }).start()
        try {
            const t0 = Date.now()
            await watcher.client.publishAsync("wasmlet/gamma/desired", JSON.stringify({ apps: { cfg: { threshold: 42 } } }), { retain: true, qos: 1 })
            await watcher.waitFor("wasmlet/gamma/reported", j => j.apps?.cfg?.response?.threshold === 42, 10_000, t0)
            await watcher.waitFor("wasmlet/gamma/events/sensor/temp", j => j.seq >= 3, 10_000, t0)
            // the reboot: RAM gone (the apps' state, the host's subscriptions), the store kept
            const tr = Date.now()
            await board.reboot()
            // events again (tele counts from 0 again), without the bridge being told anything
            const again = await watcher.waitFor("wasmlet/gamma/events/sensor/temp", j => j.seq <= 2, 10_000, tr)
            expect(again.json.seq).toBeLessThanOrEqual(2)
            // the fresh cfg instance got its desired config again
            const r = await watcher.waitFor("wasmlet/gamma/reported", j => Date.parse(j.apps?.cfg?.time) >= tr, 10_000, tr)
            expect(r.json.apps.cfg).toMatchObject({ status: "2.04", ok: true, response: { threshold: 42 } })
            expect(attrToTypedJson((await client.request("GET", "/app/cfg/config")).payload)).toMatchObject({ threshold: 42 })
            expect(logs).toContain("gamma: the board restarted")
            // the board stops answering (every packet lost): its state says so, then it is back
            const ts = Date.now()
            board.o.faults = () => "drop"
            const silent = await watcher.waitFor("wasmlet/gamma/state", j => j.online === false, 15_000, ts)
            expect(silent.packet.retain).toBe(true)
            expect(silent.json.reason).toMatch(/^the board does not answer: /)
            const tb = Date.now()
            board.o.faults = undefined
            const back = await watcher.waitFor("wasmlet/gamma/state", j => j.online === true, 15_000, tb)
            expect(back.json.apps.map((a: any) => `${a.name}:${a.state}`).sort()).toEqual(["cfg:running", "tele:running"])
        } finally {
            await bridge.close()
            client.close()
            board.halt()
        }
    }, 60_000)
})
