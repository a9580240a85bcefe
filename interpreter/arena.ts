// The fixed arena: one Buffer reserved at boot, cut into PAGE-byte pages that apps draw from.
// Every app gets an account with a byte quota; its pages come back when the app goes away.
// So one app cannot starve the firmware (the arena is allocated once, up front) nor another
// app (its quota), and running out traps that app alone with what it needed.
//
// One allocation on DeviceScript is at most ~57 KB, so a board's arena is one Buffer of at most
// MAX_ARENA_BYTES. On Node (tests, host tool) the default arena is larger, and still fixed.

import { Trap } from "./trap"
import { CHUNK, CHUNK_SHIFT } from "./memory-layout"

/** Arena page: the same size as a linear-memory chunk, so a memory chunk is one page. */
export const PAGE = CHUNK
export const PAGE_SHIFT = CHUNK_SHIFT
/** Largest single Buffer DeviceScript can allocate, rounded down to whole pages. */
export const MAX_ARENA_BYTES = 56 * 1024

export class Arena {
    readonly buf: Buffer
    readonly pageCount: number
    /** Owner of each page: 0 = free, else the account id. */
    private owners: Buffer
    /** Bytes in use in each page that holds small blocks (u16 per page). */
    readonly smallLive: Buffer
    private nextId = 1
    freePages: number

    constructor(bytes: number) {
        this.pageCount = bytes >> PAGE_SHIFT
        this.buf = Buffer.alloc(this.pageCount << PAGE_SHIFT)
        // one byte per page: fine up to 255 accounts alive at once
        this.owners = Buffer.alloc(this.pageCount)
        this.smallLive = Buffer.alloc(this.pageCount * 2)
        this.freePages = this.pageCount
    }

    /** A new account drawing at most `quota` bytes. */
    account(name: string, quota: number): ArenaAccount {
        const id = this.nextId
        this.nextId = this.nextId >= 255 ? 1 : this.nextId + 1
        return new ArenaAccount(this, id, name, quota)
    }

    /** n contiguous zeroed pages (the first run free) for account `id`: their byte offset, or -1 when none are free. */
    allocPages(n: number, id: number): number {
        let first = -1
        let run = 0
        for (let p = 0; p < this.pageCount && first < 0; p++) {
            if (this.owners[p] !== 0) run = 0
            else {
                run++
                if (run === n) first = p - n + 1
            }
        }
        if (first < 0) return -1
        for (let p = first; p < first + n; p++) this.owners[p] = id
        this.freePages -= n
        const off = first << PAGE_SHIFT
        this.buf.fillAt(off, n << PAGE_SHIFT, 0)
        return off
    }

    freePagesAt(off: number, n: number): void {
        const first = off >> PAGE_SHIFT
        for (let p = first; p < first + n; p++) {
            if (this.owners[p] !== 0) this.freePages++
            this.owners[p] = 0
        }
    }

    /** Returns every page of account `id`. */
    freeAll(id: number): void {
        for (let p = 0; p < this.pageCount; p++) {
            if (this.owners[p] === id) {
                this.owners[p] = 0
                this.smallLive.setAt(p * 2, "u16", 0)
                this.freePages++
            }
        }
    }
}

/** One app's share of the arena. */
export class ArenaAccount {
    /** Bytes drawn so far. */
    used = 0

    constructor(
        readonly arena: Arena,
        readonly id: number,
        readonly name: string,
        readonly quota: number,
    ) {}

    /**
     * `bytes` (rounded up to whole pages) of zeroed, contiguous arena: their offset in
     * arena.buf. Traps (the app alone) when its quota or the arena is exhausted.
     */
    alloc(bytes: number, what: string): number {
        const n = (bytes + PAGE - 1) >> PAGE_SHIFT
        const need = n << PAGE_SHIFT
        if (this.used + need > this.quota) {
            throw new Trap(`out of arena memory for ${what}: needed ${need} bytes, available ${this.quota - this.used} of the app's ${this.quota}`)
        }
        const off = this.arena.allocPages(n, this.id)
        if (off < 0) {
            throw new Trap(`out of arena memory for ${what}: needed ${need} bytes, the arena has ${this.arena.freePages << PAGE_SHIFT} free (not contiguous)`)
        }
        this.used += need
        return off
    }

    free(off: number, bytes: number): void {
        const n = (bytes + PAGE - 1) >> PAGE_SHIFT
        this.arena.freePagesAt(off, n)
        this.used -= n << PAGE_SHIFT
    }

    /** The page small blocks are cut from now (-1: none yet) and how much of it is handed out. */
    private smallPage = -1
    private smallTop = 0

    /**
     * A small block (an instance's globals: 8 bytes each) of `bytes`, rounded up to 8. Small
     * blocks share pages instead of taking one each; a page returns to the arena when its last
     * block is freed. Blocks larger than half a page are whole pages.
     */
    allocSmall(bytes: number, what: string): number {
        bytes = (bytes + 7) & ~7
        if (bytes > PAGE >> 1) return this.alloc(bytes, what)
        if (this.smallPage < 0 || this.smallTop + bytes > PAGE) {
            this.smallPage = this.alloc(PAGE, what)
            this.smallTop = 0
        }
        const off = this.smallPage + this.smallTop
        this.smallTop += bytes
        const live = (this.smallPage >> PAGE_SHIFT) * 2
        this.arena.smallLive.setAt(live, "u16", this.arena.smallLive.getAt(live, "u16") + bytes)
        return off
    }

    freeSmall(off: number, bytes: number): void {
        bytes = (bytes + 7) & ~7
        if (bytes > PAGE >> 1) {
            this.free(off, bytes)
            return
        }
        const page = off & ~(PAGE - 1)
        const live = (page >> PAGE_SHIFT) * 2
        const left = this.arena.smallLive.getAt(live, "u16") - bytes
        this.arena.smallLive.setAt(live, "u16", left)
        if (left > 0) return
        this.free(page, PAGE)
        if (page === this.smallPage) this.smallPage = -1
    }

    /** Gives every page back (the app was removed). */
    close(): void {
        this.arena.freeAll(this.id)
        this.used = 0
        this.smallPage = -1
    }
}

/**
 * Size of the arena used when an instance is created without an account of its own (tests,
 * host tools). The Node platform shim raises it: Node has memory to spare, a board does not.
 */
let defaultArenaBytes = 24 * 1024
let defaultArenaObj: Arena = null
let defaultAccountObj: ArenaAccount = null

export function setDefaultArenaBytes(bytes: number): void {
    defaultArenaBytes = bytes
    defaultArenaObj = null
    defaultAccountObj = null
}

/** The shared default account (its quota is the whole default arena). */
export function defaultAccount(): ArenaAccount {
    if (defaultAccountObj === null) {
        defaultArenaObj = new Arena(defaultArenaBytes)
        defaultAccountObj = defaultArenaObj.account("default", defaultArenaBytes)
    }
    return defaultAccountObj
}
