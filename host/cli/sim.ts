// wasmlet sim [--clear] [--name NAME] [--firmware FILE.devs|entry.ts] [--sensors FILE | --no-sensors] [--quiet]
//
// A simulated board in the foreground until Ctrl-C (sim/start.ts does the work; `npm start` is
// the same board): the firmware in the DeviceScript simulator, its console shown, simulated
// sensors served (default sim/sensors.example.json), and the Jacdac link that `wasmlet ... --sim`
// commands use (127.0.0.1:8082; the dashboard at http://127.0.0.1:8081/). "[start] ready: ..."
// says when it accepts commands.
//
// The board keeps its flash (deployed program, settings, installed apps) in .wasmlet/sims/NAME of
// the current directory between runs (NAME "default"); --clear wipes it first. Several boards run
// at once with distinct names: the first starts the link (devtools' ports are fixed), the others
// join it, each with its own flash and device id; stopping the first stops the link for all.
// --firmware runs a baked build (`wasmlet build`) or another firmware entry instead of the
// default firmware (firmware/src/main.ts, rebuilt only when its sources changed).
//
// Exit codes: 130 on Ctrl-C, 1 when the board could not start or stopped by itself, 2 usage.
import { start, StartOptions } from "../../sim/start"
import { EXIT, runCommand } from "./_common"

export const summary = "run a simulated board until Ctrl-C (flash kept between runs) [--clear] [--name NAME] [--firmware FILE]"

const USAGE =
    "usage: wasmlet sim [--clear] [--name NAME] [--firmware FILE.devs|entry.ts] [--sensors FILE | --no-sensors] [--quiet]\n" +
    "                   [--exit-after REGEX|MS] [--timeout MS]"

const OPTIONS = {
    clear: { type: "boolean" },
    name: { type: "string" },
    firmware: { type: "string" },
    sensors: { type: "string" },
    "no-sensors": { type: "boolean" },
    quiet: { type: "boolean" },
    "exit-after": { type: "string" },
} as const

export async function main(args: string[]): Promise<number> {
    return runCommand("sim", USAGE, args, { options: OPTIONS, min: 0, max: 0 }, async p => {
        const v = p.values
        const exit = v["exit-after"] as string | undefined
        const o: StartOptions = {
            timeoutMs: p.target.timeoutMs ?? 60_000,
            build: true,
            quiet: v.quiet === true,
            clear: v.clear === true,
            name: v.name as string | undefined,
            firmware: v.firmware as string | undefined,
            sensors: v["no-sensors"] ? null : (v.sensors as string | undefined),
            exitAfter: exit === undefined ? undefined : /^\d+$/.test(exit) ? Number(exit) : new RegExp(exit),
        }
        console.debug = () => {} // jacdac-ts's transport chatter ("tcp: connecting")
        const code = await start(o)
        return code === 130 ? EXIT.INTERRUPTED : code
    })
}
