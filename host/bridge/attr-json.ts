// Payloads on the bridge's topics as JSON. attr_containers convert as everywhere on the host's
// network side (host/run/attr-json.ts, which the HTTP gateway uses too): integers and floats as
// JSON numbers (64-bit ones beyond 2^53 as decimal strings), float32 in its shortest form that reads
// back, booleans, strings, byte arrays as {"base64": "..."}; JSON in takes the natural types, or
// {"type": T, "value": V}. Here: each key's attr type name (typesOf, sent as an MQTT 5 user
// property), and raw payloads (fmt 98) as text when they are text, else {"base64": "..."}.
import { attrToJson, jsonToAttr, type Json } from "../run/attr-json"

export type JsonValue = Json
export type JsonObject = { [k: string]: Json }

/** The attr_container's attributes as a JSON object (throws when it does not read). */
export function attrToTypedJson(b: Uint8Array): JsonObject {
    return attrToJson(b)
}

/** Each attribute's type name (int32, double, string, bytes, ...), read from the container itself. */
export function typesOf(b: Uint8Array): Record<string, string> {
    const typed = attrToJson(b, true) as Record<string, { type: string }>
    return Object.fromEntries(Object.entries(typed).map(([k, v]) => [k, v.type]))
}

/** A payload as JSON: an attr_container's attributes, else UTF-8 text as a string, else base64 (fmt says which). */
export function payloadToJson(fmt: number, payload: Uint8Array): { json: JsonValue; types?: Record<string, string> } {
    if (fmt === 99 && payload.length > 0) {
        try {
            return { json: attrToTypedJson(payload), types: typesOf(payload) }
        } catch {
            // not a container after all: fall through to bytes
        }
    }
    if (payload.length === 0) return { json: null }
    const text = Buffer.from(payload).toString("utf8").replace(/\0+$/, "") // C apps send strings with their NUL
    const printable = [...text].every(c => c >= " " || c === "\n" || c === "\r" || c === "\t")
    if (printable && Buffer.from(text + "\0".repeat(payload.length - Buffer.byteLength(text))).equals(Buffer.from(payload))) return { json: text }
    return { json: { base64: Buffer.from(payload).toString("base64") } }
}

/** A JSON object as an attr_container (see host/run/attr-json.ts for the types); throws an Error naming the key. */
export function jsonToTypedAttr(o: unknown, tag = ""): Buffer {
    return jsonToAttr(o, tag)
}
