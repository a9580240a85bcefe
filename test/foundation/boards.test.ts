// Board profiles are sane, and the firmware builds for every board.
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { boards, hardwareBoards } from "../../boards/index"
import { readBudgets } from "../../scripts/firmware-metrics"
import { boardEntry, buildBoards } from "../../scripts/build"
import { ROOT } from "../../scripts/lib/devs"

const REQUIRED = ["seeed_xiao_esp32c3", "esp32s3_devkit_m", "pico_w"]

describe("board profiles", () => {
    test("the three boards and the simulator have profiles", () => {
        expect(boards.map(b => b.id).sort()).toEqual([...REQUIRED, "simulator"].sort())
        expect(boards[0].id).toBe("simulator")
    })

    test("each arena fits the DeviceScript heap beside the idle firmware", () => {
        const { idleHeapBytes } = readBudgets()
        for (const b of boards) {
            expect(b.arenaBytes, b.id).toBeGreaterThanOrEqual(16 * 1024)
            // ~62 KB of the 64 KB heap is usable; keep 6 KB for the apps' own DeviceScript objects.
            expect(b.arenaBytes + idleHeapBytes, b.id).toBeLessThanOrEqual(b.devsHeapBytes - 8 * 1024)
        }
    })

    test("limits are positive integers within DeviceScript's reach", () => {
        for (const b of boards) {
            const l = b.limits
            for (const [k, v] of Object.entries(l)) expect(Number.isInteger(v) && v > 0, `${b.id}.${k}`).toBe(true)
            // An app's stacks (8-byte value slots and 8-byte frame records) come out of its quota,
            // which must fit the arena; the stacks fill whole 1 KiB arena pages.
            expect(l.appArenaBytes, b.id).toBeLessThanOrEqual(b.arenaBytes)
            expect((l.valueStackSlots + l.callDepth) * 8, b.id).toBeLessThan(l.appArenaBytes)
            expect(((l.valueStackSlots + l.callDepth) * 8) % 1024, b.id).toBe(0)
            // The engine yields after sliceFuel (code bytes); DeviceScript panics after 128K VM
            // steps, and i64-heavy code costs ~150 steps per instruction (4000 tripped it).
            expect(l.sliceFuel, b.id).toBeLessThanOrEqual(2000)
        }
    })

    test("real boards name their I2C sensor wiring; ids are DeviceScript boards", () => {
        const dts = readFileSync(join(ROOT, "node_modules/@devicescript/core/src/devicescript-boards.d.ts"), "utf8")
        for (const b of hardwareBoards) {
            expect(dts, b.id).toContain(`declare module "@dsboard/${b.id}"`)
            expect(b.sensors.length, b.id).toBeGreaterThan(0)
            for (const s of b.sensors) {
                expect(s.driver).toMatch(/^start[A-Z]/)
                expect(s.i2c, `${b.id} ${s.role}`).toBeDefined()
            }
        }
    })

    test("each real board has a firmware entry importing @dsboard/<id> and its profile", () => {
        for (const b of hardwareBoards) {
            const file = join(ROOT, boardEntry(b.id))
            expect(existsSync(file), file).toBe(true)
            const src = readFileSync(file, "utf8")
            expect(src).toContain(`from "@dsboard/${b.id}"`)
            expect(src).toContain(`from "../../../boards/${b.id}"`)
            const i2c = b.sensors[0].i2c!
            expect(src).toContain(`pins.${i2c.sda}`)
            expect(src).toContain(`pins.${i2c.scl}`)
        }
    })
})

describe("firmware builds", () => {
    test("for every board", async () => {
        const lines: string[] = []
        const results = await buildBoards(s => lines.push(s))
        expect(results.map(r => r.id).sort()).toEqual([...REQUIRED].sort())
        expect(results.filter(r => !r.ok), lines.join("\n")).toEqual([])
    }, 300_000)
})
