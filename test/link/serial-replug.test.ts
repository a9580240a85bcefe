// A board on USB serial that is unplugged and plugged back (or resets and re-enumerates): its
// device node goes away and comes back at the same path. A long-running host (serve, bridge) must
// fail commands at once while it is gone and carry on by itself when it is back, its event
// subscriptions made again. The board is test/link/pty-board.ts's, behind a symlink (the stable
// path, as udev's /dev/serial/by-id names are): unplugging closes its pty and removes the link,
// plugging back starts a new pty (the same device id and store, the apps starting afresh) and
// links it again.
import { mkdtempSync, rmSync, symlinkSync, unlinkSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"
import { connect } from "../../host/link/connect"
import { NoBoardError } from "../../host/link/errors"
import { compileAppImage } from "../../host/run/app-images"
import { MapStore } from "./node-board"
import { TICK, wasm } from "./node-board-apps"
import { PtyBoard } from "./pty-board"

const dir = mkdtempSync(join(tmpdir(), "wasmlet-replug-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

describe("a serial board unplugged and plugged back", () => {
    it("commands fail at once while it is gone; back at the same path, it is found again by itself, events included", async () => {
        const link = join(dir, "ttyBOARD")
        const store = new MapStore()
        const deviceId = "0a1b2c3d4e5f6071"
        const baked = [{ name: "tick", image: Buffer.from(compileAppImage(await wasm(TICK)).image) }]
        const plug = async () => {
            const b = await PtyBoard.start({ board: { baked, store }, deviceId })
            symlinkSync(b.path, link)
            return b
        }
        let board = await plug()
        const l = await connect({ port: link, timeoutMs: 10_000, timing: { resendMs: 200, tries: 10 } })
        try {
            const ticks: number[] = []
            await l.client.subscribe("tick", () => ticks.push(Date.now()))
            const t0 = Date.now()
            while (!ticks.length && Date.now() - t0 < 5000) await sleep(50)
            expect(ticks.length).toBeGreaterThan(0)

            // unplugged: the port closes and its node goes away
            await board.vanish()
            unlinkSync(link)
            const tu = Date.now()
            const err = await l.client.list().then(
                (): undefined => undefined,
                (e): any => e
            )
            expect(err).toBeInstanceOf(NoBoardError)
            expect(err.message).toMatch(/the link closed/)
            expect(Date.now() - tu).toBeLessThan(3000)

            // plugged back: the same path, a board that booted again
            await sleep(500)
            board = await plug()
            const tp = Date.now()
            let apps: string[] | undefined
            while (!apps && Date.now() - tp < 20_000) {
                apps = await l.client.list().then(
                    r => r.apps.map(a => `${a.name}:${a.state}`),
                    (): undefined => undefined
                )
                if (!apps) await sleep(250)
            }
            expect(apps).toEqual(["tick:running"])
            const back = Date.now() - tp
            while (!ticks.some(t => t > tp) && Date.now() - tp < 20_000) await sleep(50)
            expect(ticks.some(t => t > tp)).toBe(true) // the subscription was made again
            console.log(`[serial-replug] found again ${back} ms after the port came back`)
        } finally {
            await l.close()
            await board.close()
        }
    }, 60_000)
})
