// A Wasm table: references as numbers (0 = null). A funcref is a function handle
// (see instance.ts funcHandle); an externref is whatever number the host gave, plus one.

import { trap, TRAP_TABLE_OOB } from "./trap"

export class Table {
    elems: number[] = []
    constructor(public size: number, public max: number, public readonly elemType: number) {
        for (let i = 0; i < size; i++) this.elems.push(0)
    }

    get(i: number): number {
        if (i < 0 || i >= this.size) trap(TRAP_TABLE_OOB)
        return this.elems[i]
    }

    set(i: number, v: number): void {
        if (i < 0 || i >= this.size) trap(TRAP_TABLE_OOB)
        this.elems[i] = v
    }

    /** table.grow: the old size, or -1 when the maximum (or the runtime's limit) is exceeded. */
    grow(delta: number, init: number, limit: number): number {
        const old = this.size
        const max = this.max < limit ? this.max : limit
        if (delta < 0 || old + delta > max) return -1
        for (let k = 0; k < delta; k++) this.elems.push(init)
        this.size = old + delta
        return old
    }
}
