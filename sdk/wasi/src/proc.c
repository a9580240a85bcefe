/*
 * The process: arguments (from the wasmlet natives args_count / args_copy, which hand over the
 * strings NUL-terminated back to back), an empty environment, proc_exit (ends the app in the
 * host; never returns), sched_yield (the engine already slices the app), proc_raise (no
 * signals: ENOSYS).
 */
#include "wasi.h"

/* args_sizes_get(argc*, argv_buf_size*) */
EXPORT(args_sizes_get) u32 wasi_args_sizes_get(u32 argc, u32 size) {
    put32(argc, wl_args_count());
    put32(size, wl_args_copy(0, 0));
    return E_SUCCESS;
}

/* args_get(argv*, argv_buf*): the strings into argv_buf (args_sizes_get's size), then one
 * pointer per string into argv. */
EXPORT(args_get) u32 wasi_args_get(u32 argv, u32 buf) {
    u32 need = wl_args_copy(0, 0);
    wl_args_copy(buf, need);
    u32 n = wl_args_count(), p = buf, end = buf + need;
    for (u32 i = 0; i < n; i++, argv += 4) {
        put32(argv, p);
        while (p < end && *(const u8 *)p) p++;
        p++;
    }
    return E_SUCCESS;
}

EXPORT(environ_sizes_get) u32 wasi_environ_sizes_get(u32 count, u32 size) {
    put32(count, 0);
    put32(size, 0);
    return E_SUCCESS;
}

EXPORT(environ_get) u32 wasi_environ_get(u32 environ, u32 buf) {
    (void)environ, (void)buf;
    return E_SUCCESS;
}

EXPORT(proc_exit) __attribute__((noreturn)) void wasi_proc_exit(u32 code) {
    wl_proc_exit(code);
}

EXPORT(proc_raise) u32 wasi_proc_raise(u32 sig) {
    (void)sig;
    return E_NOSYS;
}

EXPORT(sched_yield) u32 wasi_sched_yield(void) {
    return E_SUCCESS;
}
