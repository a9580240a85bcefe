// How the JIT holds floats, and the bit-exact conversions around it.
//
// f64 is a JS number: V8 keeps a double's bits (NaN payloads included) in variables, objects and
// DataView/typed-array accesses. f32 is a JS number too, always a value Math.fround returns, except
// NaNs: an f32 NaN is held as the double NaN with the same sign and payload (the 23 fraction bits
// become the top of the double's 52). Float32Array/DataView's f32->f64 conversion would set the
// quiet bit of a signalling NaN, so f32 loads, stores and reinterprets go through these helpers.

const buf = new ArrayBuffer(8)
const f32 = new Float32Array(buf)
const f64 = new Float64Array(buf)
const i32 = new Int32Array(buf)
const i64 = new BigInt64Array(buf)

/** The f32 whose raw bits are `b` (a signed int32). */
export function f32FromBits(b: number): number {
    if ((b & 0x7f800000) === 0x7f800000 && (b & 0x7fffff) !== 0) {
        // NaN: build the double by hand (little-endian: i32[1] is the high word).
        i32[1] = (b & 0x80000000) | 0x7ff00000 | ((b & 0x7fffff) >>> 3)
        i32[0] = b << 29
        return f64[0]
    }
    i32[0] = b
    return f32[0]
}

/** The raw bits (signed int32) of an f32 value. */
export function f32Bits(x: number): number {
    if (x !== x) {
        f64[0] = x
        const hi = i32[1]
        return (hi & 0x80000000) | 0x7f800000 | ((hi & 0xfffff) << 3) | (i32[0] >>> 29)
    }
    f32[0] = x
    return i32[0]
}

/** The f64 whose raw bits are the int64 `b`. */
export function f64FromBits(b: bigint): number {
    i64[0] = b
    return f64[0]
}

/** The raw bits (signed BigInt) of an f64 value. */
export function f64Bits(x: number): bigint {
    f64[0] = x
    return i64[0]
}

/** The f64 with raw halves lo/hi (signed int32s), as the decoder gives f64.const. */
export function f64FromHalves(lo: number, hi: number): number {
    i32[0] = lo
    i32[1] = hi
    return f64[0]
}

// neg, abs and copysign only touch the sign bit (the spec keeps NaN payloads); the arithmetic
// forms are used for non-NaNs, where they are exact.
export function fneg(x: number): number {
    if (x === x) return -x
    f64[0] = x
    i32[1] ^= 0x80000000
    return f64[0]
}

export function fabs(x: number): number {
    if (x === x) return Math.abs(x)
    f64[0] = x
    i32[1] &= 0x7fffffff
    return f64[0]
}

export function fcopysign(x: number, y: number): number {
    f64[0] = y
    const sign = i32[1] & 0x80000000
    f64[0] = x
    i32[1] = (i32[1] & 0x7fffffff) | sign
    return f64[0]
}
