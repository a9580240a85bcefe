// wasmlet devices [--all] [--json]
//
// What the board commands can talk to (host/link/transport.ts listDevices): the serial ports that look
// like boards (jacdac-ts's rule: a vendor of its catalog, a JD serial number, or a USB CDC/serial node
// where ports are listed bare), `--all` also the other ports, and whether the simulator's link
// answers. With neither --port nor --sim a command takes the one board, else the simulator. Nothing
// is sent to a board.
// --json: an array of {kind: "serial", path, manufacturer, vendorId, productId, serialNumber, board}
// and {kind: "simulator", host, port, running}.
import type { DeviceListing, SerialInfo } from "../link/transport"
import { EXIT, quietJacdac, runCommand } from "./_common"

export const summary = "list the boards on USB serial and whether the simulator is running [--all]"

const USAGE = `usage: wasmlet devices [--all] [--json]
  --all      every serial port, not only those that look like boards`

export interface SerialDevice {
    kind: "serial"
    path: string
    manufacturer: string
    vendorId: string
    productId: string
    serialNumber: string
    /** It looks like a board. */
    board: boolean
}

export interface SimulatorLink {
    kind: "simulator"
    host: string
    port: number
    running: boolean
}

export type Device = SerialDevice | SimulatorLink

/** The listing as the rows printed (other ports only with `all`). */
export function devicesOf(d: DeviceListing, all: boolean): Device[] {
    const serial = (p: SerialInfo, board: boolean): SerialDevice => ({
        kind: "serial",
        path: p.path,
        manufacturer: p.manufacturer ?? "",
        vendorId: (p.vendorId ?? "").toLowerCase(),
        productId: (p.productId ?? "").toLowerCase(),
        serialNumber: p.serialNumber ?? "",
        board,
    })
    return [...d.boards.map(p => serial(p, true)), ...(all ? d.otherPorts.map(p => serial(p, false)) : []), { kind: "simulator", ...d.sim }]
}

export function formatDevices(devs: Device[]): string[] {
    return devs.map(d => {
        if (d.kind === "simulator") return `simulator  ${d.host}:${d.port}  ${d.running ? "running (--sim)" : "not running (start it: wasmlet sim)"}`
        const ids = d.vendorId ? ` ${d.vendorId}:${d.productId}` : ""
        const what = (d.manufacturer || "serial port") + ids + (d.serialNumber ? ` #${d.serialNumber}` : "")
        return `serial     ${d.path}  ${what}${d.board ? "" : " (does not look like a board)"}  (--port ${d.path})`
    })
}

export async function main(args: string[]): Promise<number> {
    return runCommand("devices", USAGE, args, { options: { all: { type: "boolean" } }, min: 0, max: 0 }, async (p, out) => {
        quietJacdac()
        const { listDevices } = await import("../link/transport")
        const devs = devicesOf(await listDevices(), p.values.all === true)
        out.result(devs, formatDevices(devs))
        return EXIT.OK
    })
}
