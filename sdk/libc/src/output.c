/*
 * Where formatted characters go, and the printing entry points: printf vprintf sprintf
 * vsprintf snprintf vsnprintf puts putchar.
 *
 * WAMR passes the varargs of printf as one pointer to clang's argument block, so printf and
 * vprintf are the same function here (and so are the sprintf and snprintf pairs).
 * Console output is collected in State.out and handed to wasmlet.console_write in chunks of
 * OUT_CHUNK bytes; string output goes to dst, at most `limit` characters, and is always
 * NUL-terminated when there was room for one. Every call returns the number of characters the
 * whole output has, or -1 when init has not run or a conversion found no scratch memory.
 */
#include "libc.h"

IMPORT(wasmlet, console_write) void console_write(const u8 *p, u32 n);

static void flush(State *s) {
    if (s->used) console_write(s->out, s->used);
    s->used = 0;
}

void out_char(u32 c) {
    State *s = state();
    u32 t = s->total++;
    if (s->to_console) {
        if (s->used == OUT_CHUNK) flush(s);
        s->out[s->used++] = (u8)c;
    } else if (t < s->limit) s->dst[t] = (u8)c;
}

void out_repeat(u32 c, i32 n) {
    for (; n > 0; n--) out_char(c);
}

/* n bytes at p: copied in as few pieces as the chunk buffer or the destination's room allow. */
void out_bytes(const u8 *p, u32 n) {
    State *s = state();
    u32 t = s->total;
    s->total = t + n;
    if (s->to_console) {
        while (n) {
            if (s->used == OUT_CHUNK) flush(s);
            u32 k = OUT_CHUNK - s->used;
            if (k > n) k = n;
            __builtin_memcpy(s->out + s->used, p, k);
            s->used += k;
            p += k;
            n -= k;
        }
    } else if (t < s->limit) {
        u32 room = s->limit - t;
        __builtin_memcpy(s->dst + t, p, n < room ? n : room);
    }
}

void out_packed(u64 chars, u32 n) {
    for (; n; n--, chars >>= 8) out_char((u32)chars & 0xff);
}

static i32 finish(State *s) {
    if (s->to_console) flush(s);
    return s->failed ? -1 : (i32)s->total;
}

static i32 print_to_console(const char *fmt, u32 va) {
    State *s = state();
    if (!s) return -1;
    s->to_console = 1;
    s->total = 0;
    s->failed = 0;
    s->used = 0;
    wl_format(fmt, va);
    return finish(s);
}

/* size = 0xffffffff: sprintf (unbounded). */
static i32 print_to_string(char *dst, usize size, const char *fmt, u32 va) {
    State *s = state();
    if (!s) return -1;
    s->to_console = 0;
    s->dst = (u8 *)dst;
    s->limit = size ? size - 1 : 0;
    s->total = 0;
    s->failed = 0;
    wl_format(fmt, va);
    if (size) dst[s->total < s->limit ? s->total : s->limit] = 0;
    s->to_console = 1;
    return s->failed ? -1 : (i32)s->total;
}

EXPORT(printf) i32 wl_printf(const char *fmt, u32 va) { return print_to_console(fmt, va); }
EXPORT(vprintf) i32 wl_vprintf(const char *fmt, u32 va) { return print_to_console(fmt, va); }
EXPORT(sprintf) i32 wl_sprintf(char *dst, const char *fmt, u32 va) { return print_to_string(dst, 0xffffffffu, fmt, va); }
EXPORT(vsprintf) i32 wl_vsprintf(char *dst, const char *fmt, u32 va) { return print_to_string(dst, 0xffffffffu, fmt, va); }
EXPORT(snprintf) i32 wl_snprintf(char *dst, usize size, const char *fmt, u32 va) { return print_to_string(dst, size, fmt, va); }
EXPORT(vsnprintf) i32 wl_vsnprintf(char *dst, usize size, const char *fmt, u32 va) { return print_to_string(dst, size, fmt, va); }

/* Writes s and a newline; returns a non-negative number (the characters written), -1 before init. */
EXPORT(puts) i32 wl_puts(const char *s) {
    State *st = state();
    if (!st) return -1;
    st->to_console = 1;
    st->total = 0;
    st->used = 0;
    out_bytes((const u8 *)s, wl_strlen(s));
    out_char('\n');
    flush(st);
    return (i32)st->total;
}

EXPORT(putchar) i32 wl_putchar(i32 c) {
    State *st = state();
    if (!st) return -1;
    st->out[0] = (u8)c;
    console_write(st->out, 1);
    return c & 0xff;
}
