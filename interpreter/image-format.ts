// Layout of a device image: the compact, pre-validated form of a Wasm module that the host
// compiler writes (compiler/emit/image-writer.ts) and the device loads (loader.ts).
// All numbers are little-endian. The image is read in place with getAt (it can live in flash),
// so every table has fixed-size records.
//
//   header   HEADER_SIZE bytes: magic, version, total length, checksum, then SECTION_COUNT
//            (offset u32, count u32) pairs, one per section below, then the stacks a call into
//            the module needs (worked out by the host: compiler/stack-bound.ts)
//   sections the record tables, then the strings, data bytes and the code blob
//
// The checksum (FNV-1a, 32 bit) covers every byte after the checksum field, so a corrupt or
// truncated upload is rejected before anything else is read.

export const IMAGE_MAGIC = 0x314d4c57 // "WLM1"
export const IMAGE_VERSION = 3

/**
 * Bytes the code blob is followed by (any content): the run loop reads each instruction's first
 * four bytes at once, so a 1-byte instruction at the very end must not read past the image.
 */
export const CODE_TAIL = 3

export const enum Hdr {
    MAGIC = 0, // u32
    VERSION = 4, // u16
    FLAGS = 6, // u16
    LENGTH = 8, // u32 total image length
    CHECKSUM = 12, // u32 FNV-1a of bytes [16, LENGTH)
    SECTIONS = 16, // SECTION_COUNT x (u32 offset, u32 count)
    // The worst case over every exported function and the start function of a call from the
    // host: value-stack bytes (an Execution's stackBytes) and Wasm frames (its callDepth) that
    // are enough for it to never trap "call stack exhausted". 0 = unknown (reachable recursion,
    // call_indirect, or an import whose cost the host did not know): use the profile's default.
    // A hint for sizing stacks only: the run loop checks both stacks itself on every call.
    STACK_BYTES = 16 + 8 * 12, // u32
    CALL_DEPTH = 16 + 8 * 12 + 4, // u32
}

export const enum Sec {
    TYPES = 0, // TypeRec
    IMPORTS = 1, // ImportRec
    FUNCS = 2, // FuncRec, defined functions only
    TABLES = 3, // TableRec, defined tables only
    MEMORIES = 4, // MemRec, defined memory (0 or 1)
    GLOBALS = 5, // GlobalRec, defined globals only
    EXPORTS = 6, // ExportRec
    ELEMS = 7, // ElemRec
    DATAS = 8, // DataRec
    START = 9, // count 1 when there is a start function; offset field = its function index
    CODE = 10, // offset = start of the code blob, count = its length in bytes
    ELEM_ITEMS = 11, // ExprRec array referenced by ElemRec
    COUNT = 12,
}

export const HEADER_SIZE = 16 + 8 * 12 + 8

/** Function type: u32 offset of [u8 nparams][u8 nresults][valtype bytes...]; u16 canonical index. */
export const enum TypeRec {
    SIG = 0, // u32 offset of the signature bytes
    CANON = 4, // u16 index of the first structurally equal type (call_indirect compares these)
    SIZE = 8,
}

export const enum ImportRec {
    KIND = 0, // u8 ExternKind
    VALTYPE = 1, // u8 global value type / table element type
    MUT = 2, // u8 global mutability
    MODULE = 4, // u32 string offset ([u16 len][utf-8])
    NAME = 8, // u32 string offset
    INDEX = 12, // u32 func: type index
    MIN = 16, // u32 table/memory limits
    MAX = 20, // u32, NO_MAX when absent
    SIZE = 24,
}

export const enum FuncRec {
    CODE = 0, // u32 code offset (absolute in the image)
    TYPE = 4, // u16 type index
    PARAM_SLOTS = 6, // u16
    LOCAL_SLOTS = 8, // u16 declared locals (zeroed on entry)
    FRAME_SLOTS = 10, // u16 params + locals + deepest operand stack
    CODE_END = 12, // u32 end of the function's code
    SIZE = 16,
}

export const enum TableRec {
    ELEM = 0, // u8 value type
    MIN = 4, // u32
    MAX = 8, // u32, NO_MAX when absent
    SIZE = 12,
}

export const enum MemRec {
    MIN = 0, // u32 pages
    MAX = 4, // u32 pages, NO_MAX when absent
    SIZE = 8,
}

/** A constant expression: u8 kind, i32 a, i32 b. */
export const enum ExprRec {
    KIND = 0,
    A = 4,
    B = 8,
    SIZE = 12,
}

export const enum ExprKind {
    I32 = 0, // a = value
    I64 = 1, // a = lo, b = hi
    F32 = 2, // a = bits
    F64 = 3, // a = lo bits, b = hi bits
    REF_NULL = 4,
    REF_FUNC = 5, // a = function index
    GLOBAL_GET = 6, // a = global index
}

export const enum GlobalRec {
    VALTYPE = 0, // u8
    MUT = 1, // u8
    INIT = 4, // ExprRec
    SIZE = 16,
}

export const enum ExportRec {
    KIND = 0, // u8 ExternKind
    INDEX = 4, // u32
    NAME = 8, // u32 string offset
    SIZE = 12,
}

export const enum ElemRec {
    MODE = 0, // u8 SegMode
    ELEM = 1, // u8 value type
    TABLE = 4, // u32
    OFFSET = 8, // ExprRec (active only)
    ITEMS = 20, // u32 index of the first item in ELEM_ITEMS
    COUNT = 24, // u32 number of items
    SIZE = 28,
}

export const enum DataRec {
    MODE = 0, // u8 SegMode
    OFFSET = 4, // ExprRec (active only)
    BYTES = 16, // u32 offset of the bytes in the image
    LENGTH = 20, // u32
    SIZE = 24,
}

export const enum SegMode {
    ACTIVE = 0,
    PASSIVE = 1,
    DECLARATIVE = 2,
}

export const enum ExternKind {
    FUNC = 0,
    TABLE = 1,
    MEMORY = 2,
    GLOBAL = 3,
}

export const enum ValTypeCode {
    I32 = 0x7f,
    I64 = 0x7e,
    F32 = 0x7d,
    F64 = 0x7c,
    FUNCREF = 0x70,
    EXTERNREF = 0x6f,
}

export const NO_MAX = 0xffffffff

/**
 * Image checksum over buf[from, to): FNV-1a style, one 32-bit little-endian word per step
 * (4x fewer DeviceScript VM steps than per byte), Math.imul keeps it on the int fast path.
 * A trailing partial word is read byte by byte. Start with seed 0x811c9dc5|0; it can be
 * computed piecewise (pass the previous result as seed) as long as pieces are multiples of 4.
 */
export function imageChecksum(buf: Buffer, from: number, to: number, seed: number): number {
    let h = seed
    let i = from
    const whole = to - ((to - from) & 3)
    while (i < whole) {
        h = Math.imul(h ^ buf.getAt(i, "i32"), 0x01000193)
        i += 4
    }
    while (i < to) {
        h = Math.imul(h ^ buf[i], 0x01000193)
        i++
    }
    return h
}
