// wasmlet sign --key KEY [--name NAME] APP.wasm -o APP.signed   sign an app (as NAME) for remote install over MQTT
// wasmlet sign --keygen KEY                           make a key pair: KEY (private) and KEY.pub
// wasmlet sign --verify KEY.pub APP.signed            check a bundle as the bridge will
//
// A signed bundle is the .wasm behind an Ed25519 signature (host/bridge/signing.ts has the format);
// `wasmlet bridge --allow-install --trust KEY.pub` installs only bundles that KEY signed. The
// module is checked before it is signed (a bundle that cannot run is refused here, not on the
// board). Exit codes: 0 ok, 1 the module is invalid or the bundle does not verify, 2 usage.
import { readFileSync, writeFileSync } from "node:fs"
import { basename } from "node:path"
import { EXIT, InvalidModuleError, UsageError, runCommand } from "./_common"

export const summary = "sign an app for remote install over MQTT (Ed25519) [--keygen KEY | --key KEY APP.wasm -o OUT | --verify KEY.pub BUNDLE]"

const USAGE = `usage: wasmlet sign --key KEY [--name NAME] APP.wasm -o APP.signed
       wasmlet sign --keygen KEY
       wasmlet sign --verify KEY.pub APP.signed
  --key KEY         the private key (PEM, from --keygen)
  --name NAME       the app name the bundle installs as, and only as (default: APP's file name)
  -o, --output OUT  where the signed bundle goes (default APP.signed next to APP.wasm)
  --keygen KEY      writes a new Ed25519 pair: KEY (private, mode 600) and KEY.pub (for the bridge's --trust)
  --verify KEY.pub  checks a bundle against a public key`

const OPTIONS = {
    key: { type: "string" },
    name: { type: "string" },
    output: { type: "string", short: "o" },
    keygen: { type: "string" },
    verify: { type: "string" },
} as const

function read(file: string): Uint8Array {
    try {
        return new Uint8Array(readFileSync(file))
    } catch (e: any) {
        throw new UsageError(`cannot read ${file}: ${e.code === "ENOENT" ? "no such file" : e.message}`)
    }
}

export async function main(args: string[]): Promise<number> {
    return runCommand("sign", USAGE, args, { options: OPTIONS, min: 0, max: 1 }, async (p, out) => {
        const v = p.values as Record<string, string | undefined>
        const signing = await import("../bridge/signing")
        const given = [v.keygen, v.key, v.verify].filter(x => x !== undefined).length
        if (given !== 1) throw new UsageError("give one of --keygen KEY, --key KEY, --verify KEY.pub")
        if (v.keygen !== undefined) {
            if (p.positionals.length) throw new UsageError(`unexpected argument "${p.positionals[0]}"`)
            const k = signing.keygen(v.keygen)
            out.result({ private: k.privatePath, public: k.publicPath, keyId: k.keyId }, [`wrote ${k.privatePath} (private) and ${k.publicPath} (public), key ${k.keyId}`])
            return EXIT.OK
        }
        const file = p.positionals[0]
        if (file === undefined) throw new UsageError("missing argument")
        if (v.verify !== undefined) {
            const verdict = signing.verifyBundle(read(file), [loadKey(() => signing.loadPublicKey(v.verify!), v.verify)])
            if (verdict.ok === false) {
                out.result({ ok: false, reason: (verdict as { reason: string }).reason }, [`${file}: ${(verdict as { reason: string }).reason}`])
                return EXIT.REFUSED
            }
            const ok = verdict as { wasm: Uint8Array; keyId: string; name: string }
            out.result({ ok: true, keyId: ok.keyId, name: ok.name, wasmBytes: ok.wasm.length }, [`${file}: app ${ok.name}, signed by key ${ok.keyId} (${ok.wasm.length} B of .wasm)`])
            return EXIT.OK
        }
        const key = loadKey(() => signing.loadPrivateKey(v.key!), v.key!)
        const wasm = read(file)
        const { compileAppImage } = await import("../run/app-images")
        try {
            compileAppImage(wasm)
        } catch (e: any) {
            throw new InvalidModuleError(`${file} is not a module the board can run: ${e.message}`)
        }
        const name = v.name ?? basename(file).replace(/\.wasm$/, "")
        const bundle = signing.signBundle(wasm, key, name)
        const dest = v.output ?? file.replace(/\.wasm$/, "") + ".signed"
        writeFileSync(dest, bundle)
        out.result({ output: dest, name, keyId: signing.keyId(key), bytes: bundle.length }, [`wrote ${dest} (${bundle.length} B): app ${name}, signed by key ${signing.keyId(key)}`])
        return EXIT.OK
    })
}

function loadKey<T>(load: () => T, file: string): T {
    try {
        return load()
    } catch (e: any) {
        throw new UsageError(`cannot read key ${file}: ${e.code === "ENOENT" ? "no such file" : e.message}`)
    }
}
