#!/usr/bin/env node
// wasmlet: the host-side command-line tool (the package's `bin`).
//
// Subcommands are TypeScript modules host/cli/<name>.ts, found at run time; each exports
//     export const summary: string                                  // one line for the usage text
//     export async function main(args: string[]): Promise<number | void>   // exit code (default 0)
// They run on Node straight from source through tsx, with the repo's tsconfig.json, so the
// "@devicescript/core" import inside interpreter/ resolves to interpreter/platform/node-core.ts
// (the Node stand-in, which also gives Buffer DeviceScript's getAt/setAt). Run it from a checkout
// after `npm ci`: `npx wasmlet <command>` or `node host/bin/wasmlet.mjs <command>`.
import { existsSync, readdirSync } from "node:fs"
import { dirname, join, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"
import { register } from "tsx/esm/api"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..")
const CLI_DIR = join(ROOT, "host/cli")

register({ tsconfig: join(ROOT, "tsconfig.json") })

function commandNames() {
    if (!existsSync(CLI_DIR)) return []
    return readdirSync(CLI_DIR)
        .filter(f => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts") && !f.startsWith("_"))
        .map(f => f.slice(0, -3))
        .sort()
}

async function loadCommand(name) {
    return import(pathToFileURL(join(CLI_DIR, name + ".ts")).href)
}

async function usage(out = console.log) {
    out("usage: wasmlet <command> [args...]")
    out("")
    out("commands:")
    for (const name of commandNames()) {
        let summary = ""
        try {
            summary = (await loadCommand(name)).summary ?? ""
        } catch (e) {
            summary = `(cannot load: ${e.message})`
        }
        out(`  ${name.padEnd(12)} ${summary}`)
    }
    out(`  ${"help".padEnd(12)} this text`)
    out(`  ${"selftest".padEnd(12)} check that the engine's Node platform loads (the @devicescript/core alias)`)
}

async function selftest() {
    const platform = await import(pathToFileURL(join(ROOT, "interpreter/platform/index.ts")).href)
    const t0 = platform.millis()
    await platform.yieldSlice()
    const b = Buffer.alloc(4)
    b.setAt(0, "u8", 300) // DeviceScript saturates: 255
    if (typeof t0 !== "number" || b.getAt(0, "u8") !== 255) throw new Error("Node platform shim not active")
    console.log("wasmlet selftest: ok (interpreter/platform on Node, Buffer.setAt saturates)")
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
    const mod = await loadCommand(cmd)
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
