// The signature of every `env` import a C SDK app may have (../shared/wamr-app-abi.md §2), as
// "params->results" in Wasm value types, and the exports the SDK's build gives every WAMR-style
// app (§1, §3). samples.test.ts checks each sample against these.

const sig = (params: number, result: boolean) => `${Array(params).fill("i32").join(",")}->${result ? "i32" : ""}`

export const ENV_SIGNATURES: Record<string, string> = {
    // §2.1 base
    wasm_register_resource: sig(1, false),
    wasm_post_request: sig(2, false),
    wasm_response_send: sig(2, true),
    wasm_sub_event: sig(1, false),
    wasm_create_timer: sig(3, true),
    wasm_timer_restart: sig(2, false),
    wasm_timer_cancel: sig(1, false),
    wasm_timer_destroy: sig(1, false),
    wasm_get_sys_tick_ms: sig(0, true),
    // §2.2 sensor
    wasm_sensor_open: sig(2, true),
    wasm_sensor_config: sig(4, true),
    wasm_sensor_config_with_attr_container: sig(3, true),
    wasm_sensor_close: sig(1, true),
    // §2.3 connection
    wasm_open_connection: sig(3, true),
    wasm_close_connection: sig(1, false),
    wasm_send_on_connection: sig(3, true),
    wasm_config_connection: sig(3, true),
    // §2.4 libc-builtin: variadic functions take (fixed args..., va)
    printf: sig(2, true),
    sprintf: sig(3, true),
    snprintf: sig(4, true),
    puts: sig(1, true),
    putchar: sig(1, true),
    malloc: sig(1, true),
    calloc: sig(2, true),
    realloc: sig(2, true),
    free: sig(1, false),
    memcpy: sig(3, true),
    memmove: sig(3, true),
    memset: sig(3, true),
    memcmp: sig(3, true),
    strlen: sig(1, true),
    strcmp: sig(2, true),
    strncmp: sig(3, true),
    strcpy: sig(2, true),
    strdup: sig(1, true),
}

/** What wasmlet-cc exports from every app built with the app library (WAMR's link flags). */
export const APP_EXPORTS = [
    "memory",
    "__heap_base",
    "__data_end",
    "on_init",
    "on_destroy",
    "on_request",
    "on_response",
    "on_timer_callback",
    "on_sensor_event",
    "on_connection_data",
]
