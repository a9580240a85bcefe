// TCP connections for apps on Node (`wasmlet run`): WAMR's connection API over node:net. An app
// opens "TCP" with {address, port}; what arrives is delivered as on_connection_data, and a close by
// the peer as (handle, 0, 0). UDP and UART are refused (-1). Handles are per runtime, from 0.
import { Socket } from "node:net"
import type { App } from "../../framework/app"
import type { ConnectionProvider } from "../../framework/connections"
import type { Runtime } from "../../framework/runtime"
import { readAttrContainer } from "./attr-reader"

/** WAMR's limit: 20 connections per app. */
const PER_APP = 20

export class TcpConnections implements ConnectionProvider {
    private sockets: (Socket | null)[] = []
    private owners: (App | null)[] = []

    constructor(private readonly rt: Runtime) {}

    open(app: App, name: string, args: Buffer): number {
        if (name !== "TCP") return this.refuse(app, `connection ${name}: only TCP is available here`)
        let address: unknown, port: unknown
        try {
            const a = readAttrContainer(args).attrs
            address = a.address
            port = a.port
        } catch (e: any) {
            return this.refuse(app, `connection TCP: bad arguments (${e.message})`)
        }
        if (typeof address !== "string" || typeof port !== "number") return this.refuse(app, "connection TCP: needs address (string) and port")
        if (this.owners.filter(o => o === app).length >= PER_APP) return this.refuse(app, `connection TCP: at most ${PER_APP} per app`)
        let h = this.owners.indexOf(null)
        if (h < 0) h = this.owners.push(null) - 1
        const s = new Socket()
        this.sockets[h] = s
        this.owners[h] = app
        s.on("data", d => this.rt.connectionData(app, h, Buffer.from(d)))
        s.on("error", () => {})
        s.on("close", () => {
            if (this.sockets[h] !== s) return
            this.free(h)
            this.rt.connectionData(app, h, null)
        })
        s.connect(port, address)
        return h
    }

    private refuse(app: App, why: string): number {
        this.rt.write(app, `wasmlet: ${why}\n`)
        return -1
    }

    private mine(app: App, h: number): Socket | null {
        return h >= 0 && h < this.owners.length && this.owners[h] === app ? this.sockets[h] : null
    }

    send(app: App, h: number, data: Buffer): number {
        const s = this.mine(app, h)
        if (s === null || s.destroyed) return -1
        s.write(Buffer.from(data))
        return data.length
    }

    config(): boolean {
        return false // UDP only
    }

    close(app: App, h: number): void {
        const s = this.mine(app, h)
        if (s === null) return
        this.free(h)
        s.destroy()
    }

    closeAll(app: App): void {
        for (let h = 0; h < this.owners.length; h++) if (this.owners[h] === app) this.close(app, h)
    }

    private free(h: number): void {
        this.sockets[h] = null
        this.owners[h] = null
    }
}
