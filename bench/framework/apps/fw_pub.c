/*
 * fw_pub - the event benchmark's publisher (bench/framework): each expiry of its (idle) timer
 * publishes "bench/ev" with a 4-byte sequence number; the bench queues the expiries.
 */
#include "wasm_app.h"

static int g_seq;

static void publish(user_timer_t timer)
{
    (void)timer;
    api_publish_event("bench/ev", 0, &g_seq, 4);
    g_seq++;
}

void on_init(void)
{
    api_timer_create(1000, true, false, publish);
}

__attribute__((export_name("bench_count"))) int bench_count(void)
{
    return g_seq;
}
