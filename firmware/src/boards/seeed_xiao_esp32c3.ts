// Firmware entry for the seeed_xiao_esp32c3 board. Importing @dsboard/seeed_xiao_esp32c3 is how DeviceScript selects the
// board (its pin names and built-in services); build with `devs build firmware/src/boards/seeed_xiao_esp32c3.ts`.
import { pins } from "@dsboard/seeed_xiao_esp32c3"
import { profile } from "../../../boards/seeed_xiao_esp32c3"
import { bootFirmware, idleForever } from "../firmware"
import { LIBC_IMAGE } from "../libc-image"
import { WASI_IMAGE } from "../wasi-image"

// The profile's I2C pins, by name: the build fails if the board has no such pins.
await bootFirmware(profile, [], LIBC_IMAGE, WASI_IMAGE, [pins.SDA_D4, pins.SCL_D5])
await idleForever()
