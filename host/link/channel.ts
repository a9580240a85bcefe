// The one seam between the client and a board: send a command packet to the Wasmlet Manager,
// hear its reports, hear that the board started again. ServiceChannel is the real one (a jacdac-ts
// service on a bus: the simulator's link or a serial port); tests put a lossy double of their own here.
import { SERVICE_CLASS } from "../../manager/protocol"
import { jd, JDBus, JDDevice, JDService } from "./jacdac"

export interface ManagerChannel {
    /** Sends one command (service command code, payload); no Jacdac ACK (DeviceScript servers send none). */
    send(code: number, payload: Uint8Array): Promise<void>
    /** Calls `listener` with every report of the service; returns the unsubscribe. */
    onReport(listener: (code: number, payload: Uint8Array) => void): () => void
    /**
     * Calls `listener` each time the board is back after a reboot (its manager announced again,
     * with all it held in RAM gone: the host's event subscriptions, its log lines); returns the
     * unsubscribe. Channels that cannot tell leave it out.
     */
    onRestart?(listener: () => void): () => void
    /**
     * Calls `listener` with the commands other hosts on a shared link (the simulator's: every
     * packet reaches every host) send this board's manager; returns the unsubscribe. Channels
     * that cannot hear them leave it out.
     */
    onOtherCommand?(listener: (code: number, payload: Uint8Array) => void): () => void
    /**
     * Calls `listener(false, why)` when the link itself goes down (a serial port closed: the board
     * unplugged or reset), and `listener(true)` when it is up again, so that commands fail at once
     * while it is down instead of after all their tries; returns the unsubscribe.
     */
    onLinkState?(listener: (up: boolean, why?: string) => void): () => void
    /** Who is at the other end ("simulator device 1a2b", "/dev/ttyACM0 device 1a2b"). */
    readonly label: string
}

/**
 * A Wasmlet Manager service of a device on a jacdac-ts bus, followed by its device id: when the
 * board reboots, jacdac-ts makes new service objects (and a new device object when the board was
 * gone for more than 3 s, as a restarted simulator is), so the channel listens on the bus for the
 * device's reports instead of holding on to one service object.
 */
export class ServiceChannel implements ManagerChannel {
    private readonly bus: JDBus
    private readonly deviceId: string

    constructor(
        private readonly service: JDService,
        readonly label: string
    ) {
        this.bus = service.device.bus
        this.deviceId = service.device.deviceId
    }

    /** The manager service of the device as the bus knows it now (the first one while it is away). */
    private current(): JDService {
        const d: JDDevice | undefined = this.bus.device(this.deviceId, true)
        return d?.services({ serviceClass: SERVICE_CLASS })[0] ?? this.service
    }

    /** Whether a packet on the bus is from or to this device's manager service. */
    private forManager(pkt: any): boolean {
        return pkt.deviceIdentifier === this.deviceId && pkt.device?.serviceClassAt(pkt.serviceIndex) === SERVICE_CLASS
    }

    async send(code: number, payload: Uint8Array): Promise<void> {
        await this.current().sendPacketAsync(jd.Packet.from(code, payload), false)
    }

    onReport(listener: (code: number, payload: Uint8Array) => void): () => void {
        return this.bus.subscribe(jd.PACKET_REPORT, (pkt: any) => {
            if (!this.forManager(pkt)) return
            listener(pkt.serviceCommand, pkt.data)
        })
    }

    onOtherCommand(listener: (code: number, payload: Uint8Array) => void): () => void {
        // own commands do not come back from the transport; a command seen here is another host's
        return this.bus.subscribe(jd.PACKET_RECEIVE, (pkt: any) => {
            if (!pkt.isCommand || !this.forManager(pkt)) return
            listener(pkt.serviceCommand, pkt.data)
        })
    }

    onLinkState(listener: (up: boolean, why?: string) => void): () => void {
        return this.bus.subscribe(jd.CONNECTION_STATE, (t: any) => {
            // (the bus reconnects by itself, host/link/transport.ts: up again clears it)
            if (t?.connectionState === jd.ConnectionState.Disconnected) listener(false, "the link closed (the board unplugged or reset, or its port taken away)")
            else if (t?.connectionState === jd.ConnectionState.Connected) listener(true)
        })
    }

    onRestart(listener: () => void): () => void {
        // a reboot shows as a restart (the announce counter went down), as the device gone and
        // found again, or as the link down and up; the manager is ready once an announce lists
        // its service again
        let away = false
        const mine = (d: JDDevice) => d.deviceId === this.deviceId
        const offs = [
            // a link that went down and up (a serial board unplugged, or reset and re-enumerated):
            // the board most likely booted again, and subscribing again does no harm
            this.bus.subscribe(jd.CONNECTION_STATE, (t: any) => t?.connectionState === jd.ConnectionState.Disconnected && (away = true)),
            this.bus.subscribe(jd.DEVICE_RESTART, (d: JDDevice) => mine(d) && (away = true)),
            this.bus.subscribe(jd.DEVICE_DISCONNECT, (d: JDDevice) => mine(d) && (away = true)),
            // every announce packet (DEVICE_ANNOUNCE fires only when the services look changed)
            this.bus.subscribe(jd.DEVICE_PACKET_ANNOUNCE, (d: JDDevice) => {
                if (!away || !mine(d) || !d.services({ serviceClass: SERVICE_CLASS }).length) return
                away = false
                listener()
            }),
        ]
        return () => offs.forEach(off => off())
    }
}
