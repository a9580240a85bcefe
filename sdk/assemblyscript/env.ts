// The runtime's imports, declared for AssemblyScript: every function a wasmlet (or WAMR) app may
// import from module "env" that this SDK uses (../../../shared/wamr-app-abi.md §2). All values are
// i32; pointers are offsets into the app's memory; strings are NUL-terminated UTF-8.
// The SDK's classes wrap these; apps normally do not call them directly.

// §2.1 base: requests, events, timers
@external("env", "wasm_register_resource") export declare function wasm_register_resource(url: usize): void;
@external("env", "wasm_post_request") export declare function wasm_post_request(buf: usize, len: u32): void;
@external("env", "wasm_response_send") export declare function wasm_response_send(buf: usize, len: u32): bool;
@external("env", "wasm_sub_event") export declare function wasm_sub_event(url: usize): void;
@external("env", "wasm_create_timer") export declare function wasm_create_timer(intervalMs: u32, periodic: bool, autoStart: bool): i32;
@external("env", "wasm_timer_restart") export declare function wasm_timer_restart(id: i32, intervalMs: u32): void;
@external("env", "wasm_timer_cancel") export declare function wasm_timer_cancel(id: i32): void;
@external("env", "wasm_timer_destroy") export declare function wasm_timer_destroy(id: i32): void;
@external("env", "wasm_get_sys_tick_ms") export declare function wasm_get_sys_tick_ms(): u32;

// §2.2 sensor
@external("env", "wasm_sensor_open") export declare function wasm_sensor_open(name: usize, instance: i32): i32;
@external("env", "wasm_sensor_config") export declare function wasm_sensor_config(sensor: i32, intervalMs: u32, bitCfg: i32, delay: u32): bool;
@external("env", "wasm_sensor_config_with_attr_container") export declare function wasm_sensor_config_with_attr_container(sensor: i32, buf: usize, len: u32): bool;
@external("env", "wasm_sensor_close") export declare function wasm_sensor_close(sensor: i32): bool;

// §2.3 connection
@external("env", "wasm_open_connection") export declare function wasm_open_connection(name: usize, args: usize, len: u32): i32;
@external("env", "wasm_close_connection") export declare function wasm_close_connection(handle: i32): void;
@external("env", "wasm_send_on_connection") export declare function wasm_send_on_connection(handle: i32, buf: usize, len: u32): i32;
@external("env", "wasm_config_connection") export declare function wasm_config_connection(handle: i32, cfg: usize, len: u32): bool;

// §2.4 libc-builtin: only what needs no heap of the runtime's (the app's heap is AssemblyScript's)
@external("env", "puts") export declare function puts(s: usize): i32;
@external("env", "abort") export declare function env_abort(code: i32): void;
