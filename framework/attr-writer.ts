// Builds a serialized attr_container (WAMR's key/value payload, fmt 99; ../shared/wamr-app-abi.md §5):
// flags u16, total_len u32, tag, attr_num u16, then each key and typed value, all little-endian.
// The runtime needs only a writer: sensor readings and replies it makes itself. Apps parse with the
// SDK's own reader.

const T_INT = 2
const T_DOUBLE = 11
const T_BOOLEAN = 12
const T_STRING = 13

export class AttrWriter {
    private buf = Buffer.alloc(64)
    private len = 0
    private count = 0
    private countAt = 0

    constructor(tag: string) {
        this.len = 6 // flags, total_len: written by finish()
        this.text(tag)
        this.countAt = this.len
        this.len += 2
    }

    private room(n: number): void {
        if (this.len + n <= this.buf.length) return
        let size = this.buf.length * 2
        while (size < this.len + n) size *= 2
        const b = Buffer.alloc(size)
        b.blitAt(0, this.buf, 0, this.len)
        this.buf = b
    }

    /** u16 length including the NUL, the bytes, the NUL. */
    private text(s: string): void {
        const b = Buffer.from(s)
        this.room(b.length + 3)
        this.buf.setAt(this.len, "u16", b.length + 1)
        this.buf.blitAt(this.len + 2, b, 0, b.length)
        this.buf[this.len + 2 + b.length] = 0
        this.len += b.length + 3
    }

    private key(k: string, type: number, size: number): number {
        this.text(k)
        this.room(1 + size)
        this.buf[this.len] = type
        this.count++
        const at = this.len + 1
        this.len = at + size
        return at
    }

    int(k: string, v: number): AttrWriter {
        this.buf.setAt(this.key(k, T_INT, 4), "i32", v | 0)
        return this
    }
    double(k: string, v: number): AttrWriter {
        this.buf.setAt(this.key(k, T_DOUBLE, 8), "f64", v)
        return this
    }
    bool(k: string, v: boolean): AttrWriter {
        this.buf[this.key(k, T_BOOLEAN, 1)] = v ? 1 : 0
        return this
    }
    string(k: string, v: string): AttrWriter {
        this.key(k, T_STRING, 0)
        this.text(v)
        return this
    }

    /** The serialized container: total_len counts everything after flags. */
    finish(): Buffer {
        this.buf.setAt(0, "u16", 0)
        this.buf.setAt(2, "u32", this.len - 2)
        this.buf.setAt(this.countAt, "u16", this.count)
        return this.buf.slice(0, this.len)
    }
}
