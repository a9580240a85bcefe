// poll_oneoff of sdk/wasi/wasi.wasm on both engines: ready streams are reported at once (stdin at
// end of file with HANGUP, the console writable), bad descriptors and unknown clocks as events
// with an error, due clocks at once, and a call with only future clocks waits on env.clock
// until the earliest one is due (the stub clock advances on every read).
import { describe, it, expect } from "vitest"
import { ENGINES, makeAdapter, AdapterHost } from "./harness"

const SUBS = 8192
const EVENTS = 12288
const NEVENTS = 1024
const E = { SUCCESS: 0, BADF: 8, INVAL: 28 }
const CLOCK = 0, FD_READ = 1, FD_WRITE = 2

type Sub =
    | { userdata: bigint; clock: { id: number; timeout: bigint; abstime?: boolean } }
    | { userdata: bigint; fd: number; tag: typeof FD_READ | typeof FD_WRITE }
    | { userdata: bigint; badTag: number }

function putSubs(h: AdapterHost, subs: Sub[]): number {
    subs.forEach((s, i) => {
        const b = new DataView(new ArrayBuffer(48))
        b.setBigUint64(0, s.userdata, true)
        if ("clock" in s) {
            b.setUint8(8, CLOCK)
            b.setUint32(16, s.clock.id, true)
            b.setBigUint64(24, s.clock.timeout, true)
            b.setBigUint64(32, 1000n, true)
            b.setUint16(40, s.clock.abstime ? 1 : 0, true)
        } else if ("fd" in s) {
            b.setUint8(8, s.tag)
            b.setUint32(16, s.fd, true)
        } else b.setUint8(8, s.badTag)
        h.write(SUBS + i * 48, new Uint8Array(b.buffer))
    })
    h.write(EVENTS, new Uint8Array(32 * subs.length).fill(0xa5))
    return subs.length
}

interface Event {
    userdata: bigint
    error: number
    type: number
    nbytes: bigint
    flags: number
}

function events(h: AdapterHost): Event[] {
    const n = h.u32(NEVENTS)
    return Array.from({ length: n }, (_, i) => {
        const at = EVENTS + i * 32
        return { userdata: h.u64(at), error: h.u16(at + 8), type: h.read(at + 10, 1)[0], nbytes: h.u64(at + 16), flags: h.u16(at + 24) }
    })
}

describe.each(ENGINES)("poll_oneoff (%s)", (engine) => {
    it("no subscriptions: EINVAL; an unknown subscription tag: EINVAL", () => {
        const h = makeAdapter(engine)
        expect(h.call("poll_oneoff", SUBS, EVENTS, 0, NEVENTS)).toBe(E.INVAL)
        const n = putSubs(h, [{ userdata: 1n, badTag: 3 }])
        expect(h.call("poll_oneoff", SUBS, EVENTS, n, NEVENTS)).toBe(E.INVAL)
    })

    it("streams are ready at once; wrong directions and other fds are EBADF events; future clocks are not reported", () => {
        const h = makeAdapter(engine, { clockUs: () => 5_000_000n })
        const n = putSubs(h, [
            { userdata: 11n, fd: 0, tag: FD_READ },
            { userdata: 12n, clock: { id: 1, timeout: 10_000_000_000n } },
            { userdata: 13n, fd: 1, tag: FD_WRITE },
            { userdata: 14n, fd: 2, tag: FD_WRITE },
            { userdata: 15n, fd: 0, tag: FD_WRITE },
            { userdata: 16n, fd: 1, tag: FD_READ },
            { userdata: 0xfedcba9876543210n, fd: 3, tag: FD_READ },
        ])
        expect(h.call("poll_oneoff", SUBS, EVENTS, n, NEVENTS)).toBe(E.SUCCESS)
        const ev = events(h)
        expect(ev.map((e) => e.userdata)).toEqual([11n, 13n, 14n, 15n, 16n, 0xfedcba9876543210n])
        expect(ev[0]).toEqual({ userdata: 11n, error: E.SUCCESS, type: FD_READ, nbytes: 0n, flags: 1 }) // end of file: HANGUP
        expect(ev[1]).toMatchObject({ error: E.SUCCESS, type: FD_WRITE, flags: 0 })
        expect(ev[1].nbytes).toBeGreaterThan(0n)
        expect(ev[2]).toMatchObject({ error: E.SUCCESS, type: FD_WRITE })
        expect(ev.slice(3).map((e) => [e.error, e.type])).toEqual([[E.BADF, FD_WRITE], [E.BADF, FD_READ], [E.BADF, FD_READ]])
    })

    it("a due clock and an unknown clock id are reported at once", () => {
        const h = makeAdapter(engine, { clockUs: () => 2_000_000n })
        const n = putSubs(h, [
            { userdata: 1n, clock: { id: 0, timeout: 1_999_999_000n, abstime: true } }, // in the past
            { userdata: 2n, clock: { id: 9, timeout: 5n } },
            { userdata: 3n, clock: { id: 1, timeout: 0n } }, // relative 0: due now
            { userdata: 4n, clock: { id: 1, timeout: 2_000_001_000n, abstime: true } }, // 1 us ahead
        ])
        expect(h.call("poll_oneoff", SUBS, EVENTS, n, NEVENTS)).toBe(E.SUCCESS)
        expect(events(h)).toEqual([
            { userdata: 1n, error: E.SUCCESS, type: CLOCK, nbytes: 0n, flags: 0 },
            { userdata: 2n, error: E.INVAL, type: CLOCK, nbytes: 0n, flags: 0 },
            { userdata: 3n, error: E.SUCCESS, type: CLOCK, nbytes: 0n, flags: 0 },
        ])
    })

    it("only future clocks: waits on env.clock until the earliest is due, then reports the due ones", () => {
        let us = 1_000_000n
        // every read of the clock moves it 7 us on
        const h = makeAdapter(engine, { clockUs: () => (us += 7n) })
        const n = putSubs(h, [
            { userdata: 21n, clock: { id: 1, timeout: 3_000_000n } }, // 3 ms from the call
            { userdata: 22n, clock: { id: 0, timeout: 1_002_000_000n, abstime: true } }, // at 1.002 s
            { userdata: 23n, clock: { id: 2, timeout: 1_000_000_000n } }, // 1 s away
        ])
        expect(h.call("poll_oneoff", SUBS, EVENTS, n, NEVENTS)).toBe(E.SUCCESS)
        const ev = events(h)
        expect(ev).toEqual([{ userdata: 22n, error: E.SUCCESS, type: CLOCK, nbytes: 0n, flags: 0 }])
        // it returned as soon as 1.002 s had passed, not later
        expect(us).toBeGreaterThanOrEqual(1_002_000n)
        expect(us).toBeLessThan(1_002_000n + 50n)
        expect(h.clockCalls).toBeGreaterThan(2000 / 7 - 5)
    })

    it("a relative clock counts from the call, not from each look at the clock", () => {
        let us = 500n
        const h = makeAdapter(engine, { clockUs: () => (us += 10n) })
        const n = putSubs(h, [{ userdata: 5n, clock: { id: 1, timeout: 1_000_000n } }]) // 1 ms
        expect(h.call("poll_oneoff", SUBS, EVENTS, n, NEVENTS)).toBe(E.SUCCESS)
        expect(events(h).map((e) => e.userdata)).toEqual([5n])
        // the call read the clock first at 510 us: due at 1510 us
        expect(us).toBeGreaterThanOrEqual(1510n)
        expect(us).toBeLessThan(1560n)
    })
})
