// The device image's instruction set: a register form of Wasm produced on the host
// (compiler/emit) and run by the device (machine.ts).
//
// Every Wasm value lives in an 8-byte slot of the value stack. An operand `R` is a u16 byte
// offset of a slot relative to the frame pointer (so no operand pushes/pops at run time).
// Operand encodings: R = u16, I = i32 immediate, U = u32 immediate, T = u32 absolute code offset.
//
// Opcodes are grouped in ranges because DeviceScript's `switch` is a linear chain of
// compares (~70 ns per skipped case): the hottest ops are tested first inside the run loop,
// numeric ops go through arrays of functions indexed by opcode (one call, no search).
//
//   [0, HOT_END)        control, moves, i32 arithmetic, fused compare-and-branch, i32 loads and
//                       stores (also at base + addend), i32 globals: inline
//   [BIN_BASE, UN_BASE) binary numeric ops  d a b   -> BINARY[op - BIN_BASE](S, fp+d, fp+a, fp+b, op)
//   [UN_BASE, MISC_BASE) unary numeric ops  d a     -> UNARY[op - UN_BASE](S, fp+d, fp+a, op)
//   [MISC_BASE, 256)    everything else            -> MISC[op - MISC_BASE](pc, fp) returns next pc

export const enum Op {
    // --- moves and constants
    MOV32 = 0, // R d, R a              4-byte copy (i32, f32, references)
    MOV64 = 1, // R d, R a              8-byte copy (i64, f64)
    CONST32 = 2, // R d, I v
    CONST64 = 3, // R d, I lo, I hi
    // --- control
    BR = 4, // T target
    BR_IF = 5, // R c, T target           taken when the i32 in c is not 0
    BR_UNLESS = 6, // R c, T target       taken when the i32 in c is 0
    // R i, U n, U k, T[k] distinct targets, then n+1 entries (the last is the default), each an
    // index into the targets: u8 when k <= 256, else u16. (A 16K-entry table stays ~16 KB.)
    BR_TABLE = 7,
    CALL = 8, // U func, R args         args (and results) start at fp+args; callee fp = fp+args
    CALL_IMPORT = 9, // U func, R args
    CALL_INDIRECT = 10, // U type, U table, R elem, R args
    RETURN = 11, //                     results were moved to fp+0.. before
    RET32 = 12, // R a                  RETURN with the single 4-byte result in a (moved to fp+0)
    RET64 = 13, // R a                  the same for an 8-byte result
    UNREACHABLE = 14,
    // --- i32 arithmetic, d a b
    I32_ADD = 15,
    I32_SUB = 16,
    I32_MUL = 17,
    I32_AND = 18,
    I32_OR = 19,
    I32_XOR = 20,
    I32_SHL = 21,
    I32_SHR_S = 22,
    I32_SHR_U = 23,
    // --- i32 arithmetic with an immediate, d a I
    I32_ADD_IMM = 24,
    I32_MUL_IMM = 25,
    I32_AND_IMM = 26,
    I32_OR_IMM = 27,
    I32_XOR_IMM = 28,
    I32_SHL_IMM = 29,
    I32_SHR_S_IMM = 30,
    I32_SHR_U_IMM = 31,
    // --- fused i32 compare and branch: R a, R b, T target (taken when the comparison holds)
    BR_EQ = 32,
    BR_NE = 33,
    BR_LT_S = 34,
    BR_LT_U = 35,
    BR_GT_S = 36,
    BR_GT_U = 37,
    BR_LE_S = 38,
    BR_LE_U = 39,
    BR_GE_S = 40,
    BR_GE_U = 41,
    // --- the same against an immediate: R a, I b, T target
    BR_EQ_IMM = 42,
    BR_NE_IMM = 43,
    BR_LT_S_IMM = 44,
    BR_LT_U_IMM = 45,
    BR_GT_S_IMM = 46,
    BR_GT_U_IMM = 47,
    BR_LE_S_IMM = 48,
    BR_LE_U_IMM = 49,
    BR_GE_S_IMM = 50,
    BR_GE_U_IMM = 51,
    // --- i32 memory access: R d|v, R addr, U offset
    I32_LOAD = 52, // R d, R addr, U offset
    I32_STORE = 53, // R addr, R v, U offset
    // --- globals (4-byte values): R d, U global  /  U global, R a
    GLOBAL_GET32 = 54,
    GLOBAL_SET32 = 55,
    // --- charge fuel in long straight-line code (loops and calls charge it themselves): U cost
    FUEL = 56,
    // --- i32 memory access at base + addend (an i32.add with a constant folded into the access;
    // the add wraps before the offset is added, as in Wasm): R d|v, R base, U offset, I addend
    I32_LOAD_A = 57, // R d, R base, U offset, I addend
    I32_STORE_A = 58, // R base, R v, U offset, I addend
    HOT_END = 59,

    BIN_BASE = 64,
    // Binary ops the run loop inlines, and the first op of each family that one table entry
    // serves with the op as its last argument (BIN_BASE + their position in numeric-order.ts's
    // BINARY_WASM_OPS; a test keeps these in step)
    BIN_I32_EQ = 64, // i32, then i64 comparisons: eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u
    BIN_I64_EQ = 74,
    BIN_F32_EQ = 84, // f32, then f64 comparisons: eq ne lt gt le ge
    BIN_F64_EQ = 90,
    BIN_I32_DIV_S = 96, // div_s div_u rem_s rem_u
    BIN_I32_ROTL = 100,
    BIN_I32_ROTR = 101,
    BIN_I64_ADD = 102,
    BIN_I64_SUB = 103,
    BIN_I64_DIV_S = 105, // div_s div_u rem_s rem_u
    BIN_I64_AND = 109,
    BIN_I64_OR = 110,
    BIN_I64_XOR = 111,
    BIN_I64_SHL = 112, // shl shr_s shr_u rotl rotr
    BIN_I64_ROTL = 115,
    BIN_I64_ROTR = 116,
    BIN_F32_ADD = 117,
    BIN_F32_SUB = 118,
    BIN_F32_MUL = 119,
    BIN_F32_MIN = 121, // min max
    BIN_F32_MAX = 122,
    BIN_F64_ADD = 124,
    BIN_F64_SUB = 125,
    BIN_F64_MUL = 126,
    BIN_F64_DIV = 127,
    BIN_F64_MIN = 128, // min max
    BIN_F64_MAX = 129,
    BIN_F64_COPYSIGN = 130,
    UN_BASE = 160,
    // Unary families served by one table entry each (UN_BASE + position in UNARY_WASM_OPS)
    UN_I32_EQZ = 160, // i32.eqz i64.eqz
    UN_I64_EQZ = 161,
    UN_I32_CLZ = 162, // i32 clz ctz popcnt, then i64 clz ctz popcnt
    UN_I64_CLZ = 165,
    UN_F32_ABS = 168, // abs neg (f32, then f64)
    UN_F32_NEG = 169,
    UN_F32_CEIL = 170, // ceil floor trunc nearest
    UN_F64_ABS = 175,
    UN_F64_NEG = 176,
    UN_F64_CEIL = 177,
    UN_I32_TRUNC_F32_S = 182, // i32.trunc_f32_s f32_u f64_s f64_u
    UN_I64_EXTEND_I32_S = 186,
    UN_I64_EXTEND_I32_U = 187,
    UN_I64_TRUNC_F32_S = 188, // i64.trunc_f32_s f32_u f64_s f64_u
    UN_F32_CONVERT_I32_S = 192, // i32_s i32_u i64_s i64_u
    UN_F64_CONVERT_I32_S = 197, // i32_s i32_u i64_s i64_u
    UN_I32_EXTEND8_S = 202, // i32.extend8_s extend16_s, i64.extend8_s extend16_s extend32_s
    UN_I64_EXTEND8_S = 204,
    UN_TRUNC_SAT = 207, // i32 f32_s f32_u f64_s f64_u, then i64 the same
    MISC_BASE = 216,

    // --- misc ops (MISC_BASE + n); layouts in comments
    GLOBAL_GET64 = 216, // R d, U global
    GLOBAL_SET64 = 217, // U global, R a
    LOAD = 218, // u8 kind, R d, R addr, U offset     kind: LoadKind
    STORE = 219, // u8 kind, R addr, R v, U offset     kind: StoreKind
    MEMORY_SIZE = 220, // R d
    MEMORY_GROW = 221, // R d, R delta
    MEMORY_FILL = 222, // R dst, R value, R n
    MEMORY_COPY = 223, // R dst, R src, R n
    MEMORY_INIT = 224, // U seg, R dst, R src, R n
    DATA_DROP = 225, // U seg
    TABLE_GET = 226, // U table, R d, R i
    TABLE_SET = 227, // U table, R i, R v
    TABLE_SIZE = 228, // U table, R d
    TABLE_GROW = 229, // U table, R d, R init, R n
    TABLE_FILL = 230, // U table, R i, R v, R n
    TABLE_COPY = 231, // U dst table, U src table, R d, R s, R n
    TABLE_INIT = 232, // U seg, U table, R d, R s, R n
    ELEM_DROP = 233, // U seg
    REF_FUNC = 234, // R d, U func
    SELECT32 = 235, // R d, R a, R b, R c   d = c != 0 ? a : b
    SELECT64 = 236, // R d, R a, R b, R c
    I64_CONST_CHECK = 237, // unused slot kept so MISC indexes stay stable
    LOAD_A = 238, // u8 kind, R d, R base, U offset, I addend      (see I32_LOAD_A)
    STORE_A = 239, // u8 kind, R base, R v, U offset, I addend
    MISC_END = 240,
}

/** Kinds for Op.LOAD (all loads but i32.load). */
export const enum LoadKind {
    I64 = 0,
    F32 = 1, // same bits as an i32 load
    F64 = 2, // same bits as an i64 load
    I32_8S = 3,
    I32_8U = 4,
    I32_16S = 5,
    I32_16U = 6,
    I64_8S = 7,
    I64_8U = 8,
    I64_16S = 9,
    I64_16U = 10,
    I64_32S = 11,
    I64_32U = 12,
}

/** Kinds for Op.STORE (all stores but i32.store). */
export const enum StoreKind {
    I64 = 0, // also f64
    F32 = 1, // same bits as i32
    I8 = 2, // i32.store8 and i64.store8 (low byte)
    I16 = 3,
    I32 = 4, // i64.store32 (low word)
}
