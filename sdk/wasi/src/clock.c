/*
 * Clocks: every WASI clock (realtime, monotonic, process and thread cputime) reads the board's
 * env.clock, microseconds since boot (a board has no calendar time, and an app has the CPU to
 * itself while it runs, so its cputime is as good as the uptime). Resolution 1 us.
 */
#include "wasi.h"

u64 now_ns(void) {
    return wl_clock_us() * 1000u;
}

/* clock_time_get(id, precision, timestamp*): the precision is a hint and is ignored. */
EXPORT(clock_time_get) u32 wasi_clock_time_get(u32 id, u64 precision, u32 out) {
    (void)precision;
    if (id >= CLOCK_IDS) return E_INVAL;
    put64(out, now_ns());
    return E_SUCCESS;
}

EXPORT(clock_res_get) u32 wasi_clock_res_get(u32 id, u32 out) {
    if (id >= CLOCK_IDS) return E_INVAL;
    put64(out, 1000);
    return E_SUCCESS;
}
