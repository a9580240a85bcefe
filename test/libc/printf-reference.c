/*
 * Reference strings for the libc's printf tests, from the host's C library (glibc).
 * Built and run by test/libc/printf-reference.test.ts (with the host clang) and its output
 * kept in printf-reference.json, which the printf tests replay against libc.wasm.
 * Each line of output is one JSON case: the format, its arguments as typed values (i int,
 * u unsigned, c char, s string or null, L long long, U unsigned long long, d double as the
 * hex of its bits), what snprintf wrote and returned.
 */
#include <stdio.h>
#include <string.h>
#include <stdint.h>

static char out[4096];

static void json_str(const char *s) {
    putchar('"');
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') printf("\\%c", *s);
        else if ((unsigned char)*s < 32) printf("\\u%04x", *s);
        else putchar(*s);
    }
    putchar('"');
}

static void head(const char *fmt, int n) {
    printf("{\"fmt\":");
    json_str(fmt);
    printf(",\"ret\":%d,\"out\":", n);
    json_str(out);
    printf(",\"args\":[");
}

static void arg_d(double v) {
    uint64_t b;
    memcpy(&b, &v, 8);
    printf("[\"d\",\"%016llx\"]", (unsigned long long)b);
}

#define I(f, v) do { int n = snprintf(out, sizeof out, f, (int)(v)); head(f, n); printf("[\"i\",\"%d\"]]}\n", (int)(v)); } while (0)
/* %ld %zd %td %lu %zu %lx take a 32-bit argument on wasm32: the host (64-bit long) gets it widened */
#define IL(f, v, sgn) do { int n = sgn ? snprintf(out, sizeof out, f, (long)(int)(v)) : snprintf(out, sizeof out, f, (unsigned long)(unsigned)(v)); head(f, n); printf("[\"i\",\"%d\"]]}\n", (int)(v)); } while (0)
#define U(f, v) do { int n = snprintf(out, sizeof out, f, (unsigned)(v)); head(f, n); printf("[\"u\",\"%u\"]]}\n", (unsigned)(v)); } while (0)
#define L(f, v) do { int n = snprintf(out, sizeof out, f, (long long)(v)); head(f, n); printf("[\"L\",\"%lld\"]]}\n", (long long)(v)); } while (0)
#define UL(f, v) do { int n = snprintf(out, sizeof out, f, (unsigned long long)(v)); head(f, n); printf("[\"U\",\"%llu\"]]}\n", (unsigned long long)(v)); } while (0)
#define D(f, v) do { int n = snprintf(out, sizeof out, f, (double)(v)); head(f, n); arg_d(v); printf("]}\n"); } while (0)
#define S(f, v) do { int n = snprintf(out, sizeof out, f, v); head(f, n); if (v) { printf("[\"s\","); json_str(v); printf("]]}\n"); } else printf("[\"s\",null]]}\n"); } while (0)
#define C(f, v) do { int n = snprintf(out, sizeof out, f, (char)(v)); head(f, n); printf("[\"c\",\"%d\"]]}\n", (int)(v)); } while (0)
/* width or precision from an int argument, then an int or a double */
#define WI(f, w, v) do { int n = snprintf(out, sizeof out, f, (int)(w), (int)(v)); head(f, n); printf("[\"i\",\"%d\"],[\"i\",\"%d\"]]}\n", (int)(w), (int)(v)); } while (0)
#define WD(f, w, v) do { int n = snprintf(out, sizeof out, f, (int)(w), (double)(v)); head(f, n); printf("[\"i\",\"%d\"],", (int)(w)); arg_d(v); printf("]}\n"); } while (0)
#define WPD(f, w, p, v) do { int n = snprintf(out, sizeof out, f, (int)(w), (int)(p), (double)(v)); head(f, n); printf("[\"i\",\"%d\"],[\"i\",\"%d\"],", (int)(w), (int)(p)); arg_d(v); printf("]}\n"); } while (0)
/* mixed: int, double, long long, string: alignment of the argument block */
#define MIX(f, a, b, c, d) do { int n = snprintf(out, sizeof out, f, (int)(a), (double)(b), (long long)(c), d); head(f, n); printf("[\"i\",\"%d\"],", (int)(a)); arg_d(b); printf(",[\"L\",\"%lld\"],[\"s\",", (long long)(c)); json_str(d); printf("]]}\n"); } while (0)

static uint64_t seed = 12345;
static uint64_t rnd(void) {
    seed = seed * 6364136223846793005ull + 1442695040888963407ull;
    return seed >> 11;
}

int main(void) {
    /* integers */
    static const int ints[] = {0, 1, -1, 7, 42, -42, 255, 1000, -99999, 123456789, 2147483647, -2147483647 - 1};
    static const char *int_fmts[] = {"%d", "%i", "%5d", "%-5d|", "%05d", "%+d", "% d", "%+05d", "%.3d", "%8.3d", "%-8.3d|",
                                     "%.0d", "%x", "%X", "%#x", "%#X", "%o", "%#o", "%#.3o", "%u", "%08x", "%#08x", "%-#8x|", "%+.0d",
                                     "%hhd", "%hd", "%hhu", "%hx", "%ld", "%lu", "%zd", "%zu", "%td", "%lx", "% 05d", "%.10u", "%3c"};
    for (unsigned f = 0; f < sizeof int_fmts / sizeof *int_fmts; f++)
        for (unsigned i = 0; i < sizeof ints / sizeof *ints; i++) {
            if (!strcmp(int_fmts[f], "%3c")) { if (ints[i] > 0 && ints[i] < 127) I("%3c", ints[i]); continue; }
            const char *fm = int_fmts[f];
            if (strchr(fm, 'l') || strchr(fm, 'z') || strchr(fm, 't')) IL(fm, ints[i], strchr(fm, 'd') != 0);
            else I(fm, ints[i]);
        }
    static const long long longs[] = {0, 1, -1, 4294967296ll, -4294967297ll, 9223372036854775807ll, -9223372036854775807ll - 1, 1234567890123456789ll};
    static const char *long_fmts[] = {"%lld", "%20lld", "%-20lld|", "%+lld", "%llx", "%#llX", "%llo", "%llu", "%.25lld", "%jd", "%020lld"};
    for (unsigned f = 0; f < sizeof long_fmts / sizeof *long_fmts; f++)
        for (unsigned i = 0; i < sizeof longs / sizeof *longs; i++) L(long_fmts[f], longs[i]);
    UL("%llu", 18446744073709551615ull);
    UL("%llx", 18446744073709551615ull);
    U("%u", 4294967295u);
    U("%x", 3735928559u);
    /* characters and strings */
    C("%c", 'A');
    C("[%5c]", 'z');
    C("[%-5c]", 'z');
    S("%s", "hello");
    S("[%10s]", "hello");
    S("[%-10s]", "hello");
    S("[%.3s]", "hello");
    S("[%10.2s]", "hello");
    S("[%.0s]", "hello");
    S("[%s]", "");
    S("[%s]", (const char *)0);
    S("[%10s]", (const char *)0);
    S("[%-8s]", (const char *)0);
    S("[%.6s]", (const char *)0);
    S("[%.5s]", (const char *)0);
    S("[%.3s]", (const char *)0);
    S("100%% %s", "sure");
    S("no directives", "unused");
    /* star width and precision */
    WI("[%*d]", 6, 42);
    WI("[%*d]", -6, 42);
    WI("[%-*d]", 6, 42);
    WI("[%.*d]", 4, 7);
    WI("[%.*d]", -1, 7);
    WD("[%.*f]", 3, 3.14159265);
    WD("[%.*f]", -5, 3.14159265);
    WD("[%*f]", 12, -2.5);
    WD("[%*g]", -12, 0.1);
    WPD("[%*.*e]", 15, 3, 12345.678);
    WPD("[%-*.*g]", 10, 2, 0.000123456);
    /* floats */
    static const double dbls[] = {0.0, -0.0, 1.0, -1.0, 0.5, 1.5, 2.5, 0.125, 0.1, 0.2, 0.3, 1.0 / 3, 2.0 / 3, 3.14159265358979,
                                  100.0, 123456.789, 1e10, 1e15, 1e16, 1e17, 1e21, 1e22, 1e23, 9.999999, 9.9999995, 0.05, 0.005, 0.015, 0.025,
                                  1e-5, 1.5e-5, 1e-300, 1e300, 1.7976931348623157e308, 2.2250738585072014e-308, 4.9406564584124654e-324,
                                  123.456, -987.654321, 0.000123, 99.5, 999.5, 1234567.0, 0.9999, 0.99999999, 5e-7, 1e100};
    static const char *dbl_fmts[] = {"%f", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%.17f", "%e", "%.0e", "%.1e", "%.3e", "%.16e", "%E",
                                     "%g", "%.0g", "%.1g", "%.2g", "%.3g", "%.10g", "%.17g", "%G", "%#g", "%#.0f", "%#.0e", "%#.3g",
                                     "%+f", "% e", "%+g", "%012.3f", "%-12.3f|", "%12.3e", "%-12g|", "%+012e", "%012g", "%F", "%.40f", "%.30e"};
    for (unsigned f = 0; f < sizeof dbl_fmts / sizeof *dbl_fmts; f++)
        for (unsigned i = 0; i < sizeof dbls / sizeof *dbls; i++) {
            D(dbl_fmts[f], dbls[i]);
            if (dbls[i] != 0) D(dbl_fmts[f], -dbls[i]);
        }
    /* infinities and NaNs */
    static const char *special_fmts[] = {"%f", "%e", "%g", "%F", "%E", "%G", "[%8f]", "[%-8f]", "[%08f]", "%+f", "% f"};
    for (unsigned f = 0; f < sizeof special_fmts / sizeof *special_fmts; f++) {
        D(special_fmts[f], __builtin_inf());
        D(special_fmts[f], -__builtin_inf());
        D(special_fmts[f], __builtin_nan(""));
    }
    /* random doubles: all exponents, and short decimal values (ties and near-ties) */
    static const char *conv[] = {"%%.%de", "%%.%df", "%%.%dg", "%%#.%dg", "%%.%dE"};
    for (int i = 0; i < 1500; i++) {
        double v;
        if (i % 3) {
            uint64_t b = rnd();
            b = (b << 11) ^ rnd();
            memcpy(&v, &b, 8);
            if (v != v || v - v != 0) continue;
        } else
            v = (double)(int64_t)(rnd() % 2000001 - 1000000) / (double)(1ull << (rnd() % 12)) / (double)(rnd() % 3 ? 1 : 1000);
        char fmt[16];
        int which = (int)(rnd() % 5);
        int prec = (int)(rnd() % 22);
        /* %f of huge numbers gives hundreds of digits: fine, but keep most cases short */
        if (which == 1 && (v > 1e40 || v < -1e40)) which = 0;
        snprintf(fmt, sizeof fmt, conv[which], prec);
        D(fmt, v);
    }
    /* random directives: flags, width, precision, length and conversion drawn at random */
    static const char *flag_set[] = {"", "-", "+", " ", "#", "0", "-+", "+0", " 0", "#0", "-#", "+ ", "-0", "#+0"};
    static const char *int_conv[] = {"d", "i", "u", "x", "X", "o", "hhd", "hx", "lld", "llx", "llu", "llo"};
    static const char *flt_conv[] = {"f", "e", "g", "E", "G", "F"};
    for (int i = 0; i < 2000; i++) {
        char fmt[40], w[8] = "", p[8] = "";
        if (rnd() % 2) snprintf(w, sizeof w, "%d", (int)(rnd() % 25));
        if (rnd() % 2) snprintf(p, sizeof p, ".%d", (int)(rnd() % 20));
        const char *fl = flag_set[rnd() % (sizeof flag_set / sizeof *flag_set)];
        if (i % 4 == 3) {
            snprintf(fmt, sizeof fmt, "[%%%s%s%s%s]", fl, w, p, flt_conv[rnd() % 6]);
            double v = (double)(int64_t)(rnd() % 20000001 - 10000000) / (double)(1ull << (rnd() % 20));
            if (rnd() % 4 == 0) v *= 1e-20;
            if (rnd() % 4 == 0) v *= 1e25;
            D(fmt, v);
            continue;
        }
        const char *cv = int_conv[rnd() % (sizeof int_conv / sizeof *int_conv)];
        snprintf(fmt, sizeof fmt, "[%%%s%s%s%s]", fl, w, p, cv);
        uint64_t r = rnd();
        int shift = (int)(rnd() % 64);
        int neg = rnd() % 2; /* the macros use their value twice: no rnd() inside */
        long long lv = (long long)((r << 11) >> shift) * (neg ? -1 : 1);
        int iv = (int)((uint32_t)r >> (shift % 32)) * (neg ? -1 : 1);
        if (strstr(cv, "ll")) L(fmt, lv);
        else I(fmt, iv);
    }
    static const char *strs[] = {"", "a", "hello", "a longer string here"};
    for (int i = 0; i < 200; i++) {
        char fmt[40], w[8] = "", p[8] = "";
        if (rnd() % 2) snprintf(w, sizeof w, "%d", (int)(rnd() % 25));
        if (rnd() % 2) snprintf(p, sizeof p, ".%d", (int)(rnd() % 10));
        snprintf(fmt, sizeof fmt, "[%%%s%s%ss]", rnd() % 2 ? "-" : "", w, p);
        const char *v = strs[rnd() % 4];
        if (rnd() % 5 == 0) v = 0;
        S(fmt, v);
    }
    /* mixed argument kinds: the block's alignment rules */
    MIX("%d %f %lld %s", 1, 2.5, -3ll, "four");
    MIX("%x|%.2e|%llx|%.2s", 255, 1e-10, 1ll << 40, "abc");
    MIX("%-4d|%g|%20lld|%5s", -7, 1e20, 123456789012ll, "x");
    return 0;
}
