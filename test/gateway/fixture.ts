// The gateway's test fixture: real Gateway servers (host/gateway/server.ts) on an ephemeral loopback
// port in front of NodeBoards (test/link/node-board.ts: the real AppManager and Runtime on Node)
// behind real ManagerClients (test/link/node-board-client.ts), and small WAT apps that answer what the tests need: echo (its request's
// payload and format back, 2.05), status (answers with the status byte its raw payload starts with),
// mute (never answers), tick (publishes "tick" every 50 ms).
import { compileAppImage } from "../../host/run/app-images"
import { Gateway, GatewayOptions } from "../../host/gateway/server"
import type { NodeBoardOptions } from "../link/node-board"
import { BoardWithClient, bootBoardWithClient } from "../link/node-board-client"
import { responderWat, TICK, wasm } from "../link/node-board-apps"

export { TICK, wasm }

/** 2.05 with the request's payload and format. */
export const ECHO = responderWat("(i32.const 69)", { payload: true })
/** The status byte is the request payload's first byte; no payload back. */
export const STATUS = responderWat("(i32.load8_u (i32.add (i32.add (local.get $buf) (i32.const 18)) (local.get $ul)))", { payload: false })
/** Takes requests and never answers. */
export const MUTE = `(module
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init"))
  (func (export "on_request") (param i32 i32)))`

export interface Served {
    url: string
    gateway: Gateway
    boards: (BoardWithClient & { id: string; shortId: string })[]
    /** fetch relative to the gateway. */
    get(path: string, init?: RequestInit): Promise<Response>
    close(): Promise<void>
}

/**
 * Boots `n` NodeBoards, installs `apps` (name -> WAT) on the first, and serves them all.
 * Device ids: 0123456789abcd0N, short ids BRDN.
 */
export async function serve(o: { n?: number; apps?: Record<string, string>; gateway?: Partial<GatewayOptions>; board?: NodeBoardOptions } = {}): Promise<Served> {
    const boards: Served["boards"] = []
    for (let i = 0; i < (o.n ?? 1); i++) {
        const b = await bootBoardWithClient({ arenaBytes: 48 * 1024, appArenaBytes: 16 * 1024, ...o.board }, { responseMs: 1500 })
        boards.push({ ...b, id: `0123456789abcd0${i}`, shortId: `BRD${i}` })
    }
    for (const [name, wat] of Object.entries(o.apps ?? {})) await boards[0].client.install(name, compileAppImage(await wasm(wat)).image)
    const gateway = new Gateway({ boards: boards.map(b => ({ id: b.id, shortId: b.shortId, label: `node board ${b.shortId}`, client: b.client })), ...o.gateway })
    const addr = await gateway.listen(0, "127.0.0.1")
    const url = `http://127.0.0.1:${addr.port}`
    return {
        url,
        gateway,
        boards,
        get: (path, init) => fetch(url + path, init),
        close: async () => {
            await gateway.close()
            for (const b of boards) b.close()
        },
    }
}

/** Reads SSE messages from a fetch Response until `want` of them (comments skipped) or the timeout. */
export async function readSse(res: Response, want: number, timeoutMs = 5000): Promise<{ event: string; data: any }[]> {
    const reader = res.body!.getReader()
    const out: { event: string; data: any }[] = []
    let text = ""
    const deadline = Date.now() + timeoutMs
    try {
        while (out.length < want && Date.now() < deadline) {
            const r = await Promise.race([reader.read(), new Promise<null>(r => setTimeout(() => r(null), deadline - Date.now()))])
            if (!r || r.done) break
            text += Buffer.from(r.value).toString("utf8")
            let cut: number
            while ((cut = text.indexOf("\n\n")) >= 0) {
                const block = text.slice(0, cut)
                text = text.slice(cut + 2)
                const lines = block.split("\n").filter(l => !l.startsWith(":"))
                if (!lines.length) continue
                const event = lines.find(l => l.startsWith("event: "))?.slice(7) ?? "message"
                const data = lines.filter(l => l.startsWith("data: ")).map(l => l.slice(6)).join("\n")
                out.push({ event, data: JSON.parse(data) })
            }
        }
    } finally {
        await reader.cancel().catch((): void => undefined)
    }
    return out
}
