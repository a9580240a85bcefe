// The one seam between the client and a board: send a command packet to the Wasmlet Manager,
// hear its reports. ServiceChannel is the real one (a jacdac-ts service on a bus: the simulator's
// link or a serial port); tests put a lossy double of their own here.
import { jd, JDService } from "./jacdac"

export interface ManagerChannel {
    /** Sends one command (service command code, payload); no Jacdac ACK (DeviceScript servers send none). */
    send(code: number, payload: Uint8Array): Promise<void>
    /** Calls `listener` with every report of the service; returns the unsubscribe. */
    onReport(listener: (code: number, payload: Uint8Array) => void): () => void
    /** Who is at the other end ("simulator device 1a2b", "/dev/ttyACM0 device 1a2b"). */
    readonly label: string
}

/** A Wasmlet Manager service of a device on a jacdac-ts bus. */
export class ServiceChannel implements ManagerChannel {
    constructor(
        readonly service: JDService,
        readonly label: string
    ) {}

    async send(code: number, payload: Uint8Array): Promise<void> {
        await this.service.sendPacketAsync(jd.Packet.from(code, payload), false)
    }

    onReport(listener: (code: number, payload: Uint8Array) => void): () => void {
        return this.service.subscribe(jd.REPORT_RECEIVE, (pkt: any) => listener(pkt.serviceCommand, pkt.data))
    }
}
