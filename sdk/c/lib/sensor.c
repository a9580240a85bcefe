/*
 * sensor.c - sensors over the runtime's sensor natives, and on_sensor_event, the runtime's
 * entry point that hands each reading to the handler of the sensor it came from.
 */
#include "natives.h"

struct _sensor {
    struct _sensor *next;
    uint32 id;
    sensor_event_handler_f handler;
    void *user_data;
};

static sensor_t g_sensors = NULL;

sensor_t sensor_open(const char *name, int index, sensor_event_handler_f handler,
                     void *user_data)
{
    uint32 id = wasm_sensor_open(name, index);
    sensor_t s;

    if (id == WASMLET_BAD_ID)
        return NULL;
    if ((s = (sensor_t)malloc(sizeof(struct _sensor))) == NULL) {
        wasm_sensor_close(id);
        return NULL;
    }
    s->id = id;
    s->handler = handler;
    s->user_data = user_data;
    s->next = g_sensors;
    g_sensors = s;
    return s;
}

bool sensor_config(sensor_t sensor, int interval, int bit_cfg, int delay)
{
    return wasm_sensor_config(sensor->id, (uint32)interval, bit_cfg, (uint32)delay);
}

bool sensor_config_with_attr_container(sensor_t sensor, attr_container_t *cfg)
{
    return wasm_sensor_config_with_attr_container(sensor->id, (char *)cfg,
                                                  attr_container_get_serialize_length(cfg));
}

bool sensor_close(sensor_t sensor)
{
    sensor_t *link;

    for (link = &g_sensors; *link; link = &(*link)->next) {
        if (*link == sensor) {
            *link = sensor->next;
            wasm_sensor_close(sensor->id);
            free(sensor);
            return true;
        }
    }
    return false;
}

void on_sensor_event(uint32 sensor_id, char *buffer, uint32 len)
{
    sensor_t s;

    (void)len;
    for (s = g_sensors; s; s = s->next) {
        if (s->id == sensor_id) {
            s->handler(s, (attr_container_t *)buffer, s->user_data);
            return;
        }
    }
}
