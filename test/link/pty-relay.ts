// A pseudo-terminal for the serial tests, with no extra package: a small python3 program opens a
// pty pair (os.openpty, both ends raw), prints the slave's path (/dev/pts/N) and relays the master:
// what a host writes to the slave comes out on its stdout, what we write to its stdin goes to the
// host. The host opens the slave with the serialport package exactly as it opens a real board.
//
// A pty's master reads EIO while no process has the slave open; the relay then polls (no busy
// loop) and reports "open"/"closed" as the host opens and closes the port, so the board can tell
// a host session ended (a real board sees its USB port closed). Writes while nobody has the port
// open are dropped, as a USB device's are (and serialport flushes a port's input when it opens it).
// Closing the relay (stdin's end, or kill) closes the master: the host's port hangs up.
import { ChildProcess, spawn } from "node:child_process"

const RELAY_PY = String.raw`
import errno, fcntl, os, select, sys, time, tty
master, slave = os.openpty()
tty.setraw(master)
tty.setraw(slave)
path = os.ttyname(slave)
os.close(slave)
fcntl.fcntl(master, fcntl.F_SETFL, fcntl.fcntl(master, fcntl.F_GETFL) | os.O_NONBLOCK)
def say(s):
    sys.stderr.write(s + "\n")
    sys.stderr.flush()
say("pty " + path)
is_open = False
pending = b""
def state(o):
    global is_open, pending
    if o != is_open:
        is_open = o
        pending = b""
        say("open" if o else "closed")
while True:
    # with the slave closed the master is always "readable" (EIO): poll it instead
    r, w, _ = select.select([master, 0] if is_open else [0], [master] if is_open and pending else [], [], None if is_open else 0.02)
    if master in r or not is_open:
        try:
            data = os.read(master, 65536)
            state(True)
            if data:
                os.write(1, data)
        except BlockingIOError:
            state(True)
        except OSError as e:
            if e.errno != errno.EIO:
                raise
            state(False)
    if 0 in r:
        data = os.read(0, 65536)
        if not data:
            break
        if is_open:
            pending += data  # dropped while no host has the port open, as on a USB link
    if is_open and pending:
        try:
            pending = pending[os.write(master, pending):]
        except BlockingIOError:
            pass
`

export class PtyRelay {
    /** The slave's path, what a host opens: /dev/pts/N. */
    path = ""
    /** Times a host opened and closed the port. */
    opens = 0
    closes = 0
    private proc: ChildProcess
    private exited: Promise<void>

    private constructor(
        private onData: (b: Buffer) => void,
        private onState: (open: boolean) => void
    ) {
        this.proc = spawn("python3", ["-c", RELAY_PY], { stdio: ["pipe", "pipe", "pipe"] })
        this.exited = new Promise(resolve => this.proc.once("exit", () => resolve()))
        this.proc.stdout!.on("data", (b: Buffer) => this.onData(b))
        this.proc.stdin!.on("error", () => {}) // the relay is gone: what we write is lost, as on a dead link
    }

    /** Starts the relay; resolves once the pty exists. */
    static start(onData: (b: Buffer) => void, onState: (open: boolean) => void = () => {}): Promise<PtyRelay> {
        const r = new PtyRelay(onData, onState)
        return new Promise((resolve, reject) => {
            let err = ""
            let buf = ""
            r.proc.once("error", reject)
            r.proc.once("exit", code => !r.path && reject(new Error(`the pty relay (python3) exited with ${code}: ${err}`)))
            r.proc.stderr!.on("data", (d: Buffer) => {
                buf += d.toString()
                let i
                while ((i = buf.indexOf("\n")) >= 0) {
                    const line = buf.slice(0, i)
                    buf = buf.slice(i + 1)
                    const m = /^pty (\S+)$/.exec(line)
                    if (m) {
                        r.path = m[1]
                        resolve(r)
                    } else if (line === "open") {
                        r.opens++
                        r.onState(true)
                    } else if (line === "closed") {
                        r.closes++
                        r.onState(false)
                    } else err += line + "\n"
                }
            })
        })
    }

    /** Bytes to the host (dropped while no host has the port open). */
    write(b: Uint8Array): void {
        if (this.proc.exitCode === null) this.proc.stdin!.write(b)
    }

    /** Closes the pty: the host's port hangs up and the path goes away. */
    async close(): Promise<void> {
        if (this.proc.exitCode !== null || this.proc.signalCode !== null) return
        this.proc.kill("SIGTERM")
        await this.exited
    }
}
