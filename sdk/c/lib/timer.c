/*
 * timer.c - app timers over the runtime's timer natives, and on_timer_callback, the runtime's
 * entry point that calls the callback of the timer that fired. Unlike WAMR's library,
 * cancelling destroys the runtime's timer too, so its slot is not held for the app's life.
 */
#include "natives.h"

struct user_timer {
    struct user_timer *next;
    uint32 id;
    on_user_timer_update_f callback;
};

static struct user_timer *g_timers = NULL;

user_timer_t api_timer_create(int interval, bool is_period, bool auto_start,
                              on_user_timer_update_f on_timer_update)
{
    struct user_timer *t = (struct user_timer *)malloc(sizeof(struct user_timer));

    if (t == NULL) {
        printf("api_timer_create: out of memory\n");
        return NULL;
    }
    t->id = wasm_create_timer(interval, is_period, auto_start);
    if (t->id == WASMLET_BAD_ID) {
        free(t);
        return NULL;
    }
    t->callback = on_timer_update;
    t->next = g_timers;
    g_timers = t;
    return t;
}

void api_timer_cancel(user_timer_t timer)
{
    struct user_timer **link;

    for (link = &g_timers; *link; link = &(*link)->next) {
        if (*link == timer) {
            *link = timer->next;
            wasm_timer_destroy(timer->id);
            free(timer);
            return;
        }
    }
}

void api_timer_destroy(user_timer_t timer)
{
    api_timer_cancel(timer);
}

void api_timer_restart(user_timer_t timer, int interval)
{
    wasm_timer_restart(timer->id, interval);
}

void wasmlet_timer_stop(user_timer_t timer)
{
    wasm_timer_cancel(timer->id);
}

void on_timer_callback(uint32 timer_id)
{
    struct user_timer *t;

    for (t = g_timers; t; t = t->next) {
        if (t->id == timer_id) {
            t->callback(t);
            return;
        }
    }
}
