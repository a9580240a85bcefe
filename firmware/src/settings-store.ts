// The app manager's Store (manager/manifest.ts) on DeviceScript's settings service: binary values,
// read with an action/report pair (devicescript-facts.md section 4). A missing key reads back as
// an empty value, which the store reports as null. (The manager only passes keys of its own sets.)
import * as ds from "@devicescript/core"
import { Store } from "../../manager/manifest"

/** How long a read waits for the settings service's answer (it takes ~33 ms in the simulator). */
const GET_TIMEOUT_MS = 2000

export class SettingsStore implements Store {
    private readonly s = new ds.Settings()

    /**
     * ds.actionReport's pattern (listen for the `get` report of this key, send `get`, suspend), with
     * a timeout: a key the service answers under another name must not hang the manager for good.
     */
    async get(key: string): Promise<Buffer> {
        const s = this.s
        const code = s.spec.lookup("get").code
        const fib = ds.Fiber.self()
        const unsub = s.report().subscribe(pkt => {
            if (pkt.serviceCommand === code && pkt.decode()[0] === key) {
                unsub()
                fib.resume(pkt)
            }
        })
        await s.get(key)
        const pkt = await ds.suspend<ds.Packet>(GET_TIMEOUT_MS)
        if (!pkt) {
            unsub()
            throw new Error("the settings store did not answer for " + key)
        }
        const v: Buffer = pkt.decode()[1]
        return v && v.length > 0 ? v : null
    }
    async set(key: string, value: Buffer): Promise<void> {
        await this.s.set(key, value)
    }
    async remove(key: string): Promise<void> {
        await this.s.delete(key)
    }
}
