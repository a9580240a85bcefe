// Reaching a board: which serial ports look like boards, the SerialPort class that pins jacdac-ts's
// serial transport to one path, whether the simulator's link answers, target resolution, and
// finding the Wasmlet Manager on a bus (jacdac-ts virtual devices on a bus of their own, one of
// them a small manager that answers `list` through the real ServiceChannel).
import { createServer, Server } from "node:net"
import { afterEach, describe, expect, test } from "vitest"
import { Cmd, Rep, SERVICE_CLASS, Status } from "../../manager/protocol"
import { ServiceChannel } from "../../host/link/channel"
import { findManager, managersOn } from "../../host/link/discover"
import { NoBoardError } from "../../host/link/errors"
import { jd, JDBus } from "../../host/link/jacdac"
import { pack, unpack } from "../../host/link/packets"
import { Wire } from "../../host/link/wire"
import { SerialInfo, listDevices, looksLikeBoard, pinnedSerialPort, resolveTarget, simAnswers } from "../../host/link/transport"

const ports: SerialInfo[] = [
    { path: "/dev/ttyACM0", vendorId: "303a", productId: "1001", serialNumber: "F4:12" }, // Espressif USB JTAG/serial
    { path: "/dev/ttyUSB0", vendorId: "10c4", productId: "ea60" }, // CP2102 bridge
    { path: "/dev/ttyS0" }, // an on-board UART, no USB information
    { path: "/dev/ttyUSB1", vendorId: "067b", productId: "2303" }, // a Prolific cable: not a known board vendor
    { path: "/dev/ttyACM3", vendorId: "2e8a", productId: "000a" }, // RP2040
]

describe("serial ports", () => {
    test("boards by jacdac-ts's catalog of vendors; a bare device node by its name", () => {
        expect(ports.filter(looksLikeBoard).map(p => p.path)).toEqual(["/dev/ttyACM0", "/dev/ttyUSB0", "/dev/ttyACM3"])
        expect(looksLikeBoard({ path: "/dev/ttyACM7" })).toBe(true)
        expect(looksLikeBoard({ path: "/dev/ttyS1" })).toBe(false)
        expect(looksLikeBoard({ path: "/dev/ttyUSB1", vendorId: "067b", serialNumber: "JD1234" })).toBe(true)
    })

    test("the pinned SerialPort lists only its path, in a form jacdac-ts's transport keeps", async () => {
        class Base {
            static list = async () => ports
            constructor(readonly opts: unknown) {}
        }
        const list = async () => ports
        const Pinned = pinnedSerialPort(Base, "/dev/ttyUSB1", list)
        const got: SerialInfo[] = await Pinned.list()
        expect(got).toEqual([{ path: "/dev/ttyUSB1", vendorId: "067b", productId: "2303", serialNumber: "JD-/dev/ttyUSB1" }])
        // jacdac-ts's own filter: a JD/PX serial number or a catalog vendor
        expect(/^(PX|JD)/.test(got[0].serialNumber!)).toBe(true)
        expect(await pinnedSerialPort(Base, "/dev/ttyACM0", list).list()).toEqual([ports[0]])
        expect(await pinnedSerialPort(Base, "/dev/nothing", list).list()).toEqual([])
        expect(new Pinned({ path: "/dev/ttyUSB1" })).toBeInstanceOf(Base)
    })
})

describe("the simulator's link and target resolution", () => {
    let server: Server | undefined
    afterEach(() => void server?.close())
    const listen = () =>
        new Promise<number>(resolve => {
            server = createServer(s => s.destroy()).listen(0, "127.0.0.1", () => resolve((server!.address() as any).port))
        })

    test("a listening link answers; a closed port does not", async () => {
        const port = await listen()
        expect(await simAnswers("127.0.0.1", port)).toBe(true)
        server!.close()
        expect(await simAnswers("127.0.0.1", port)).toBe(false)
    })

    test("--port and --sim are taken as given; with neither, the running simulator (no board on this machine); else how to start one", async () => {
        expect(await resolveTarget({ port: "/dev/ttyACM9" })).toEqual({ kind: "serial", path: "/dev/ttyACM9" })
        expect(await resolveTarget({ sim: true, simPort: 1 })).toEqual({ kind: "sim", host: "127.0.0.1", port: 1 })
        await expect(resolveTarget({ port: "/dev/x", sim: true })).rejects.toBeInstanceOf(NoBoardError)
        const d = await listDevices({ simPort: 1 })
        if (d.boards.length) return // a machine with a board plugged in picks it: nothing more to check here
        const port = await listen()
        expect(await resolveTarget({ simPort: port })).toEqual({ kind: "sim", host: "127.0.0.1", port })
        server!.close()
        const e = await resolveTarget({ simPort: port }).catch(e => e)
        expect(e).toBeInstanceOf(NoBoardError)
        expect(e.message).toBe("no board connected and no simulator running: start one with `wasmlet sim`, or give --port PATH")
    })
})

// jacdac-ts's servers need a spec of their service class: the base service's registers will do
const base = jd.serviceSpecificationFromClassIdentifier(jd.SRV_BUTTON)
jd.loadServiceSpecifications([
    {
        ...base,
        name: "Wasmlet Manager",
        shortId: "wasmletmanager",
        camelName: "wasmletManager",
        shortName: "wasmletManager",
        classIdentifier: SERVICE_CLASS,
        packets: base.packets.filter(p => p.derived === "_base"),
    },
])

/** A Wasmlet Manager of a few lines on a jacdac-ts virtual device: answers list with one board report. */
class TinyManager extends jd.JDServiceServer {
    constructor(readonly board: string) {
        super(SERVICE_CLASS)
    }
    override async handlePacket(pkt: any): Promise<void> {
        if (pkt.isReport || pkt.serviceCommand !== Cmd.LIST) return super.handlePacket(pkt)
        const { tag } = unpack("list", pkt.data)
        await this.sendPacketAsync(jd.Packet.from(Rep.BOARD, pack("board", [tag, 3, 4, 30, 224, 20480, 9000, 12288, this.board])))
        await this.sendPacketAsync(jd.Packet.from(Rep.RESULT, pack("result", [tag, Status.OK, 0, ""])))
    }
}

describe("finding the manager", () => {
    let bus: JDBus | undefined
    afterEach(async () => {
        await bus?.dispose()
        bus = undefined
    })
    const newBus = () => {
        bus = new jd.JDBus([], { client: false, disableRoleManager: true })
        bus.start()
        return bus
    }

    test("none: a clear error after the timeout, naming the other devices", async () => {
        const b = newBus()
        jd.addServer(b, "a button", new jd.JDServiceServer(jd.SRV_BUTTON))
        const t0 = Date.now()
        const e = await findManager(b, "the test bus", { timeoutMs: 1500 }).catch(e => e)
        expect(e).toBeInstanceOf(NoBoardError)
        expect(e.message).toMatch(/^no wasmlet board on the test bus within 1500 ms \(1 other Jacdac device\(s\) there, none runs the Wasmlet Manager/)
        expect(Date.now() - t0).toBeGreaterThanOrEqual(1400)
    })

    test("one: found, and spoken to through the real ServiceChannel; two: listed, and picked by short id", async () => {
        const b = newBus()
        const first = jd.addServer(b, "board one", new TinyManager("one"))
        const m = await findManager(b, "the test bus", { timeoutMs: 5000, settleMs: 300 })
        expect(m.deviceId).toBe(first.deviceId)
        const wire = new Wire(new ServiceChannel(m.service, `test ${m.shortId}`), { resendMs: 200 })
        expect((await wire.list()).board).toMatchObject({ board: "one", maxApps: 3, storeChunks: 30 })
        wire.close()

        const second = jd.addServer(b, "board two", new TinyManager("two"))
        const t0 = Date.now()
        while (managersOn(b).length < 2 && Date.now() - t0 < 5000) await new Promise(r => setTimeout(r, 50))
        const e = await findManager(b, "the test bus", { timeoutMs: 2000, settleMs: 100 }).catch(e => e)
        expect(e).toBeInstanceOf(NoBoardError)
        expect(e.message).toMatch(/^2 wasmlet boards on the test bus: \w{4} \([0-9a-f]{16}\), \w{4} \([0-9a-f]{16}\); pick one with --device ID$/)
        const shortOf = (id: string) => b.device(id, true)!.shortId
        const two = await findManager(b, "the test bus", { device: shortOf(second.deviceId).toLowerCase(), timeoutMs: 2000 })
        expect(two.deviceId).toBe(second.deviceId)
        const byId = await findManager(b, "the test bus", { device: first.deviceId, timeoutMs: 2000 })
        expect(byId.deviceId).toBe(first.deviceId)
        await expect(findManager(b, "the test bus", { device: "ZZ99", timeoutMs: 500 })).rejects.toThrow(/^no wasmlet board ZZ99 on the test bus within 500 ms; there is /)
    })
})
