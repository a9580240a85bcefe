// AppManager's command handling on Node, without a link: commands that arrive while one is being
// handled wait their turn (up to 4), a 6th is answered busy without spoiling the others' results;
// a request fragment sent again (same tag) is not delivered twice; a put whose data does not match
// its check is answered resend and not stored.
import { afterEach, describe, expect, test } from "vitest"
import { Arena } from "../../interpreter/index"
import { Runtime } from "../../framework/runtime"
import { testSensors } from "../../framework/test-sensors"
import { profile } from "../../boards/simulator"
import { AppManager } from "../../manager/manager"
import { Cmd, Rep, Status, fletcher16 } from "../../manager/protocol"
import { MapStore } from "../link/node-board"
import { VirtualClock } from "../../host/run/virtual-clock"
import { supportImages } from "../../host/run/app-images"

/** A store whose writes take `ms` (the simulator's settings take ~9 ms). */
class SlowStore extends MapStore {
    constructor(readonly ms: number) {
        super()
    }
    override async set(key: string, value: Buffer): Promise<void> {
        await new Promise(r => setTimeout(r, this.ms))
        return super.set(key, value)
    }
}

function makeManager(store: MapStore) {
    const results: { tag: number; status: number; value: number; message: string }[] = []
    const out = {
        send: (code: number, v: any[]) => {
            if (code === Rep.RESULT) results.push({ tag: v[0], status: v[1], value: v[2], message: v[3] })
        },
    }
    const mgr = new AppManager(store, out, profile.limits.maxApps + 1, profile.storeChunks, profile.id, [], [])
    const s = supportImages()
    mgr.rt = new Runtime(new Arena(profile.arenaBytes), profile.limits, new VirtualClock(), mgr, testSensors(), s.libc, s.wasi)
    return { mgr, results }
}

const put = (tag: number, key: string, data: Buffer, check = fletcher16(data, data.length)) => [tag, check, key, data]

describe("AppManager commands", () => {
    test("five commands at once: the first handled, four wait their turn, all answered ok", async () => {
        const store = new SlowStore(20)
        const { mgr, results } = makeManager(store)
        await Promise.all([1, 2, 3, 4, 5].map(t => mgr.command(Cmd.PUT, put(t, "w" + t, Buffer.from([t, t + 1])))))
        expect(results.map(r => [r.tag, r.status]).sort()).toEqual([1, 2, 3, 4, 5].map(t => [t, Status.OK]))
        for (const t of [1, 2, 3, 4, 5]) expect([...store.values.get("w" + t)!]).toEqual([t, t + 1])
    })

    test("a sixth is answered busy, and the command being handled keeps its own result", async () => {
        const store = new SlowStore(30)
        const { mgr, results } = makeManager(store)
        await Promise.all([1, 2, 3, 4, 5, 6].map(t => mgr.command(Cmd.PUT, put(t, "w" + t, Buffer.from([t])))))
        const byTag = new Map(results.map(r => [r.tag, r.status]))
        expect(byTag.get(6)).toBe(Status.BUSY)
        for (const t of [1, 2, 3, 4, 5]) expect(byTag.get(t)).toBe(Status.OK)
        expect(store.values.has("w6")).toBe(false)
    })

    test("a put whose data does not match its check is answered resend and not stored", async () => {
        const store = new MapStore()
        const { mgr, results } = makeManager(store)
        const data = Buffer.from([1, 2, 3])
        await mgr.command(Cmd.PUT, put(7, "w0", data, fletcher16(data, 3) ^ 1))
        expect(results).toEqual([{ tag: 7, status: Status.RESEND, value: 0, message: "" }])
        expect(store.values.size).toBe(0)
    })

    test("keys outside the manager's own sets are refused: the firmware's other settings stay untouched", async () => {
        const store = new MapStore()
        store.values.set("wifi", Buffer.from("secret"))
        const { mgr, results } = makeManager(store)
        const d = Buffer.from([1])
        await mgr.command(Cmd.PUT, put(1, "wifi", d))
        await mgr.command(Cmd.GET, [2, "wifi"])
        await mgr.command(Cmd.REMOVE, [3, "wifi"])
        await mgr.command(Cmd.PUT, put(4, "w", d))
        await mgr.command(Cmd.PUT, put(5, "w123456", d))
        await mgr.command(Cmd.PUT, put(6, "wm1", d))
        expect(results.map(r => [r.tag, r.status])).toEqual([
            [1, Status.BAD_COMMAND],
            [2, Status.BAD_COMMAND],
            [3, Status.BAD_COMMAND],
            [4, Status.BAD_COMMAND],
            [5, Status.BAD_COMMAND],
            [6, Status.OK],
        ])
        expect([...store.values.keys()].sort()).toEqual(["wifi", "wm1"])
        expect(store.values.get("wifi")!.toString()).toBe("secret")
    })

    test("a malformed command is answered, not thrown: unknown code, missing fields", async () => {
        const { mgr, results } = makeManager(new MapStore())
        await mgr.command(0x99, [3])
        await mgr.command(Cmd.PUT, [4])
        await mgr.command(Cmd.LOAD, [5, 0, "nobody"])
        expect(results.map(r => [r.tag, r.status])).toEqual([
            [3, Status.BAD_COMMAND],
            [4, Status.REFUSED],
            [5, Status.REFUSED],
        ])
        expect(results[2].message).toMatch(/no manifest of nobody in slot 0/)
    })

    test("a request fragment sent again with its tag is not joined twice", async () => {
        const { mgr, results } = makeManager(new MapStore())
        const seen: Buffer[] = []
        mgr.rt.hostRequest = (b: Buffer) => (seen.push(b), true)
        await mgr.command(Cmd.REQUEST, [10, 1, Buffer.from([1, 2])])
        await mgr.command(Cmd.REQUEST, [10, 1, Buffer.from([1, 2])]) // its result was lost
        await mgr.command(Cmd.REQUEST, [11, 0, Buffer.from([3])])
        await mgr.command(Cmd.REQUEST, [11, 0, Buffer.from([3])]) // again
        expect(seen.map(b => [...b])).toEqual([[1, 2, 3]])
        expect(results.map(r => r.status)).toEqual([Status.OK, Status.OK, Status.OK, Status.OK])
    })

    test("the log ring: a chatty app gives up its own oldest lines, not the others' last ones", async () => {
        const lines: string[] = []
        const out = {
            send: (code: number, v: any[]): void => {
                if (code === Rep.LOG) lines.push(`${v[1]}: ${v[2]}`)
            },
        }
        const mgr = new AppManager(new MapStore(), out, profile.limits.maxApps + 1, profile.storeChunks, profile.id, [], [])
        const timer = { name: "timer" } as any
        const chatty = { name: "chatty" } as any
        mgr.console(timer, "update 0")
        mgr.console(timer, "update 1")
        for (let i = 0; i < 20; i++) mgr.console(chatty, `dump ${i}`)
        lines.length = 0
        await mgr.command(Cmd.LOGS, [7, "timer"])
        expect(lines).toEqual(["timer: update 0", "timer: update 1"])
        lines.length = 0
        await mgr.command(Cmd.LOGS, [8, ""])
        // 8 lines held: both of the timer's and the chatty app's last 6, in order
        expect(lines).toEqual(["timer: update 0", "timer: update 1", ...[14, 15, 16, 17, 18, 19].map(i => `chatty: dump ${i}`)])
    })
})
