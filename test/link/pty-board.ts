// A board on a pseudo-terminal, for testing `--port PATH` through the real serial stack with no
// hardware: the host opens /dev/pts/N with the serialport package under jacdac-ts's serial transport,
// exactly as it opens a USB board, and at the other end is this: the device end of JD-USB
// (pty-jdusb.ts) carrying hand-built Jacdac frames with their CRC (pty-frames.ts; built by hand,
// not with jacdac-ts, so the host's jacdac-ts is checked against an independent device end), a
// device that announces the Wasmlet Manager's service class every 500 ms, and that service's
// commands and reports bridged to the REAL AppManager + Runtime of node-board.ts.
//
// As a USB board does: it sends nothing until the host enables packets (jacdac-ts's first write,
// after an HF2 probe this end does not answer, which keeps the host on JD-USB), then announces at
// once; when the host closes the port (the relay's "closed") it stops until enabled again.
//
// Faults on the line, asked per Wasmlet Manager packet (the n-th of its code in each direction):
// "corrupt" flips one byte of that frame on the line (the receiver's CRC check drops it: the
// host's jacdac-ts for reports, this end for commands); "vanish" closes the pty as that command
// arrives, as a board pulled out mid-command.
import { randomBytes } from "node:crypto"
import { SERVICE_CLASS } from "../../manager/protocol"
import { Direction, NodeBoard, NodeBoardOptions } from "./node-board"
import { buildFrame, FLAG_COMMAND, FLAG_ID_IS_SERVICE_CLASS, HEADER_BYTES, JdFrame, parseFrame } from "./pty-frames"
import { encodeJdUsb, JdUsbDecoder, MAGIC } from "./pty-jdusb"
import { PtyRelay } from "./pty-relay"

/** The USB bridge's own service class and commands (packets from the host to the bridge itself). */
const SRV_USB_BRIDGE = 0x18f61a4a
const BRIDGE_DISABLE_PACKETS = 0x80
const BRIDGE_ENABLE_PACKETS = 0x81
/** The control service (index 0): announce report, and the host's "announce yourselves" command. */
const CONTROL_CLASS = 0
const CONTROL_ANNOUNCE = 0x00
const MANAGER_INDEX = 1

export type LineFault = "corrupt" | "vanish" | undefined

export interface PtyBoardOptions {
    board?: NodeBoardOptions
    /** 16 hex digits; random by default. */
    deviceId?: string
    faults?: (dir: Direction, code: number, n: number) => LineFault
    announceMs?: number
}

export class PtyBoard {
    readonly deviceId: string
    /** What happened on the line, for the tests' checks. */
    readonly stats = {
        framesIn: 0,
        framesOut: 0,
        /** Frames from the host this end dropped: their CRC did not match. */
        crcDropped: 0,
        /** Reports made while no host listened (dropped, as a USB board's are). */
        unsent: 0,
        announces: 0,
        /** Host sessions that enabled packets. */
        sessions: 0,
    }
    readonly applied: string[] = []
    private relay!: PtyRelay
    private decoder = new JdUsbDecoder(f => this.frameIn(f))
    private enabled = false
    private restarts = 0
    private timer?: ReturnType<typeof setInterval>
    private counts = new Map<string, number>()
    private offReport: () => void

    private constructor(
        readonly board: NodeBoard,
        private o: PtyBoardOptions
    ) {
        this.deviceId = (o.deviceId ?? randomBytes(8).toString("hex")).toLowerCase()
        this.offReport = board.channel.onReport((code, payload) => this.reportOut(code, payload))
    }

    /** Boots a NodeBoard and puts it on a new pty; `path` is what the host opens. */
    static async start(o: PtyBoardOptions = {}): Promise<PtyBoard> {
        const b = new PtyBoard(await new NodeBoard(o.board).boot(), o)
        b.relay = await PtyRelay.start(
            d => b.decoder.push(d),
            open => {
                if (open) return
                b.enabled = false
                b.decoder.reset()
            }
        )
        b.timer = setInterval(() => b.enabled && b.announce(), o.announceMs ?? 500)
        return b
    }

    get path(): string {
        return this.relay.path
    }

    /** Times a host opened the port. */
    get opens(): number {
        return this.relay.opens
    }

    /** Bytes the host wrote outside frames: its HF2 probe (left unanswered) and its zero padding. */
    get noiseBytes(): number {
        return this.decoder.outsideBytes
    }

    /** The board is pulled out: the pty closes (the host's port hangs up), the board stops. */
    async vanish(): Promise<void> {
        clearInterval(this.timer)
        this.enabled = false
        this.offReport()
        this.board.halt()
        await this.relay.close()
    }

    close(): Promise<void> {
        return this.vanish()
    }

    private fault(dir: Direction, code: number): LineFault {
        const key = `${dir}:${code}`
        const n = (this.counts.get(key) ?? 0) + 1
        this.counts.set(key, n)
        const f = this.o.faults?.(dir, code, n)
        if (f) this.applied.push(`${f} ${dir} 0x${code.toString(16)} #${n}`)
        return f
    }

    // ------------------------------------------------------------ from the host

    private frameIn(raw: Uint8Array): void {
        // a command to this device's manager, as it came off the line: the fault is applied before the CRC check
        const toManager =
            raw.length >= HEADER_BYTES + 4 && (raw[3] & (FLAG_COMMAND | FLAG_ID_IS_SERVICE_CLASS)) === FLAG_COMMAND && Buffer.from(raw.subarray(4, 12)).toString("hex") === this.deviceId && raw[13] === MANAGER_INDEX
        if (toManager) {
            const f = this.fault("toDevice", raw[14] | (raw[15] << 8))
            if (f === "vanish") return void this.vanish()
            if (f === "corrupt") flipOneByte(raw, HEADER_BYTES + 4)
        }
        const fr = parseFrame(raw)
        if (typeof fr === "string") {
            if (fr === "crc mismatch") this.stats.crcDropped++
            return
        }
        this.stats.framesIn++
        if (fr.flags & FLAG_ID_IS_SERVICE_CLASS) this.broadcast(fr)
        else if (fr.flags & FLAG_COMMAND && fr.deviceId === this.deviceId)
            for (const p of fr.packets) {
                if (p.serviceIndex === MANAGER_INDEX) void this.board.channel.send(p.command, p.payload)
                else if (p.serviceIndex === 0 && p.command === CONTROL_ANNOUNCE) this.announce()
                // other control commands (identify, reset, registers) are not needed by the host's tools
            }
        // reports and other devices' commands (the host's own announces) are not for this board
    }

    private broadcast(fr: JdFrame): void {
        for (const p of fr.packets) {
            if (fr.idLow === SRV_USB_BRIDGE && p.command === BRIDGE_ENABLE_PACKETS) {
                if (!this.enabled) this.stats.sessions++
                this.enabled = true
                this.announce()
            } else if (fr.idLow === SRV_USB_BRIDGE && p.command === BRIDGE_DISABLE_PACKETS) this.enabled = false
            else if (fr.idLow === CONTROL_CLASS && p.command === CONTROL_ANNOUNCE) this.announce()
        }
    }

    // ------------------------------------------------------------ to the host

    private announce(): void {
        if (!this.enabled) return
        // flags: the restart counter (1..15, steady at 15: a lower one tells the host the board restarted)
        this.restarts = Math.min(15, this.restarts + 1)
        const payload = Buffer.alloc(8)
        payload.writeUInt16LE(this.restarts, 0)
        payload[2] = this.stats.framesOut & 0xff
        payload.writeUInt32LE(SERVICE_CLASS, 4)
        this.stats.announces++
        this.send(buildFrame(0, this.deviceId, [{ serviceIndex: 0, command: CONTROL_ANNOUNCE, payload }]))
    }

    private reportOut(code: number, payload: Uint8Array): void {
        if (!this.enabled) {
            this.stats.unsent++
            return
        }
        const frame = buildFrame(0, this.deviceId, [{ serviceIndex: MANAGER_INDEX, command: code, payload }])
        if (this.fault("toHost", code) === "corrupt") flipOneByte(frame, HEADER_BYTES + 4)
        this.send(frame)
    }

    private send(frame: Uint8Array): void {
        this.stats.framesOut++
        this.relay.write(encodeJdUsb(frame))
    }
}

/**
 * Flips a bit of one byte at or after `from` (the packet's payload), one that neither is nor
 * becomes the JD-USB magic byte: on the line that is one changed byte, framing intact.
 */
function flipOneByte(frame: Uint8Array, from: number): void {
    for (let i = Math.min(from, frame.length - 1); i < frame.length; i++) {
        if (frame[i] !== MAGIC && (frame[i] ^ 0x10) !== MAGIC) {
            frame[i] ^= 0x10
            return
        }
    }
}
