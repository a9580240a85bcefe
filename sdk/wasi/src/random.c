/*
 * random_get: SplitMix64 (Steele, Lea and Flood 2014: a Weyl sequence through a 64-bit
 * finaliser; passes BigCrush) on one Wasm global of the adapter's, seeded from env.clock on
 * first use. Each WASI app has its own adapter instance, so its own stream. Not cryptographic:
 * a board without a hardware generator has nothing better to offer.
 */
#include "wasi.h"

/* The generator's state; 0 until the first call seeds it (clang 14 cannot name a Wasm global
 * from C, hence the assembly). */
__asm__(".globaltype wasi_rng_state, i64\nwasi_rng_state:\n");

static inline u64 rng_get(void) {
    u64 s;
    __asm__ volatile("global.get wasi_rng_state\n\tlocal.set %0" : "=r"(s));
    return s;
}
static inline void rng_set(u64 s) {
    __asm__ volatile("local.get %0\n\tglobal.set wasi_rng_state" : : "r"(s));
}

#define GOLDEN 0x9e3779b97f4a7c15ull

EXPORT(random_get) u32 wasi_random_get(u32 buf, u32 len) {
    u64 s = rng_get();
    if (s == 0) s = wl_clock_us() ^ 0x5deece66d2545f49ull;
    while (len) {
        s += GOLDEN;
        u64 z = s;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        if (len >= 8) {
            put64(buf, z);
            buf += 8, len -= 8;
        } else {
            for (; len; len--, buf++, z >>= 8) put8(buf, (u32)z);
        }
    }
    rng_set(s);
    return E_SUCCESS;
}
