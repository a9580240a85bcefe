// LZSS, the compression of an app's stored form (what the settings store keeps; the host
// compresses, host/link/compress.ts). Images are fixed-width records and pre-decoded code, full of
// repeats: LZSS takes the samples to 0.83-0.96x of their .wasm size, and its decoder is a few dozen
// lines of DeviceScript that need no tables, only the output buffer.
//
// Format: groups of one flag byte and up to 8 items, flag bit k (LSB first) for item k:
//   0  a literal byte
//   1  a match, two bytes b0 b1: copy (b1 & 15) + 3 bytes from (((b1 >> 4) << 8) | b0) + 1 back
// The stream ends when the output (whose length the host sends) is full.
//
// Decoding is incremental: the stored form arrives one settings value at a time, and a match's
// two bytes may sit in two of them. It writes straight into the app's block of the arena: no
// image-sized buffer in the DeviceScript heap (which fragments: a 3.8 KB one failed with 12 KB free).

export const LZ_MIN_MATCH = 3
export const LZ_MAX_MATCH = 18
export const LZ_WINDOW = 4096

export class LzssDecoder {
    /** Where the next byte goes in out. */
    pos: number
    private flags = 0
    /** Items left in the current group (0: the next byte is a flag byte). */
    private items = 0
    /** First byte of a match whose second byte is in the next piece, or -1. */
    private half = -1

    /** Decodes into out[start, end) (an app's block in the arena). */
    constructor(
        readonly out: Buffer,
        readonly start: number,
        readonly end: number,
    ) {
        this.pos = start
    }

    /** Decodes buf[0, len); false when the stream is corrupt (a match reaching before the start, or past the end). */
    feed(buf: Buffer, len: number): boolean {
        const out = this.out
        const end = this.end
        let pos = this.pos
        for (let i = 0; i < len; i++) {
            const c = buf[i]
            if (this.half >= 0) {
                const from = pos - ((((c >> 4) << 8) | this.half) + 1)
                const n = (c & 15) + LZ_MIN_MATCH
                this.half = -1
                if (from < this.start || pos + n > end) return false
                for (let k = 0; k < n; k++) out[pos + k] = out[from + k]
                pos += n
            } else if (this.items === 0) {
                this.flags = c
                this.items = 8
                continue
            } else if ((this.flags & 1) !== 0) {
                this.half = c
            } else {
                if (pos >= end) return false
                out[pos++] = c
            }
            if (this.half < 0) {
                this.flags >>= 1
                this.items--
            }
        }
        this.pos = pos
        return true
    }

    /** The whole output was produced and no match is left half read. */
    done(): boolean {
        return this.pos === this.end && this.half < 0
    }
}
