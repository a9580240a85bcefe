// Signed app bundles for remote install over MQTT: Ed25519 with Node's crypto.
//
//   bundle = "WLSB" | version 2 | key id (8 B) | signature (64 B) | name length (1 B) | name | the .wasm
//
// The signature covers everything but itself: "WLSB", the version, the key id, the app's name and
// the .wasm. The name is signed so that a trusted bundle installs only as the app it was signed for
// (not over another app of the board). The key
// id (the first 8 bytes of SHA-256 of the raw public key) only says which key signed, so that a
// refusal can say "signed by another key"; trust comes from verifying with a trusted public key.
// Keys are PEM files: KEY (PKCS#8 private, mode 0600) and KEY.pub (SPKI public), from keygen().
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from "node:crypto"
import { readFileSync, writeFileSync } from "node:fs"

const MAGIC = Buffer.from("WLSB")
const VERSION = 2
const HEAD = 4 + 1 + 8 + 64

export type Verdict = { ok: true; wasm: Uint8Array; keyId: string; name: string } | { ok: false; reason: string }

/** Writes a new key pair: `path` (private) and `path`.pub (public). */
export function keygen(path: string): { privatePath: string; publicPath: string; keyId: string } {
    const { privateKey, publicKey } = generateKeyPairSync("ed25519")
    writeFileSync(path, privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 })
    writeFileSync(path + ".pub", publicKey.export({ type: "spki", format: "pem" }))
    return { privatePath: path, publicPath: path + ".pub", keyId: keyId(publicKey) }
}

export function loadPrivateKey(path: string): KeyObject {
    const k = createPrivateKey(readFileSync(path))
    if (k.asymmetricKeyType !== "ed25519") throw new Error(`${path} is a ${k.asymmetricKeyType} key, not Ed25519`)
    return k
}

export function loadPublicKey(path: string): KeyObject {
    const k = createPublicKey(readFileSync(path))
    if (k.asymmetricKeyType !== "ed25519") throw new Error(`${path} is a ${k.asymmetricKeyType} key, not Ed25519`)
    return k
}

/** 16 hex digits naming a public key (or the public half of a private key). */
export function keyId(k: KeyObject): string {
    const pub = k.type === "private" ? createPublicKey(k) : k
    const raw = pub.export({ type: "spki", format: "der" }).subarray(-32) // the raw key ends the SPKI form
    return createHash("sha256").update(raw).digest().subarray(0, 8).toString("hex")
}

/** The signed bundle of `wasm`, for installing as app `name`. */
export function signBundle(wasm: Uint8Array, key: KeyObject, name: string): Buffer {
    const n = Buffer.from(name, "utf8")
    if (n.length < 1 || n.length > 255) throw new Error(`app name "${name}": 1 to 255 bytes`)
    const id = Buffer.from(keyId(key), "hex")
    const head = Buffer.concat([MAGIC, Buffer.from([VERSION]), id])
    const tail = Buffer.concat([Buffer.from([n.length]), n, Buffer.from(wasm)])
    const sig = sign(null, Buffer.concat([head, tail]), key)
    return Buffer.concat([head, sig, tail])
}

/** Checks a bundle against the trusted keys: the .wasm inside and its app name when one of them signed it, else why not. */
export function verifyBundle(bundle: Uint8Array, trusted: KeyObject[]): Verdict {
    const b = Buffer.from(bundle.buffer, bundle.byteOffset, bundle.byteLength)
    if (b.length < HEAD + 2 || !b.subarray(0, 4).equals(MAGIC)) return { ok: false, reason: "not a signed bundle (sign it with `wasmlet sign --key KEY app.wasm -o app.signed`)" }
    if (b[4] !== VERSION) return { ok: false, reason: `signed bundle version ${b[4]} (this bridge reads ${VERSION})` }
    const id = b.subarray(5, 13).toString("hex")
    const sig = b.subarray(13, HEAD)
    const nameLen = b[HEAD]
    if (b.length < HEAD + 1 + nameLen) return { ok: false, reason: "the signed bundle is cut short" }
    const name = b.subarray(HEAD + 1, HEAD + 1 + nameLen).toString("utf8")
    const wasm = b.subarray(HEAD + 1 + nameLen)
    const signed = Buffer.concat([b.subarray(0, 13), b.subarray(HEAD)])
    for (const k of trusted) if (verify(null, signed, k, sig)) return { ok: true, wasm: new Uint8Array(wasm), keyId: keyId(k), name }
    const known = trusted.some(k => keyId(k) === id)
    return { ok: false, reason: known ? `bad signature (key ${id}): the bundle was changed after signing` : `signed by key ${id}, which this bridge does not trust` }
}
