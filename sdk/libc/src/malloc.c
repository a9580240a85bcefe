/*
 * The app heap allocator: malloc, calloc, realloc, free.
 *
 * Boundary-tag blocks on one LIFO free list, first fit, neighbours merged on free, so a freed
 * block is the first one reused. Payloads are 8-aligned: a block starts 4 bytes before an
 * 8-aligned address with a 4-byte header (size | IN_USE | PREV_IN_USE), sizes are multiples of
 * 8, at least 16. A free block also holds next/prev list links after the header and its size in
 * its last word (the footer), which lets free() find a free left neighbour. A header of size 0
 * marked in use (the sentinel, State.end) closes the heap.
 *
 * Growth: when __wasmlet_libc_init was given the memory's end as heap_end, a malloc that finds
 * no block grows the memory (memory.grow) by the pages it needs and extends the heap; otherwise,
 * or when memory.grow fails, it returns 0.
 */
#include "libc.h"

#define IN_USE 1u
#define PREV_IN_USE 2u
#define FLAGS 7u
#define MIN_BLOCK 16u

#define HDR(b) (*(u32 *)(b))
#define NEXT(b) (*(u32 *)((b) + 4))
#define PREV(b) (*(u32 *)((b) + 8))
#define SIZE(b) (HDR(b) & ~FLAGS)

u32 heap_min_bytes(void) { return 8 + MIN_BLOCK + 4; }

static void unlink_free(State *s, u32 b) {
    u32 n = NEXT(b), p = PREV(b);
    if (p) NEXT(p) = n; else s->free_head = n;
    if (n) PREV(n) = p;
}

static void push_free(State *s, u32 b) {
    u32 h = s->free_head;
    NEXT(b) = h;
    PREV(b) = 0;
    if (h) PREV(h) = b;
    s->free_head = b;
}

/* Marks b (size bytes) free, with its footer, and tells the block after it. */
static void make_free(State *s, u32 b, u32 size, u32 prev_flag) {
    HDR(b) = size | prev_flag;
    *(u32 *)(b + size - 4) = size;
    HDR(b + size) &= ~PREV_IN_USE;
    push_free(s, b);
}

/* Frees block b, merging it with free neighbours. */
static void release(State *s, u32 b) {
    u32 size = SIZE(b), prev_flag = HDR(b) & PREV_IN_USE;
    u32 next = b + size;
    if (!(HDR(next) & IN_USE)) {
        unlink_free(s, next);
        size += SIZE(next);
    }
    if (!prev_flag) {
        u32 psize = *(u32 *)(b - 4);
        b -= psize;
        unlink_free(s, b);
        size += psize;
        prev_flag = HDR(b) & PREV_IN_USE;
    }
    make_free(s, b, size, prev_flag);
}

void heap_setup(State *s, u32 lo, u32 hi, u32 grows) {
    u32 first = lo + 4;              /* payload lo + 8 is 8-aligned */
    u32 end = ((hi - 4) & ~7u) + 4;  /* last 4-mod-8 address with room for a header */
    s->free_head = 0;
    s->end = end;
    s->grows = grows;
    HDR(end) = IN_USE;
    make_free(s, first, end - first, PREV_IN_USE);
}

/* Block size for a request of n bytes, or 0 if it cannot be represented. */
static u32 block_size(usize n) {
    if (n > 0x7ffffff0u) return 0;
    u32 size = ((u32)n + 4 + 7) & ~7u;
    return size < MIN_BLOCK ? MIN_BLOCK : size;
}

/* Uses free block b for `size` bytes: splits off the rest when it can hold a block. */
static u32 take(State *s, u32 b, u32 size) {
    u32 have = SIZE(b), prev_flag = HDR(b) & PREV_IN_USE;
    unlink_free(s, b);
    if (have - size >= MIN_BLOCK) {
        HDR(b) = size | IN_USE | prev_flag;
        make_free(s, b + size, have - size, PREV_IN_USE);
    } else {
        HDR(b) = have | IN_USE | prev_flag;
        HDR(b + have) |= PREV_IN_USE;
    }
    return b + 4;
}

/*
 * Extends the heap by at least `size` bytes with memory.grow; 0 when it cannot. Only when the
 * heap still ends at the memory's end (the app may have grown the memory itself).
 */
static u32 grow(State *s, u32 size) {
    u32 end = s->end;
    if (((u32)__builtin_wasm_memory_size(0) << 16) != end + 4) return 0;
    u32 pages = (size + 0xffffu) >> 16;
    u32 old = (u32)__builtin_wasm_memory_grow(0, pages);
    if (old == 0xffffffffu) return 0;
    u32 new_end = ((old + pages) << 16) - 4;
    HDR(new_end) = IN_USE;
    s->end = new_end;
    /* the old sentinel becomes the new space's block, merged with a free block before it */
    HDR(end) = (new_end - end) | IN_USE | (HDR(end) & PREV_IN_USE);
    release(s, end);
    return 1;
}

EXPORT(malloc) void *wl_malloc(usize n) {
    State *s = state();
    u32 size = block_size(n);
    if (!s || !size) return 0;
    for (;;) {
        for (u32 b = s->free_head; b; b = NEXT(b))
            if (SIZE(b) >= size) return (void *)take(s, b, size);
        if (!s->grows || !grow(s, size)) return 0;
    }
}

/* Whether p can be a payload of this heap that is in use (not a full check: a cheap guard). */
static u32 owned(State *s, u32 p) {
    return s && !(p & 7) && p > (u32)s + sizeof(State) && p < s->end && (HDR(p - 4) & IN_USE);
}

/* Pointers that are not live blocks of this heap (NULL, freed, foreign) are ignored. */
EXPORT(free) void wl_free(void *p) {
    State *s = state();
    if (owned(s, (u32)p)) release(s, (u32)p - 4);
}

EXPORT(calloc) void *wl_calloc(usize count, usize size) {
    u64 n = (u64)count * size;
    if (n >> 32) return 0;
    void *p = wl_malloc((usize)n);
    if (p) __builtin_memset(p, 0, (usize)n);
    return p;
}

EXPORT(realloc) void *wl_realloc(void *p, usize n) {
    State *s = state();
    if (!p) return wl_malloc(n);
    if (n == 0) {
        wl_free(p);
        return 0;
    }
    u32 size = block_size(n);
    if (!owned(s, (u32)p) || !size) return 0;
    u32 b = (u32)p - 4, have = SIZE(b);
    u32 next = b + have;
    if (have < size && !(HDR(next) & IN_USE) && have + SIZE(next) >= size) {
        unlink_free(s, next);
        have += SIZE(next);
        HDR(b) = have | (HDR(b) & FLAGS);
        HDR(b + have) |= PREV_IN_USE;
    }
    if (have >= size) {
        if (have - size >= MIN_BLOCK) {
            HDR(b) = size | (HDR(b) & FLAGS);
            u32 rest = b + size;
            HDR(rest) = (have - size) | IN_USE | PREV_IN_USE;
            release(s, rest);
        }
        return p;
    }
    void *q = wl_malloc(n);
    if (!q) return 0;
    __builtin_memcpy(q, p, have - 4);
    release(s, b);
    return q;
}
