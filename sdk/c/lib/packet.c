/*
 * packet.c - requests and responses as packets (ABI doc section 4), and the small helpers
 * that fill and copy request_t / response_t.
 *
 * request:  version 1 | action | fmt u16 | mid u32 | sender u32 | url_len u16 | payload_len u32
 *           | url with its NUL | payload                     (18-byte header, big-endian)
 * response: version 1 | status | fmt u16 | mid u32 | receiver u32 | payload_len u32 | payload
 *                                                             (16-byte header)
 */
#include "natives.h"

#define PACKET_VERSION 1
#define REQUEST_HEADER 18
#define RESPONSE_HEADER 16

static uint32 g_next_mid = 0;

char *pack_request(request_t *request, int *size)
{
    uint32 url_len = strlen(request->url) + 1;
    uint32 payload_len = request->payload_len > 0 ? (uint32)request->payload_len : 0;
    uint32 len = REQUEST_HEADER + url_len + payload_len;
    char *p = (char *)malloc(len);

    if (p == NULL)
        return NULL;
    p[0] = PACKET_VERSION;
    p[1] = (char)request->action;
    wasmlet_put_be16(p + 2, request->fmt);
    wasmlet_put_be32(p + 4, request->mid);
    wasmlet_put_be32(p + 8, request->sender);
    wasmlet_put_be16(p + 12, url_len);
    wasmlet_put_be32(p + 14, payload_len);
    memcpy(p + REQUEST_HEADER, request->url, url_len);
    if (payload_len)
        memcpy(p + REQUEST_HEADER + url_len, request->payload, payload_len);
    *size = (int)len;
    return p;
}

request_t *unpack_request(char *packet, int size, request_t *request)
{
    uint32 url_len, payload_len, rest;

    if (size < REQUEST_HEADER || packet[0] != PACKET_VERSION)
        return NULL;
    url_len = wasmlet_be16(packet + 12);
    payload_len = wasmlet_be32(packet + 14);
    rest = (uint32)size - REQUEST_HEADER;
    /* the url needs its NUL; the sizes must add up exactly (no wrap-around) */
    if (url_len == 0 || url_len > rest || payload_len != rest - url_len
        || packet[REQUEST_HEADER + url_len - 1] != 0)
        return NULL;

    request->action = (uint8)packet[1];
    request->fmt = (int)wasmlet_be16(packet + 2);
    request->mid = wasmlet_be32(packet + 4);
    request->sender = wasmlet_be32(packet + 8);
    request->url = packet + REQUEST_HEADER;
    request->payload_len = (int)payload_len;
    request->payload = payload_len ? packet + REQUEST_HEADER + url_len : NULL;
    return request;
}

char *pack_response(response_t *response, int *size)
{
    uint32 payload_len = response->payload_len > 0 ? (uint32)response->payload_len : 0;
    uint32 len = RESPONSE_HEADER + payload_len;
    char *p = (char *)malloc(len);

    if (p == NULL)
        return NULL;
    p[0] = PACKET_VERSION;
    p[1] = (char)response->status;
    wasmlet_put_be16(p + 2, response->fmt);
    wasmlet_put_be32(p + 4, response->mid);
    wasmlet_put_be32(p + 8, response->receiver);
    wasmlet_put_be32(p + 12, payload_len);
    if (payload_len)
        memcpy(p + RESPONSE_HEADER, response->payload, payload_len);
    *size = (int)len;
    return p;
}

response_t *unpack_response(char *packet, int size, response_t *response)
{
    uint32 payload_len;

    if (size < RESPONSE_HEADER || packet[0] != PACKET_VERSION)
        return NULL;
    payload_len = wasmlet_be32(packet + 12);
    if (payload_len != (uint32)size - RESPONSE_HEADER)
        return NULL;

    response->status = (uint8)packet[1];
    response->fmt = (int)wasmlet_be16(packet + 2);
    response->mid = wasmlet_be32(packet + 4);
    response->receiver = wasmlet_be32(packet + 8);
    response->payload_len = (int)payload_len;
    response->payload = payload_len ? packet + RESPONSE_HEADER : NULL;
    return response;
}

void free_req_resp_packet(char *packet)
{
    free(packet);
}

request_t *init_request(request_t *request, char *url, int action, int fmt, void *payload,
                        int payload_len)
{
    request->mid = ++g_next_mid;
    request->url = url;
    request->action = action;
    request->fmt = fmt;
    request->payload = payload;
    request->payload_len = payload_len;
    request->sender = 0;
    return request;
}

response_t *make_response_for_request(request_t *request, response_t *response)
{
    response->mid = request->mid;
    response->receiver = request->sender;
    return response;
}

response_t *set_response(response_t *response, int status, int fmt, const char *payload,
                         int payload_len)
{
    response->status = status;
    response->fmt = fmt;
    response->payload = (void *)payload;
    response->payload_len = payload_len;
    return response;
}

char *wa_strdup(const char *str)
{
    return str ? strdup(str) : NULL;
}

/* A copy of len bytes, or the pointer itself when len is 0 (WAMR apps sometimes carry a
   handle or an integer in a payload of length 0). */
static bool copy_payload(void **dst, void *src, int len)
{
    if (len <= 0) {
        *dst = src;
        return true;
    }
    if ((*dst = malloc((uint32)len)) == NULL)
        return false;
    memcpy(*dst, src, (uint32)len);
    return true;
}

request_t *clone_request(request_t *request)
{
    request_t *copy = (request_t *)malloc(sizeof(request_t));

    if (copy == NULL)
        return NULL;
    *copy = *request;
    copy->url = wa_strdup(request->url);
    if (copy->url == NULL) {
        free(copy);
        return NULL;
    }
    if (!copy_payload(&copy->payload, request->payload, request->payload_len)) {
        free(copy->url);
        free(copy);
        return NULL;
    }
    return copy;
}

void request_cleaner(request_t *request)
{
    free(request->url);
    if (request->payload_len > 0)
        free(request->payload);
    free(request);
}

response_t *clone_response(response_t *response)
{
    response_t *copy = (response_t *)malloc(sizeof(response_t));

    if (copy == NULL)
        return NULL;
    *copy = *response;
    if (!copy_payload(&copy->payload, response->payload, response->payload_len)) {
        free(copy);
        return NULL;
    }
    return copy;
}

void response_cleaner(response_t *response)
{
    if (response->payload_len > 0)
        free(response->payload);
    free(response);
}
