// wasmlet start NAME [--port PATH | --sim] [--json] [--timeout MS]: start a stopped app again from its image.
// Output: "started NAME on BOARD", or {"name", "done": "started"} with --json.
import { nameCommand } from "./_common"

export const summary = "start a stopped app again from its image"

export const main = nameCommand("start", "started", summary)
