// TCP peers on 127.0.0.1 for a DeviceScript program in the simulator to connect to, then the
// devtools link (`devs devtools`, fixed ports 8081-8083) and that program (`devs run ENTRY`, which
// joins the link): test/sim/tcp.test.ts runs it inside a private network namespace, where the
// peers and the simulator share a loopback of their own. Two peers:
//   --echo PORT  collects what a connection sends up to a "." and answers "pong:<all of it>", then
//                ends the connection (the device sees data, then the close);
//   --hold PORT  sends every chunk straight back and keeps the connection until the device closes it.
// Prints "device> <line>" for the program's console and "peer> <what happened>" for the peers;
// stops when a line matches --exit-after (exit code 0), when the program ends (its exit code), or
// after --timeout ms (default 60000, exit code 1).
//
//   tsx test/sim/tcp-peers.ts --echo PORT --hold PORT [--exit-after REGEX] [--timeout MS] [--cwd DIR] ENTRY
import { createServer, Server } from "node:net"
import { DEVS_CLI, ROOT, startGroup, stopGroup } from "../../scripts/lib/devs"

interface Options {
    echo: number
    hold: number
    exitAfter?: RegExp
    timeoutMs: number
    cwd: string
    entry: string
}

function parseArgs(argv: string[]): Options {
    const o: Partial<Options> = { timeoutMs: 60_000, cwd: ROOT }
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i]
        if (a === "--echo") o.echo = +argv[++i]
        else if (a === "--hold") o.hold = +argv[++i]
        else if (a === "--exit-after") o.exitAfter = new RegExp(argv[++i])
        else if (a === "--timeout") o.timeoutMs = +argv[++i]
        else if (a === "--cwd") o.cwd = argv[++i]
        else if (a.startsWith("-")) throw new Error(`unknown option ${a}`)
        else o.entry = a
    }
    if (!o.entry || !(o.echo! > 0) || !(o.hold! > 0)) throw new Error("usage: tsx test/sim/tcp-peers.ts --echo PORT --hold PORT [--exit-after REGEX] [--timeout MS] [--cwd DIR] ENTRY")
    return o as Options
}

function listen(port: number, onSocket: Parameters<typeof createServer>[1]): Promise<Server> {
    return new Promise((resolve, reject) => {
        const s = createServer(onSocket)
        s.once("error", reject)
        s.listen(port, "127.0.0.1", () => resolve(s))
    })
}

async function main(o: Options): Promise<number> {
    let finish!: (code: number) => void
    const finished = new Promise<number>(r => (finish = r))
    const say = (line: string) => {
        console.log(line)
        if (o.exitAfter && o.exitAfter.test(line)) finish(0)
    }
    let n = 0
    const echo = await listen(o.echo, s => {
        const id = ++n
        let got = ""
        say(`peer> echo #${id} connected`)
        s.on("data", d => {
            got += d.toString()
            if (got.includes(".")) {
                say(`peer> echo #${id} got ${got}`)
                s.end("pong:" + got)
            }
        })
        s.on("error", () => {})
        s.on("close", () => say(`peer> echo #${id} closed`))
    })
    const hold = await listen(o.hold, s => {
        const id = ++n
        say(`peer> hold #${id} connected`)
        s.on("data", d => {
            say(`peer> hold #${id} got ${d.toString()}`)
            s.write(d)
        })
        s.on("error", () => {})
        // 'end': the device closed its side
        s.on("end", () => {
            say(`peer> hold #${id} closed by the device`)
            s.end()
        })
    })
    // `devs run` joins a devtools link (ws://127.0.0.1:8081): start one and wait for it
    let linkUp!: () => void
    const linkReady = new Promise<void>(r => (linkUp = r))
    const devtools = startGroup(process.execPath, [DEVS_CLI, "devtools"], {
        cwd: o.cwd,
        onLine: l => {
            if (l.includes("tcpsocket") && l.includes("8082")) linkUp()
        },
    })
    devtools.on("exit", c => finish(1))
    await Promise.race([linkReady, finished])
    const device = startGroup(process.execPath, [DEVS_CLI, "run", o.entry], {
        cwd: o.cwd,
        onLine: l => {
            if (l.trim()) say(`device> ${l.replace(/^WASM> /, "")}`)
        },
    })
    device.on("exit", c => finish(c ?? 1))
    const timer = setTimeout(() => {
        say(`peer> timeout ${o.timeoutMs} ms`)
        finish(1)
    }, o.timeoutMs)
    try {
        return await finished
    } finally {
        clearTimeout(timer)
        await Promise.all([stopGroup(device.pid), stopGroup(devtools.pid)])
        echo.close()
        hold.close()
    }
}

let opts: Options
try {
    opts = parseArgs(process.argv.slice(2))
} catch (e: any) {
    console.error(e.message)
    process.exit(2)
}
main(opts).then(
    code => process.exit(code),
    e => {
        console.error(e)
        process.exit(1)
    }
)
