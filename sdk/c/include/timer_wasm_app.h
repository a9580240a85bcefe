/*
 * timer_wasm_app.h - app timers (WAMR's base app API): one-shot or periodic, each with its
 * own callback. Cancelling releases the timer (WAMR frees the handle too; here the runtime's
 * timer slot is freed as well, so an app can create and cancel timers forever).
 */
#ifndef WASMLET_TIMER_WASM_APP_H
#define WASMLET_TIMER_WASM_APP_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

struct user_timer;
typedef struct user_timer *user_timer_t;
typedef void (*on_user_timer_update_f)(user_timer_t timer);

/* NULL if the runtime has no timer left or memory is short. Without auto_start the timer
   waits for api_timer_restart. */
user_timer_t api_timer_create(int interval, bool is_period, bool auto_start,
                              on_user_timer_update_f on_timer_update);
/* Stops and releases the timer: the handle must not be used afterwards. */
void api_timer_cancel(user_timer_t timer);
/* The same as api_timer_cancel, by the name the runtime's native uses. */
void api_timer_destroy(user_timer_t timer);
/* (Re)arms the timer to fire `interval` ms from now. */
void api_timer_restart(user_timer_t timer, int interval);

/* Milliseconds since boot (wraps around). A native of the runtime. */
uint32 wasm_get_sys_tick_ms(void);

#ifdef __cplusplus
}
#endif

#endif
