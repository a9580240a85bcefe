// wasmlet stop NAME [--port PATH | --sim] [--json] [--timeout MS]: stop an app; it stays installed, and stopped across reboots, until wasmlet start.
// Output: "stopped NAME on BOARD", or {"name", "done": "stopped"} with --json.
import { nameCommand } from "./_common"

export const summary = "stop an app; it stays installed, and stopped across reboots, until wasmlet start"

export const main = nameCommand("stop", "stopped", summary)
