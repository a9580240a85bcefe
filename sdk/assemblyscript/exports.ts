// The callbacks and allocator the runtime calls, for an app's entry file to re-export. Re-export
// only what the app uses, so unused dispatchers (and what they pull in) stay out of the .wasm:
//   export { malloc, free, __heap_base, on_timer_callback } from "<sdk>/exports";
// malloc, free and __heap_base are always needed (memory.ts says why). The app writes on_init and
// on_destroy itself.

export { malloc, free, libcHeapBase as __heap_base } from "./memory";
export { on_timer_callback } from "./timer";
export { on_request, on_response } from "./service";
export { on_sensor_event } from "./sensor";
export { on_connection_data } from "./connection";
