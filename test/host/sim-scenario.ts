// Runs `wasmlet` commands against simulated boards as one scenario, in one process, so the tests
// can run it in a private network namespace (devtools' ports are fixed: 8081-8083) where the
// boards and the commands that talk to them see the same loopback. Steps, in order:
//
//   {"sim": ["--name", "a", ...], "until": "regex"}   start `wasmlet sim ARGS` in the background; wait for a line
//   {"until": "regex"}                                 wait for a further line of the running board
//   {"run": ["deploy", "x.devs", "--sim"]}             run `wasmlet ARGS` to its end
//   {"stop": true}                                     Ctrl-C (SIGINT) the board, wait for its exit
// "board": "b" on sim/until/stop steps names one of several boards running at once (default "main").
// A stop step's lines are all the board printed.
//
// Prints one JSON line at the end: {steps: [{lines, code, ms}], error?}. `lines` of a sim step are
// the board's lines from its start up to the step's match ("until" steps: from the previous
// match). All in the scenario's cwd (the boards' folders go to its .wasmlet/sims/).
//
//   tsx test/host/sim-scenario.ts '<json list of steps>'   (test/host/sim-harness.ts runs it)
import { ChildProcess } from "node:child_process"
import { join } from "node:path"
import { ROOT, run, startGroup, stopGroup } from "../../scripts/lib/devs"

type Step = { sim?: string[]; until?: string; run?: string[]; stop?: boolean; timeoutMs?: number; board?: string }
interface StepResult {
    lines: string[]
    code?: number | null
    ms: number
}

const BIN = join(ROOT, "host/bin/wasmlet.mjs")

interface Board {
    child: ChildProcess
    lines: string[]
    waiter?: (l: string) => void
    exited: Promise<number | null>
}

function until(b: Board, re: RegExp, from: number, timeoutMs: number): Promise<void> {
    if (b.lines.slice(from).some(l => re.test(l))) return Promise.resolve()
    return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`no line matched ${re} within ${timeoutMs} ms`)), timeoutMs)
        b.waiter = l => {
            if (re.test(l)) {
                clearTimeout(t)
                b.waiter = undefined
                resolve()
            }
        }
        b.exited.then(c => reject(new Error(`the board exited (${c}) before a line matched ${re}`)))
    })
}

async function main(steps: Step[]): Promise<{ steps: StepResult[]; error?: string }> {
    const results: StepResult[] = []
    const boards = new Map<string, Board>()
    const marks = new Map<string, number>()
    try {
        for (const s of steps) {
            const t0 = Date.now()
            const timeoutMs = s.timeoutMs ?? 120_000
            const id = s.board ?? "main"
            if (s.sim) {
                const lines: string[] = []
                const child = startGroup(process.execPath, [BIN, "sim", ...s.sim], {
                    cwd: process.cwd(),
                    onLine: l => {
                        lines.push(l)
                        b.waiter?.(l)
                    },
                })
                const b: Board = { child, lines, exited: new Promise(r => child.on("exit", c => r(c))) }
                boards.set(id, b)
                if (s.until) await until(b, new RegExp(s.until), 0, timeoutMs)
                marks.set(id, lines.length)
                results.push({ lines: lines.slice(), ms: Date.now() - t0 })
            } else if (s.until) {
                const b = boards.get(id)
                if (!b) throw new Error(`until: no board ${id}`)
                const from = marks.get(id) ?? 0
                await until(b, new RegExp(s.until), from, timeoutMs)
                marks.set(id, b.lines.length)
                results.push({ lines: b.lines.slice(from), ms: Date.now() - t0 })
            } else if (s.run) {
                const r = await run(process.execPath, [BIN, ...s.run], { cwd: process.cwd(), timeoutMs })
                results.push({ lines: r.output.split("\n"), code: r.code, ms: r.ms })
            } else if (s.stop) {
                const b = boards.get(id)
                if (!b) throw new Error(`stop: no board ${id}`)
                process.kill(b.child.pid!, "SIGINT")
                const code = await Promise.race([b.exited, new Promise<null>(r => setTimeout(() => r(null), 20_000))])
                await stopGroup(b.child.pid)
                results.push({ lines: b.lines.slice(), code, ms: Date.now() - t0 })
                boards.delete(id)
            }
        }
        return { steps: results }
    } catch (e: any) {
        for (const [id, b] of boards) results.push({ lines: [`(board ${id})`, ...b.lines], ms: 0 })
        return { steps: results, error: e.message }
    } finally {
        for (const b of boards.values()) await stopGroup(b.child.pid)
    }
}

main(JSON.parse(process.argv[2])).then(r => {
    console.log(JSON.stringify(r))
    process.exit(0)
})
