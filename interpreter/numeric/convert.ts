// The 8 integer -> float conversions (f32 and f64 .convert_i32_s/u, _i64_s/u) as one op-table
// entry: the table hands it the opcode, so 8 DeviceScript functions are one.
import { Op } from "../opcodes"

/**
 * An i32 is an exact double. An i64 converts by its magnitude, hu * 2^32 + lo with both terms
 * exact, so the one addition rounds correctly for f64. For f32, at 2^53 and above bits 0..28
 * lie below f32's rounding bit: they fold into a sticky bit 28, so that the double is exact
 * and only the f32 store rounds (once).
 */
export function convertOp(S: Buffer, d: number, a: number, op: number): void {
    const f64 = op >= Op.UN_F64_CONVERT_I32_S
    const k = op - (f64 ? Op.UN_F64_CONVERT_I32_S : Op.UN_F32_CONVERT_I32_S) // i32_s i32_u i64_s i64_u
    let lo = S.getAt(a, "i32")
    let v: number
    if (k < 2) v = k === 0 ? lo : lo >>> 0
    else {
        let hi = S.getAt(a + 4, "i32")
        const neg = k === 2 && hi < 0
        if (neg) {
            hi = (~hi + +(lo === 0)) | 0
            lo = -lo | 0
        }
        const hu = hi >>> 0
        if (!f64 && hu >= 0x200000) lo = (lo & -536870912) | ((lo & 0x1fffffff) !== 0 ? 0x10000000 : 0)
        v = hu * 4294967296 + (lo >>> 0)
        if (neg) v = -v
    }
    if (f64) S.setAt(d, "f64", v)
    else S.setAt(d, "f32", v)
}
