// Byte reader for the Wasm binary format: fixed-width values, LEB128 integers, names.
// Every failure is a WasmDecodeError carrying the byte offset and the current section.

import { WasmDecodeError } from "../wasm-types"

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

export class Reader {
    /** Name of the section being read, for error messages. */
    section: string | undefined = undefined

    constructor(
        public readonly bytes: Uint8Array,
        public pos = 0,
        /** Reads may not go past this offset (end of the current section or function body). */
        public limit = bytes.length,
    ) {}

    fail(message: string, at: number = this.pos): never {
        throw new WasmDecodeError(message, at, this.section)
    }

    /** Thrown when a read would cross `limit`. */
    private overrun(): never {
        if (this.limit < this.bytes.length) {
            // More bytes follow in the module, but not in this section / function body:
            // the declared size is too small for the content.
            this.fail("section size mismatch", this.pos)
        }
        this.fail(this.section ? "unexpected end of section or function" : "unexpected end", this.pos)
    }

    get remaining(): number {
        return this.limit - this.pos
    }

    atEnd(): boolean {
        return this.pos >= this.limit
    }

    peek(): number | undefined {
        return this.pos < this.limit ? this.bytes[this.pos] : undefined
    }

    u8(): number {
        if (this.pos >= this.limit) this.overrun()
        return this.bytes[this.pos++]
    }

    /** Little-endian fixed 32-bit value, as a signed int32. */
    fixed32(): number {
        if (this.pos + 4 > this.limit) {
            this.pos = this.limit
            this.overrun()
        }
        const b = this.bytes
        const p = this.pos
        this.pos += 4
        return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24)
    }

    skip(n: number): void {
        if (n < 0 || this.pos + n > this.limit) {
            this.pos = this.limit
            this.overrun()
        }
        this.pos += n
    }

    take(n: number): Uint8Array {
        const start = this.pos
        this.skip(n)
        return this.bytes.subarray(start, start + n)
    }

    /** Unsigned LEB128 of at most `bits` bits (1..32), returned as a non-negative number. */
    uN(bits: number): number {
        let result = 0
        let shift = 0
        let n = bits
        for (;;) {
            if (n <= 0) this.fail("integer representation too long")
            const b = this.u8()
            if (n < 7 && (b & 0x7f) >= 1 << n) this.fail("integer too large", this.pos - 1)
            result += (b & 0x7f) * 2 ** shift
            if ((b & 0x80) === 0) return result
            shift += 7
            n -= 7
        }
    }

    u32(): number {
        return this.uN(32)
    }

    /** One-bit unsigned LEB (flags of limits). */
    u1(): number {
        return this.uN(1)
    }

    /** Signed LEB128 of at most `bits` bits, as a BigInt. */
    sNBig(bits: number): bigint {
        let result = 0n
        let shift = 0n
        let n = bits
        for (;;) {
            if (n <= 0) this.fail("integer representation too long")
            const b = this.u8()
            if (n < 7) {
                const mask = (-1 << (n - 1)) & 0x7f
                if ((b & mask) !== 0 && (b & mask) !== mask) this.fail("integer too large", this.pos - 1)
            }
            result |= BigInt(b & 0x7f) << shift
            shift += 7n
            n -= 7
            if ((b & 0x80) === 0) {
                if (b & 0x40) result -= 1n << shift // sign-extend
                return result
            }
        }
    }

    /** Signed LEB128 of at most `bits` (≤ 33) bits, as a number. Fast path without BigInt. */
    sN(bits: number): number {
        let result = 0
        let mul = 1
        let n = bits
        for (;;) {
            if (n <= 0) this.fail("integer representation too long")
            const b = this.u8()
            if (n < 7) {
                const mask = (-1 << (n - 1)) & 0x7f
                if ((b & mask) !== 0 && (b & mask) !== mask) this.fail("integer too large", this.pos - 1)
            }
            result += (b & 0x7f) * mul
            mul *= 128
            n -= 7
            if ((b & 0x80) === 0) {
                if (b & 0x40) result -= mul
                return result
            }
        }
    }

    s32(): number {
        return this.sN(32) | 0
    }

    s33(): number {
        return this.sN(33)
    }

    /** Signed 64-bit LEB128 as two signed int32 halves. */
    s64(): { lo: number; hi: number } {
        const v = this.sNBig(64)
        return { lo: Number(BigInt.asIntN(32, v)), hi: Number(BigInt.asIntN(32, v >> 32n)) }
    }

    /** A vector length / byte count: must not exceed what is left of the module. */
    len(): number {
        const at = this.pos
        const n = this.u32()
        if (n > this.bytes.length - this.pos) this.fail("length out of bounds", at)
        return n
    }

    /** A UTF-8 name. */
    name(): string {
        const at = this.pos
        const n = this.len()
        const raw = this.take(n)
        try {
            return utf8.decode(raw)
        } catch {
            this.fail("malformed UTF-8 encoding", at)
        }
    }
}
