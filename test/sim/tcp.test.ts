// Apps' TCP connections on the device, end to end in the DeviceScript simulator: a C app baked
// into the real firmware (bootFirmware sets firmware/src/device-tcp.ts as the connection provider)
// talks to TCP peers on 127.0.0.1 served by test/sim/tcp-peers.ts in the same private network
// namespace. In order, the app: is refused UDP and an open without an address; opens A to the
// echo peer and is refused a second connection while A is open; queues five sends before A opens
// (four fit, the fifth is refused) and gets them answered in order; sees A closed by the peer; opens
// B to a port nobody listens on and sees the error as a close; opens C (its port an int32) to the
// hold peer, sends before and after the open, closes C itself; opens D, and after D's data exits:
// the device program uninstalls it, which closes D (the peer sees it).
import { writeFileSync } from "node:fs"
import { createServer } from "node:net"
import { join } from "node:path"
import { describe, expect, test } from "vitest"
import { compileAppImage } from "../../host/run/app-images"
import { buildCApp, haveClang } from "../framework/build-c"
import { bakedAppsSource } from "../../scripts/gen-firmware-images"
import { ROOT, makeBuildDir, privateNetworkPrefix, run } from "../../scripts/lib/devs"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

const APP = (echo: number, hold: number, refused: number) => `
#include "wasm_app.h"
#include <stdlib.h>
#include <string.h>

/* extra attributes around address and port: the device's reader must step over them */
static connection_t *open_tcp(const char *address, int port, int wide, on_connection_event_f cb)
{
    attr_container_t *args = attr_container_create("tcp args");
    attr_container_set_double(&args, "timeout", 1.5);
    attr_container_set_bytearray(&args, "blob", (const int8_t *)"xyz", 3);
    if (address) attr_container_set_string(&args, "address", address);
    if (wide) attr_container_set_int(&args, "port", port);
    else attr_container_set_uint16(&args, "port", port);
    attr_container_set_bool(&args, "keepalive", true);
    connection_t *c = api_open_connection("TCP", args, cb, NULL);
    attr_container_destroy(args);
    return c;
}

static void on_d(connection_t *conn, conn_event_type_t type, const char *data, uint32 len, void *user)
{
    if (type != CONN_EVENT_TYPE_DATA) { printf("D closed\\n"); return; }
    printf("D got %d: %.*s\\n", (int)len, (int)len, data);
    exit(0);
}

static void on_c(connection_t *conn, conn_event_type_t type, const char *data, uint32 len, void *user)
{
    if (type != CONN_EVENT_TYPE_DATA) { printf("C closed\\n"); return; }
    printf("C got %d: %.*s\\n", (int)len, (int)len, data);
    if (len == 5 && memcmp(data, "hello", 5) == 0) {
        printf("C send %d\\n", api_send_on_connection(conn, "again", 5));
        return;
    }
    api_close_connection(conn);
    printf("C closed by the app, send %d\\n", api_send_on_connection(conn, "late", 4));
    connection_t *d = open_tcp("127.0.0.1", ${hold}, 0, on_d);
    printf("D open %s, send %d\\n", d ? "ok" : "failed", d ? api_send_on_connection(d, "last", 4) : -1);
}

static void on_b(connection_t *conn, conn_event_type_t type, const char *data, uint32 len, void *user)
{
    if (type == CONN_EVENT_TYPE_DATA) { printf("B got data\\n"); return; }
    printf("B closed\\n");
    api_close_connection(conn);
    connection_t *c = open_tcp("127.0.0.1", ${hold}, 1, on_c);
    printf("C open %s, send %d\\n", c ? "ok" : "failed", c ? api_send_on_connection(c, "hello", 5) : -1);
}

static void on_a(connection_t *conn, conn_event_type_t type, const char *data, uint32 len, void *user)
{
    if (type == CONN_EVENT_TYPE_DATA) { printf("A got %d: %.*s\\n", (int)len, (int)len, data); return; }
    printf("A closed\\n");
    api_close_connection(conn);
    printf("B open %s\\n", open_tcp("127.0.0.1", ${refused}, 1, on_b) ? "ok" : "failed");
}

void on_init(void)
{
    attr_container_t *u = attr_container_create("");
    attr_container_set_uint16(&u, "bind port", 1234);
    printf("udp %s\\n", api_open_connection("UDP", u, on_a, NULL) ? "ok" : "refused");
    attr_container_destroy(u);
    printf("no address %s\\n", open_tcp(NULL, ${echo}, 0, on_a) ? "ok" : "refused");
    connection_t *a = open_tcp("127.0.0.1", ${echo}, 0, on_a);
    printf("A open %s\\n", a ? "ok" : "failed");
    printf("second %s\\n", open_tcp("127.0.0.1", ${hold}, 0, on_c) ? "ok" : "refused");
    int s1 = api_send_on_connection(a, "ping", 4);
    int s2 = api_send_on_connection(a, "+", 1);
    int s3 = api_send_on_connection(a, "more", 4);
    int s4 = api_send_on_connection(a, ".", 1);
    int s5 = api_send_on_connection(a, "x", 1);
    printf("A sends before open %d %d %d %d %d\\n", s1, s2, s3, s4, s5);
}
`

/** The device program: the simulator's profile, the app baked in; uninstalls it once it exit()ed (a trap). */
const PROGRAM = (image: Uint8Array) => `
import * as ds from "@devicescript/core"
import { profile } from "./boards/simulator"
import { BakedApp } from "./firmware/src/baked-app"
import { bootFirmware } from "./firmware/src/firmware"
import { LIBC_IMAGE } from "./firmware/src/libc-image"

const rt = await bootFirmware(profile, [
${bakedAppsSource([{ name: "tcp", image }])}
], LIBC_IMAGE, null)
while (rt.apps[0].traps === 0) await ds.sleep(20)
console.log("device: uninstall " + (await rt.uninstall("tcp")))
`


/** Ports free here (and so in a fresh network namespace too). */
async function freePorts(n: number): Promise<number[]> {
    const servers = await Promise.all(
        Array.from({ length: n }, () => new Promise<ReturnType<typeof createServer>>(r => { const s = createServer(); s.listen(0, "127.0.0.1", () => r(s)) }))
    )
    const ports = servers.map(s => (s.address() as any).port as number)
    await Promise.all(servers.map(s => new Promise(r => s.close(r))))
    return ports
}

describe.skipIf(!haveClang)("TCP connections in the simulator", () => {
    test("open, queued sends, data, peer close, error, app close, one at a time, uninstall closes", async () => {
        const [echo, hold, refused] = await freePorts(3)
        const image = compileAppImage(buildCApp(APP(echo, hold, refused))).image
        const b = makeBuildDir()
        try {
            writeFileSync(join(b.dir, "tcp-program.ts"), PROGRAM(image))
            const [cmd, ...args] = [
                ...privateNetworkPrefix(),
                process.execPath,
                TSX,
                join(ROOT, "test/sim/tcp-peers.ts"),
                "--echo", String(echo),
                "--hold", String(hold),
                "--cwd", b.dir,
                "--exit-after", "peer> hold #3 closed by the device",
                "--timeout", "60000",
                "tcp-program.ts",
            ]
            const r = await run(cmd, args, { cwd: b.dir, timeoutMs: 90_000 })
            const out = r.output
            expect(r.code, out).toBe(0)
            const app = [...out.matchAll(/^device> \[tcp\] (.*)$/gm)].map(m => m[1])
            expect(app.slice(0, 11), out).toEqual([
                "wasmlet: connection UDP: only TCP here",
                "udp refused",
                "wasmlet: connection TCP: host or port invalid",
                "no address refused",
                "A open ok",
                "wasmlet: connection TCP: one connection at a time",
                "second refused",
                "A sends before open 4 1 4 1 -1",
                "A got 15: pong:ping+more.",
                "A closed",
                "B open ok",
            ])
            expect(app[11], out).toMatch(/^wasmlet: connection TCP: .*ECONNREFUSED/)
            expect(app.slice(12), out).toEqual([
                "B closed",
                "C open ok, send 5",
                "C got 5: hello",
                "C send 5",
                "C got 5: again",
                "C closed by the app, send -1",
                "D open ok, send 4",
                "D got 4: last",
            ])
            // each connection's own story (C's close and D's connect may reach the peers in either order)
            const peer = (id: string) => [...out.matchAll(new RegExp(`^peer> \\w+ #${id} (.*)$`, "gm"))].map(m => m[1])
            expect(peer("1"), out).toEqual(["connected", "got ping+more.", "closed"])
            expect(peer("2"), out).toEqual(["connected", "got hello", "got again", "closed by the device"])
            expect(peer("3"), out).toEqual(["connected", "got last", "closed by the device"])
            expect(out).not.toMatch(/^peer> \w+ #4/m)
            // D was closed by the uninstall (closeAll), not by the app
            const lines = out.split("\n")
            expect(lines.indexOf("device> device: uninstall true"), out).toBeGreaterThan(lines.indexOf("device> [tcp] D got 4: last"))
            expect(lines.indexOf("peer> hold #3 closed by the device")).toBeGreaterThan(lines.indexOf("device> device: uninstall true"))
        } finally {
            b.dispose()
        }
    }, 120_000)
})
