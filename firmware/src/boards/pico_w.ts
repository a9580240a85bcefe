// Firmware entry for the pico_w board. Importing @dsboard/pico_w is how DeviceScript selects the
// board (its pin names and built-in services); build with `devs build firmware/src/boards/pico_w.ts`.
import { pins } from "@dsboard/pico_w"
import { profile } from "../../../boards/pico_w"
import { bootFirmware, idleForever } from "../firmware"
import { LIBC_IMAGE } from "../libc-image"
import { WASI_IMAGE } from "../wasi-image"

// The profile's I2C pins, by name: the build fails if the board has no such pins.
await bootFirmware(profile, [], LIBC_IMAGE, WASI_IMAGE, [pins.GP4, pins.GP5])
await idleForever()
