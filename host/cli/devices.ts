// wasmlet devices [--json]
//
// What the board commands can talk to: the serial ports that look like boards (USB vendors of the
// supported chips: Espressif, Raspberry Pi, and the common USB-serial bridges; `--all` lists every
// port) and whether the simulator's link (devtools, ws://127.0.0.1:8081) is up. With neither --port
// nor --sim a command takes the one board, else the simulator. Nothing is sent to a board.
// --json: an array of {kind: "serial", path, manufacturer, vendorId, productId, serialNumber, board}
// and {kind: "simulator", url, running}.
import { readdirSync } from "node:fs"
import { connect } from "node:net"
import { EXIT, runCommand } from "./_common"

export const summary = "list the boards on USB serial and whether the simulator is running [--all]"

const USAGE = `usage: wasmlet devices [--all] [--json]
  --all      every serial port, not only those that look like boards`

export const SIM_HOST = "127.0.0.1"
export const SIM_PORT = 8081

/** USB vendor ids of the boards wasmlet runs on, and of the USB-serial bridges their dev kits use. */
export const BOARD_VENDORS: Record<string, string> = {
    "303a": "Espressif (USB serial/JTAG)",
    "2e8a": "Raspberry Pi (RP2040)",
    "10c4": "Silicon Labs CP210x bridge",
    "1a86": "WCH CH34x bridge",
    "0403": "FTDI bridge",
}

export interface SerialDevice {
    kind: "serial"
    path: string
    manufacturer: string
    vendorId: string
    productId: string
    serialNumber: string
    /** Its USB vendor is one of BOARD_VENDORS. */
    board: boolean
}

export interface SimulatorLink {
    kind: "simulator"
    url: string
    running: boolean
}

/** The serial ports: serialport's list (udev, IOKit, SetupAPI), or the usual device names where that fails (no udevadm). */
export async function serialDevices(): Promise<SerialDevice[]> {
    const norm = (s: string | undefined) => (s ?? "").toLowerCase().replace(/^0x/, "").padStart(s ? 4 : 0, "0")
    try {
        const { SerialPort } = await import("serialport")
        const ports = await SerialPort.list()
        return ports.map(p => {
            const vendorId = norm(p.vendorId)
            return {
                kind: "serial",
                path: p.path,
                manufacturer: p.manufacturer ?? "",
                vendorId,
                productId: norm(p.productId),
                serialNumber: p.serialNumber ?? "",
                board: vendorId in BOARD_VENDORS,
            }
        })
    } catch {
        const names = (() => {
            try {
                return readdirSync("/dev")
            } catch {
                return []
            }
        })()
        return names
            .filter(n => /^(ttyACM\d+|ttyUSB\d+|cu\.usb\w+)$/.test(n))
            .sort()
            .map(n => ({ kind: "serial", path: "/dev/" + n, manufacturer: "", vendorId: "", productId: "", serialNumber: "", board: true }))
    }
}

/** Whether something listens on the simulator's link port. */
export function simulatorRunning(host = SIM_HOST, port = SIM_PORT, timeoutMs = 300): Promise<boolean> {
    return new Promise(resolve => {
        const s = connect({ host, port })
        const done = (up: boolean) => {
            s.destroy()
            resolve(up)
        }
        s.setTimeout(timeoutMs, () => done(false))
        s.once("connect", () => done(true))
        s.once("error", () => done(false))
    })
}

export function formatDevices(devs: (SerialDevice | SimulatorLink)[]): string[] {
    const lines: string[] = []
    for (const d of devs) {
        if (d.kind === "simulator") lines.push(`simulator  ${d.url}  ${d.running ? "running (--sim)" : "not running (start it: wasmlet sim)"}`)
        else {
            const what = BOARD_VENDORS[d.vendorId] ?? (d.manufacturer || "serial port")
            const ids = d.vendorId ? ` ${d.vendorId}:${d.productId}` : ""
            lines.push(`serial     ${d.path}  ${what}${ids}${d.serialNumber ? ` #${d.serialNumber}` : ""}${d.board ? "" : " (not a known board)"}  (--port ${d.path})`)
        }
    }
    return lines
}

export async function main(args: string[]): Promise<number> {
    return runCommand("devices", USAGE, args, { options: { all: { type: "boolean" } }, min: 0, max: 0 }, async (p, out) => {
        const [serial, running] = await Promise.all([serialDevices(), simulatorRunning()])
        const devs: (SerialDevice | SimulatorLink)[] = [...serial.filter(d => d.board || p.values.all), { kind: "simulator", url: `ws://${SIM_HOST}:${SIM_PORT}`, running }]
        out.result(devs, formatDevices(devs))
        return EXIT.OK
    })
}
