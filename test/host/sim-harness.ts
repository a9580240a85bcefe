// For the simulator tests: runs a scenario of `wasmlet sim` boards and commands (./sim-scenario.ts)
// in a private network namespace where possible, in a folder of its own, and returns what each
// step printed. Also builds small DeviceScript probe programs (.devs) for the flash tests.
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { privateNetworkPrefix, ROOT, run } from "../../scripts/lib/devs"
import { devsBuild } from "../../host/firmware/build"

const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs")

export type Step = { sim?: string[]; until?: string; run?: string[]; stop?: boolean; timeoutMs?: number; board?: string }
export interface ScenarioResult {
    steps: { lines: string[]; code?: number | null; ms: number }[]
    error?: string
    /** Everything, for failure messages. */
    text: string
}

export function tempDir(prefix: string): string {
    return mkdtempSync(join(tmpdir(), prefix))
}

export async function scenario(steps: Step[], cwd: string, timeoutMs = 300_000): Promise<ScenarioResult> {
    const [cmd, ...args] = [...privateNetworkPrefix(), process.execPath, TSX, join(ROOT, "test/host/sim-scenario.ts"), JSON.stringify(steps)]
    const r = await run(cmd, args, { cwd, timeoutMs })
    const last = r.output.split("\n").filter(l => l.startsWith('{"steps"')).pop()
    if (!last) throw new Error(`the scenario printed no result (exit ${r.code}):\n${r.output}`)
    const res = JSON.parse(last)
    const text = res.steps.map((s: any, i: number) => `--- step ${i} (code ${s.code}, ${s.ms} ms)\n${s.lines.join("\n")}`).join("\n") + (res.error ? `\n--- error: ${res.error}` : "")
    return { ...res, text }
}

/** Builds a DeviceScript program from `source` (an entry at the repo's root) into dir/name.devs. */
export async function buildProbe(source: string, dir: string, name: string): Promise<string> {
    const b = await devsBuild(name + ".ts", source)
    const out = join(dir, name + ".devs")
    writeFileSync(out, b.image)
    return out
}
