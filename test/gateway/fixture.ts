// The gateway's test fixture: real Gateway servers (host/gateway/server.ts) on an ephemeral loopback
// port in front of NodeBoards (test/link/node-board.ts: the real AppManager and Runtime on Node)
// behind real ManagerClients, and small WAT apps that answer what the tests need: echo (its request's
// payload and format back, 2.05), status (answers with the status byte its raw payload starts with),
// mute (never answers), tick (publishes "tick" every 50 ms).
import { ManagerClient } from "../../host/link/client"
import { compileAppImage } from "../../host/run/app-images"
import { Gateway, GatewayOptions } from "../../host/gateway/server"
import { NodeBoard, NodeBoardOptions } from "../link/node-board"
import { watToWasm } from "../engine/helpers"

const RESPOND = (status: string, payload: boolean) => `(module
  (import "env" "wasm_response_send" (func $send (param i32 i32) (result i32)))
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init"))
  (func (export "on_request") (param $buf i32) (param $size i32) (local $ul i32) (local $pl i32)
    (local.set $ul (i32.or (i32.shl (i32.load8_u offset=12 (local.get $buf)) (i32.const 8)) (i32.load8_u offset=13 (local.get $buf))))
    (local.set $pl (i32.sub (i32.sub (local.get $size) (i32.const 18)) (local.get $ul)))
    ${payload ? "" : "(local.set $pl (i32.const 0))"}
    (i32.store8 (i32.const 64) (i32.const 1))
    (i32.store8 (i32.const 65) ${status})
    (i32.store16 (i32.const 66) (i32.load16_u offset=2 (local.get $buf)))
    (i32.store (i32.const 68) (i32.load offset=4 (local.get $buf)))
    (i32.store (i32.const 72) (i32.load offset=8 (local.get $buf)))
    (i32.store8 (i32.const 76) (i32.shr_u (local.get $pl) (i32.const 24)))
    (i32.store8 (i32.const 77) (i32.shr_u (local.get $pl) (i32.const 16)))
    (i32.store8 (i32.const 78) (i32.shr_u (local.get $pl) (i32.const 8)))
    (i32.store8 (i32.const 79) (local.get $pl))
    (memory.copy (i32.const 80) (i32.add (i32.add (local.get $buf) (i32.const 18)) (local.get $ul)) (local.get $pl))
    (drop (call $send (i32.const 64) (i32.add (i32.const 16) (local.get $pl))))))`

/** 2.05 with the request's payload and format. */
export const ECHO = RESPOND("(i32.const 69)", true)
/** The status byte is the request payload's first byte; no payload back. */
export const STATUS = RESPOND("(i32.load8_u (i32.add (i32.add (local.get $buf) (i32.const 18)) (local.get $ul)))", false)
/** Takes requests and never answers. */
export const MUTE = `(module
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init"))
  (func (export "on_request") (param i32 i32)))`
/** Publishes event "tick" (no payload) every 50 ms. */
export const TICK = `(module
  (import "env" "wasm_create_timer" (func $timer (param i32 i32 i32) (result i32)))
  (import "env" "wasm_post_request" (func $post (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "\\01\\06\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\00\\05\\00\\00\\00\\00tick\\00")
  (func (export "malloc") (param i32) (result i32) (i32.const 1024))
  (func (export "free") (param i32))
  (func (export "on_init") (drop (call $timer (i32.const 50) (i32.const 1) (i32.const 1))))
  (func (export "on_timer_callback") (param i32) (call $post (i32.const 16) (i32.const 23))))`

const wasmCache = new Map<string, Uint8Array>()
export async function wasm(wat: string): Promise<Uint8Array> {
    let w = wasmCache.get(wat)
    if (!w) wasmCache.set(wat, (w = await watToWasm(wat)))
    return w
}

export interface Served {
    url: string
    gateway: Gateway
    boards: { board: NodeBoard; client: ManagerClient; id: string; shortId: string }[]
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
        const board = await new NodeBoard({ arenaBytes: 48 * 1024, appArenaBytes: 16 * 1024, ...o.board }).boot()
        const client = new ManagerClient(board.channel, { resendMs: 40, busyMs: 10, responseMs: 1500 })
        boards.push({ board, client, id: `0123456789abcd0${i}`, shortId: `BRD${i}` })
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
            for (const b of boards) {
                b.client.close()
                b.board.halt()
            }
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
