// Firmware entry for the DeviceScript simulator (`npm start`, `devs run firmware/src/main.ts`).
// Real boards have their own entries in ./boards/<id>.ts.
import { profile } from "../../boards/simulator"
import { bootFirmware, idleForever } from "./firmware"

await bootFirmware(profile)
await idleForever()
