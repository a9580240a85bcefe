// DeviceScript's Buffer.getAt/setAt/blitAt/fillAt for Node's Buffer. See node-core.ts for why.

type Format = "u8" | "i8" | "u16" | "i16" | "u32" | "i32" | "u64" | "i64" | "f32" | "f64"

const sizes: Record<Format, number> = {
    u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, u64: 8, i64: 8, f32: 4, f64: 8,
}
const intRange: Record<string, [number, number]> = {
    u8: [0, 0xff], i8: [-0x80, 0x7f], u16: [0, 0xffff], i16: [-0x8000, 0x7fff],
    u32: [0, 0xffffffff], i32: [-0x80000000, 0x7fffffff],
}

const SMALLEST_NORMAL_F64 = 2.2250738585072014e-308

/** What a DeviceScript number can hold: no -0, one NaN, no f64 subnormals. */
export function normalizeNumber(v: number): number {
    if (v !== v) return NaN
    if (v === 0) return 0
    if (v > -SMALLEST_NORMAL_F64 && v < SMALLEST_NORMAL_F64) return 0
    return v
}

function checkOffset(buf: Buffer, off: number, fmt: string) {
    if (typeof off !== "number" || off !== Math.floor(off))
        throw new TypeError(`buffer offset ${off} is not an integer (${fmt})`)
    if (off < 0) throw new RangeError(`negative buffer offset ${off} (${fmt}): heap corruption on DeviceScript`)
    if (fmt !== "blit" && fmt !== "fill" && !(fmt in sizes)) throw new TypeError(`unknown buffer format ${fmt}`)
}

function getAt(this: Buffer, off: number, fmt: Format): number {
    // Fast paths for the engine's hot formats: the same checks and results, fewer steps.
    // ((off >>> 0) === off holds exactly for integer offsets in [0, 2^32).)
    if (fmt === "i32" && (off >>> 0) === off) {
        if (off + 4 > this.length) return undefined as any
        return this[off] | (this[off + 1] << 8) | (this[off + 2] << 16) | (this[off + 3] << 24)
    }
    if (fmt === "u16" && (off >>> 0) === off) {
        if (off + 2 > this.length) return undefined as any
        return this[off] | (this[off + 1] << 8)
    }
    if (fmt === "u32" && (off >>> 0) === off) {
        if (off + 4 > this.length) return undefined as any
        return (this[off] | (this[off + 1] << 8) | (this[off + 2] << 16) | (this[off + 3] << 24)) >>> 0
    }
    checkOffset(this, off, fmt)
    if (off + sizes[fmt] > this.length) return undefined as any
    switch (fmt) {
        case "u8": return this.readUInt8(off)
        case "i8": return this.readInt8(off)
        case "u16": return this.readUInt16LE(off)
        case "i16": return this.readInt16LE(off)
        case "u32": return this.readUInt32LE(off)
        case "i32": return this.readInt32LE(off)
        case "u64": return normalizeNumber(Number(this.readBigUInt64LE(off)))
        case "i64": return normalizeNumber(Number(this.readBigInt64LE(off)))
        case "f32": return normalizeNumber(this.readFloatLE(off))
        case "f64": return normalizeNumber(this.readDoubleLE(off))
    }
}

function saturate(fmt: Format, v: number): number {
    if (v !== v) return 0
    v = Math.round(v)
    const [lo, hi] = intRange[fmt]
    return v < lo ? lo : v > hi ? hi : v
}

function setAt(this: Buffer, off: number, fmt: Format, v: number): void {
    // Fast path: an int32 value stored as "i32" (no saturation or normalisation can apply).
    if (fmt === "i32" && (off >>> 0) === off && (v | 0) === v) {
        if (off + 4 > this.length) throw new RangeError("buffer store out of range")
        this[off] = v
        this[off + 1] = v >> 8
        this[off + 2] = v >> 16
        this[off + 3] = v >> 24
        return
    }
    checkOffset(this, off, fmt)
    if (typeof v !== "number") throw new TypeError(`setAt ${fmt}: value ${v} is not a number`)
    if (off + sizes[fmt] > this.length) throw new RangeError("buffer store out of range")
    v = normalizeNumber(v)
    switch (fmt) {
        case "u8": this.writeUInt8(saturate(fmt, v), off); break
        case "i8": this.writeInt8(saturate(fmt, v), off); break
        case "u16": this.writeUInt16LE(saturate(fmt, v), off); break
        case "i16": this.writeInt16LE(saturate(fmt, v), off); break
        case "u32": this.writeUInt32LE(saturate(fmt, v), off); break
        case "i32": this.writeInt32LE(saturate(fmt, v), off); break
        // DeviceScript passes 64-bit formats through a double; the engine must not rely on them.
        case "u64": this.writeBigUInt64LE(BigInt(Math.max(0, Math.min(Math.round(v), 2 ** 64 - 1)) % 2 ** 64), off); break
        case "i64": this.writeBigInt64LE(BigInt(Math.max(-(2 ** 63), Math.min(Math.round(v), 2 ** 63 - 1))), off); break
        case "f32": this.writeFloatLE(v, off); break
        case "f64": this.writeDoubleLE(v, off); break
    }
}

function blitAt(this: Buffer, off: number, src: Buffer, srcOff: number, len: number): void {
    checkOffset(this, off, "blit")
    checkOffset(src, srcOff, "blit")
    // DeviceScript clamps the length to both buffers silently, and copies forwards byte by byte
    // (not memmove): an overlapping upward copy within one buffer smears, so do the same here.
    len = Math.min(len, this.length - off, src.length - srcOff)
    for (let k = 0; k < len; k++) this[off + k] = src[srcOff + k]
}

function fillAt(this: Buffer, off: number, len: number, value: number): void {
    checkOffset(this, off, "fill")
    len = Math.min(len, this.length - off)
    if (len > 0) this.fill(value & 0xff, off, off + len)
}

export function installDeviceScriptBuffer(): void {
    const proto = Buffer.prototype as any
    if (proto.__devsInstalled) return
    proto.getAt = getAt
    proto.setAt = setAt
    proto.blitAt = blitAt
    proto.fillAt = fillAt
    proto.__devsInstalled = true
}
