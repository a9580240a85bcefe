/*
 * natives.h - the runtime's natives this library calls (ABI doc sections 2.1-2.3), imported
 * from module "env", plus the few helpers the library's files share. Not for apps: they
 * use the api_* functions.
 */
#ifndef WASMLET_NATIVES_H
#define WASMLET_NATIVES_H

#include "wasm_app.h"

/* base: requests, events, timers */
void wasm_register_resource(const char *url);
void wasm_post_request(const char *buf, int size);
bool wasm_response_send(const char *buf, int size);
void wasm_sub_event(const char *url);
uint32 wasm_create_timer(int interval, bool is_period, bool auto_start);
void wasm_timer_destroy(uint32 timer_id);
void wasm_timer_cancel(uint32 timer_id);
void wasm_timer_restart(uint32 timer_id, int interval);

/* sensor */
uint32 wasm_sensor_open(const char *name, int instance);
bool wasm_sensor_config(uint32 sensor, uint32 interval, int bit_cfg, uint32 delay);
bool wasm_sensor_config_with_attr_container(uint32 sensor, char *buf, uint32 len);
bool wasm_sensor_close(uint32 sensor);

/* connection */
uint32 wasm_open_connection(const char *name, char *args, uint32 args_len);
void wasm_close_connection(uint32 handle);
int wasm_send_on_connection(uint32 handle, const char *data, uint32 len);
bool wasm_config_connection(uint32 handle, const char *cfg, uint32 cfg_len);

/* A failed id or handle. */
#define WASMLET_BAD_ID 0xFFFFFFFFu

/* timer.c: disarms a timer but keeps it (the transaction timer is reused for the app's life). */
void wasmlet_timer_stop(user_timer_t timer);

/* Big-endian fields of packets (packet.c). */
static inline void wasmlet_put_be16(char *p, uint32 v)
{
    p[0] = (char)(v >> 8);
    p[1] = (char)v;
}
static inline void wasmlet_put_be32(char *p, uint32 v)
{
    p[0] = (char)(v >> 24);
    p[1] = (char)(v >> 16);
    p[2] = (char)(v >> 8);
    p[3] = (char)v;
}
static inline uint32 wasmlet_be16(const char *p)
{
    return (uint32)(uint8)p[0] << 8 | (uint8)p[1];
}
static inline uint32 wasmlet_be32(const char *p)
{
    return (uint32)(uint8)p[0] << 24 | (uint32)(uint8)p[1] << 16 | (uint32)(uint8)p[2] << 8
           | (uint8)p[3];
}

#endif
