// The dashboard test's server: the real gateway (host/gateway/server.ts) on an ephemeral loopback
// port, serving one board through the ManagerClient the test made, optionally with a token.
import type { ManagerClient } from "../../host/link/client"
import { Gateway as Server } from "../../host/gateway/server"

export interface Gateway {
    url: string
    deviceId: string
    shortId: string
    server: Server
    close(): Promise<void>
}

export async function startGateway(client: ManagerClient, o: { token?: string } = {}): Promise<Gateway> {
    const deviceId = "0123456789abcdef"
    const shortId = "DASH"
    const server = new Server({ boards: [{ id: deviceId, shortId, label: "node board", client }], token: o.token, ssePingMs: 0 })
    const addr = await server.listen(0, "127.0.0.1")
    return { url: `http://127.0.0.1:${addr.port}`, deviceId, shortId, server, close: () => closeNow(server) }
}

/** Closes the server and every connection still open (a browser's keep-alive or half-made ones). */
async function closeNow(server: Server): Promise<void> {
    const done = server.close()
    server.server.closeAllConnections()
    await done
}
