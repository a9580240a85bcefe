// Reads a serialized attr_container (ABI §5, little-endian) into a plain object, on the host:
// what apps pass as connection arguments, what the gateway will show as JSON.
export type AttrValue = number | bigint | boolean | string | Uint8Array

export function readAttrContainer(b: Uint8Array): { tag: string; attrs: Record<string, AttrValue> } {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength)
    let at = 6
    const text = (): string => {
        const n = v.getUint16(at, true)
        const s = Buffer.from(b.subarray(at + 2, at + 2 + n - 1)).toString("utf8")
        at += 2 + n
        return s
    }
    const tag = text()
    const count = v.getUint16(at, true)
    at += 2
    const attrs: Record<string, AttrValue> = {}
    for (let i = 0; i < count; i++) {
        const key = text()
        const type = b[at++]
        let value: AttrValue
        switch (type) {
            case 0: value = v.getInt8(at); at += 1; break
            case 1: value = v.getInt16(at, true); at += 2; break
            case 2: value = v.getInt32(at, true); at += 4; break
            case 3: value = v.getBigInt64(at, true); at += 8; break
            case 4: value = v.getUint8(at); at += 1; break
            case 5: value = v.getUint16(at, true); at += 2; break
            case 6: value = v.getUint32(at, true); at += 4; break
            case 7: value = v.getBigUint64(at, true); at += 8; break
            case 10: value = v.getFloat32(at, true); at += 4; break
            case 11: value = v.getFloat64(at, true); at += 8; break
            case 12: value = b[at] !== 0; at += 1; break
            case 13: value = text(); break
            case 14: {
                const n = v.getUint32(at, true)
                value = b.slice(at + 4, at + 4 + n)
                at += 4 + n
                break
            }
            default:
                throw new Error(`attr_container: unknown type ${type} for ${key}`)
        }
        attrs[key] = value
    }
    return { tag, attrs }
}
