// `npm start -- --install NAME=FILE ...`: once the simulated board accepts commands, install apps
// into it over the link, as `wasmlet install --sim` does (host/link): npm start's board comes up
// with the sample apps baked into its firmware and the timer sample installed. An app whose
// stored form is on the board already is not sent again (the client's resume finds every chunk).
import { readFileSync } from "node:fs"
import { compileAppImage } from "../host/run/app-images"
import { connect } from "../host/link/connect"

export interface AppToInstall {
    name: string
    file: string
}

/** "NAME=FILE" */
export function parseInstall(v: string): AppToInstall {
    const eq = v.indexOf("=")
    if (eq <= 0 || eq === v.length - 1) throw new Error(`--install wants NAME=FILE.wasm, got ${JSON.stringify(v)}`)
    return { name: v.slice(0, eq), file: v.slice(eq + 1) }
}

/** Installs each app on the board with that manager device id; says how each went. Never throws. */
export async function installApps(deviceId: string, apps: AppToInstall[], log: (s: string) => void): Promise<boolean> {
    let ok = true
    let link
    try {
        link = await connect({ sim: true, device: deviceId, timeoutMs: 20_000 })
    } catch (e: any) {
        log(`[start] cannot install ${apps.map(a => a.name).join(", ")}: ${e.message}`)
        return false
    }
    try {
        for (const a of apps) {
            try {
                const r = await link.client.install(a.name, compileAppImage(readFileSync(a.file)).image)
                log(`[start] installed ${a.name}: ${r.storedBytes} B stored in ${r.chunks} chunks, ${r.ms} ms`)
            } catch (e: any) {
                ok = false
                log(`[start] install ${a.name} failed: ${e.message}`)
            }
        }
    } finally {
        await link.close()
    }
    return ok
}
