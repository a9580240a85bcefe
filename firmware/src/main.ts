// Firmware entry for the DeviceScript simulator (`npm start`, `devs run firmware/src/main.ts`):
// the simulator's profile, with the sample apps baked in. Real boards have their own entries in
// ./boards/<id>.ts.
import { profile } from "../../boards/simulator"
import { bootFirmware, idleForever } from "./firmware"
import { sampleApps } from "./sample-apps"
import { LIBC_IMAGE } from "./libc-image"
import { WASI_IMAGE } from "./wasi-image"

await bootFirmware(profile, sampleApps, LIBC_IMAGE, WASI_IMAGE)
await idleForever()
