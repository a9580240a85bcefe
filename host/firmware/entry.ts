// The device program of a baked firmware build (`wasmlet build --app NAME=app.wasm ...`): the
// board's own firmware entry (firmware/src/main.ts for the simulator, firmware/src/boards/<id>.ts
// for a real board), rewritten to sit at the root of a build folder, with the given apps as the
// baked list of its bootFirmware call. Whatever else the entry does (the app manager, idling,
// pins) stays as the firmware's authors wrote it, so a baked build is exactly that board's firmware
// plus apps in flash (hex literals: no heap, no bytecode).
//
// The rewrite, on the entry's text:
//   - relative import paths are made relative to the build folder's root;
//   - bootFirmware(profile, BAKED, libc, wasi, ...): BAKED becomes the apps' list; a support
//     module an app needs (the libc for WAMR-style apps, the WASI adapter for WASI commands) that
//     the entry leaves out (null) is put in;
//   - named imports nothing uses any more are dropped (the default firmware's sample apps): an
//     imported file's hex literals all go into the program image, used or not.
import { existsSync, readFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { bakedAppsSource } from "../../scripts/gen-firmware-images"
import { ROOT } from "../../scripts/lib/devs"

export interface BakedAppImage {
    name: string
    image: Uint8Array
    /** "wamr" (imports env: linked to the libc), "wasi", or a plain module (compiler/ CompiledApp.kind). */
    kind: string
    usesWasi?: boolean
}

/** The firmware entry of a board id ("simulator" is firmware/src/main.ts); throws for an unknown board. */
export function boardEntry(board: string): string {
    const rel = board === "simulator" ? "firmware/src/main.ts" : `firmware/src/boards/${board}.ts`
    if (!/^[a-z0-9_]+$/.test(board) || !existsSync(join(ROOT, rel))) throw new Error(`unknown board "${board}" (no ${rel})`)
    return rel
}

/** Top-level arguments of the call whose "(" is at `open`: [texts, index of the closing ")"]. */
export function splitCallArgs(src: string, open: number): [string[], number] {
    const args: string[] = []
    let depth = 0
    let start = open + 1
    for (let i = open; i < src.length; i++) {
        const c = src[i]
        if (c === '"' || c === "'" || c === "`") {
            // skip the string (template literals here are hex`...`: no ${} inside)
            let j = i + 1
            while (j < src.length && src[j] !== c) j += src[j] === "\\" ? 2 : 1
            i = j
        } else if (c === "(" || c === "[" || c === "{") depth++
        else if (c === ")" || c === "]" || c === "}") {
            depth--
            if (depth === 0) {
                args.push(src.slice(start, i).trim())
                return [args.filter((a, k) => a !== "" || k < args.length - 1), i]
            }
        } else if (c === "," && depth === 1) {
            args.push(src.slice(start, i).trim())
            start = i + 1
        }
    }
    throw new Error("unbalanced bootFirmware(...) call")
}

const SUPPORT = {
    libc: { name: "LIBC_IMAGE", from: "./firmware/src/libc-image" },
    wasi: { name: "WASI_IMAGE", from: "./firmware/src/wasi-image" },
}

/**
 * The source of a build folder's entry file: the board entry `entryRel` (relative to the repo)
 * with `apps` baked in. `source` is the entry's text (read from the repo when not given).
 */
export function bakedEntrySource(entryRel: string, apps: BakedAppImage[], source?: string): string {
    let src = source ?? readFileSync(join(ROOT, entryRel), "utf8")
    const entryDir = dirname(resolve(ROOT, entryRel))
    src = src.replace(/(\bfrom\s+|\bimport\s+)(["'])(\.{1,2}\/[^"']*)\2/g, (_m, kw: string, q: string, spec: string) => {
        let r = relative(ROOT, resolve(entryDir, spec)).split("\\").join("/")
        if (!r.startsWith(".")) r = "./" + r
        return kw + q + r + q
    })

    const call = /\bbootFirmware\s*\(/.exec(src)
    if (!call) throw new Error(`${entryRel} has no bootFirmware(...) call to bake apps into`)
    const open = call.index + call[0].length - 1
    const [args, close] = splitCallArgs(src, open)
    if (args.length < 4) throw new Error(`${entryRel}: bootFirmware(profile, baked, libc, wasi, ...) expected, found ${args.length} arguments`)
    const needsLibc = apps.some(a => a.kind === "wamr")
    const needsWasi = apps.some(a => a.kind === "wasi" || a.usesWasi)
    const added: string[] = []
    if (needsLibc && args[2] === "null") {
        args[2] = SUPPORT.libc.name
        added.push(`import { ${SUPPORT.libc.name} } from "${SUPPORT.libc.from}"`)
    }
    if (needsWasi && args[3] === "null") {
        args[3] = SUPPORT.wasi.name
        added.push(`import { ${SUPPORT.wasi.name} } from "${SUPPORT.wasi.from}"`)
    }
    args[1] = apps.length ? "[\n" + bakedAppsSource(apps) + "\n]" : "[]"
    src = src.slice(0, open + 1) + args.join(", ") + src.slice(close)

    if (apps.length && !/import\s*\{[^}]*\bBakedApp\b[^}]*\}/.test(src)) added.push('import { BakedApp } from "./firmware/src/baked-app"')
    src = dropUnusedImports(src)
    const header = `// GENERATED by wasmlet build from ${entryRel}: apps ${apps.map(a => a.name).join(", ") || "(none)"}`
    const lines = src.split("\n")
    // after the entry's own imports, so that its header comment stays first
    let at = 0
    lines.forEach((l, i) => {
        if (/^import\b/.test(l)) at = i + 1
    })
    lines.splice(at, 0, ...added)
    return header + "\n" + lines.join("\n")
}

/** Drops `import { a, b } from "..."` lines none of whose names appear elsewhere in the text. */
export function dropUnusedImports(src: string): string {
    const lines = src.split("\n")
    const keep = lines.filter((line, i) => {
        const m = /^import\s*(type\s+)?\{([^}]*)\}\s*from\s*["'][^"']+["']\s*;?\s*$/.exec(line)
        if (!m) return true
        const names = m[2]
            .split(",")
            .map(s => s.trim().split(/\s+as\s+/).pop()!)
            .filter(Boolean)
        const rest = lines
            .filter((_, k) => k !== i)
            .join("\n")
            .replace(/\/\/.*$/gm, "")
        return names.some(n => new RegExp(`\\b${n.replace(/\$/g, "\\$")}\\b`).test(rest))
    })
    return keep.join("\n")
}
