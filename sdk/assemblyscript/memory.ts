// The app's heap, seen from the runtime.
//
// AssemblyScript brings its own heap (the `minimal` runtime's mark-and-sweep collector, run only
// when asked, over the SDK's allocator rt/alloc.ts), so the app exports `malloc` and `free` over
// it and the runtime copies callback buffers (on_request, on_response, on_sensor_event,
// on_connection_data) into the app with them and frees them after the call (ABI §3, §8). Every dispatcher in this SDK
// ends with `endCallback()`, which collects garbage once nothing of the callback is live.
//
// The runtime's libc (puts) still keeps a state block in the app's memory: wasmlet calls
// __wasmlet_libc_init(__heap_base, memory end) before on_init, which writes that block at
// __heap_base and the libc heap's bookkeeping in the last 8 bytes of memory. So the app exports
// `__heap_base` as a static block reserved for the libc (LIBC_RESERVE bytes, not AssemblyScript's
// own heap start), and the build gives the allocator `--lowMemoryLimit 65520`: its heap never
// reaches the last 16 bytes of the first page and memory never grows past that page. The libc's
// malloc is never called (the runtime prefers the app's), so its heap over the rest is only a name.

/** Bytes reserved for the runtime libc's state (216 B in sdk/libc today, and the first heap block). */
export const LIBC_RESERVE: usize = 512;

const libcArea: usize = memory.data(<i32>LIBC_RESERVE, 16);

/** Exported as `__heap_base`: where the runtime's libc puts its state. */
export const libcHeapBase: usize = libcArea;

/** For the runtime: `size` bytes, 16-byte aligned, or 0 when the heap is full (rt/alloc.ts). */
export function malloc(size: usize): usize {
  return __wasmlet_alloc(size);
}

/** For the runtime: frees a block from `malloc`; 0 is ignored as in C. */
export function free(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** Ends a callback: frees every object no global reaches. Only call it when no local holds an object you still need. */
export function endCallback(): void {
  __collect();
}
