/*
 * timer - a periodic 1 s timer that prints how often it fired (WAMR's samples/simple timer).
 */
#include "wasm_app.h"

static int count = 0;

static void on_tick(user_timer_t timer)
{
    (void)timer;
    printf("Timer update %d\n", count++);
}

void on_init(void)
{
    /* created idle, then started: the two calls WAMR's sample makes */
    user_timer_t timer = api_timer_create(1000, true, false, on_tick);

    if (timer)
        api_timer_restart(timer, 1000);
}

void on_destroy(void)
{
    /* the runtime frees the app's timers when it stops */
}
