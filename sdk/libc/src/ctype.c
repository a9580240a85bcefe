/*
 * Character classes of the "C" locale (ASCII); anything outside 0..127, EOF included, is in no
 * class and tolower/toupper return it unchanged.
 */
#include "libc.h"

EXPORT(isupper) i32 wl_isupper(i32 c) { return c >= 'A' && c <= 'Z'; }
static i32 islower(i32 c) { return c >= 'a' && c <= 'z'; }
EXPORT(isalpha) i32 wl_isalpha(i32 c) { return wl_isupper(c) || islower(c); }
EXPORT(isdigit) i32 wl_isdigit(i32 c) { return c >= '0' && c <= '9'; }
EXPORT(isxdigit) i32 wl_isxdigit(i32 c) { return wl_isdigit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f'); }
EXPORT(isalnum) i32 wl_isalnum(i32 c) { return wl_isalpha(c) || wl_isdigit(c); }
EXPORT(isspace) i32 wl_isspace(i32 c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
EXPORT(isgraph) i32 wl_isgraph(i32 c) { return c > ' ' && c < 127; }
EXPORT(isprint) i32 wl_isprint(i32 c) { return c >= ' ' && c < 127; }
EXPORT(tolower) i32 wl_tolower(i32 c) { return wl_isupper(c) ? c + 32 : c; }
EXPORT(toupper) i32 wl_toupper(i32 c) { return islower(c) ? c - 32 : c; }
