// Sending a program image (.devs) to a board over its Jacdac link with DeviceScript's own deploy:
// no native reflash, the same USB serial link (or the simulator's devtools link) the app manager
// uses. The board's DeviceScript Manager service takes the image through its deploy_bytecode pipe,
// writes it to flash and restarts the VM with it.
//
// The sequence is the devs CLI's (cli/src/deploy.ts deployToService in @devicescript/cli 2.16.4):
// autostart and running off, the image through the pipe (jacdac-ts OutPipe.sendBytes, what
// DeviceScriptManagerClient.deployBytecode does), autostart back as it was and running on. Then,
// unlike the CLI, it checks: the board's program_sha256 register must be the image's SHA-256 and
// `running` must read 1, else the board did not take it (e.g. too large for its program area).
// An image the board already runs is not sent again (same SHA-256), only restarted.
import { createHash } from "node:crypto"
import { jd, JDBus, JDService } from "../link/jacdac"
import { NoBoardError } from "../link/errors"

export interface DeployResult {
    deviceId: string
    shortId: string
    bytes: number
    sha256: string
    /** false when the board had this image already (restarted only). */
    sent: boolean
    ms: number
}

export class DeployError extends Error {}

function sha256(b: Uint8Array): Buffer {
    return createHash("sha256").update(b).digest()
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** The DeviceScript Manager services on the bus, waited for up to timeoutMs (devices announce every ~500 ms). */
export async function deviceScriptManagers(bus: JDBus, timeoutMs: number, settleMs = 700): Promise<JDService[]> {
    const t0 = Date.now()
    let first = -1
    for (;;) {
        const found = bus.services({ serviceClass: jd.SRV_DEVICE_SCRIPT_MANAGER, lost: false })
        if (found.length && first < 0) first = Date.now()
        if ((first >= 0 && Date.now() - first >= settleMs) || Date.now() - t0 >= timeoutMs) return found
        await sleep(100)
    }
}

/** The one DeviceScript VM to deploy to: by device id / short id, or the only one there. */
export async function pickDeviceScriptManager(bus: JDBus, where: string, device?: string, timeoutMs = 5000): Promise<JDService> {
    const found = await deviceScriptManagers(bus, timeoutMs)
    const list = () => found.map(s => `${s.device.shortId} (${s.device.deviceId})`).join(", ")
    if (device) {
        const want = device.toLowerCase()
        const s = found.find(x => x.device.deviceId.toLowerCase() === want || x.device.shortId.toLowerCase() === want)
        if (!s) throw new NoBoardError(`no DeviceScript device ${device} on ${where}${found.length ? `; there is ${list()}` : ""}`)
        return s
    }
    if (found.length === 0) throw new NoBoardError(`no DeviceScript device on ${where} within ${timeoutMs} ms`)
    if (found.length > 1) throw new NoBoardError(`${found.length} DeviceScript devices on ${where}: ${list()}; pick one with --device ID`)
    return found[0]
}

/** A fresh reading of a register (not a cached one), or undefined if the board did not answer in time. */
async function readRegister(service: JDService, code: number, timeoutMs = 2000): Promise<Uint8Array | undefined> {
    const reg = service.register(code)
    const before = reg.lastGetTimestamp
    const t0 = Date.now()
    while (Date.now() - t0 < timeoutMs) {
        await reg.refresh()
        if (reg.lastGetTimestamp !== before && reg.data !== undefined) return reg.data
        await sleep(50)
    }
    return undefined
}

/** Deploys `image` to the DeviceScript Manager `service`; resolves once the board runs it. */
export async function deployImage(service: JDService, image: Uint8Array, onProgress?: (fraction: number) => void): Promise<DeployResult> {
    const t0 = Date.now()
    const want = sha256(image)
    const R = jd.DeviceScriptManagerReg
    const client = new jd.DeviceScriptManagerClient(service)
    const autostart = await readRegister(service, R.Autostart)
    const before = await readRegister(service, R.ProgramSha256)
    await client.setAutoStart(false)
    await client.setRunning(false)
    await sleep(10)
    const sent = !(before && before.length === 32 && Buffer.from(before).equals(want))
    if (sent) await client.deployBytecode(image, onProgress)
    if (autostart === undefined || autostart[0] !== 0) await client.setAutoStart(true)
    await client.setRunning(true)

    // the board writes the image to flash and restarts its VM: wait for its registers to say so
    let sha: Uint8Array | undefined
    let running: Uint8Array | undefined
    const deadline = Date.now() + 10_000
    do {
        await sleep(200)
        sha = await readRegister(service, R.ProgramSha256, 1000)
        running = await readRegister(service, R.Running, 1000)
    } while (!(sha && Buffer.from(sha).equals(want) && running?.[0] === 1) && Date.now() < deadline)
    if (!sha || !Buffer.from(sha).equals(want))
        throw new DeployError(
            `the board did not take the image (${image.length} B): its program is ${sha ? Buffer.from(sha).toString("hex").slice(0, 16) + "..." : "unknown"}, ` +
                `not ${want.toString("hex").slice(0, 16)}... (too large for its program area, or the link dropped packets?)`
        )
    if (running?.[0] !== 1) throw new DeployError("the board took the image but its VM is not running")
    return { deviceId: service.device.deviceId, shortId: service.device.shortId, bytes: image.length, sha256: want.toString("hex"), sent, ms: Date.now() - t0 }
}

/** Whether a buffer is a DeviceScript program image ("DevS" magic + version). */
export function isProgramImage(b: Uint8Array): boolean {
    return b.length >= 112 && Buffer.from(b.buffer, b.byteOffset, 4).toString("latin1") === "DevS"
}
