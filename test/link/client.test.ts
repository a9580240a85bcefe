// ManagerClient against the real device side (manager/manager.ts on the framework, test/link/
// node-board.ts) over a channel that loses, repeats and corrupts packets on a fixed schedule:
// installs that survive every fault, resume, refusals before anything is written, atomic
// replacement, what a reboot restores, stop/start across reboots, requests, events and logs.
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { Cmd, Rep, Status } from "../../manager/protocol"
import { compileAppImage } from "../../host/run/app-images"
import { ManagerClient } from "../../host/link/client"
import { LinkTimeoutError, ManagerError } from "../../host/link/errors"
import { fnv1a, storedChunks } from "../../host/link/upload"
import { parseManifest } from "../../host/link/store"
import { FMT_ATTR_CONTAINER } from "../../framework/packets"
import { pack } from "../../host/link/packets"
import { Direction, Fault, MapStore, NodeBoard } from "./node-board"

const SAMPLES = join(import.meta.dirname, "../../apps/samples")
const image = (name: string) => compileAppImage(readFileSync(join(SAMPLES, `${name}/${name}.wasm`))).image
const FAST = { resendMs: 40, busyMs: 10 }
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** The simulator's profile with room for the samples' images in RAM (4 x 32 KB), unless `tight`. */
async function board(o: { store?: MapStore; faults?: (dir: Direction, code: number, n: number) => Fault; tight?: boolean } = {}) {
    const b = await new NodeBoard({ ...o, ...(o.tight ? {} : { arenaBytes: 4 * 32768, appArenaBytes: 32768 }) }).boot()
    const c = new ManagerClient(b.channel, FAST)
    return { b, c }
}

/** Keys of the store by kind: manifests (wmN) and chunks (wN). */
function keys(s: MapStore) {
    const all = [...s.values.keys()]
    return { manifests: all.filter(k => k.startsWith("wm")).sort(), chunks: all.filter(k => /^w\d/.test(k)).length }
}

describe("install", () => {
    test("a clean install: the store holds one manifest and the stored form; the app runs; uninstall leaves nothing", async () => {
        const { b, c } = await board()
        const img = image("timer")
        const progress: number[] = []
        const r = await c.install("timer", img, { onProgress: p => progress.push(p.done) })
        const { stored, chunks } = storedChunks(img)
        expect(r).toMatchObject({ imageBytes: img.length, storedBytes: stored.length, chunks: chunks.length, resent: 0, resumedAt: 0 })
        expect(r.arenaBytes).toBeGreaterThan(0)
        expect(progress[0]).toBe(0)
        expect(progress.at(-1)).toBe(chunks.length)
        const m = parseManifest(b.store.values.get("wm0")!)!
        expect(m).toEqual({ n: "timer", f: 0, s: stored.length, i: img.length, k: fnv1a(stored), g: 1, p: [...Array(chunks.length).keys()] })
        expect(Buffer.concat(m.p.map(k => b.store.values.get(`w${k}`)!))).toEqual(stored)
        const { apps, board: info } = await c.list()
        expect(apps).toEqual([expect.objectContaining({ name: "timer", state: "running", installed: true, inFlash: false, storedBytes: stored.length, imageBytes: img.length })])
        expect(info).toMatchObject({ board: "simulator", maxApps: 3, storeSlots: 4, storeChunks: 30, storeUsed: stored.length, storeCapacity: 30 * 224 })
        await c.uninstall("timer")
        expect((await c.list()).apps).toEqual([])
        expect(b.store.values.size).toBe(0)
        await expect(c.uninstall("timer")).rejects.toMatchObject({ status: Status.NOT_FOUND, message: "uninstall timer: no app named timer" })
        b.halt()
    })

    test("dropped, repeated, late and corrupt packets both ways: detected, sent again, the same store and app", async () => {
        // the n-th put (1 = the manifest), the n-th result, ...
        const plan: Record<string, Fault> = {
            "toDevice:128:3": "drop", // chunk 1 lost
            "toDevice:128:5": "corrupt", // chunk 2's data changed on the way: the device answers `resend`
            "toDevice:128:7": "duplicate", // chunk 3 twice
            "toHost:144:9": "drop", // a result lost: the put is sent again, and stored again
            "toHost:144:16": "delay", // a result late: the resend's answer is taken, the late one ignored
            "toDevice:133:1": "drop", // the first list lost
            "toHost:145:1": "drop", // an app report lost: list asks again
        }
        const { b } = await board({ faults: (dir, code, n) => plan[`${dir}:${code}:${n}`] })
        // one put at a time, so that the plan's numbers name the packets the comments say
        const c = new ManagerClient(b.channel, { ...FAST, window: 1 })
        const first = await c.install("timer", image("timer")) // something to list
        const img = image("event_publisher")
        const r = await c.install("pub", img)
        expect(b.applied.length).toBe(Object.keys(plan).length)
        // each fault cost one send again (the delayed result's wait, the lost app report's list too)
        // chunk 1: lost, its result lost, corrupt (`resend`); the list; the late result's wait
        expect(first.resent + r.resent).toBe(5)
        const { stored } = storedChunks(img)
        const slot = [...b.store.values.keys()].find(k => k.startsWith("wm") && parseManifest(b.store.values.get(k)!)!.n === "pub")!
        const m = parseManifest(b.store.values.get(slot)!)!
        expect(Buffer.concat(m.p.map(k => b.store.values.get(`w${k}`)!))).toEqual(stored)
        const { apps } = await c.list()
        expect(apps.map(a => [a.name, a.state]).sort()).toEqual([["pub", "running"], ["timer", "running"]])
        b.halt()
    })

    test("a slow store: the host's resends meet `busy`, it waits on and the install still completes", async () => {
        const { b } = await board()
        const set = b.store.set.bind(b.store)
        b.store.set = async (k, v) => {
            await sleep(60) // longer than the host's resend time
            return set(k, v)
        }
        const c = new ManagerClient(b.channel, { resendMs: 40, busyMs: 30 })
        const r = await c.install("timer", image("timer"))
        expect(r.chunks).toBe(10)
        expect(r.resent).toBeGreaterThan(0)
        console.log(`slow store: ${b.store.writes} writes for 12 puts, ${r.resent} resent, ${r.ms} ms`)
        expect((await c.list()).apps).toEqual([expect.objectContaining({ name: "timer", state: "running", installed: true })])
        b.halt()
    })

    test("chunk puts in flight: as many as the window, never more", async () => {
        for (const window of [1, 3]) {
            const { b } = await board()
            const c = new ManagerClient(b.channel, { ...FAST, window })
            const open = new Set<number>()
            let most = 0
            const send = b.channel.send.bind(b.channel)
            b.channel.send = async (code, p) => {
                if (code === Cmd.PUT) open.add(p[0] | (p[1] << 8))
                most = Math.max(most, open.size)
                return send(code, p)
            }
            b.channel.onReport((code, p) => code === Rep.RESULT && open.delete(p[0] | (p[1] << 8)))
            await c.install("timer", image("timer"))
            expect(most, `window ${window}`).toBe(window)
            b.halt()
        }
    })

    test("a board that stops answering: LinkTimeoutError after the set number of tries", async () => {
        let puts = 0
        const { b, c } = await board({ faults: (dir, code) => (dir === "toDevice" && code === Cmd.PUT && ++puts > 3 ? "drop" : undefined) })
        const e = await c.install("timer", image("timer")).catch(e => e)
        expect(e).toBeInstanceOf(LinkTimeoutError)
        expect(e).not.toBeInstanceOf(ManagerError)
        expect(e.tries).toBe(c.timing.tries)
        // 4 puts in flight, each given 4 x 40 ms
        expect(e.message).toMatch(/^put w\d: no answer from node board after 8 tries \(160 ms each\)$/)
        b.halt()
    })

    test("an upload cut halfway resumes: the chunks that read back are not sent again; the old version runs until the switch", async () => {
        const store = new MapStore()
        {
            const { b, c } = await board({ store })
            await c.install("app", image("timer"))
            b.halt()
        }
        let puts = 0
        const cut = await board({ store, faults: (dir, code) => (dir === "toDevice" && code === Cmd.PUT && ++puts > 6 ? "drop" : undefined) })
        await expect(cut.c.install("app", image("event_publisher"))).rejects.toBeInstanceOf(LinkTimeoutError)
        cut.b.halt()
        // a reboot: the old version is the installed one, the pending upload is not started
        const again = await board({ store })
        expect((await again.c.list()).apps).toEqual([expect.objectContaining({ name: "app", imageBytes: image("timer").length, state: "running" })])
        const writes = store.writes
        const r = await again.c.install("app", image("event_publisher"))
        expect(r.resumedAt).toBe(5) // the manifest and 5 chunks went before the cut
        // the rest of the chunks and the manifest's switch, nothing more
        expect(store.writes - writes).toBe(r.chunks - 5 + 1)
        const { apps } = await again.c.list()
        expect(apps).toEqual([expect.objectContaining({ name: "app", imageBytes: image("event_publisher").length, state: "running" })])
        expect(keys(store).manifests.length).toBe(1)
        expect(keys(store).chunks).toBe(r.chunks)
        again.b.halt()
    })

    test("an image that does not check out on the board is refused; the old version keeps running and stays installed", async () => {
        const { b, c } = await board()
        await c.install("app", image("timer"))
        const before = new Map(b.store.values)
        // the board's store turns one byte of the new version's third chunk on its way in
        const set = b.store.set.bind(b.store)
        let chunkWrites = 0
        b.store.set = async (k, v) => {
            if (/^w\d/.test(k) && ++chunkWrites === 3) v = Buffer.from(v).fill(0x55, 10, 30)
            return set(k, v)
        }
        const e = await c.install("app", image("event_publisher")).catch(e => e)
        expect(e).toBeInstanceOf(ManagerError)
        expect(e.status).toBe(Status.REFUSED)
        expect(e.message).toMatch(/^load app: /)
        const { apps } = await c.list()
        expect(apps).toEqual([expect.objectContaining({ name: "app", state: "running", imageBytes: image("timer").length })])
        // the refused upload's manifest and chunks are gone: the store is as before
        expect(new Map(b.store.values)).toEqual(before)
        b.halt()
    })

    test("refused before anything is written: too many apps, not enough persistent storage, a bad name", async () => {
        const { b, c } = await board()
        await c.install("a", image("timer"))
        await c.install("b", image("timer"))
        const writes = b.store.writes
        // 10 + 10 of 30 chunks are taken: request_handler needs 20
        const full = await c.install("c", image("request_handler")).catch(e => e)
        expect(full).toBeInstanceOf(ManagerError)
        expect(full.message).toBe("install c: not enough persistent storage: need 4464 B (20 chunks), free 2240 B (10 of 30 chunks; 4118 of 6720 B in use)")
        await c.install("c", image("timer"))
        const many = await c.install("d", image("timer")).catch(e => e)
        expect(many.message).toBe("install d: too many apps: this board runs at most 3 (a, b, c); uninstall one first")
        expect(b.store.writes - writes).toBe(1 + 10 + 1) // only c's manifest, chunks and switch
        expect(() => c.install("a/b", image("timer"))).toThrow(/bad app name/)
        expect(() => c.install("thirty-two_chars_xxxxxxxxxxxxxxx", image("timer"))).toThrow(/1 to 31 bytes/)
        // a new version needs room beside the old one until the switch
        await expect(c.install("b", image("timer"))).rejects.toThrow(/need 2059 B \(10 chunks\), free 0 B/)
        await c.uninstall("c")
        // replacing one of the apps is not one more app
        await c.install("b", image("timer"))
        expect((await c.list()).apps.map(a => a.name)).toEqual(["a", "b"])
        b.halt()
    })

    test("an app too large for the board's arena: the board refuses it with the reason, and the store keeps nothing of it", async () => {
        const { b, c } = await board({ tight: true }) // the simulator's 12 KB per app
        const e = await c.install("handler", image("request_handler")).catch(e => e)
        expect(e).toBeInstanceOf(ManagerError)
        expect(e.message).toMatch(/^load handler: install handler: out of arena memory for \w+: needed \d+ bytes, available \d+ of the app's 12288$/)
        expect(b.store.values.size).toBe(0)
        expect((await c.list()).apps).toEqual([])
        b.halt()
    })

    test("a store that drops writes silently (full): the read-back or the board's check refuses, nothing is half installed", async () => {
        const store = new MapStore(3000)
        const { b, c } = await board({ store })
        await expect(c.install("pub", image("event_publisher"))).rejects.toMatchObject({ status: Status.REFUSED })
        expect((await c.list()).apps).toEqual([])
        b.halt()
    })
})

describe("the other commands", () => {
    test("a reboot restores installed apps; stop holds across reboots until start", async () => {
        const store = new MapStore()
        const one = await board({ store })
        await one.c.install("t1", image("timer"))
        await one.c.install("t2", image("timer"))
        await one.c.stop("t2")
        expect((await one.c.list()).apps.map(a => [a.name, a.state])).toEqual([["t1", "running"], ["t2", "stopped"]])
        one.b.halt()
        const two = await board({ store })
        expect((await two.c.list()).apps.map(a => [a.name, a.state, a.installed])).toEqual([["t1", "running", true], ["t2", "stopped", true]])
        await two.c.start("t2")
        two.b.halt()
        const three = await board({ store })
        expect((await three.c.list()).apps.map(a => [a.name, a.state])).toEqual([["t1", "running"], ["t2", "running"]])
        await expect(three.c.start("nope")).rejects.toMatchObject({ status: Status.NOT_FOUND })
        await expect(three.c.stop("nope")).rejects.toMatchObject({ status: Status.NOT_FOUND })
        three.b.halt()
    })

    test("a baked app: listed, stopped, overridden by an install, back after uninstall", async () => {
        const baked = [{ name: "timer", image: Buffer.from(image("timer")) }]
        const b = await new NodeBoard({ baked, arenaBytes: 4 * 32768, appArenaBytes: 32768 }).boot()
        const c = new ManagerClient(b.channel, FAST)
        expect((await c.list()).apps).toEqual([expect.objectContaining({ name: "timer", state: "running", baked: true, installed: false, inFlash: true, slot: 255 })])
        await c.stop("timer")
        expect((await c.list()).apps).toEqual([expect.objectContaining({ name: "timer", state: "stopped", baked: true })])
        await c.install("timer", image("event_publisher"))
        expect((await c.list()).apps).toEqual([expect.objectContaining({ name: "timer", state: "running", baked: true, installed: true, inFlash: false })])
        await c.uninstall("timer")
        expect((await c.list()).apps).toEqual([expect.objectContaining({ name: "timer", state: "running", baked: true, installed: false, inFlash: true })])
        await expect(c.uninstall("timer")).rejects.toMatchObject({ status: Status.NOT_FOUND, message: expect.stringMatching(/baked into the firmware/) })
        b.halt()
    })

    test("request: an app's response comes back by its message id; a long payload goes in fragments", async () => {
        const { b, c } = await board()
        await c.install("handler", image("request_handler"))
        await sleep(300) // load answers once the app is installed; its on_init registers /url1 a moment later
        const r = await c.request("GET", "/url1", { payload: new Uint8Array(600).fill(7), fmt: 98 })
        expect(r.status).toBe(69) // 2.05
        expect(r.fmt).toBe(FMT_ATTR_CONTAINER)
        expect(Buffer.from(r.payload).includes(Buffer.from("value1"))).toBe(true)
        expect(b.counts.get(`toDevice:${Cmd.REQUEST}`)).toBe(3)
        const d = await c.request("DELETE", "/url2")
        expect(d.status).toBe(66) // 2.02
        const none = await c.request("GET", "/app/nobody/x", { timeoutMs: 2000 })
        expect(none.status).toBe(160) // 5.00: the runtime's answer for an app that is not there
        expect(() => c.request("FETCH", "/url1")).toThrow(/unknown method/)
        b.halt()
    })

    test("request fragments: a fragment sent again after its result was lost is not joined twice; the app gets the request once", async () => {
        let requests = 0
        let dropNextResult = false
        const { b, c } = await board({
            faults: (dir, code) => {
                if (dir === "toDevice" && code === Cmd.REQUEST && ++requests === 2) dropNextResult = true
                if (dir === "toHost" && code === Rep.RESULT && dropNextResult) {
                    dropNextResult = false
                    return "drop"
                }
                return undefined
            },
        })
        const calls: string[] = []
        c.onLog(l => l.text.includes("handler called") && calls.push(l.text))
        await c.install("handler", image("request_handler"))
        await sleep(300)
        const r = await c.request("POST", "/url1", { payload: new Uint8Array(600).fill(9), fmt: 98 })
        expect(r.status).toBe(69)
        expect(b.applied).toEqual([expect.stringMatching(/^drop toHost 0x90 #\d+$/)])
        // fragments 1, 2 (its result lost), 2 again (same tag: answered, not joined again), 3
        expect(b.counts.get(`toDevice:${Cmd.REQUEST}`)).toBe(4)
        await sleep(200)
        expect(calls.length).toBe(1)
        b.halt()
    })

    test("subscribe: events on the url come decoded; unsubscribe stops them", async () => {
        const { b, c } = await board()
        await c.install("pub", image("event_publisher"))
        const got: string[] = []
        const off = await c.subscribe("alert/overheat", e => got.push(`${e.url} ${e.action} ${e.fmt} ${e.payload.length > 0}`))
        const t0 = Date.now()
        while (got.length < 2 && Date.now() - t0 < 10_000) await sleep(50)
        expect(got.slice(0, 2)).toEqual(["alert/overheat 6 99 true", "alert/overheat 6 99 true"])
        await off()
        const n = got.length
        await sleep(2500)
        expect(got.length).toBeLessThanOrEqual(n + 1) // one may have been on its way
        b.halt()
    })

    test("subscriptions survive the board's reboot: the client subscribes its urls again, then tells onRestart", async () => {
        const { b, c } = await board()
        await c.install("pub", image("event_publisher"))
        const got: number[] = []
        await c.subscribe("alert/overheat", () => got.push(Date.now()))
        const restarts: number[] = []
        c.onRestart(() => restarts.push(Date.now()))
        const t0 = Date.now()
        while (!got.length && Date.now() - t0 < 10_000) await sleep(50)
        expect(got.length).toBeGreaterThan(0)
        const tr = Date.now()
        await b.reboot() // the board forgets the host's subscription; the installed publisher starts again
        const t1 = Date.now()
        while (!got.some(t => t > tr) && Date.now() - t1 < 10_000) await sleep(50)
        expect(restarts).toHaveLength(1)
        expect(got.filter(t => t > tr).length).toBeGreaterThan(0)
        expect((await c.list()).apps.map(a => `${a.name}:${a.state}:${a.restarts}`)).toEqual(["pub:running:0"])
        b.halt()
    })

    test("two hosts on one link: one unsubscribing a url does not stop the other's events", async () => {
        const { b, c } = await board()
        const other = new ManagerClient(b.hostChannel(), FAST)
        await c.install("pub", image("event_publisher"))
        const mine: number[] = []
        const theirs: number[] = []
        await c.subscribe("alert/overheat", () => mine.push(Date.now()))
        const off = await other.subscribe("alert/overheat", () => theirs.push(Date.now()))
        const t0 = Date.now()
        while (!(mine.length && theirs.length) && Date.now() - t0 < 10_000) await sleep(50)
        expect(theirs.length).toBeGreaterThan(0)
        // the other host's last listener leaves: the board stops forwarding the url, and this client subscribes it again
        await off()
        const tu = Date.now()
        while (!mine.some(t => t > tu + 100) && Date.now() - tu < 10_000) await sleep(50)
        expect(mine.filter(t => t > tu + 100).length).toBeGreaterThan(0)
        other.close()
        b.halt()
    })

    test("logs and onLog: console lines and the runtime's notes", async () => {
        const { b, c } = await board()
        const seen: string[] = []
        c.onLog(l => seen.push(`${l.kind} ${l.app}: ${l.text}`))
        await c.install("timer", image("timer"))
        const t0 = Date.now()
        while (!seen.some(l => l.startsWith("console timer:")) && Date.now() - t0 < 10_000) await sleep(50)
        const held = await c.logs("timer")
        expect(held.length).toBeGreaterThan(0)
        expect(held.every(l => l.kind === "console" && l.app === "timer")).toBe(true)
        expect(await c.logs("other")).toEqual([])
        await c.stop("timer")
        expect(seen.some(l => l.startsWith("note timer:"))).toBe(true)
        b.halt()
    })

    test("malformed reports are dropped: short, truncated, unknown, a response whose sizes do not add up", async () => {
        const { b, c } = await board()
        const send = b.channel.send.bind(b.channel)
        b.channel.send = async (code, payload) => {
            b.emit(Rep.RESULT, new Uint8Array([1]))
            b.emit(Rep.APP, new Uint8Array([1, 2, 3]))
            b.emit(Rep.BOARD, new Uint8Array(0))
            b.emit(0x9f, new Uint8Array([9, 9, 9]))
            b.emit(Rep.LOG, new Uint8Array([0]))
            b.emit(Rep.RESPONSE, pack("response", [0, new Uint8Array([1, 69, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 9])]))
            b.emit(Rep.EVENT, pack("event", [0, new Uint8Array([7, 7])]))
            return send(code, payload)
        }
        const events: unknown[] = []
        c.onEvent(e => events.push(e))
        expect((await c.list()).apps).toEqual([])
        await c.install("timer", image("timer"))
        expect((await c.list()).apps.map(a => a.name)).toEqual(["timer"])
        expect(events).toEqual([])
        b.halt()
    })

    test("results with another tag are not taken for this command's", async () => {
        const { b, c } = await board()
        const send = b.channel.send.bind(b.channel)
        // before each list goes out, a stranger's result (another host on the bus) arrives
        let strangers = 0
        b.channel.send = async (code, payload) => {
            if (code === Cmd.LIST) {
                const tag = (payload[0] | (payload[1] << 8)) ^ 0x5a5a
                b.emit(Rep.RESULT, pack("result", [tag, Status.NOT_FOUND, 0, "not yours"]))
                b.emit(Rep.APP, pack("app", [tag, 0, 1, 1, 1, 1, 0, 0, "ghost", ""]))
                strangers++
            }
            return send(code, payload)
        }
        expect((await c.list()).apps).toEqual([])
        expect(strangers).toBe(1)
        b.halt()
    })
})
