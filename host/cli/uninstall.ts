// wasmlet uninstall NAME [--port PATH | --sim] [--json] [--timeout MS]: stop an app (its on_destroy runs) and remove it from the board and its store; a baked app of that name comes back.
// Output: "uninstalled NAME on BOARD", or {"name", "done": "uninstalled"} with --json.
import { nameCommand } from "./_common"

export const summary = "remove an app from the board and its store (its on_destroy runs; a baked app of that name comes back)"

export const main = nameCommand("uninstall", "uninstalled", summary)
