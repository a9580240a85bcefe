/*
 * %f %F %e %E %g %G, correctly rounded (ties to even, as glibc does for exact ties).
 *
 * A double is m * 2^e exactly, so its decimal expansion is finite: X * 10^-dp with the integer
 * X = m * 2^e (e >= 0, dp = 0) or m * 5^k (e = -k, dp = k). X is built in base 1e9 limbs
 * (multiplying by 2^29 or 5^13 at a time), rounded by dropping low digits (round half to even
 * on the exact remainder), and printed digit by digit. X has at most 767 digits (86 limbs, a
 * subnormal); FIXED_LIMBS in State cover the common sizes, bigger ones are malloc'd for the
 * conversion and freed after (no memory: the printf call returns -1).
 */
#include "libc.h"

#define BASE 1000000000u

/* 10^n for n <= 9, by the bits of n (no table: a table would be data). */
static u32 pow10(u32 n) {
    u32 p = n & 8 ? 100000000 : 1;
    if (n & 4) p *= 10000;
    if (n & 2) p *= 100;
    if (n & 1) p *= 10;
    return p;
}

static u32 ndigits(u32 v) {
    u32 n = 1;
    while (v >= 10) v /= 10, n++;
    return n;
}

static void count_digits(State *s) {
    while (s->nbig > 1 && !s->big[s->nbig - 1]) s->nbig--;
    s->nd = 9 * (s->nbig - 1) + ndigits(s->big[s->nbig - 1]);
}

/* X *= f (f < 2^31). */
static void mul_small(State *s, u32 f) {
    u32 *l = s->big;
    u64 carry = 0;
    for (u32 i = 0; i < s->nbig; i++) {
        u64 t = (u64)l[i] * f + carry;
        l[i] = (u32)(t % BASE);
        carry = t / BASE;
    }
    while (carry) {
        l[s->nbig++] = (u32)(carry % BASE);
        carry /= BASE;
    }
}

/* Digit i of X, 0 = most significant; 0 past the last. */
static u32 digit(State *s, i32 i) {
    if (i < 0 || i >= (i32)s->nd) return 0;
    u32 j = s->nd - 1 - (u32)i;
    return s->big[j / 9] / pow10(j % 9) % 10;
}

static void set_zero(State *s) {
    s->big[0] = 0;
    s->nbig = 1;
    s->nd = 1;
}

/* Keeps the `keep` leading digits of X, rounding half to even on the dropped ones. */
static void round_to(State *s, i32 keep) {
    i32 nd = (i32)s->nd;
    if (keep >= nd) return;
    u32 q = (u32)(nd - keep); /* digits to drop */
    s->dp -= (i32)q;
    if ((i32)q > nd) {
        set_zero(s);
        return;
    }
    u32 *l = s->big;
    /* the first dropped digit, and whether anything below it is nonzero */
    u32 top = q - 1, tl = top / 9, tp = pow10(top % 9);
    u32 rd = l[tl] / tp % 10;
    u32 sticky = l[tl] % tp != 0;
    for (u32 i = 0; i < tl; i++) sticky |= l[i] != 0;
    /* X /= 10^q */
    u32 w = q / 9, r = q % 9, pr = pow10(r), hi = pow10(9 - r);
    u32 n = s->nbig - w;
    for (u32 i = 0; i < n; i++) {
        u32 v = l[i + w] / pr;
        if (r && i + w + 1 < s->nbig) v += l[i + w + 1] % pr * hi;
        l[i] = v;
    }
    s->nbig = n ? n : 1;
    if (!n) l[0] = 0;
    if (rd > 5 || (rd == 5 && (sticky || (l[0] & 1)))) {
        u32 i = 0;
        while (i < s->nbig && ++l[i] == BASE) l[i++] = 0;
        if (i == s->nbig) l[s->nbig++] = 1;
    }
    count_digits(s);
}

/* Decimal exponent of the leading digit (0 for zero). */
static i32 exponent10(State *s) {
    if (s->nbig == 1 && !s->big[0]) return 0;
    return (i32)s->nd - 1 - s->dp;
}

/* Fraction digit j of the fixed-point form. */
static u32 frac_digit(State *s, i32 j) { return digit(s, (i32)s->nd - s->dp + j); }

static void put_sign_and_zeros(u32 sign, u32 flags, i32 width, u32 len) {
    pad_field(flags, width, len, 1);
    if (sign) out_char(sign);
    if ((flags & (F_ZERO | F_MINUS)) == F_ZERO) out_repeat('0', width - (i32)len);
}

static void put_fixed(u32 sign, u32 flags, i32 width, i32 frac) {
    State *s = state();
    i32 ilen = (i32)s->nd - s->dp;
    u32 point = frac > 0 || (flags & F_HASH);
    u32 len = (sign != 0) + (u32)(ilen > 0 ? ilen : 1) + point + (u32)frac;
    put_sign_and_zeros(sign, flags, width, len);
    if (ilen <= 0) out_char('0');
    for (i32 i = 0; i < ilen; i++) out_char('0' + digit(s, i));
    if (point) out_char('.');
    for (i32 j = 0; j < frac; j++) out_char('0' + frac_digit(s, j));
    pad_field(flags, width, len, 0);
}

static void put_exp(u32 sign, u32 flags, i32 width, i32 frac, u32 upper) {
    State *s = state();
    i32 e = exponent10(s);
    u32 ae = e < 0 ? (u32)-e : (u32)e;
    u32 elen = ndigits(ae);
    if (elen < 2) elen = 2;
    u32 point = frac > 0 || (flags & F_HASH);
    u32 len = (sign != 0) + 1 + point + (u32)frac + 2 + elen;
    put_sign_and_zeros(sign, flags, width, len);
    out_char('0' + digit(s, 0));
    if (point) out_char('.');
    for (i32 j = 1; j <= frac; j++) out_char('0' + digit(s, j));
    out_char(upper ? 'E' : 'e');
    out_char(e < 0 ? '-' : '+');
    for (u32 i = elen; i; i--) out_char('0' + ae / pow10(i - 1) % 10);
    pad_field(flags, width, len, 0);
}

/* Sets up X for |x| (finite); returns 0 when no scratch memory could be had. */
static u32 load(State *s, u64 bits) {
    u32 ex = (u32)(bits >> 52) & 0x7ff;
    u64 m = bits & 0xfffffffffffffull;
    i32 e = ex ? (i32)ex - 1075 : -1074;
    if (ex) m |= 1ull << 52;
    s->dp = 0;
    s->big = s->limbs;
    if (!m) {
        set_zero(s);
        return 1;
    }
    while (!(m & 1) && e < 0) m >>= 1, e++;
    u32 k = e < 0 ? (u32)-e : 0, up = e > 0 ? (u32)e : 0;
    u32 need = 3 + (17 + k * 7 / 10 + up * 31 / 100) / 9;
    if (need > FIXED_LIMBS) {
        s->big = wl_malloc(need * 4);
        if (!s->big) return 0;
    }
    s->big[0] = (u32)(m % BASE);
    s->big[1] = (u32)(m / BASE);
    s->nbig = 2;
    for (; up >= 29; up -= 29) mul_small(s, 1u << 29);
    if (up) mul_small(s, 1u << up);
    s->dp = (i32)k;
    for (; k >= 13; k -= 13) mul_small(s, 1220703125u); /* 5^13 */
    if (k) {
        u32 f = 1;
        while (k--) f *= 5;
        mul_small(s, f);
    }
    count_digits(s);
    return 1;
}

void wl_format_float(double x, u32 conv, u32 flags, i32 width, i32 prec) {
    State *s = state();
    u64 bits = __builtin_bit_cast(u64, x);
    u32 upper = conv < 'a';
    u32 sign = bits >> 63 ? '-' : flags & F_PLUS ? '+' : flags & F_SPACE ? ' ' : 0;
    if (((bits >> 52) & 0x7ff) == 0x7ff) {
        /* inf, nan: no zero padding */
        u32 nan = (bits & 0xfffffffffffffull) != 0;
        u64 word = nan ? 0x6e616e : 0x666e69; /* "nan", "inf" */
        if (upper) word &= ~0x202020ull;
        flags &= ~F_ZERO;
        u32 len = (sign != 0) + 3;
        put_sign_and_zeros(sign, flags, width, len);
        out_packed(word, 3);
        pad_field(flags, width, len, 0);
        return;
    }
    if (!load(s, bits & ~(1ull << 63))) {
        s->failed = 1;
        return;
    }
    if (prec < 0) prec = 6;
    u32 c = conv | 32;
    if (c == 'f') {
        round_to(s, (i32)s->nd - s->dp + prec);
        put_fixed(sign, flags, width, prec);
    } else if (c == 'e') {
        round_to(s, prec + 1);
        put_exp(sign, flags, width, prec, upper);
    } else {
        i32 p = prec ? prec : 1;
        round_to(s, p);
        i32 e = exponent10(s);
        i32 frac;
        u32 fixed = e >= -4 && e < p;
        frac = fixed ? p - 1 - e : p - 1;
        if (!(flags & F_HASH))
            while (frac > 0 && (fixed ? frac_digit(s, frac - 1) : digit(s, frac)) == 0) frac--;
        if (fixed) put_fixed(sign, flags, width, frac);
        else put_exp(sign, flags, width, frac, upper);
    }
    if (s->big != s->limbs) wl_free(s->big);
}
