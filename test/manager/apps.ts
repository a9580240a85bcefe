// The C apps the manager's simulator test installs (built with the SDK by test/framework/build-c.ts):
//   hello(version)  serves /hello with its version as text, publishes /hello/tick every 300 ms
//   asker           subscribes to /hello/tick and asks /hello every second; prints both
//   big             carries 8,000 random bytes: its stored form cannot shrink below the store
import { buildCApp } from "../framework/build-c"

export function helloApp(version: string): Uint8Array {
    return buildCApp(`
#include "wasm_app.h"
#include <string.h>

static void serve(request_t *request)
{
    response_t response;
    static char text[] = "${version}";
    make_response_for_request(request, &response);
    set_response(&response, CONTENT_2_05, 0, text, strlen(text) + 1);
    api_response_send(&response);
}

static void tick(user_timer_t t)
{
    static char msg[] = "tick";
    api_publish_event("/hello/tick", 0, msg, sizeof msg);
}

void on_init(void)
{
    api_register_resource_handler("/hello", serve);
    api_timer_create(300, true, true, tick);
    printf("hello ${version} up\\n");
}

void on_destroy(void)
{
    printf("hello ${version} down\\n");
}
`)
}

export function askerApp(): Uint8Array {
    return buildCApp(`
#include "wasm_app.h"

static void on_reply(response_t *r, void *user)
{
    if (r == NULL) { printf("asker: timeout\\n"); return; }
    printf("asker: got %d %s\\n", r->status, r->payload_len > 0 ? (char *)r->payload : "-");
}

static void on_tick(request_t *event)
{
    printf("asker: event %s\\n", event->payload_len > 0 ? (char *)event->payload : "-");
}

static void ask(user_timer_t t)
{
    request_t request;
    init_request(&request, "/hello", COAP_GET, 0, NULL, 0);
    api_send_request(&request, on_reply, NULL);
}

void on_init(void)
{
    api_subscribe_event("/hello/tick", on_tick);
    api_timer_create(1000, true, true, ask);
}

void on_destroy(void)
{
}
`)
}

export function bigApp(bytes = 8000): Uint8Array {
    let seed = 12345
    const blob: number[] = []
    for (let i = 0; i < bytes; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0
        blob.push(seed >>> 24)
    }
    return buildCApp(`
#include "wasm_app.h"
static const unsigned char blob[${bytes}] = { ${blob.join(",")} };
void on_init(void)
{
    int s = 0;
    for (int i = 0; i < ${bytes}; i++) s += blob[i];
    printf("big %d\\n", s);
}
void on_destroy(void)
{
}
`)
}
