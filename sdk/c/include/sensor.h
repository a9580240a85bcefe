/*
 * sensor.h - sensors (WAMR's sensor app API): open one by name and instance, set how often
 * it reads, and get each reading as an attr_container in the event handler.
 */
#ifndef WASMLET_SENSOR_H
#define WASMLET_SENSOR_H

#include "attr_container.h"

#ifdef __cplusplus
extern "C" {
#endif

struct _sensor;
typedef struct _sensor *sensor_t;

/* `sensor_event` lives only during the call. */
typedef void (*sensor_event_handler_f)(sensor_t sensor, attr_container_t *sensor_event,
                                       void *user_data);

/* NULL if the sensor is unknown, already open by this app, or memory is short. */
sensor_t sensor_open(const char *name, int index, sensor_event_handler_f handler,
                     void *user_data);
/* interval in ms (0 stops the readings); bit_cfg and delay go to the sensor as they are. */
bool sensor_config(sensor_t sensor, int interval, int bit_cfg, int delay);
bool sensor_config_with_attr_container(sensor_t sensor, attr_container_t *cfg);
/* Detaches the app and releases the handle. */
bool sensor_close(sensor_t sensor);

#ifdef __cplusplus
}
#endif

#endif
