// Firmware entry for the DeviceScript simulator (`npm start`, `devs run firmware/src/main.ts`):
// the simulator's profile, with the sample apps baked in. Real boards have their own entries in
// ./boards/<id>.ts.
import { profile } from "../../boards/simulator"
import { bootFirmware, idleForever } from "./firmware"
import { sampleApps } from "./sample-apps"
import { LIBC_IMAGE } from "./libc-image"

// no WASI adapter: the sample apps do not need it, and the simulator's program area (~110 KB of
// flash) is nearly full (firmware/src/boards/* and `wasmlet run --sim` include it)
await bootFirmware(profile, sampleApps, LIBC_IMAGE, null)
await idleForever()
