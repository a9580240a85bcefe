// A JIT instance's table: a JS array of references (null, a function, or a host value for
// externref), grown in place so generated code may keep the array itself.

/** Implementation limit on a table's size (the spec allows 2^32 - 1). */
export const MAX_TABLE_SIZE = 10_000_000

export class JitTable {
    readonly elems: unknown[]

    /** `elem` is the element type (ValType.FuncRef or ExternRef); `max` in elements (undefined: none). */
    constructor(size: number, readonly max: number | undefined, readonly elem: number, init: unknown = null) {
        this.elems = new Array(size).fill(init)
    }

    get size(): number {
        return this.elems.length
    }

    /** table.grow: the old size, or -1. */
    grow(delta: number, init: unknown): number {
        const old = this.elems.length
        const limit = this.max === undefined ? MAX_TABLE_SIZE : Math.min(this.max, MAX_TABLE_SIZE)
        if (delta > limit - old) return -1
        for (let i = 0; i < delta; i++) this.elems.push(init)
        return old
    }
}
