// Timers (ABI §2.1): a Timer wraps one runtime timer id; the function to call when it fires is kept
// beside it. `on_timer_callback(id)` (export it from the app) finds the Timer and calls its handler.
// Unlike WAMR's C library, `destroy()` gives the slot back to the runtime.

import { wasm_create_timer, wasm_timer_restart, wasm_timer_cancel, wasm_timer_destroy, wasm_get_sys_tick_ms } from "./env";
import { endCallback } from "./memory";
import { unlink } from "./list";

export type TimerHandler = (timer: Timer) => void;

// The handler lives beside the Timer, not in it: AssemblyScript cannot compile a class holding a
// function type that names the class.
class Entry {
  constructor(public timer: Timer, public handler: TimerHandler, public _next: Entry | null) {}
}

// Live timers, newest first (list.ts); few per app, so a linear search is the cheapest lookup.
// @ts-ignore: decorator (lazy: compiled only into apps that use it)
@lazy let timers: Entry | null = null;

function find(id: i32): Entry | null {
  let e: Entry | null = timers;
  while (e !== null && e.timer.id != id) e = e._next;
  return e;
}

export class Timer {
  private constructor(public readonly id: i32) {}

  /** A new timer, armed now when `autoStart`; null when the runtime's timer pool is exhausted. */
  static create(intervalMs: u32, periodic: bool, autoStart: bool, handler: TimerHandler): Timer | null {
    const id = wasm_create_timer(intervalMs, periodic, autoStart);
    if (id == -1) return null;
    const t = new Timer(id);
    timers = new Entry(t, handler, timers);
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
    const e = find(this.id);
    if (e !== null) timers = unlink<Entry>(timers, e);
  }
}

/** Milliseconds since boot (wraps at 2^32). */
export function sysTickMs(): u32 {
  return wasm_get_sys_tick_ms();
}

/** Called by the runtime when timer `id` expires. */
export function on_timer_callback(id: i32): void {
  const e = find(id);
  if (e !== null) {
    const h = e.handler;
    h(e.timer);
  }
  endCallback();
}
