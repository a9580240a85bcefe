/*
 * harness.c - exports the C SDK's attr_container, packing and URL functions to the vitest
 * suite (sdk-library.test.ts), which builds this with sdk/c/wasmlet-cc and runs it under
 * Node's WebAssembly with stub imports (stub-env.ts). Setters return the container (which
 * may have moved) or 0 on failure, so JS needs no pointer cells.
 */
#include "wasm_app.h"

#define EXPORT(name) __attribute__((export_name(#name)))

EXPORT(create) attr_container_t *h_create(const char *tag) { return attr_container_create(tag); }
EXPORT(destroy) void h_destroy(attr_container_t *c) { attr_container_destroy(c); }

#define SETTER(name, type)                                                           \
    EXPORT(set_##name) attr_container_t *h_set_##name(attr_container_t *c, const char *key, \
                                                      type v)                         \
    {                                                                                \
        return attr_container_set_##name(&c, key, v) ? c : 0;                        \
    }
SETTER(byte, int8_t)
SETTER(short, short)
SETTER(int, int)
SETTER(int64, int64_t)
SETTER(uint8, uint8_t)
SETTER(uint16, uint16_t)
SETTER(uint32, uint32_t)
SETTER(uint64, uint64_t)
SETTER(float, float)
SETTER(double, double)
SETTER(bool, bool)
SETTER(string, const char *)

EXPORT(set_bytearray)
attr_container_t *h_set_bytearray(attr_container_t *c, const char *key, const int8_t *v,
                                  unsigned n)
{
    return attr_container_set_bytearray(&c, key, v, n) ? c : 0;
}

/* set through a NULL / empty key, or on NULL: must fail without touching anything */
EXPORT(set_int_raw) bool h_set_int_raw(attr_container_t **pc, const char *key, int v)
{
    return attr_container_set_int(pc, key, v);
}

#define GETTER(name, type)                                                                  \
    EXPORT(get_##name) type h_get_##name(attr_container_t *c, const char *key)             \
    {                                                                                       \
        return attr_container_get_as_##name(c, key);                                        \
    }
GETTER(byte, int8_t)
GETTER(short, short)
GETTER(int, int)
GETTER(int64, int64_t)
GETTER(uint8, uint8_t)
GETTER(uint16, uint16_t)
GETTER(uint32, uint32_t)
GETTER(uint64, uint64_t)
GETTER(float, float)
GETTER(double, double)
GETTER(bool, bool)
GETTER(string, char *)

EXPORT(get_bytearray)
const int8_t *h_get_bytearray(attr_container_t *c, const char *key, unsigned *len)
{
    return attr_container_get_as_bytearray(c, key, len);
}

EXPORT(get_tag) const char *h_get_tag(attr_container_t *c) { return attr_container_get_tag(c); }
EXPORT(get_attr_num) int h_get_attr_num(attr_container_t *c) { return attr_container_get_attr_num(c); }
EXPORT(contain_key) bool h_contain_key(attr_container_t *c, const char *k) { return attr_container_contain_key(c, k); }
EXPORT(serialize_length) unsigned h_len(attr_container_t *c) { return attr_container_get_serialize_length(c); }
EXPORT(serialize) bool h_serialize(char *buf, attr_container_t *c) { return attr_container_serialize(buf, c); }
EXPORT(is_constant) bool h_is_constant(attr_container_t *c) { return attr_container_is_constant(c); }
EXPORT(dump) void h_dump(attr_container_t *c) { attr_container_dump(c); }

/* packing: the structs live here, JS reads their fields at the returned address */
static request_t g_request;
static response_t g_response;
static int g_size;

EXPORT(packed_size) int h_packed_size(void) { return g_size; }

EXPORT(pack_request)
char *h_pack_request(char *url, int action, int fmt, uint32 mid, uint32 sender, void *payload,
                     int payload_len)
{
    request_t r;
    init_request(&r, url, action, fmt, payload, payload_len);
    r.mid = mid;
    r.sender = sender;
    return pack_request(&r, &g_size);
}

EXPORT(unpack_request) request_t *h_unpack_request(char *p, int n) { return unpack_request(p, n, &g_request); }

EXPORT(pack_response)
char *h_pack_response(int status, int fmt, uint32 mid, uint32 receiver, void *payload,
                      int payload_len)
{
    response_t r;
    r.mid = mid;
    r.receiver = receiver;
    set_response(&r, status, fmt, payload, payload_len);
    return pack_response(&r, &g_size);
}

EXPORT(unpack_response) response_t *h_unpack_response(char *p, int n) { return unpack_response(p, n, &g_response); }
EXPORT(free_packet) void h_free_packet(char *p) { free_req_resp_packet(p); }

/* init_request numbering and make_response_for_request */
EXPORT(next_mid) uint32 h_next_mid(void)
{
    request_t r;
    return init_request(&r, "x", COAP_GET, 0, NULL, 0)->mid;
}
EXPORT(response_for) response_t *h_response_for(uint32 mid, uint32 sender)
{
    request_t r;
    r.mid = mid;
    r.sender = sender;
    return make_response_for_request(&r, &g_response);
}

EXPORT(clone_request) request_t *h_clone_request(request_t *r) { return clone_request(r); }
EXPORT(request_cleaner) void h_request_cleaner(request_t *r) { request_cleaner(r); }

EXPORT(check_url_start) int h_check_url_start(const char *url, const char *prefix)
{
    return check_url_start(url, strlen(url), prefix);
}
EXPORT(match_url) bool h_match_url(char *pattern, char *url) { return match_url(pattern, url); }
EXPORT(find_key_value)
char *h_find_key_value(char *buf, char *key, char *value, int value_len)
{
    return find_key_value(buf, strlen(buf), key, value, value_len, ';');
}
EXPORT(htonl) uint32 h_htonl(uint32 v) { return htonl(v); }
EXPORT(htons) uint32 h_htons(uint32 v) { return htons((uint16)v); }

/* A log of what the library's callbacks into the "app" saw, read by JS. */
static int g_log[64];
static int g_log_len;
static void log_int(int v)
{
    if (g_log_len < 64)
        g_log[g_log_len++] = v;
}
EXPORT(log_len) int h_log_len(void) { return g_log_len; }
EXPORT(log_at) int h_log_at(int i) { return g_log[i]; }
EXPORT(log_clear) void h_log_clear(void) { g_log_len = 0; }

/* transactions: the handler logs (tag, mid or -1 on timeout, status) */
static void on_reply(response_t *r, void *tag)
{
    log_int((int)(intptr_t)tag);
    log_int(r ? (int)r->mid : -1);
    log_int(r ? r->status : -1);
}
EXPORT(send) uint32 h_send(char *url, int tag)
{
    request_t r;
    init_request(&r, url, COAP_GET, 0, NULL, 0);
    api_send_request(&r, on_reply, (void *)(intptr_t)tag);
    return r.mid;
}

/* timers: the callback logs the handle */
static void on_tick(user_timer_t t) { log_int((int)(intptr_t)t); }
EXPORT(timer_create) user_timer_t h_timer_create(int interval, bool periodic, bool auto_start)
{
    return api_timer_create(interval, periodic, auto_start, on_tick);
}
EXPORT(timer_restart) void h_timer_restart(user_timer_t t, int ms) { api_timer_restart(t, ms); }
EXPORT(timer_cancel) void h_timer_cancel(user_timer_t t) { api_timer_cancel(t); }
EXPORT(timer_destroy) void h_timer_destroy(user_timer_t t) { api_timer_destroy(t); }

/* sensors: the handler logs (user_data, number of attributes, attribute "v") */
static void on_reading(sensor_t s, attr_container_t *r, void *ud)
{
    (void)s;
    log_int((int)(intptr_t)ud);
    log_int(attr_container_get_attr_num(r));
    log_int(attr_container_get_as_int(r, "v"));
}
EXPORT(sensor_open) sensor_t h_sensor_open(const char *name, int index, int ud)
{
    return sensor_open(name, index, on_reading, (void *)(intptr_t)ud);
}
EXPORT(sensor_config) bool h_sensor_config(sensor_t s, int i, int b, int d) { return sensor_config(s, i, b, d); }
EXPORT(sensor_config_attr) bool h_sensor_config_attr(sensor_t s, attr_container_t *c) { return sensor_config_with_attr_container(s, c); }
EXPORT(sensor_close) bool h_sensor_close(sensor_t s) { return sensor_close(s); }

/* connections: the handler logs (user_data, event type, length, first byte) */
static void on_conn(connection_t *c, conn_event_type_t type, const char *data, uint32 len, void *ud)
{
    (void)c;
    log_int((int)(intptr_t)ud);
    log_int(type);
    log_int((int)len);
    log_int(data && len ? (uint8)data[0] : -1);
}
EXPORT(conn_open) connection_t *h_conn_open(const char *name, attr_container_t *args, int ud)
{
    return api_open_connection(name, args, on_conn, (void *)(intptr_t)ud);
}
EXPORT(conn_send) int h_conn_send(connection_t *c, const char *d, uint32 n) { return api_send_on_connection(c, d, n); }
EXPORT(conn_config) bool h_conn_config(connection_t *c, attr_container_t *cfg) { return api_config_connection(c, cfg); }
EXPORT(conn_close) void h_conn_close(connection_t *c) { api_close_connection(c); }

/* requests and events served by the "app": the handler logs (tag, action, mid, sender) */
static void serve(request_t *r, int tag)
{
    log_int(tag);
    log_int(r->action);
    log_int((int)r->mid);
    log_int((int)r->sender);
}
static void serve1(request_t *r) { serve(r, 1); }
static void serve2(request_t *r) { serve(r, 2); }
static void serve3(request_t *r) { serve(r, 3); }
EXPORT(register_resource) bool h_register(const char *url, int which)
{
    return api_register_resource_handler(url, which == 1 ? serve1 : which == 2 ? serve2 : serve3);
}
EXPORT(subscribe) bool h_subscribe(const char *url, int which)
{
    return api_subscribe_event(url, which == 1 ? serve1 : which == 2 ? serve2 : serve3);
}
EXPORT(publish) bool h_publish(const char *url, int fmt, void *p, int n) { return api_publish_event(url, fmt, p, n); }

void on_init(void) {}
