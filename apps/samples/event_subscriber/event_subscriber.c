/*
 * event_subscriber - subscribes to "alert/overheat" and prints each event's payload
 * (WAMR's samples/simple event_subscriber).
 */
#include "wasm_app.h"

static void on_overheat(request_t *event)
{
    printf("### user over heat event handler called\n");
    if (event->payload != NULL && event->fmt == FMT_ATTR_CONTAINER)
        attr_container_dump((attr_container_t *)event->payload);
}

void on_init(void)
{
    api_subscribe_event("alert/overheat", on_overheat);
}

void on_destroy(void)
{
}
