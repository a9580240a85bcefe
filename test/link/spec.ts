// The Wasmlet Manager's packets read straight from services/wasmletmanager.md, independently of
// host/link/packets.ts: each `command|report NAME @ 0xNN { field: type ... }` block becomes a
// jdpack format (u8/u16/u32 as they are, string -> s, string0 -> z, bytes -> b). The tests check
// the host's table against it, and the test board encodes and decodes with it.
import { readFileSync } from "node:fs"
import { join } from "node:path"

export interface SpecPacket {
    kind: "command" | "report"
    name: string
    code: number
    fields: { name: string; type: string }[]
    format: string
}

const TYPES: Record<string, string> = { u8: "u8", u16: "u16", u32: "u32", string: "s", string0: "z", bytes: "b" }

export function parseServiceSpec(md: string): SpecPacket[] {
    const out: SpecPacket[] = []
    for (const m of md.matchAll(/^\s+(command|report) (\w+) @ (0x[0-9a-f]+) \{\n([\s\S]*?)^\s+\}/gim)) {
        const fields = m[4]
            .split("\n")
            .map(l => l.trim())
            .filter(Boolean)
            .map(l => {
                const f = /^(\w+): (\w+)/.exec(l)
                if (!f || !TYPES[f[2]]) throw new Error(`cannot read field line "${l}" of ${m[2]}`)
                return { name: f[1], type: f[2] }
            })
        out.push({ kind: m[1] as "command" | "report", name: m[2], code: parseInt(m[3], 16), fields, format: fields.map(f => TYPES[f.type]).join(" ") })
    }
    return out
}

export const SPEC_MD = join(import.meta.dirname, "../../services/wasmletmanager.md")

export function serviceSpec(): SpecPacket[] {
    return parseServiceSpec(readFileSync(SPEC_MD, "utf8"))
}
