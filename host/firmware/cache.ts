// The firmware's program image, built once and reused while nothing it was built from changed:
// `wasmlet sim` and `npm start` start a board in ~2 s instead of waiting ~5-10 s for `devs build`.
//
// A build is kept in .wasmlet/cache/ of the repo as <entry>.devs, its debug info <entry>.dbg.json
// and <entry>.key.json: the files the build compiled (bytecode-dbg.json's sources: the entry, the
// firmware, framework and engine, DeviceScript's own libraries) plus the service specs and
// devsconfig.json, and a SHA-256 over their contents and the DeviceScript CLI's version. Any
// change to one of them (an import added or removed shows as a change in the importing file)
// means a new build.
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { ROOT } from "../../scripts/lib/devs"
import { devsBuild } from "./build"

export const CACHE_DIR = join(ROOT, ".wasmlet/cache")

export interface CachedProgram {
    /** The .devs program image. */
    devs: string
    /** Its bytecode-dbg.json. */
    dbg: string
    /** true when this call built it, false when the cached build was still good. */
    built: boolean
    ms: number
}

/** Files besides the compiled sources that a build depends on. */
function extraInputs(): string[] {
    const services = existsSync(join(ROOT, "services")) ? readdirSync(join(ROOT, "services")).filter(f => f.endsWith(".md")).map(f => "services/" + f) : []
    return ["devsconfig.json", "node_modules/@devicescript/cli/package.json", ...services]
}

/** SHA-256 over the files (relative to the repo; a missing one counts as missing). */
export function inputsHash(files: string[]): string {
    const h = createHash("sha256")
    for (const f of [...new Set(files)].sort()) {
        h.update(f + "\0")
        const p = join(ROOT, f)
        h.update(existsSync(p) ? readFileSync(p) : Buffer.from("(missing)"))
        h.update("\0")
    }
    return h.digest("hex")
}

/** The program image of `entry` (relative to the repo): the cached build if still good, else a new one. */
export async function cachedProgram(entry: string, opts: { force?: boolean } = {}): Promise<CachedProgram> {
    const t0 = Date.now()
    const slug = entry.replace(/\.ts$/, "").replace(/[^A-Za-z0-9_-]+/g, "_")
    const devs = join(CACHE_DIR, slug + ".devs")
    const dbg = join(CACHE_DIR, slug + ".dbg.json")
    const keyFile = join(CACHE_DIR, slug + ".key.json")
    if (!opts.force && existsSync(devs) && existsSync(keyFile)) {
        try {
            const key = JSON.parse(readFileSync(keyFile, "utf8"))
            if (key.hash === inputsHash(key.files)) return { devs, dbg, built: false, ms: Date.now() - t0 }
        } catch {
            // unreadable key: build again
        }
    }
    const b = await devsBuild(entry)
    const files = [...b.sources, ...extraInputs()]
    mkdirSync(CACHE_DIR, { recursive: true })
    // each file written whole, then renamed: a board starting meanwhile sees the old build or the new
    const put = (path: string, data: string | Buffer) => {
        writeFileSync(path + ".tmp", data)
        renameSync(path + ".tmp", path)
    }
    put(devs, b.image)
    put(dbg, b.dbg)
    put(keyFile, JSON.stringify({ entry, hash: inputsHash(files), files }, null, 1))
    return { devs, dbg, built: true, ms: Date.now() - t0 }
}
