// TCP connections for apps on the device (WAMR's connection API, ../../../shared/wamr-app-abi.md
// §2.3) over DeviceScript's low-level socket (`ds._socketOpen` and friends). DeviceScript has ONE
// socket for the whole board, so one connection at a time, always handle 0, and the state is the
// module's. What an app sends before the socket reports "open" waits in a short list and goes out
// on "open"; what arrives goes to the app as on_connection_data, and a close or error as
// (0, 0, 0), which frees the socket. The socket calls are used directly (not @devicescript/net's
// Socket: far less bytecode; module variables rather than fields for the same reason). Nothing
// here may throw into the firmware: `_socketOpen` throws on a board without a network (and for a
// bad host or port), so it is wrapped; once it succeeded, write and close return codes (write -1:
// the board's send queue is full; the app's send then returns -1, and a queued send is lost).
import * as ds from "@devicescript/core"
import { App } from "../../framework/app"
import { ConnectionProvider } from "../../framework/connections"
import { Runtime } from "../../framework/runtime"

type Sockets = {
    _socketOpen(host: string, port: number): number
    _socketWrite(buf: Buffer): number
    _socketClose(): number
    _socketOnEvent: (event: string, arg: any) => void
}
const S = ds as any as Sockets

/** Sends kept while the socket opens; one more is refused (-1). */
const EARLY_MAX = 4

let rt: Runtime
let provider: DeviceTcp
/** The app whose connection is open or opening; undefined or null: the socket is free. */
let owner: App
/** What the owner sent before "open"; null once open. */
let early: Buffer[]

/** DeviceScript's socket events: "open", "data" (a Buffer), "close", "error" (a message). */
function onSocketEvent(ev: string, arg: any) {
    const app = owner
    if (!app) return
    if (ev === "open") {
        const e = early
        early = null
        if (e) for (let i = 0; i < e.length; i++) provider.send(app, 0, e[i])
    } else if (ev === "data") rt.connectionData(app, 0, arg)
    else {
        // "close" or "error": the socket is free again
        if (ev === "error") rt.write(app, "wasmlet: connection TCP: " + arg + "\n")
        owner = null
        rt.connectionData(app, 0, null)
    }
}

export class DeviceTcp implements ConnectionProvider {
    constructor(r: Runtime) {
        rt = r
        provider = this
        S._socketOnEvent = onSocketEvent
    }

    open(app: App, name: string, args: Buffer): number {
        let why = "only TCP here"
        if (name === "TCP") {
            why = "one connection at a time"
            if (!owner)
                try {
                    let host: string = null
                    let port = 0
                    // attr_container (ABI §5, little-endian): flags u16, total u32, tag, count u16, attributes
                    let at = 8 + args.getAt(6, "u16")
                    let n = args.getAt(at, "u16")
                    at += 2
                    while (n-- > 0) {
                        const k = args.getAt(at, "u16")
                        const key = args.slice(at + 2, at + 1 + k).toString()
                        at += 2 + k
                        const t = args[at++]
                        let z = 1 << (t & 3) // a number's size; float, double and bool too
                        if (t === 13) {
                            z = 2 + args.getAt(at, "u16")
                            if (key === "address") host = args.slice(at + 2, at + z - 1).toString()
                        } else if (t === 14) z = 4 + args.getAt(at, "u32")
                        else if (key === "port") port = z > 1 ? args.getAt(at, "u16") : args[at] // low 16 bits
                        at += z
                    }
                    // throws without a network, or without a host or port ("host or port invalid")
                    why = "cannot open " + host
                    if (S._socketOpen(host, port) === 0) {
                        owner = app
                        early = []
                        return 0
                    }
                } catch (e) {
                    why = (e as Error).message
                }
        }
        rt.write(app, "wasmlet: connection " + name + ": " + why + "\n")
        return -1
    }

    send(app: App, h: number, data: Buffer): number {
        if (app !== owner || h !== 0) return -1
        if (early) {
            if (early.length >= EARLY_MAX) return -1
            early.push(data)
        } else if (S._socketWrite(data) !== 0) return -1 // (cannot throw once open; -1: busy)
        return data.length
    }

    config(): boolean {
        return false // UDP only
    }

    close(app: App, h: number): void {
        if (app !== owner || h !== 0) return
        owner = null
        S._socketClose() // cannot throw once open; no event follows it
    }

    closeAll(app: App): void {
        this.close(app, 0)
    }
}
