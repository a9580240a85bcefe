/*
 * fw_pong - the request benchmark's handler (bench/framework): serves /echo, answering 2.05
 * with the request's payload.
 */
#include "wasm_app.h"

static void serve_echo(request_t *request)
{
    response_t response;

    make_response_for_request(request, &response);
    set_response(&response, CONTENT_2_05, request->fmt, request->payload, request->payload_len);
    api_response_send(&response);
}

void on_init(void)
{
    api_register_resource_handler("/echo", serve_echo);
}
