/*
 * time.h - the runtime's clocks (natives of the framework, imported from module "env"):
 * clock() counts nanoseconds since boot (CLOCKS_PER_SEC as in wasi-sdk), clock_gettime()
 * fills tv_sec/tv_nsec from the same clock, whatever the clock id.
 */
#ifndef WASMLET_TIME_H
#define WASMLET_TIME_H

#ifdef __cplusplus
extern "C" {
#endif

typedef long long clock_t;
typedef long long time_t;
typedef int clockid_t;

#define CLOCKS_PER_SEC 1000000000LL
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

struct timespec {
    time_t tv_sec;
    long tv_nsec;
};

clock_t clock(void);
int clock_gettime(clockid_t clk, struct timespec *ts);

#ifdef __cplusplus
}
#endif

#endif
