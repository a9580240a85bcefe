/*
 * poll_oneoff: what is ready now is reported at once; when nothing is, the adapter waits on
 * env.clock until the earliest clock subscription is due (a busy wait in Wasm code, so the
 * engine still slices it like any app loop and other apps keep running), then reports the
 * clocks that are due. Standard input is always readable (at end of file: nbytes 0, HANGUP),
 * the console always writable; any other descriptor, or a stream in the wrong direction, is an
 * event with error EBADF; a clock id that does not exist is an event with error EINVAL.
 *
 * subscription (48 bytes): userdata u64 @0, tag u8 @8, then @16 either
 *   clock {id u32 @16, timeout u64 @24, precision u64 @32, flags u16 @40} or fd u32 @16.
 * event (32 bytes): userdata u64 @0, error u16 @8, type u8 @10, nbytes u64 @16, flags u16 @24.
 */
#include "wasi.h"

#define EVENTTYPE_CLOCK 0
#define EVENTTYPE_FD_READ 1
#define EVENTTYPE_FD_WRITE 2
#define SUBCLOCK_ABSTIME 1u
#define EVENT_HANGUP 1u
/* What the console reports it can take in one write (it takes any amount). */
#define CONSOLE_ROOM 65536u

static void put_event(u32 ev, u32 sub, u32 error, u32 type, u32 nbytes, u32 flags) {
    put64(ev, get64(sub));
    put64(ev + 8, 0);
    put16(ev + 8, error);
    put8(ev + 10, type);
    put64(ev + 16, nbytes);
    put64(ev + 24, flags);
}

/* The deadline of a clock subscription, in ns since boot; relative ones count from start. */
static u64 deadline(u32 sub, u64 start) {
    u64 t = get64(sub + 24);
    if (*(const u16u *)(sub + 40) & SUBCLOCK_ABSTIME) return t;
    u64 d = start + t;
    return d < start ? ~0ull : d;
}

EXPORT(poll_oneoff) u32 wasi_poll_oneoff(u32 in, u32 out, u32 nsubs, u32 nevents) {
    if (nsubs == 0) return E_INVAL;
    u64 start = now_ns();
    for (;;) {
        u64 now = now_ns(), earliest = ~0ull;
        u32 n = 0;
        for (u32 i = 0, sub = in; i < nsubs; i++, sub += 48) {
            u32 tag = *(const u8 *)(sub + 8), ev = out + n * 32;
            if (tag == EVENTTYPE_CLOCK) {
                if (get32(sub + 16) >= CLOCK_IDS) {
                    put_event(ev, sub, E_INVAL, tag, 0, 0), n++;
                    continue;
                }
                u64 d = deadline(sub, start);
                if (d <= now) put_event(ev, sub, E_SUCCESS, tag, 0, 0), n++;
                else if (d < earliest) earliest = d;
            } else if (tag == EVENTTYPE_FD_READ || tag == EVENTTYPE_FD_WRITE) {
                u32 fd = get32(sub + 16);
                if (tag == EVENTTYPE_FD_READ && fd == 0) put_event(ev, sub, E_SUCCESS, tag, 0, EVENT_HANGUP);
                else if (tag == EVENTTYPE_FD_WRITE && (fd == 1 || fd == 2)) put_event(ev, sub, E_SUCCESS, tag, CONSOLE_ROOM, 0);
                else put_event(ev, sub, E_BADF, tag, 0, 0);
                n++;
            } else return E_INVAL;
        }
        if (n) {
            put32(nevents, n);
            return E_SUCCESS;
        }
        while (now_ns() < earliest) {}
    }
}
