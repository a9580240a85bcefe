// What the framework needs of a network stack for WAMR's connection API (ABI §2.3): the natives
// hand the provider the app's raw arguments (an attr_container: "address"/"port" for TCP, "bind
// port" for UDP, "device"/"baudrate" for UART) and the bytes to send; the provider delivers what
// arrives with Runtime.connectionData (null data: the peer closed). Without a provider every open
// fails and the app's console says why. `wasmlet run` on Node provides TCP (host/run/tcp.ts), the
// firmware DeviceScript's socket (firmware/src/device-tcp.ts).
import { App } from "./app"

export interface ConnectionProvider {
    /** Opens a connection of kind name ("TCP", "UDP", "UART") for app; its handle, or -1. */
    open(app: App, name: string, args: Buffer): number
    /** Bytes sent, or -1. */
    send(app: App, handle: number, data: Buffer): number
    /** UDP: sets the destination; false when not possible. */
    config(app: App, handle: number, args: Buffer): boolean
    close(app: App, handle: number): void
    /** The app is gone: close everything it had open. */
    closeAll(app: App): void
}
