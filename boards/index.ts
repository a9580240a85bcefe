// All board profiles, for host-side code and tests. (The firmware imports one profile only.)
import { BoardProfile } from "./profile"
import { profile as simulator } from "./simulator"
import { profile as seeedXiaoEsp32c3 } from "./seeed_xiao_esp32c3"
import { profile as esp32s3DevkitM } from "./esp32s3_devkit_m"
import { profile as picoW } from "./pico_w"

export type { BoardProfile, AppLimits, SensorWiring } from "./profile"

/** Every profile; the first is the simulator's (the one `npm start` uses). */
export const boards: BoardProfile[] = [simulator, seeedXiaoEsp32c3, esp32s3DevkitM, picoW]

/** Real boards only (those with a @dsboard/<id> module and a firmware entry of their own). */
export const hardwareBoards: BoardProfile[] = boards.filter(b => b.id !== "simulator")
