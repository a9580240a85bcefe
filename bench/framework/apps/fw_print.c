/*
 * fw_print - the printf benchmark's app (bench/framework): PRINTS calls of a short formatted
 * line through the runtime's libc, to the console (bench_printf) or into a buffer
 * (bench_snprintf: the formatting alone); bench_noop is the empty call to subtract.
 */
#include "wasm_app.h"

#ifndef PRINTS
#define PRINTS 100
#endif

static char g_line[64];

__attribute__((export_name("bench_printf"))) int bench_printf(void)
{
    int n = 0;

    for (int i = 0; i < PRINTS; i++)
        n += printf("%s: %d readings\n", "sensor", i);
    return n;
}

__attribute__((export_name("bench_snprintf"))) int bench_snprintf(void)
{
    int n = 0;

    for (int i = 0; i < PRINTS; i++)
        n += snprintf(g_line, sizeof g_line, "%s: %d readings\n", "sensor", i);
    return n;
}

__attribute__((export_name("bench_noop"))) void bench_noop(void)
{
}
