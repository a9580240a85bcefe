/*
 * request.c - the app's side of routing: URL registrations for requests and for events, and
 * on_request, the runtime's entry point that hands each incoming request or event to the
 * newest registration whose URL matches (ABI doc sections 3 and 7).
 */
#include "natives.h"

typedef struct registration {
    struct registration *next;
    char *url;
    bool is_event;
    request_handler_f handler;
} registration_t;

/* newest first */
static registration_t *g_registrations = NULL;

/* Inlined into its two callers, so an app that only subscribes does not import
   wasm_register_resource, and one that only serves does not import wasm_sub_event. */
static inline __attribute__((always_inline)) bool
register_url(const char *url, request_handler_f handler, bool is_event)
{
    registration_t *r;

    for (r = g_registrations; r; r = r->next) {
        if (r->is_event == is_event && strcmp(r->url, url) == 0) {
            r->handler = handler;
            return true;
        }
    }
    if ((r = (registration_t *)malloc(sizeof(registration_t))) == NULL)
        return false;
    if ((r->url = strdup(url)) == NULL) {
        free(r);
        return false;
    }
    r->is_event = is_event;
    r->handler = handler;
    r->next = g_registrations;
    g_registrations = r;

    if (is_event)
        wasm_sub_event(url);
    else
        wasm_register_resource(url);
    return true;
}

bool api_register_resource_handler(const char *url, request_handler_f handler)
{
    return register_url(url, handler, false);
}

bool api_subscribe_event(const char *url, request_handler_f handler)
{
    return register_url(url, handler, true);
}

void on_request(char *buffer, int size)
{
    request_t request;
    registration_t *r;
    bool is_event;
    int url_len;

    if (unpack_request(buffer, size, &request) == NULL) {
        printf("unpack request failed\n");
        return;
    }
    is_event = request.action == COAP_EVENT;
    url_len = (int)strlen(request.url);
    for (r = g_registrations; r; r = r->next) {
        if (r->is_event == is_event && check_url_start(request.url, url_len, r->url) > 0) {
            r->handler(&request);
            return;
        }
    }
    printf("on_request: exit. no service handler\n");
}

void api_response_send(response_t *response)
{
    int size;
    char *packet = pack_response(response, &size);

    if (packet == NULL)
        return;
    wasm_response_send(packet, size);
    free_req_resp_packet(packet);
}

bool api_publish_event(const char *url, int fmt, void *payload, int payload_len)
{
    request_t request;
    int size;
    char *packet;

    init_request(&request, (char *)url, COAP_EVENT, fmt, payload, payload_len);
    if ((packet = pack_request(&request, &size)) == NULL)
        return false;
    wasm_post_request(packet, size);
    free_req_resp_packet(packet);
    return true;
}
