// Every test app in apps.ts assembles and compiles as a WAMR-style app (a broken WAT would
// otherwise show up as confusing failures in the behaviour tests).
import { describe, expect, it } from "vitest"
import * as A from "./apps"
import { appImage } from "./fw-helpers"

describe("framework test apps", () => {
    const all: Record<string, string> = { ...A.DEVS_APPS, probe: A.probeApp(), order: A.ORDER_APP, loopTimer: A.LOOP_TIMER_APP, sensor: A.SENSOR_APP }
    for (const [name, src] of Object.entries(all)) {
        it(`${name} compiles`, async () => {
            const img = await appImage(src)
            expect(img.length).toBeGreaterThan(64)
        })
    }
})
