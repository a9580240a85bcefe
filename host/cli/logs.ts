// wasmlet logs [NAME] [--follow] [--port PATH | --sim] [--json] [--timeout MS]
//
// Prints the console lines the board still holds, of app NAME or of every app, then with --follow the
// new ones as they come, until Ctrl-C (exit 0). Console lines read `[app] text`; the runtime's notes
// about an app (trapped, stopped, exited, removed, installed) read `[app] -- note`. --json: one
// object per line, {app, kind: "console" | "note", text}.
import type { LogLine } from "../link/packets"
import { EXIT, TARGET_HELP, TARGET_USAGE, runCommand, untilInterrupted, withBoard } from "./_common"

export const summary = "print apps' console lines the board holds [NAME] [--follow]"

const USAGE = `usage: wasmlet logs [NAME] [--follow] ${TARGET_USAGE}
  --follow   keep printing new lines until Ctrl-C
${TARGET_HELP}`

export function formatLogLine(l: LogLine, withApp = true): string {
    const head = withApp && l.app ? `[${l.app}] ` : ""
    return l.kind === "note" ? `${head}-- ${l.text}` : head + l.text
}

export function logJson(l: LogLine) {
    return { app: l.app, kind: l.kind, text: l.text }
}

export async function main(args: string[], signal?: AbortSignal): Promise<number> {
    return runCommand("logs", USAGE, args, { options: { follow: { type: "boolean", short: "f" } }, min: 0, max: 1 }, async (p, out) => {
        const name = p.positionals[0] ?? ""
        return withBoard(p.target, async board => {
            const show = (l: LogLine) => out.item(logJson(l), formatLogLine(l, name === ""))
            for (const l of await board.client.logs(name)) show(l)
            if (!p.values.follow) return EXIT.OK
            const off = board.client.onLog(l => {
                if (name === "" || l.app === name) show(l)
            })
            try {
                await untilInterrupted(signal)
            } finally {
                off()
            }
            return EXIT.OK
        })
    })
}
