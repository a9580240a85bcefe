/*
 * request.h - requests, responses and events between apps and the host (WAMR's base app API).
 * Serve a URL prefix with api_register_resource_handler, send requests with api_send_request
 * (the response handler gets NULL after 5000 ms without a reply), answer with
 * api_response_send, publish and subscribe to events. Packets are packed as ABI doc section 4.
 */
#ifndef WASMLET_REQUEST_H
#define WASMLET_REQUEST_H

#include "bh_platform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Payload formats. */
#define FMT_ATTR_CONTAINER 99
#define FMT_APP_RAW_BINARY 98

typedef enum {
    COAP_GET = 1,
    COAP_POST = 2,
    COAP_PUT = 3,
    COAP_DELETE = 4,
    COAP_EVENT = 6
} coap_method_t;

typedef enum {
    NO_ERROR = 0,
    CREATED_2_01 = 65,
    DELETED_2_02 = 66,
    VALID_2_03 = 67,
    CHANGED_2_04 = 68,
    CONTENT_2_05 = 69,
    CONTINUE_2_31 = 95,
    BAD_REQUEST_4_00 = 128,
    UNAUTHORIZED_4_01 = 129,
    BAD_OPTION_4_02 = 130,
    FORBIDDEN_4_03 = 131,
    NOT_FOUND_4_04 = 132,
    METHOD_NOT_ALLOWED_4_05 = 133,
    NOT_ACCEPTABLE_4_06 = 134,
    PRECONDITION_FAILED_4_12 = 140,
    REQUEST_ENTITY_TOO_LARGE_4_13 = 141,
    UNSUPPORTED_MEDIA_TYPE_4_15 = 143,
    INTERNAL_SERVER_ERROR_5_00 = 160,
    NOT_IMPLEMENTED_5_01 = 161,
    BAD_GATEWAY_5_02 = 162,
    SERVICE_UNAVAILABLE_5_03 = 163,
    GATEWAY_TIMEOUT_5_04 = 164,
    PROXYING_NOT_SUPPORTED_5_05 = 165,
    MEMORY_ALLOCATION_ERROR = 192,
    PACKET_SERIALIZATION_ERROR = 193,
    MANUAL_RESPONSE = 194,
    PING_RESPONSE = 195
} coap_status_t;

typedef struct request {
    uint32 mid;           /* message id, set by init_request (1, 2, ...) */
    char *url;
    int action;           /* coap_method_t */
    int fmt;              /* payload format, 0 if none */
    void *payload;        /* NULL when payload_len is 0 */
    int payload_len;
    unsigned long sender; /* set by the runtime */
} request_t;

typedef struct response {
    uint32 mid;           /* the request's mid */
    int status;           /* coap_status_t */
    int fmt;
    void *payload;
    int payload_len;
    union {               /* the request's sender; WAMR spells it `reciever` */
        unsigned long reciever;
        unsigned long receiver;
    };
} response_t;

typedef void (*request_handler_f)(request_t *request);
typedef void (*response_handler_f)(response_t *response, void *user_data);

/* Routes requests whose URL matches the prefix `url` to `handler`. Registering the same URL
   again replaces the handler. The request (and its payload) lives only during the call. */
bool api_register_resource_handler(const char *url, request_handler_f handler);
/* Sends the request; `response_handler` gets the response, or NULL on timeout (5000 ms). */
void api_send_request(request_t *request, response_handler_f response_handler, void *user_data);
void api_response_send(response_t *response);
bool api_publish_event(const char *url, int fmt, void *payload, int payload_len);
/* Events whose URL matches `url` arrive at `handler` as requests with action COAP_EVENT. */
bool api_subscribe_event(const char *url, request_handler_f handler);

/* Fills a request and gives it the next mid. */
request_t *init_request(request_t *request, char *url, int action, int fmt, void *payload,
                        int payload_len);
/* Copies mid and sender of the request into the response (as mid and receiver). */
response_t *make_response_for_request(request_t *request, response_t *response);
response_t *set_response(response_t *response, int status, int fmt, const char *payload,
                         int payload_len);

/* Packing (big-endian headers). pack_* return a malloc'd packet (free_req_resp_packet);
   unpack_* point the fields into the packet and return NULL if it is malformed. */
char *pack_request(request_t *request, int *size);
request_t *unpack_request(char *packet, int size, request_t *request);
char *pack_response(response_t *response, int *size);
response_t *unpack_response(char *packet, int size, response_t *response);
void free_req_resp_packet(char *packet);

/* Deep copies (url and payload included) and their release. */
request_t *clone_request(request_t *request);
void request_cleaner(request_t *request);
response_t *clone_response(response_t *response);
void response_cleaner(response_t *response);

/* The dispatch rule of ABI doc section 7: > 0 (the length of the matched part of url,
   a leading and a following '/' included) if leading_str matches url, else 0. */
int check_url_start(const char *url, int url_len, const char *leading_str);
/* Patterns: "/a" matches "/a" only; "/a/" matches "/a" and "/a/..."; "/a" followed by '*'
   matches anything starting with "/a"; "/a/" followed by '*' matches "/a/..." but not "/a". */
bool match_url(char *pattern, char *matched);
/* Looks up `key` in "k1=v1;k2=v2" (delimiter ';' here), copies its value NUL-terminated into
   value (at most value_len - 1 bytes) and returns value, or NULL. */
char *find_key_value(char *buffer, int buffer_len, char *key, char *value, int value_len,
                     char delimiter);
char *wa_strdup(const char *str);

#ifdef __cplusplus
}
#endif

#endif
