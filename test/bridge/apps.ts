// The C apps the bridge tests run on their boards (built with the SDK by test/framework/build-c.ts):
//   cfg    serves PUT/GET config (threshold: int, gain: double, label: string); after a PUT it
//          publishes "cfg/changed" with the new values and answers 2.04 with them; GET answers 2.05
//   tele   publishes "sensor/temp" every `periodMs`: {seq: int, temp: double, unit: "C", ok: bool}
import { buildCApp } from "../framework/build-c"

export function cfgApp(): Uint8Array {
    return buildCApp(`
#include "wasm_app.h"
#include <string.h>

static int threshold = 10;
static double gain = 1.0;
static char label[32] = "none";

static attr_container_t *current(void)
{
    attr_container_t *a = attr_container_create("config");
    attr_container_set_int(&a, "threshold", threshold);
    attr_container_set_double(&a, "gain", gain);
    attr_container_set_string(&a, "label", label);
    return a;
}

static void config(request_t *request)
{
    response_t response;
    attr_container_t *a;
    if (request->action == COAP_PUT) {
        attr_container_t *in = (attr_container_t *)request->payload;
        if (request->fmt != FMT_ATTR_CONTAINER || in == NULL) {
            make_response_for_request(request, &response);
            set_response(&response, BAD_REQUEST_4_00, 0, NULL, 0);
            api_response_send(&response);
            return;
        }
        if (attr_container_contain_key(in, "threshold")) threshold = attr_container_get_as_int(in, "threshold");
        if (attr_container_contain_key(in, "gain")) gain = attr_container_get_as_double(in, "gain");
        if (attr_container_contain_key(in, "label")) {
            char *s = attr_container_get_as_string(in, "label");
            if (s) { strncpy(label, s, sizeof label - 1); label[sizeof label - 1] = 0; }
        }
        printf("config threshold=%d label=%s\\n", threshold, label);
    }
    a = current();
    make_response_for_request(request, &response);
    set_response(&response, request->action == COAP_PUT ? CHANGED_2_04 : CONTENT_2_05, FMT_ATTR_CONTAINER, (const char *)a, attr_container_get_serialize_length(a));
    api_response_send(&response);
    if (request->action == COAP_PUT)
        api_publish_event("cfg/changed", FMT_ATTR_CONTAINER, a, attr_container_get_serialize_length(a));
    attr_container_destroy(a);
}

void on_init(void)
{
    api_register_resource_handler("config", config);
}

void on_destroy(void)
{
}
`)
}

export function teleApp(periodMs = 100): Uint8Array {
    return buildCApp(`
#include "wasm_app.h"

static int seq = 0;

static void tick(user_timer_t t)
{
    attr_container_t *a = attr_container_create("t");
    (void)t;
    if (a == NULL) return;
    attr_container_set_int(&a, "seq", seq);
    attr_container_set_double(&a, "temp", 20.5 + seq);
    attr_container_set_string(&a, "unit", "C");
    attr_container_set_bool(&a, "ok", true);
    api_publish_event("sensor/temp", FMT_ATTR_CONTAINER, a, attr_container_get_serialize_length(a));
    attr_container_destroy(a);
    seq++;
}

void on_init(void)
{
    api_timer_create(${periodMs}, true, true, tick);
}

void on_destroy(void)
{
}
`)
}
