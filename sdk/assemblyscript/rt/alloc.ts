// The SDK's allocator, compiled in place of AssemblyScript's TLSF (build.mjs hands it to the
// compiler as ~lib/rt/tlsf.ts; the `minimal` runtime's collector, tcms, runs on top unchanged).
// TLSF is ~1.3 KB of code with a 1.5 KB table in memory, sized for heaps of any size; an app heap
// here is a few KB, so a first-fit free list does: ~0.4 KB of code, nothing in memory up front.
//
// Blocks: a u32 header (BLOCK.mmInfo: the payload size, bit 0 set while free) before a 16-byte
// aligned payload, so headers sit at 12 mod 16 and payload sizes are 12 mod 16. Free blocks are
// linked in address order through their first payload word and merged with free neighbours; a
// block freed at the end of the heap goes back to `top`, the bump pointer past the last block.
// The heap ends at ASC_LOW_MEMORY_LIMIT when it is set (memory.ts: the build sets it), else
// memory grows as needed. `__wasmlet_alloc` returns 0 when full (the app's malloc); the runtime's
// own __alloc traps instead, as AssemblyScript expects.

import { AL_MASK, BLOCK, BLOCK_OVERHEAD, BLOCK_MAXSIZE } from "./common";

// @ts-ignore: decorator
@inline const FREE: u32 = 1;
// @ts-ignore: decorator
@inline const MIN_BLOCK: usize = AL_MASK + 1; // header + the smallest payload, which holds the link

// @ts-ignore: decorator
@lazy let top: usize = 0; // header address of the next bumped block; 0 until the first allocation
// @ts-ignore: decorator
@lazy let freeList: usize = 0; // lowest free block's header, 0 when none

// @ts-ignore: decorator
@inline function sizeAt(h: usize): usize {
  return changetype<BLOCK>(h).mmInfo & ~3;
}

// @ts-ignore: decorator
@inline function linkAt(h: usize): usize {
  return load<usize>(h, BLOCK_OVERHEAD);
}

function setLink(prev: usize, to: usize): void {
  if (prev) store<usize>(prev, to, BLOCK_OVERHEAD);
  else freeList = to;
}

// @ts-ignore: decorator
@inline function payloadFor(size: usize): usize {
  return ((size + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
}

function heapEnd(): usize {
  if (ASC_LOW_MEMORY_LIMIT) return <usize>ASC_LOW_MEMORY_LIMIT & ~AL_MASK;
  return <usize>memory.size() << 16;
}

/** A payload of at least `size` bytes, 16-byte aligned, or 0 when the heap is full. */
// @ts-ignore: decorator
@global @unsafe
export function __wasmlet_alloc(size: usize): usize {
  if (size > BLOCK_MAXSIZE) return 0;
  if (!top) top = ((__heap_base + BLOCK_OVERHEAD + AL_MASK) & ~AL_MASK) - BLOCK_OVERHEAD;
  const need = payloadFor(size);
  let prev: usize = 0;
  let b = freeList;
  while (b) {
    const have = sizeAt(b);
    if (have >= need) {
      let next = linkAt(b);
      if (have - need >= MIN_BLOCK) { // split: the tail stays free in b's place in the list
        const t = b + BLOCK_OVERHEAD + need;
        changetype<BLOCK>(t).mmInfo = (have - need - BLOCK_OVERHEAD) | FREE;
        store<usize>(t, next, BLOCK_OVERHEAD);
        next = t;
        changetype<BLOCK>(b).mmInfo = need;
      } else {
        changetype<BLOCK>(b).mmInfo = have;
      }
      setLink(prev, next);
      return b + BLOCK_OVERHEAD;
    }
    prev = b;
    b = linkAt(b);
  }
  const h = top;
  const end = h + BLOCK_OVERHEAD + need;
  if (end < h) return 0;
  if (end > heapEnd()) {
    if (ASC_LOW_MEMORY_LIMIT) return 0;
    const pages = <i32>((end - (<usize>memory.size() << 16) + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) return 0;
  }
  top = end;
  changetype<BLOCK>(h).mmInfo = need;
  return h + BLOCK_OVERHEAD;
}

// @ts-ignore: decorator
@global @unsafe
export function __alloc(size: usize): usize {
  const p = __wasmlet_alloc(size);
  if (!p) unreachable(); // out of memory
  return p;
}

// @ts-ignore: decorator
@global @unsafe
export function __free(ptr: usize): void {
  if (ptr < __heap_base || !top) return; // static data is never freed
  let h = ptr - BLOCK_OVERHEAD;
  let size = sizeAt(h);
  let before2: usize = 0;
  let before: usize = 0;
  let next = freeList;
  while (next && next < h) {
    before2 = before;
    before = next;
    next = linkAt(next);
  }
  if (next && h + BLOCK_OVERHEAD + size == next) { // merge the free block after
    size += BLOCK_OVERHEAD + sizeAt(next);
    next = linkAt(next);
  }
  if (before && before + BLOCK_OVERHEAD + sizeAt(before) == h) { // merge into the free block before
    size += BLOCK_OVERHEAD + sizeAt(before);
    h = before;
    before = before2;
  }
  if (h + BLOCK_OVERHEAD + size == top) { // ends the heap: back to the bump region (nothing free after it)
    top = h;
    setLink(before, 0);
    return;
  }
  changetype<BLOCK>(h).mmInfo = size | FREE;
  store<usize>(h, next, BLOCK_OVERHEAD);
  setLink(before, h);
}

// @ts-ignore: decorator
@global @unsafe
export function __realloc(ptr: usize, size: usize): usize {
  const h = ptr - BLOCK_OVERHEAD;
  const have = sizeAt(h);
  if (ptr >= __heap_base && top) {
    const need = payloadFor(size);
    if (need <= have) return ptr;
    if (h + BLOCK_OVERHEAD + have == top && h + BLOCK_OVERHEAD + need <= heapEnd()) { // last: grow in place
      top = h + BLOCK_OVERHEAD + need;
      changetype<BLOCK>(h).mmInfo = need;
      return ptr;
    }
  }
  const p = __alloc(size);
  memory.copy(p, ptr, min(have, size));
  __free(ptr);
  return p;
}
