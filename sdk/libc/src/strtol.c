/*
 * Number parsing: strtol, strtoul (long is 32 bits on wasm32) and atoi.
 * Leading white space, an optional sign, base 0 (0x.. hex, 0.. octal, else decimal) or 2..36
 * (16 also takes a 0x prefix). On overflow strtol gives LONG_MAX/LONG_MIN and strtoul
 * ULONG_MAX (there is no errno). *endptr gets the first unparsed character, or s itself when
 * no digits were read.
 */
#include "libc.h"

static i32 digit_value(i32 c) {
    if (c >= '0' && c <= '9') return c - '0';
    c |= 32;
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    return 99;
}

/*
 * Parses sign and magnitude. No locals may have their address taken (no shadow stack), so
 * everything comes back in one integer: the magnitude in bits 0..31, bit 32 = it overflowed
 * 32 bits, bit 33 = negative, bits 34..63 = how many characters were used (0: no number).
 */
static u64 parse(const char *s, i32 base) {
    const char *p = s;
    u64 neg = 0, over = 0;
    while (wl_isspace((u8)*p)) p++;
    if (*p == '+' || *p == '-') neg = *p++ == '-';
    if ((base == 0 || base == 16) && p[0] == '0' && (p[1] | 32) == 'x' && digit_value((u8)p[2]) < 16) {
        p += 2;
        base = 16;
    } else if (base == 0) base = *p == '0' ? 8 : 10;
    if (base < 2 || base > 36) return 0;
    const char *digits = p;
    u32 v = 0;
    for (;; p++) {
        i32 d = digit_value((u8)*p);
        if (d >= base) break;
        u64 w = (u64)v * (u32)base + (u32)d;
        if (w >> 32) over = 1; else v = (u32)w;
    }
    if (p == digits) return 0;
    return (u64)v | over << 32 | neg << 33 | (u64)(p - s) << 34;
}

static void set_end(char **endptr, const char *s, u64 r) {
    if (endptr) *endptr = (char *)s + (u32)(r >> 34);
}

EXPORT(strtol) i32 wl_strtol(const char *s, char **endptr, i32 base) {
    u64 r = parse(s, base);
    set_end(endptr, s, r);
    u32 v = (u32)r, neg = (r >> 33) & 1;
    u32 max = 0x7fffffffu + neg;
    if ((r >> 32) & 1 || v > max) v = max;
    return neg ? (i32)(0u - v) : (i32)v;
}

EXPORT(strtoul) u32 wl_strtoul(const char *s, char **endptr, i32 base) {
    u64 r = parse(s, base);
    set_end(endptr, s, r);
    if ((r >> 32) & 1) return 0xffffffffu;
    u32 v = (u32)r;
    return (r >> 33) & 1 ? 0u - v : v;
}

/* atoi is strtol in base 10 (out-of-range values saturate). */
EXPORT(atoi) i32 wl_atoi(const char *s) { return wl_strtol(s, 0, 10); }
