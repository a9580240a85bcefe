// A growable little-endian byte buffer with back-patching, for writing images on the host.

export class ByteWriter {
    private buf = new Uint8Array(1024)
    length = 0

    private ensure(n: number): void {
        if (this.length + n <= this.buf.length) return
        let size = this.buf.length * 2
        while (size < this.length + n) size *= 2
        const next = new Uint8Array(size)
        next.set(this.buf.subarray(0, this.length))
        this.buf = next
    }

    u8(v: number): void {
        this.ensure(1)
        this.buf[this.length++] = v & 0xff
    }

    u16(v: number): void {
        if (v < 0 || v > 0xffff || v !== Math.floor(v)) throw new RangeError(`u16 out of range: ${v}`)
        this.ensure(2)
        this.buf[this.length++] = v & 0xff
        this.buf[this.length++] = (v >>> 8) & 0xff
    }

    /** Writes the low 32 bits of v (accepts signed or unsigned values). */
    u32(v: number): void {
        this.ensure(4)
        this.patchU32(this.length, v)
        this.length += 4
    }

    bytes(b: Uint8Array): void {
        this.ensure(b.length)
        this.buf.set(b, this.length)
        this.length += b.length
    }

    patchU32(at: number, v: number): void {
        this.buf[at] = v & 0xff
        this.buf[at + 1] = (v >>> 8) & 0xff
        this.buf[at + 2] = (v >>> 16) & 0xff
        this.buf[at + 3] = (v >>> 24) & 0xff
    }

    patchU16(at: number, v: number): void {
        this.buf[at] = v & 0xff
        this.buf[at + 1] = (v >>> 8) & 0xff
    }

    patchU8(at: number, v: number): void {
        this.buf[at] = v & 0xff
    }

    /** Drops everything written after `at` (used to rewrite the last instruction). */
    truncate(at: number): void {
        this.length = at
    }

    toBytes(): Uint8Array {
        return this.buf.slice(0, this.length)
    }
}
