/*
 * fw_sub - the event benchmark's subscriber (bench/framework): counts "bench/ev" events and
 * the ones whose sequence number is not the one expected (lost, repeated or reordered).
 */
#include "wasm_app.h"

static int g_count;
static int g_bad;

static void on_event(request_t *event)
{
    int seq = -1;

    if (event->payload != NULL && event->payload_len == 4)
        memcpy(&seq, event->payload, 4);
    if (seq != g_count)
        g_bad++;
    g_count++;
}

void on_init(void)
{
    api_subscribe_event("bench/ev", on_event);
}

__attribute__((export_name("bench_count"))) int bench_count(void)
{
    return g_count;
}

__attribute__((export_name("bench_bad"))) int bench_bad(void)
{
    return g_bad;
}
