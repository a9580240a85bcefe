// Firmware entry for the esp32s3_devkit_m board. Importing @dsboard/esp32s3_devkit_m is how DeviceScript selects the
// board (its pin names and built-in services); build with `devs build firmware/src/boards/esp32s3_devkit_m.ts`.
import { pins } from "@dsboard/esp32s3_devkit_m"
import { profile } from "../../../boards/esp32s3_devkit_m"
import { bootFirmware, idleForever } from "../firmware"
import { LIBC_IMAGE } from "../libc-image"
import { WASI_IMAGE } from "../wasi-image"

// The profile's I2C pins, by name: the build fails if the board has no such pins.
await bootFirmware(profile, [], LIBC_IMAGE, WASI_IMAGE, [pins.P8, pins.P9])
await idleForever()
