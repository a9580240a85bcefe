// Sizes shared by linear memory and the arena (a memory chunk is one arena page).

/** log2 of a linear-memory chunk / arena page: 1 KiB (an app touching 3 KB pays ~3 KB). */
export const CHUNK_SHIFT = 10
export const CHUNK = 1 << CHUNK_SHIFT
export const CHUNK_MASK = CHUNK - 1
/** A Wasm page. */
export const PAGE_BYTES = 65536
export const MAX_PAGES = 65536
