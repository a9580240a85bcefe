// wasmlet deploy FILE.devs [--port PATH | --sim] [--device ID] [--json] [--timeout MS]
//
// Sends a program image (a firmware built by `wasmlet build`, or any DeviceScript .devs) to a
// board over its Jacdac link with DeviceScript's own deploy (host/firmware/deploy.ts): no native
// reflash, the board's VM restarts with the new program. Targets as for the other board commands:
// --port PATH (USB serial), --sim (the running `wasmlet sim`, 127.0.0.1:8082), neither (the one
// connected board, else the simulator); --device picks one of several boards on one link.
// For the simulator the image is checked against its program area first. A simulated board runs
// the deployed program until it is restarted (`wasmlet sim` deploys its own firmware at start;
// `wasmlet sim --firmware FILE.devs` runs a build from the start).
//
// Exit codes: 0 deployed and running; 1 refused (not a program image, too large, the board did not
// take it); 2 usage; 3 no board; 4 timeout.
import { readFileSync } from "node:fs"
import { EXIT, InvalidModuleError, runCommand, TARGET_HELP, TARGET_USAGE, UsageError } from "./_common"

export const summary = "send a program image (wasmlet build's .devs) to a board with DeviceScript's deploy; its VM restarts with it"

const USAGE = `usage: wasmlet deploy FILE.devs ${TARGET_USAGE}\n${TARGET_HELP}`

export async function main(args: string[]): Promise<number> {
    return runCommand("deploy", USAGE, args, { min: 1, max: 1 }, async (p, out) => {
        const file = p.positionals[0]
        let image: Buffer
        try {
            image = readFileSync(file)
        } catch (e: any) {
            throw new UsageError(`cannot read ${file}: ${e.message}`)
        }
        const { DeployError, deployImage, isProgramImage, pickDeviceScriptManager } = await import("../firmware/deploy")
        const { describeTarget, openBus, resolveTarget } = await import("../link/transport")
        const { simulatorProgramBytes } = await import("../firmware/program-area")
        if (!isProgramImage(image)) throw new InvalidModuleError(`${file} is not a DeviceScript program image (no "DevS" header): build one with \`wasmlet build\``)
        const target = await resolveTarget({ port: p.target.port, sim: p.target.sim })
        if (target.kind === "sim" && image.length > simulatorProgramBytes())
            throw new InvalidModuleError(`${file}: ${image.length} B is too large for the simulator's program area (${simulatorProgramBytes()} B)`)
        const where = describeTarget(target)
        const open = await openBus(target)
        try {
            const service = await pickDeviceScriptManager(open.bus, where, p.target.device, p.target.timeoutMs ?? 5000)
            out.note(`deploying ${file} (${image.length} B) to ${where} device ${service.device.shortId}...`)
            let r
            try {
                r = await deployImage(service, image)
            } catch (e: any) {
                if (e instanceof DeployError) throw new InvalidModuleError(e.message)
                throw e
            }
            out.result(
                { file, target: where, ...r },
                `deployed ${file} to ${where} device ${r.shortId}: ${r.bytes} B${r.sent ? "" : " (it had this image: restarted only)"}, running, ${(r.ms / 1000).toFixed(1)} s`
            )
            return EXIT.OK
        } finally {
            await open.close()
        }
    })
}
