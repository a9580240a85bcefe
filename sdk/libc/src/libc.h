/*
 * Internal header of wasmlet's libc module: types, the export macro, and the one piece of
 * state the module owns (a Wasm global pointing at a block in the app heap).
 *
 * The module has no memory of its own and must not write any at instantiation: no data
 * segments, no shadow stack. So every helper works on values in locals, and everything that
 * needs bytes (allocator bookkeeping, the output chunk buffer, digit scratch) lives in the
 * State block that __wasmlet_libc_init carves from the bottom of the app heap.
 */
#ifndef WASMLET_LIBC_H
#define WASMLET_LIBC_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
typedef unsigned long usize; /* 32 bits on wasm32 */

#define EXPORT(name) __attribute__((export_name(#name)))
#define IMPORT(mod, name) __attribute__((import_module(#mod), import_name(#name)))

/* Bytes printf collects before one wasmlet.console_write call. */
#define OUT_CHUNK 64
/* Base-1e9 limbs kept in State for float conversion; larger numbers borrow from malloc. */
#define FIXED_LIMBS 16

typedef struct State {
    /* allocator (malloc.c) */
    u32 free_head; /* first free block header, 0 when none */
    u32 end;       /* address of the sentinel header that closes the heap */
    u32 grows;     /* heap_end was the memory's end: malloc may memory.grow */
    /* formatter sink (output.c) */
    u32 to_console; /* 1: chunk buffer + console_write; 0: into dst */
    u8 *dst;
    u32 limit;   /* bytes of dst that may hold characters (before the NUL) */
    u32 total;   /* characters produced so far */
    u32 used;    /* bytes in out[] */
    u32 failed;  /* a conversion could not get scratch memory */
    u32 va;      /* argument block cursor */
    /* float conversion (float.c): X in base 1e9, limb 0 least significant; value X * 10^-dp */
    u32 *big;
    u32 nbig;    /* limbs in use */
    u32 nd;      /* decimal digits of X */
    i32 dp;
    u8 num[32];  /* integer digits, reversed */
    u8 out[OUT_CHUNK];
    u32 limbs[FIXED_LIMBS];
} State;

/* The module's only global (defined in state.c). */
static inline State *state(void) {
    State *s;
    __asm__ volatile("global.get __wasmlet_libc_state\n\tlocal.set %0" : "=r"(s));
    return s;
}
static inline void set_state(State *s) {
    __asm__ volatile("local.get %0\n\tglobal.set __wasmlet_libc_state" : : "r"(s));
}

/* Shared helpers (each defined once, in the file of its concern). */
void *wl_malloc(usize n);
void wl_free(void *p);
usize wl_strlen(const char *s);
i32 wl_isspace(i32 c);
i32 wl_isdigit(i32 c);

/* format.c: runs a format string against the argument block at va into the current sink. */
void wl_format(const char *fmt, u32 va);
/* output.c: the sink. */
void out_char(u32 c);
void out_repeat(u32 c, i32 n);
void out_bytes(const u8 *p, u32 n);
/* Up to 8 characters packed little-endian in an integer: string constants without data. */
void out_packed(u64 chars, u32 n);
/* float.c */
void wl_format_float(double x, u32 conv, u32 flags, i32 width, i32 prec);

/* flags of a directive */
#define F_MINUS 1u
#define F_PLUS 2u
#define F_SPACE 4u
#define F_HASH 8u
#define F_ZERO 16u

/* Pads for a field: spaces before (right-justified), zeros after the prefix, spaces after (-). */
void pad_field(u32 flags, i32 width, u32 len, u32 before);

#endif
