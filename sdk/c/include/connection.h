/*
 * connection.h - raw connections (WAMR's connection app API): "TCP" (address, port),
 * "UDP" (bind port) or "UART" (device, baudrate), arguments given as an attr_container.
 * Data and the peer's close arrive at the connection's event callback.
 */
#ifndef WASMLET_CONNECTION_H
#define WASMLET_CONNECTION_H

#include "attr_container.h"

#ifdef __cplusplus
extern "C" {
#endif

struct _connection;
typedef struct _connection connection_t;

typedef enum {
    CONN_EVENT_TYPE_DATA = 1,   /* data received: (data, len) valid during the call */
    CONN_EVENT_TYPE_DISCONNECT  /* the peer closed; data is NULL */
} conn_event_type_t;

typedef void (*on_connection_event_f)(connection_t *conn, conn_event_type_t type,
                                      const char *data, uint32 len, void *user_data);

/* NULL if the runtime refuses the connection or memory is short. */
connection_t *api_open_connection(const char *name, attr_container_t *args,
                                  on_connection_event_f on_event, void *user_data);
/* Closes the connection and releases the handle. */
void api_close_connection(connection_t *conn);
/* Bytes sent, or -1. */
int api_send_on_connection(connection_t *conn, const char *data, uint32 len);
/* UDP: sets the destination (address, port). */
bool api_config_connection(connection_t *conn, attr_container_t *cfg);

#ifdef __cplusplus
}
#endif

#endif
