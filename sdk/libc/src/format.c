/*
 * The printf engine: walks a format string, reads arguments from clang's wasm32 varargs block
 * (4-byte ints and pointers; 8-byte, 8-aligned long long and double) and sends characters to
 * the sink (output.c). Flags - + space # 0, width and precision (also *), lengths hh h l ll j
 * z t (l, z, t are 32 bits on wasm32; ll and j 64), conversions d i u o x X c s p % here and
 * f F e E g G in float.c. %n is refused (its argument is skipped, nothing is written); an
 * unknown conversion is printed as it was written.
 */
#include "libc.h"

static u32 arg32(void) {
    State *s = state();
    u32 a = (s->va + 3) & ~3u;
    s->va = a + 4;
    return *(const u32 *)a;
}

static u64 arg64(void) {
    State *s = state();
    u32 a = (s->va + 7) & ~7u;
    s->va = a + 8;
    return *(const u64 *)a;
}

void pad_field(u32 flags, i32 width, u32 len, u32 before) {
    i32 pad = width - (i32)len;
    if (pad <= 0) return;
    if (before ? !(flags & (F_MINUS | F_ZERO)) : (flags & F_MINUS) != 0) out_repeat(' ', pad);
}

/* Unsigned v in `base` with the directive's flags, width and precision; prefix: packed chars. */
static void format_int(u64 v, u32 base, u32 upper, u64 prefix, u32 prefix_len, u32 flags, i32 width, i32 prec) {
    State *s = state();
    u32 n = 0, letter = (upper ? 'A' : 'a') - 10;
    /* 64-bit division is slow on a board's engine: only while the value needs it */
    for (; v >> 32; v /= base) {
        u32 d = (u32)(v % base);
        s->num[n++] = (u8)(d < 10 ? '0' + d : letter + d);
    }
    for (u32 w = (u32)v; w; w /= base) {
        u32 d = w % base;
        s->num[n++] = (u8)(d < 10 ? '0' + d : letter + d);
    }
    if (prec < 0) prec = 1;
    else flags &= ~F_ZERO;
    /* %#o: the first digit must be 0 */
    if ((flags & F_HASH) && base == 8 && (i32)n >= prec) prec = (i32)n + 1;
    i32 zeros = prec > (i32)n ? prec - (i32)n : 0;
    u32 len = prefix_len + (u32)zeros + n;
    pad_field(flags, width, len, 1);
    out_packed(prefix, prefix_len);
    if ((flags & (F_ZERO | F_MINUS)) == F_ZERO && width > (i32)len) zeros += width - (i32)len;
    out_repeat('0', zeros);
    while (n) out_char(s->num[--n]);
    pad_field(flags, width, len, 0);
}

static void format_string(const u8 *str, u32 flags, i32 width, i32 prec) {
    u32 n = 0;
    if (!str) {
        /* glibc: "(null)", or nothing when the precision cannot hold it */
        if (prec >= 0 && prec < 6) prec = 0;
        else {
            pad_field(flags & ~F_ZERO, width, 6, 1);
            out_packed(0x296c6c756e28ull, 6); /* "(null)" */
            pad_field(flags, width, 6, 0);
            return;
        }
    }
    while ((prec < 0 || n < (u32)prec) && str[n]) n++;
    pad_field(flags & ~F_ZERO, width, n, 1);
    out_bytes(str, n);
    pad_field(flags, width, n, 0);
}

static u32 is_digit(u32 c) { return c - '0' < 10; }

void wl_format(const char *fmt, u32 va) {
    State *s = state();
    s->va = va;
    for (const u8 *p = (const u8 *)fmt; *p; p++) {
        if (*p != '%') {
            const u8 *run = p;
            while (p[1] && p[1] != '%') p++;
            out_bytes(run, (u32)(p - run) + 1);
            continue;
        }
        const u8 *start = p++;
        u32 flags = 0;
        for (;; p++) {
            u32 c = *p;
            if (c == '-') flags |= F_MINUS;
            else if (c == '+') flags |= F_PLUS;
            else if (c == ' ') flags |= F_SPACE;
            else if (c == '#') flags |= F_HASH;
            else if (c == '0') flags |= F_ZERO;
            else break;
        }
        i32 width = 0, prec = -1;
        if (*p == '*') {
            width = (i32)arg32();
            if (width < 0) flags |= F_MINUS, width = -width;
            p++;
        } else
            for (; is_digit(*p); p++) width = width * 10 + (*p - '0');
        if (*p == '.') {
            p++;
            prec = 0;
            if (*p == '*') {
                prec = (i32)arg32();
                if (prec < 0) prec = -1;
                p++;
            } else
                for (; is_digit(*p); p++) prec = prec * 10 + (*p - '0');
        }
        /* length: 0 int, 1 char, 2 short, 3 64-bit */
        u32 size = 0;
        for (;; p++) {
            u32 c = *p;
            if (c == 'h') size = size == 2 ? 1 : 2;
            else if (c == 'l') size = size == 4 ? 3 : 4;
            else if (c == 'j') size = 3;
            else if (c == 'z' || c == 't') size = 0;
            else break;
        }
        if (size == 4) size = 0; /* long is 32 bits */
        u32 conv = *p;
        if (conv == 'd' || conv == 'i') {
            i64 v = size == 3 ? (i64)arg64() : (i64)(i32)arg32();
            if (size == 1) v = (signed char)v;
            else if (size == 2) v = (short)v;
            u64 mag = v < 0 ? 0 - (u64)v : (u64)v;
            u32 sign = v < 0 ? '-' : flags & F_PLUS ? '+' : flags & F_SPACE ? ' ' : 0;
            format_int(mag, 10, 0, sign, sign != 0, flags, width, prec);
        } else if (conv == 'u' || conv == 'o' || conv == 'x' || conv == 'X') {
            u64 v = size == 3 ? arg64() : (u64)arg32();
            if (size == 1) v = (u8)v;
            else if (size == 2) v = (u16)v;
            u32 base = conv == 'u' ? 10 : conv == 'o' ? 8 : 16;
            u32 hex_prefix = base == 16 && (flags & F_HASH) && v != 0;
            format_int(v, base, conv == 'X', conv == 'X' ? 0x5830 : 0x7830, hex_prefix ? 2 : 0, flags & ~(base == 16 ? F_HASH : 0), width, prec);
        } else if (conv == 'p') {
            /* like WAMR: 0x and the offset in hex, 0x0 for NULL */
            format_int(arg32(), 16, 0, 0x7830, 2, flags & ~F_HASH, width, prec);
        } else if (conv == 'c') {
            u32 c = arg32() & 0xff;
            pad_field(flags & ~F_ZERO, width, 1, 1);
            out_char(c);
            pad_field(flags, width, 1, 0);
        } else if (conv == 's') {
            format_string((const u8 *)arg32(), flags, width, prec);
        } else if ((conv | 32) == 'f' || (conv | 32) == 'e' || (conv | 32) == 'g') {
            u64 bits = arg64();
            wl_format_float(__builtin_bit_cast(double, bits), conv, flags, width, prec);
        } else if (conv == '%') {
            out_char('%');
        } else if (conv == 'n') {
            arg32();
        } else {
            /* unknown: print the directive as written, stop at the end of the string */
            out_bytes(start, (u32)(p - start) + (conv != 0));
            if (!conv) p--;
        }
    }
}
