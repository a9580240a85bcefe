// What the bridge holds while the broker is away: publishes in arrival order up to a limit (1000 by
// default), after which new ones are counted as dropped (the oldest are kept: they are the ones a
// reader is missing first, and a burst that overflows is summarised by the count).
export interface Pending {
    topic: string
    payload: Buffer
    opts: Record<string, unknown>
}

export class EventQueue {
    private items: Pending[] = []
    dropped = 0
    queuedTotal = 0

    constructor(readonly limit = 1000) {}

    get length(): number {
        return this.items.length
    }

    push(p: Pending): boolean {
        if (this.items.length >= this.limit) {
            this.dropped++
            return false
        }
        this.items.push(p)
        this.queuedTotal++
        return true
    }

    /** Everything held, in order; the queue is empty after. */
    take(): Pending[] {
        const all = this.items
        this.items = []
        return all
    }
}
