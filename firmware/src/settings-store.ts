// The app manager's Store (manager/manifest.ts) on DeviceScript's settings service: binary values,
// read with an action/report pair (devicescript-facts.md section 4). A missing key reads back as
// an empty value, which the store reports as null.
import * as ds from "@devicescript/core"
import { Store } from "../../manager/manifest"

export class SettingsStore implements Store {
    private readonly s = new ds.Settings()

    async get(key: string): Promise<Buffer> {
        const s = this.s
        const pkt = await ds.actionReport(s, "get", async () => await s.get(key), p => p.decode()[0] === key)
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
