// Boot like main.ts, go idle, then measure the free heap (see heap-probe-lib.ts).
import { profile } from "../../../boards/simulator"
import { bootFirmware } from "../firmware"
import { fillHeap } from "./heap-probe-lib"

await bootFirmware(profile)
console.log("wasmlet: idle")
await fillHeap()
