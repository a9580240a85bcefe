/*
 * wasm_app.h - the whole app API of wasmlet's C SDK, WAMR-compatible: attr_container,
 * requests/responses/events, timers, sensors, connections and the libc subset the runtime
 * provides. An app includes this (WAMR sources also include "wa-inc/...", which works too).
 */
#ifndef WASMLET_WASM_APP_H
#define WASMLET_WASM_APP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bh_platform.h"
#include "attr_container.h"
#include "request.h"
#include "timer_wasm_app.h"
#include "sensor.h"
#include "connection.h"

#endif
