// Fragments of a packed request, response or event: `request` commands and `response`/`event`
// reports carry at most FRAGMENT_BYTES of it each, with `more` = how many fragments still follow
// (services/wasmletmanager.md). split() cuts, Reassembler puts back together.
import { FRAGMENT_BYTES } from "../../manager/protocol"

export interface Fragment {
    more: number
    data: Uint8Array
}

/** The fragments of `msg` in order; `more` counts down to 0 on the last. At least one fragment. */
export function split(msg: Uint8Array, size = FRAGMENT_BYTES): Fragment[] {
    const n = Math.max(1, Math.ceil(msg.length / size))
    if (n > 256) throw new Error(`message of ${msg.length} B needs ${n} fragments, at most 256 fit the u8 count`)
    const out: Fragment[] = []
    for (let i = 0; i < n; i++) out.push({ more: n - 1 - i, data: msg.subarray(i * size, (i + 1) * size) })
    return out
}

/**
 * Joins fragments as they come: returns the whole message with its last fragment, else undefined.
 * A fragment that does not continue the one before (its `more` is not one less) drops what was
 * collected (a fragment was lost) and starts over with it.
 */
export class Reassembler {
    private parts: Uint8Array[] = []
    private expect = -1
    /** Messages dropped because a fragment was missing. */
    dropped = 0

    push(f: Fragment): Uint8Array | undefined {
        if (this.parts.length && f.more !== this.expect) {
            this.parts = []
            this.dropped++
        }
        this.parts.push(f.data)
        this.expect = f.more - 1
        if (f.more > 0) return undefined
        const all = Buffer.concat(this.parts)
        this.parts = []
        return new Uint8Array(all.buffer, all.byteOffset, all.length)
    }
}
