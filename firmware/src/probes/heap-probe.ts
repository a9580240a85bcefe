// Boot like main.ts, go idle, then measure the free heap (see heap-probe-lib.ts).
import * as ds from "@devicescript/core"
import { profile } from "../../../boards/simulator"
import { bootFirmware } from "../firmware"
import { fillHeap } from "./heap-probe-lib"

await bootFirmware(profile, [])
await ds.sleep(500) // the scheduler idles with no apps
console.log("wasmlet: idle")
await fillHeap()
