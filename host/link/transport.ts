// The Jacdac buses a host command can reach a board on, and which one it means:
//   - the simulator: devtools' TCP link, 127.0.0.1:8082 (`wasmlet sim` / `npm start` run devtools;
//     it carries the same packets as its websocket on 8081, and Node 20 has no WebSocket);
//   - a board on USB serial (`--port PATH`): jacdac-ts's serial transport over the serialport
//     package, as `devs devtools --serial` does, pinned to that one port. A port the system's
//     listing does not name (a pseudo-terminal from socat or ser2net, a test's pty board) is opened
//     when --port names an existing character device, and listed as a board when it is in
//     WASMLET_SERIAL_PORTS (paths separated like PATH's).
// resolveTarget() picks one when neither is given: the one connected board, else the running
// simulator, else a NoBoardError that says how to start one.
import { existsSync, readdirSync, statSync } from "node:fs"
import { createRequire } from "node:module"
import { connect as netConnect } from "node:net"
import { delimiter, join } from "node:path"
import { NoBoardError } from "./errors"
import { jd, JDBus } from "./jacdac"

export const SIM_HOST = "127.0.0.1"
export const SIM_PORT = 8082

export type Target = { kind: "sim"; host: string; port: number } | { kind: "serial"; path: string }

export interface SerialInfo {
    path: string
    manufacturer?: string
    serialNumber?: string
    vendorId?: string
    productId?: string
}

export function describeTarget(t: Target): string {
    return t.kind === "sim" ? `simulator (${t.host}:${t.port})` : t.path
}

// ---------------------------------------------------------------- serial ports

/** The serialport package's SerialPort class (loaded on first use: only serial targets need it). */
function serialPortClass(): any {
    try {
        return createRequire(import.meta.url)("serialport").SerialPort
    } catch (e: any) {
        throw new NoBoardError(`the serialport package is not installed (npm i serialport@12): ${e.message}`)
    }
}

function onPath(cmd: string): boolean {
    return (process.env.PATH ?? "").split(delimiter).some(d => d && existsSync(join(d, cmd)))
}

function isCharDevice(path: string): boolean {
    try {
        return statSync(path).isCharacterDevice()
    } catch {
        return false
    }
}

/** WASMLET_SERIAL_PORTS: ports no system listing names (ptys), listed as boards when they exist. */
export function configuredPorts(): string[] {
    return (process.env.WASMLET_SERIAL_PORTS ?? "").split(delimiter).filter(p => p && isCharDevice(p))
}

/**
 * Every serial port of the machine. On Linux serialport lists them with `udevadm` (and its
 * failure to start kills the process), so without udevadm the usual device nodes are listed bare.
 * Then the configured ports (WASMLET_SERIAL_PORTS) the listing left out.
 */
export async function listSerialPorts(): Promise<SerialInfo[]> {
    let ports: SerialInfo[]
    if (process.platform === "linux" && !onPath("udevadm")) {
        let names: string[] = []
        try {
            names = readdirSync("/dev").filter(n => /^tty(ACM|USB)\d+$/.test(n))
        } catch {
            // no /dev: no ports
        }
        ports = names.sort().map(n => ({ path: `/dev/${n}` }))
    } else ports = (await serialPortClass().list()) as SerialInfo[]
    return [...ports, ...configuredPorts().filter(c => !ports.some(p => p.path === c)).map(path => ({ path }))]
}

/** The ports, and `path` too when no listing names it but it is a character device (a pty given as --port). */
async function listSerialPortsWith(path: string): Promise<SerialInfo[]> {
    const ports = await listSerialPorts()
    return ports.some(p => p.path === path) || !isCharDevice(path) ? ports : [...ports, { path }]
}

/** USB vendors of the boards Jacdac's catalog knows on serial (SiLabs, Espressif, WCH, Raspberry Pi). */
function serialVendors(): number[] {
    return new jd.JDBus([], { client: false, disableRoleManager: true }).deviceCatalog.vendorIds("serial")
}

let vendors: number[] | undefined

/**
 * Whether a port looks like a board: jacdac-ts's own rule (a vendor of its catalog, or a JD/PX
 * serial number); a port listed without vendor information: a USB CDC or USB-serial node.
 */
export function looksLikeBoard(p: SerialInfo): boolean {
    if (configuredPorts().includes(p.path)) return true
    if (/^(PX|JD)/.test(p.serialNumber ?? "")) return true
    if (p.vendorId === undefined) return /tty(ACM|USB)\d+$/.test(p.path)
    vendors ??= serialVendors()
    return vendors.includes(parseInt(p.vendorId, 16))
}

/**
 * A SerialPort class whose list() names only `path`: jacdac-ts's serial transport opens the first
 * port its list gives that looks like a board, so this is how it is told which one to open.
 */
export function pinnedSerialPort(SerialPort: any, path: string, list: () => Promise<SerialInfo[]> = listSerialPorts): any {
    return class PinnedSerialPort extends SerialPort {
        static async list(): Promise<SerialInfo[]> {
            const found = (await list()).find(p => p.path === path)
            if (!found) return []
            // jacdac-ts keeps ports of known vendors or with a JD serial number: make sure it keeps this one
            return [looksLikeBoard(found) && found.vendorId ? found : { ...found, serialNumber: `JD-${found.serialNumber ?? path}` }]
        }
    }
}

// ---------------------------------------------------------------- the simulator

/** Whether something accepts connections on the simulator's link port. */
export function simAnswers(host = SIM_HOST, port = SIM_PORT, timeoutMs = 500): Promise<boolean> {
    return new Promise(resolve => {
        const s = netConnect({ host, port })
        const done = (ok: boolean) => {
            clearTimeout(timer)
            s.destroy()
            resolve(ok)
        }
        const timer = setTimeout(() => done(false), timeoutMs)
        s.once("connect", () => done(true))
        s.once("error", () => done(false))
    })
}

// ---------------------------------------------------------------- buses

export interface OpenBus {
    bus: JDBus
    target: Target
    close(): Promise<void>
}

/**
 * Makes jacdac-ts's serial transport (and keeps a reconnect from throwing after the bus closed). It starts a port watch (a 2.5 s interval) that nothing ever
 * stops, which kept every `--port` command's process alive after it finished: the intervals made
 * while the transport is created are unref'd (they still run while the bus does) and returned, to
 * be cleared when the bus closes.
 */
function serialTransport(path: string): { transport: any; timers: ReturnType<typeof setInterval>[] } {
    const timers: ReturnType<typeof setInterval>[] = []
    const setIntervalWas = globalThis.setInterval
    globalThis.setInterval = ((...a: Parameters<typeof setInterval>) => {
        const t = setIntervalWas(...a)
        t.unref?.()
        timers.push(t)
        return t
    }) as typeof setInterval
    try {
        const transport = jd.createNodeWebSerialTransport(pinnedSerialPort(serialPortClass(), path, () => listSerialPortsWith(path)))
        // its pulse check reconnects a port that went quiet; when the port is gone and the bus closed
        // meanwhile, that reconnect threw "attempted to connect to a disposed transport" unhandled
        const connect = transport.connect.bind(transport)
        transport.connect = (background?: boolean) => ((transport as any).disposed ? Promise.resolve() : connect(background))
        return { transport, timers }
    } finally {
        globalThis.setInterval = setIntervalWas
    }
}

/** A started jacdac-ts bus on the target, connected. */
export async function openBus(target: Target): Promise<OpenBus> {
    let transport
    let timers: ReturnType<typeof setInterval>[] = []
    if (target.kind === "sim") {
        if (!(await simAnswers(target.host, target.port)))
            throw new NoBoardError(`no simulator at ${target.host}:${target.port}: start one with \`wasmlet sim\``)
        transport = jd.createNodeSocketTransport(target.port, target.host)
    } else {
        const ports = await listSerialPortsWith(target.path)
        if (!ports.some(p => p.path === target.path))
            throw new NoBoardError(`no serial port ${target.path}${ports.length ? ` (ports: ${ports.map(p => p.path).join(", ")})` : ""}`)
        ;({ transport, timers } = serialTransport(target.path))
    }
    const bus = new jd.JDBus([transport], { client: false, disableRoleManager: true })
    // both reconnect by themselves: devtools restarted, a serial board plugged back at its path
    // (the port watch lists it again) or reset (a USB board re-enumerates)
    bus.autoConnect = true
    try {
        await bus.connect()
    } catch (e: any) {
        timers.forEach(t => clearInterval(t))
        await bus.dispose()
        throw new NoBoardError(`cannot open ${describeTarget(target)}: ${e.message}`)
    }
    bus.start()
    return {
        bus,
        target,
        close: async () => {
            // the serial transport's watch first: after a lost port it would reconnect a disposed transport
            timers.forEach(t => clearInterval(t))
            bus.stop()
            await bus.disconnect()
            await bus.dispose()
        },
    }
}

// ---------------------------------------------------------------- choosing a target

export interface TargetOptions {
    /** `--port PATH`: a board on this serial port. */
    port?: string
    /** `--sim`: the running simulator. */
    sim?: boolean
    simHost?: string
    simPort?: number
}

export interface DeviceListing {
    boards: SerialInfo[]
    /** Serial ports that do not look like boards. */
    otherPorts: SerialInfo[]
    sim: { host: string; port: number; running: boolean }
}

/** What `wasmlet devices` shows: board-like serial ports, other ports, and whether the simulator link answers. */
export async function listDevices(o: TargetOptions = {}): Promise<DeviceListing> {
    const host = o.simHost ?? SIM_HOST
    const port = o.simPort ?? SIM_PORT
    const [ports, running] = await Promise.all([listSerialPorts().catch(() => [] as SerialInfo[]), simAnswers(host, port)])
    return { boards: ports.filter(looksLikeBoard), otherPorts: ports.filter(p => !looksLikeBoard(p)), sim: { host, port, running } }
}

/** The target a command means: --port, --sim, else the one connected board, else the running simulator. */
export async function resolveTarget(o: TargetOptions = {}): Promise<Target> {
    const host = o.simHost ?? SIM_HOST
    const port = o.simPort ?? SIM_PORT
    if (o.port && o.sim) throw new NoBoardError("give --port or --sim, not both")
    if (o.port) return { kind: "serial", path: o.port }
    if (o.sim) return { kind: "sim", host, port }
    const d = await listDevices(o)
    if (d.boards.length === 1) return { kind: "serial", path: d.boards[0].path }
    if (d.boards.length > 1)
        throw new NoBoardError(`${d.boards.length} boards connected (${d.boards.map(b => b.path).join(", ")}): pick one with --port PATH`)
    if (d.sim.running) return { kind: "sim", host, port }
    throw new NoBoardError("no board connected and no simulator running: start one with `wasmlet sim`, or give --port PATH")
}
