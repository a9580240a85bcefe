// WAMR's connection API on Node (`wasmlet run`'s TCP provider): a C app opens TCP to a local
// server, sends a line, prints what comes back and sees the close; without a provider (a board
// without a network stack) the open fails and the console says why.
import { describe, expect, it } from "vitest"
import { createServer } from "node:net"
import { compileAppImage, supportImages } from "../../host/run/app-images"
import { TcpConnections } from "../../host/run/tcp"
import { makeRuntime } from "./helpers"
import { buildCApp, haveClang } from "./build-c"

const APP = (port: number) => `
#include "wasm_app.h"
static void on_event(connection_t *conn, conn_event_type_t type, const char *data, uint32 len, void *user) {
    if (type == CONN_EVENT_TYPE_DATA) printf("got %d: %.*s\\n", (int)len, (int)len, data);
    else printf("closed\\n");
}
void on_init(void) {
    attr_container_t *args = attr_container_create("");
    attr_container_set_string(&args, "address", "127.0.0.1");
    attr_container_set_uint16(&args, "port", ${port});
    connection_t *c = api_open_connection("TCP", args, on_event, NULL);
    attr_container_destroy(args);
    if (c == NULL) { printf("open failed\\n"); return; }
    api_send_on_connection(c, "ping", 4);
}
`


describe.skipIf(!haveClang)("connections", () => {
    it("TCP through the host: send, receive, peer close", async () => {
        const server = createServer(s => s.on("data", d => s.end("pong:" + d.toString())))
        await new Promise<void>(r => server.listen(0, "127.0.0.1", r))
        const port = (server.address() as any).port
        try {
            const s = supportImages()
            const t = makeRuntime({ libc: s.libc, wasi: s.wasi })
            t.rt.connections = new TcpConnections(t.rt)
            const app = await t.rt.install("conn", Buffer.from(compileAppImage(buildCApp(APP(port))).image), true)
            // real sockets: let Node's event loop run between virtual-time turns
            for (let i = 0; i < 200 && !t.host.lines.includes("conn: closed"); i++) {
                await t.runFor(10)
                await new Promise(r => setTimeout(r, 5))
            }
            expect(t.host.lines).toEqual(["conn: got 9: pong:ping", "conn: closed"])
            expect(app.traps).toBe(0)
        } finally {
            server.close()
        }
    })

    it("without a network stack the open fails and says why", async () => {
        const s = supportImages()
        const t = makeRuntime({ libc: s.libc, wasi: s.wasi })
        await t.rt.install("conn", Buffer.from(compileAppImage(buildCApp(APP(1))).image), true)
        await t.runFor(100)
        expect(t.host.lines).toEqual(["conn: wasmlet: connection TCP: no network stack for apps on this board", "conn: open failed"])
    })
})
