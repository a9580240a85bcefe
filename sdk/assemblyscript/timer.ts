// Timers (ABI §2.1): a Timer wraps one runtime timer id and the function to call when it fires.
// `on_timer_callback(id)` (export it from the app) finds the Timer and calls its handler.
// Unlike WAMR's C library, `destroy()` gives the slot back to the runtime.

import { wasm_create_timer, wasm_timer_restart, wasm_timer_cancel, wasm_timer_destroy, wasm_get_sys_tick_ms } from "./env";
import { endCallback } from "./memory";
import { unlink } from "./list";

export type TimerHandler = (timer: Timer) => void;

// Live timers, newest first; few per app, so a linear search is the cheapest lookup in code and RAM.
let timers: Timer | null = null;

export class Timer {
  _next: Timer | null = null;

  private constructor(public readonly id: i32, public handler: TimerHandler) {}

  /** A new timer, armed now when `autoStart`; null when the runtime's timer pool is exhausted. */
  static create(intervalMs: u32, periodic: bool, autoStart: bool, handler: TimerHandler): Timer | null {
    const id = wasm_create_timer(intervalMs, periodic, autoStart);
    if (id == -1) return null;
    const t = new Timer(id, handler);
    t._next = timers;
    timers = t;
    return t;
  }

  /** (Re)arms the timer to fire `intervalMs` from now. */
  restart(intervalMs: u32): void {
    wasm_timer_restart(this.id, intervalMs);
  }

  /** Disarms the timer; it can be restarted. */
  cancel(): void {
    wasm_timer_cancel(this.id);
  }

  /** Disarms the timer and frees its slot; the Timer must not be used afterwards. */
  destroy(): void {
    wasm_timer_destroy(this.id);
    timers = unlink<Timer>(timers, this);
  }

  /** The Timer with runtime id `id`, or null. */
  static byId(id: i32): Timer | null {
    let t: Timer | null = timers;
    while (t !== null && t.id != id) t = t._next;
    return t;
  }
}

/** Milliseconds since boot (wraps at 2^32). */
export function sysTickMs(): u32 {
  return wasm_get_sys_tick_ms();
}

/** Called by the runtime when timer `id` expires. */
export function on_timer_callback(id: i32): void {
  const t = Timer.byId(id);
  if (t !== null) t.handler(t);
  endCallback();
}
