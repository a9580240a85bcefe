// Builds the `wasmlet` CLI to JavaScript (run by `npm ci`'s postinstall, or `npx tsx scripts/build-cli.ts`),
// so that a call starts in Node's own time instead of transpiling TypeScript through tsx (~0.9 s).
//
// One esbuild bundle: an entry per command (host/cli/<name>.ts) and the engine's platform (for
// `wasmlet selftest`), split into shared chunks, so that a command loads only what it imports and
// what it imports lazily (jacdac-ts, the compiler) stays a separate chunk until asked for. Packages
// in node_modules stay external (Node resolves them at run time). Like tsconfig.json's paths and
// vitest's alias, "@devicescript/core" is the engine's Node stand-in. `import.meta.url`/`dirname`
// are replaced by each source file's own, so code that finds files next to its source still does.
//
// Output: host/bin/dist/<build id>/*.js and host/bin/dist/manifest.json, written last (a rename), which
// host/bin/wasmlet.mjs reads: the build's folder, every source file that went into it (the bundle is
// up to date while none is newer than the build), the commands with their summaries (the usage text
// needs no command loaded) and the exit-code table (host/cli/_common.ts). Builds older than the
// previous one are removed.
import * as esbuild from "esbuild"
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..")
const CLI_DIR = join(ROOT, "host/cli")
export const DIST = join(ROOT, "host/bin/dist")

export interface Manifest {
    root: string
    builtAt: number
    dir: string
    inputs: string[]
    commands: { name: string; summary: string }[]
    exitCodes: string
}

/** Command modules: host/cli/<name>.ts, as host/bin/wasmlet.mjs finds them. */
export function commandNames(): string[] {
    return readdirSync(CLI_DIR)
        .filter(f => f.endsWith(".ts") && !f.endsWith(".test.ts") && !f.endsWith(".d.ts") && !f.startsWith("_"))
        .map(f => f.slice(0, -3))
        .sort()
}

/** Replaces import.meta.url / import.meta.dirname / import.meta.filename by the source file's own. */
const importMetaOfSource: esbuild.Plugin = {
    name: "import-meta-of-source",
    setup(build) {
        build.onLoad({ filter: /\.[cm]?ts$/ }, args => {
            const src = readFileSync(args.path, "utf8")
            if (!src.includes("import.meta")) return undefined
            const contents = src
                .replace(/\bimport\.meta\.url\b/g, JSON.stringify(pathToFileURL(args.path).href))
                .replace(/\bimport\.meta\.dirname\b/g, JSON.stringify(dirname(args.path)))
                .replace(/\bimport\.meta\.filename\b/g, JSON.stringify(args.path))
            return { contents, loader: "ts" }
        })
    },
}

export async function buildCli(log: (s: string) => void = () => {}): Promise<Manifest> {
    const t0 = Date.now()
    const names = commandNames()
    const id = `b${t0.toString(36)}-${process.pid}`
    const outdir = join(DIST, id)
    mkdirSync(outdir, { recursive: true })
    const entryPoints: Record<string, string> = {
        _platform: join(ROOT, "interpreter/platform/index.ts"),
        _common: join(CLI_DIR, "_common.ts"),
    }
    for (const n of names) entryPoints[n] = join(CLI_DIR, n + ".ts")
    const r = await esbuild.build({
        entryPoints,
        outdir,
        bundle: true,
        splitting: true,
        format: "esm",
        platform: "node",
        target: "node20",
        packages: "external",
        alias: { "@devicescript/core": join(ROOT, "interpreter/platform/node-core.ts") },
        tsconfig: join(ROOT, "tsconfig.json"),
        plugins: [importMetaOfSource],
        sourcemap: "linked",
        metafile: true,
        logLevel: "silent",
        chunkNames: "chunk-[hash]",
    })
    const inputs = Object.keys(r.metafile.inputs)
        .map(p => relative(ROOT, resolve(process.cwd(), p)))
        .filter(p => !p.startsWith("node_modules"))
        .sort()
    const commands: Manifest["commands"] = []
    for (const name of names) {
        let summary = ""
        try {
            summary = (await import(pathToFileURL(join(outdir, name + ".js")).href)).summary ?? ""
        } catch (e: any) {
            summary = `(cannot load: ${e.message})`
        }
        commands.push({ name, summary })
    }
    const exitCodes: string = (await import(pathToFileURL(join(outdir, "_common.js")).href)).EXIT_CODES_TEXT
    const m: Manifest = { root: ROOT, builtAt: t0, dir: id, inputs, commands, exitCodes }
    const tmp = join(DIST, `manifest.${process.pid}.tmp`)
    writeFileSync(tmp, JSON.stringify(m, null, 1))
    renameSync(tmp, join(DIST, "manifest.json"))
    // older builds go, but the one before this stays: a running `wasmlet logs --follow` may still load chunks from it
    const builds = readdirSync(DIST)
        .filter(d => d !== id && d.startsWith("b") && statSync(join(DIST, d)).isDirectory())
        .sort((a, b) => statSync(join(DIST, b)).mtimeMs - statSync(join(DIST, a)).mtimeMs)
    for (const d of builds.slice(1)) rmSync(join(DIST, d), { recursive: true, force: true })
    log(`wasmlet CLI: ${names.length} commands, ${inputs.length} sources -> ${relative(ROOT, outdir)} in ${Date.now() - t0} ms`)
    return m
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
    buildCli(console.log).catch(e => {
        console.error(`build-cli: ${e && e.message ? e.message : e}`)
        process.exit(1)
    })
}
