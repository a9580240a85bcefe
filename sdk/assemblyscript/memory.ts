// The app's heap, seen from the runtime. The runtime copies each callback buffer (on_request,
// on_response, on_sensor_event, on_connection_data) into the app's memory with the app's exported
// `malloc` and frees it with `free` after the call (ABI §3, §8). An AssemblyScript app owns its
// whole heap (AssemblyScript's allocator starts at its own __heap_base), so it must export these
// two and must not export __heap_base: a runtime allocator placed there would overwrite it.
//
// The SDK builds with AssemblyScript's `minimal` runtime (TLSF allocator, mark-and-sweep collector
// run only when asked): `malloc`/`free` are TLSF's, and every dispatcher in this SDK ends with
// `endCallback()`, which collects garbage once nothing of the callback is live any more. With the
// `stub` runtime (bump allocator, never frees) the same code builds and collects nothing.

/** For the runtime: `size` bytes, 16-byte aligned. Traps (rather than returning 0) when memory cannot grow. */
export function malloc(size: usize): usize {
  return heap.alloc(size);
}

/** For the runtime: frees a block from `malloc`; 0 is ignored as in C. */
export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** Ends a callback: frees every object no global reaches. Only call it when no local holds an object you still need. */
export function endCallback(): void {
  __collect();
}
