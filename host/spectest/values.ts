// Values of wast2json scripts <-> raw 8-byte value slots.
//
// wast2json writes every number as an unsigned decimal string of its bits: i32/f32 as u32,
// i64/f64 as u64. Expected floats may instead be "nan:canonical" or "nan:arithmetic".
// References: "null", or for externref a host number N (ref.extern N). The engine holds an
// externref as an i32 where 0 is null, so ref.extern N travels as N + 1.
// A slot is kept on the host as a bigint of its 64 bits (unsigned).

export interface JsonValue {
    type: string
    value?: string | string[]
}

const M32 = 0xffffffffn
const M64 = 0xffffffffffffffffn

/** The slot bits for an argument value. */
export function argBits(v: JsonValue): bigint {
    const s = typeof v.value === "string" ? v.value : undefined
    switch (v.type) {
        case "i32":
        case "f32":
            return BigInt(s) & M32
        case "i64":
        case "f64":
            return BigInt(s) & M64
        case "externref":
            return s === undefined || s === "null" ? 0n : (BigInt(s) + 1n) & M32
        case "funcref":
            if (s === undefined || s === "null") return 0n
            throw new Error(`funcref argument ${s} cannot be expressed`)
        default:
            throw new Error(`unsupported value type ${v.type}`)
    }
}

const F32_CANON = 0x7fc00000n
const F64_CANON = 0x7ff8000000000000n

/** Does a result slot match an expected value? */
export function matches(expected: JsonValue, raw: bigint): boolean {
    const s = typeof expected.value === "string" ? expected.value : undefined
    switch (expected.type) {
        case "i32":
            return (raw & M32) === (BigInt(s) & M32)
        case "i64":
            return (raw & M64) === (BigInt(s) & M64)
        case "f32": {
            const bits = raw & M32
            if (s === "nan:canonical") return (bits & 0x7fffffffn) === F32_CANON
            if (s === "nan:arithmetic") return (bits & F32_CANON) === F32_CANON
            return bits === (BigInt(s) & M32)
        }
        case "f64": {
            const bits = raw & M64
            if (s === "nan:canonical") return (bits & 0x7fffffffffffffffn) === F64_CANON
            if (s === "nan:arithmetic") return (bits & F64_CANON) === F64_CANON
            return bits === (BigInt(s) & M64)
        }
        case "externref": {
            const r = raw & M32
            if (s === undefined) return r !== 0n // (ref.extern) with no number: any non-null
            if (s === "null") return r === 0n
            return r === BigInt(s) + 1n
        }
        case "funcref": {
            const r = raw & M32
            if (s === "null") return r === 0n
            return r !== 0n // (ref.func) / a function index: any non-null function
        }
        default:
            throw new Error(`unsupported value type ${expected.type}`)
    }
}

function hex(b: bigint, digits: number): string {
    return "0x" + b.toString(16).padStart(digits, "0")
}

function f32Of(bits: bigint): number {
    const b = Buffer.alloc(4)
    b.writeUInt32LE(Number(bits & M32))
    return b.readFloatLE(0)
}

function f64Of(bits: bigint): number {
    const b = Buffer.alloc(8)
    b.writeBigUInt64LE(bits & M64)
    return b.readDoubleLE(0)
}

/** A readable form of a slot as a value of `type` (for failure reports). */
export function showRaw(type: string, raw: bigint): string {
    switch (type) {
        case "i32":
            return `i32:${Number(BigInt.asIntN(32, raw & M32))} (${hex(raw & M32, 8)})`
        case "i64":
            return `i64:${BigInt.asIntN(64, raw & M64)} (${hex(raw & M64, 16)})`
        case "f32":
            return `f32:${f32Of(raw)} (${hex(raw & M32, 8)})`
        case "f64":
            return `f64:${f64Of(raw)} (${hex(raw & M64, 16)})`
        case "externref": {
            const r = raw & M32
            return r === 0n ? "ref.null extern" : `ref.extern ${r - 1n}`
        }
        case "funcref": {
            const r = raw & M32
            return r === 0n ? "ref.null func" : `ref.func (handle ${r})`
        }
        default:
            return `${type}:${hex(raw, 16)}`
    }
}

/** A readable form of an expected (or argument) value. */
export function showExpected(v: JsonValue): string {
    const s = typeof v.value === "string" ? v.value : undefined
    if (s === undefined) return `${v.type}:?`
    if (s.startsWith("nan:") || s === "null") return `${v.type}:${s}`
    return showRaw(v.type, v.type === "externref" ? BigInt(s) + 1n : BigInt(s))
}
