/*
 * Memory functions: memcpy memmove memset (one bulk-memory instruction each: the engine runs
 * memory.copy/fill natively, and memory.copy is overlap-safe), memcmp, memchr.
 */
#include "libc.h"

EXPORT(memcpy) void *wl_memcpy(void *dst, const void *src, usize n) {
    __builtin_memcpy(dst, src, n);
    return dst;
}

EXPORT(memmove) void *wl_memmove(void *dst, const void *src, usize n) {
    __builtin_memmove(dst, src, n);
    return dst;
}

EXPORT(memset) void *wl_memset(void *p, i32 c, usize n) {
    __builtin_memset(p, c, n);
    return p;
}

EXPORT(memcmp) i32 wl_memcmp(const void *a, const void *b, usize n) {
    const u8 *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y) return (i32)*x - (i32)*y;
    return 0;
}

EXPORT(memchr) void *wl_memchr(const void *p, i32 c, usize n) {
    const u8 *x = p;
    for (; n; n--, x++)
        if (*x == (u8)c) return (void *)x;
    return 0;
}
