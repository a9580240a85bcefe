/*
 * The libc's one Wasm global and __wasmlet_libc_init: where the State block lives.
 * The global is declared in assembly because C (clang 14) has no way to name a Wasm global;
 * it starts at 0, so every entry point can tell that init has not run.
 */
#include "libc.h"

__asm__(".globaltype __wasmlet_libc_state, i32\n__wasmlet_libc_state:\n");

void heap_setup(State *s, u32 lo, u32 hi, u32 grows);
u32 heap_min_bytes(void);

/*
 * Sets up the allocator in [heap_base, heap_end) of the app memory. 0: ok; 1: the range is
 * too small for the State block and one allocation; 2: the range is inverted or past the
 * memory's end. May be called again: the heap starts over empty.
 */
EXPORT(__wasmlet_libc_init) i32 wl_libc_init(u32 heap_base, u32 heap_end) {
    u32 mem_end = (u32)__builtin_wasm_memory_size(0) << 16;
    if (heap_base > heap_end || heap_end > mem_end) return 2;
    u32 at = (heap_base + 7u) & ~7u;
    if (at == 0) at = 8; /* address 0 would read as "no state" */
    u32 lo = at + ((sizeof(State) + 7u) & ~7u);
    if (at < heap_base || lo > heap_end || heap_end - lo < heap_min_bytes()) return 1;
    State *s = (State *)at;
    s->to_console = 1;
    s->used = 0;
    heap_setup(s, lo, heap_end, heap_end == mem_end);
    set_state(s);
    return 0;
}
