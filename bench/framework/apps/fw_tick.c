/*
 * fw_tick - the timer benchmark's app (bench/framework): one SDK timer whose callback counts.
 * The timer is created idle; the bench either queues its expiries itself (the cost of one
 * callback) or arms it as a periodic 1 ms timer (how often the scheduler really fires it).
 * bench_noop is an empty export: the same trip through the scheduler without the SDK's dispatch.
 */
#include "wasm_app.h"

static user_timer_t g_timer;
static int g_count;

static void on_tick(user_timer_t timer)
{
    (void)timer;
    g_count++;
}

void on_init(void)
{
    g_timer = api_timer_create(1, true, false, on_tick);
}

__attribute__((export_name("bench_count"))) int bench_count(void)
{
    return g_count;
}

__attribute__((export_name("bench_noop"))) void bench_noop(void)
{
}

__attribute__((export_name("bench_periodic"))) void bench_periodic(void)
{
    api_timer_restart(g_timer, 1);
}

__attribute__((export_name("bench_stop"))) void bench_stop(void)
{
    api_timer_cancel(g_timer);
    g_timer = NULL;
}
