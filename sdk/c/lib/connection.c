/*
 * connection.c - raw connections over the runtime's connection natives, and
 * on_connection_data, the runtime's entry point for received data (len 0: the peer closed).
 */
#include "natives.h"

struct _connection {
    struct _connection *next;
    uint32 handle;
    on_connection_event_f on_event;
    void *user_data;
};

static connection_t *g_connections = NULL;

connection_t *api_open_connection(const char *name, attr_container_t *args,
                                  on_connection_event_f on_event, void *user_data)
{
    uint32 handle = wasm_open_connection(name, (char *)args,
                                         attr_container_get_serialize_length(args));
    connection_t *c;

    if (handle == WASMLET_BAD_ID)
        return NULL;
    if ((c = (connection_t *)malloc(sizeof(connection_t))) == NULL) {
        wasm_close_connection(handle);
        return NULL;
    }
    c->handle = handle;
    c->on_event = on_event;
    c->user_data = user_data;
    c->next = g_connections;
    g_connections = c;
    return c;
}

void api_close_connection(connection_t *conn)
{
    connection_t **link;

    for (link = &g_connections; *link; link = &(*link)->next) {
        if (*link == conn) {
            *link = conn->next;
            wasm_close_connection(conn->handle);
            free(conn);
            return;
        }
    }
}

int api_send_on_connection(connection_t *conn, const char *data, uint32 len)
{
    return wasm_send_on_connection(conn->handle, data, len);
}

bool api_config_connection(connection_t *conn, attr_container_t *cfg)
{
    return wasm_config_connection(conn->handle, (const char *)cfg,
                                  attr_container_get_serialize_length(cfg));
}

void on_connection_data(uint32 handle, char *buffer, uint32 len)
{
    connection_t *c;

    for (c = g_connections; c; c = c->next) {
        if (c->handle == handle) {
            if (len == 0)
                c->on_event(c, CONN_EVENT_TYPE_DISCONNECT, NULL, 0, c->user_data);
            else
                c->on_event(c, CONN_EVENT_TYPE_DATA, buffer, len, c->user_data);
            return;
        }
    }
}
