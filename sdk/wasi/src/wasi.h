/*
 * Internal header of wasmlet's WASI preview1 adapter: types, the import/export macros, the
 * wasmlet natives it calls, the errno and layout constants of wasi_snapshot_preview1 (witx),
 * and unaligned stores into the app's memory.
 *
 * The adapter runs on the app's own memory (imported as env.memory) and owns no bytes of it:
 * no data segments, no shadow stack. Every helper works on values in locals; every pointer
 * the app passes is used as is, so an out-of-range one traps here, in the engine's bounds check.
 */
#ifndef WASMLET_WASI_H
#define WASMLET_WASI_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;

/* The app's pointers need not be aligned: store through these (align=1 in the Wasm code). */
typedef u16 __attribute__((aligned(1))) u16u;
typedef u32 __attribute__((aligned(1))) u32u;
typedef u64 __attribute__((aligned(1))) u64u;

#define EXPORT(name) __attribute__((export_name(#name)))
#define IMPORT(mod, name) __attribute__((import_module(#mod), import_name(#name)))

/* The natives (the firmware implements them; the test harness stubs them). */
IMPORT(wasmlet, console_write) void wl_console_write(u32 ptr, u32 len);
IMPORT(wasmlet, args_count) u32 wl_args_count(void);
IMPORT(wasmlet, args_copy) u32 wl_args_copy(u32 buf, u32 size);
IMPORT(wasmlet, proc_exit) __attribute__((noreturn)) void wl_proc_exit(u32 code);
IMPORT(env, clock) u64 wl_clock_us(void);

/* errno values used here (witx `errno`) */
#define E_SUCCESS 0
#define E_BADF 8
#define E_INVAL 28
#define E_NODEV 43
#define E_NOSYS 52
#define E_NOTDIR 54
#define E_NOTSOCK 57
#define E_NOTSUP 58
#define E_SPIPE 70

/* filetype */
#define FILETYPE_CHARACTER_DEVICE 2

/* clockid: 0 realtime, 1 monotonic, 2 process cputime, 3 thread cputime */
#define CLOCK_IDS 4

/* The standard streams are the only open descriptors: 0 (input, always at end of file) and
 * 1, 2 (output to the app's console). */
static inline int is_stdio(u32 fd) { return fd <= 2; }

static inline void put8(u32 at, u32 v) { *(u8 *)at = (u8)v; }
static inline void put16(u32 at, u32 v) { *(u16u *)at = (u16)v; }
static inline void put32(u32 at, u32 v) { *(u32u *)at = v; }
static inline void put64(u32 at, u64 v) { *(u64u *)at = v; }
static inline u32 get32(u32 at) { return *(const u32u *)at; }
static inline u64 get64(u32 at) { return *(const u64u *)at; }

/* clock.c: nanoseconds since boot, from env.clock (microseconds). */
u64 now_ns(void);

#endif
