// Boot like main.ts, go idle, then measure the free heap (see heap-probe-lib.ts).
import * as ds from "@devicescript/core"
import { profile } from "../../../boards/simulator"
import { bootFirmware } from "../firmware"
import { LIBC_IMAGE } from "../libc-image"
import { WASI_IMAGE } from "../wasi-image"
import { fillHeap } from "./heap-probe-lib"

await bootFirmware(profile, [], LIBC_IMAGE, WASI_IMAGE)
await ds.sleep(500) // the scheduler idles with no apps
console.log("wasmlet: idle")
await fillHeap()
