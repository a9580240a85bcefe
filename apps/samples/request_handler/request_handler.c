/*
 * request_handler - serves two resources (WAMR's samples/simple request_handler):
 *   /url1  prints the request's payload and answers 2.05 with {key1: "value1", key2: "value2"}
 *   /url2  answers 2.02 (deleted) without a payload
 */
#include "wasm_app.h"

static void serve_url1(request_t *request)
{
    response_t response;
    attr_container_t *payload;

    printf("[resp] ### user resource 1 handler called\n");
    if (request->payload != NULL && request->fmt == FMT_ATTR_CONTAINER)
        attr_container_dump((attr_container_t *)request->payload);

    payload = attr_container_create("wasm app response payload");
    if (payload == NULL)
        return;
    attr_container_set_string(&payload, "key1", "value1");
    attr_container_set_string(&payload, "key2", "value2");

    make_response_for_request(request, &response);
    set_response(&response, CONTENT_2_05, FMT_ATTR_CONTAINER, (const char *)payload,
                 attr_container_get_serialize_length(payload));
    api_response_send(&response);
    attr_container_destroy(payload);
}

static void serve_url2(request_t *request)
{
    response_t response;

    make_response_for_request(request, &response);
    set_response(&response, DELETED_2_02, 0, NULL, 0);
    api_response_send(&response);
    printf("### user resource 2 handler called\n");
}

void on_init(void)
{
    api_register_resource_handler("/url1", serve_url1);
    api_register_resource_handler("/url2", serve_url2);
}

void on_destroy(void)
{
}
