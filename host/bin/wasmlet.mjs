#!/usr/bin/env node
// wasmlet: the host-side command-line tool (the package's `bin`).
//
// Subcommands are TypeScript modules host/cli/<name>.ts, found at run time; each exports
//     export const summary: string                                  // one line for the usage text
//     export async function main(args: string[]): Promise<number | void>   // exit code (default 0)
// Two ways to run them:
//   - the bundle (fast): scripts/build-cli.ts (run by `npm ci`'s postinstall) builds every command to
//     JavaScript in host/bin/dist/; it is used while it is up to date, i.e. while no source file that
//     went into it is newer than the build and the set of commands is the same (host/bin/dist/
//     manifest.json lists both). Node then starts in its own time, and a command loads only its
//     own chunks (jacdac-ts, the compiler: when it needs them).
//   - otherwise straight from source through tsx (~0.9 s more per call), with the repo's tsconfig.json,
//     so that the "@devicescript/core" import inside interpreter/ resolves to
//     interpreter/platform/node-core.ts (the Node stand-in, which also gives Buffer DeviceScript's
//     getAt/setAt). `WASMLET_FROM_SOURCE=1` forces this; `npx tsx scripts/build-cli.ts` rebuilds.
// Run it from a checkout after `npm ci`: `npx wasmlet <command>` or `node host/bin/wasmlet.mjs <command>`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const CLI_DIR = join(ROOT, "host/cli")
const DIST = join(ROOT, "host/bin/dist")

function commandNames() {
    if (!existsSync(CLI_DIR)) return []
    return readdirSync(CLI_DIR)
        .filter(f => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts") && !f.startsWith("_"))
        .map(f => f.slice(0, -3))
        .sort()
}

/** The bundle's manifest when the bundle is up to date with the sources, else null. */
function freshBundle() {
    if (process.env.WASMLET_FROM_SOURCE) return null
    let m
    try {
        m = JSON.parse(readFileSync(join(DIST, "manifest.json"), "utf8"))
    } catch {
        return null
    }
    if (m.root !== ROOT || !existsSync(join(DIST, m.dir))) return null
    for (const f of m.inputs) {
        try {
            if (statSync(join(ROOT, f)).mtimeMs > m.builtAt) return null
        } catch {
            return null // a source went away
        }
    }
    if (m.commands.map(c => c.name).join(" ") !== commandNames().join(" ")) return null
    return m
}

const bundle = freshBundle()
let tsxRegistered = false

/** Imports host/cli/<name> (or another entry of the bundle: "_common", "_platform"). */
async function load(name, sourcePath = join(CLI_DIR, name + ".ts")) {
    if (bundle) return import(pathToFileURL(join(DIST, bundle.dir, name + ".js")).href)
    if (!tsxRegistered) {
        const { register } = await import("tsx/esm/api")
        register({ tsconfig: join(ROOT, "tsconfig.json") })
        tsxRegistered = true
    }
    return import(pathToFileURL(sourcePath).href)
}

async function summaries() {
    if (bundle) return bundle.commands
    const out = []
    for (const name of commandNames()) {
        let summary = ""
        try {
            summary = (await load(name)).summary ?? ""
        } catch (e) {
            summary = `(cannot load: ${e.message})`
        }
        out.push({ name, summary })
    }
    return out
}

async function usage(out = console.log) {
    out("usage: wasmlet <command> [args...]   (wasmlet <command> --help: its options)")
    out("")
    out("commands:")
    for (const { name, summary } of await summaries()) out(`  ${name.padEnd(12)} ${summary}`)
    out(`  ${"help".padEnd(12)} this text`)
    out(`  ${"selftest".padEnd(12)} check that the engine's Node platform loads (the @devicescript/core alias)`)
    const exitCodes = bundle ? bundle.exitCodes : (await load("_common")).EXIT_CODES_TEXT
    out("")
    out(exitCodes)
}

async function selftest() {
    const platform = await load("_platform", join(ROOT, "interpreter/platform/index.ts"))
    const t0 = platform.millis()
    await platform.yieldSlice()
    const b = Buffer.alloc(4)
    b.setAt(0, "u8", 300) // DeviceScript saturates: 255
    if (typeof t0 !== "number" || b.getAt(0, "u8") !== 255) throw new Error("Node platform shim not active")
    console.log(`wasmlet selftest: ok (interpreter/platform on Node, Buffer.setAt saturates; ${bundle ? "bundle " + bundle.dir : "from source"})`)
}

async function main(argv) {
    const [cmd, ...args] = argv
    if (!cmd || cmd === "help" || cmd === "--help" || cmd === "-h") {
        await usage()
        return 0
    }
    if (cmd === "selftest") {
        await selftest()
        return 0
    }
    if (!commandNames().includes(cmd)) {
        console.error(`wasmlet: unknown command "${cmd}"\n`)
        await usage(console.error)
        return 2
    }
    const mod = await load(cmd)
    if (typeof mod.main !== "function") throw new Error(`host/cli/${cmd}.ts has no exported main(args)`)
    const code = await mod.main(args)
    return typeof code === "number" ? code : 0
}

main(process.argv.slice(2)).then(
    code => {
        process.exitCode = code
    },
    e => {
        console.error(`wasmlet: ${e && e.stack ? e.stack : e}`)
        process.exitCode = 1
    }
)
