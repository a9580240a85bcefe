/*
 * String functions of WAMR's libc-builtin set: length, compare, copy, search, span, duplicate.
 * Comparisons are of unsigned chars, as the C standard says.
 */
#include "libc.h"

EXPORT(strlen) usize wl_strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (usize)(p - s);
}

EXPORT(strcmp) i32 wl_strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (i32)(u8)*a - (i32)(u8)*b;
}

EXPORT(strncmp) i32 wl_strncmp(const char *a, const char *b, usize n) {
    for (; n; n--, a++, b++)
        if (*a != *b || !*a) return (i32)(u8)*a - (i32)(u8)*b;
    return 0;
}

static i32 lower(i32 c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

EXPORT(strncasecmp) i32 wl_strncasecmp(const char *a, const char *b, usize n) {
    for (; n; n--, a++, b++) {
        i32 x = lower((u8)*a), y = lower((u8)*b);
        if (x != y || !x) return x - y;
    }
    return 0;
}

EXPORT(strcpy) char *wl_strcpy(char *dst, const char *src) {
    char *d = dst;
    while ((*d++ = *src++)) {}
    return dst;
}

/* Copies at most n bytes and pads with NULs up to n (no NUL when src is n bytes or longer). */
EXPORT(strncpy) char *wl_strncpy(char *dst, const char *src, usize n) {
    usize i = 0;
    for (; i < n && src[i]; i++) dst[i] = src[i];
    if (i < n) __builtin_memset(dst + i, 0, n - i);
    return dst;
}

EXPORT(strchr) char *wl_strchr(const char *s, i32 c) {
    for (;; s++) {
        if (*s == (char)c) return (char *)s;
        if (!*s) return 0;
    }
}

EXPORT(strstr) char *wl_strstr(const char *h, const char *n) {
    if (!*n) return (char *)h;
    for (; *h; h++) {
        usize i = 0;
        while (n[i] && h[i] == n[i]) i++;
        if (!n[i]) return (char *)h;
    }
    return 0;
}

static i32 in_set(const char *set, char c) {
    for (; *set; set++)
        if (*set == c) return 1;
    return 0;
}

EXPORT(strspn) usize wl_strspn(const char *s, const char *accept) {
    usize i = 0;
    while (s[i] && in_set(accept, s[i])) i++;
    return i;
}

EXPORT(strcspn) usize wl_strcspn(const char *s, const char *reject) {
    usize i = 0;
    while (s[i] && !in_set(reject, s[i])) i++;
    return i;
}

EXPORT(strdup) char *wl_strdup(const char *s) {
    if (!s) return 0;
    usize n = wl_strlen(s) + 1;
    char *d = wl_malloc(n);
    if (d) __builtin_memcpy(d, s, n);
    return d;
}

EXPORT(_strdup) char *wl__strdup(const char *s) { return wl_strdup(s); }
