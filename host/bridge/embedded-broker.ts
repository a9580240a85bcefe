// An MQTT broker inside this process, for demos (`npm start` without --mqtt): aedes on a TCP port.
// aedes speaks MQTT 3.1.1 only, so a bridge on it falls back to 3.1.1 (or is told --mqtt-version 4): no response
// topics (answers go to PREFIX/DEV/response/...) and no user properties; everything else is the same.
import { createServer, Server } from "node:net"

export interface EmbeddedBroker {
    port: number
    url: string
    close(): Promise<void>
}

/** Starts aedes on host:port (port 0: a free one) and resolves once it listens. */
export async function startEmbeddedBroker(port = 1883, host = "127.0.0.1"): Promise<EmbeddedBroker> {
    const { Aedes } = await import("aedes")
    const broker = await Aedes.createBroker()
    const server: Server = createServer(broker.handle as any)
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject)
        server.listen(port, host, () => resolve())
    })
    const actual = (server.address() as { port: number }).port
    return {
        port: actual,
        url: `mqtt://${host}:${actual}`,
        close: () =>
            new Promise<void>(resolve => {
                server.close(() => resolve())
                broker.close(() => {})
            }),
    }
}
