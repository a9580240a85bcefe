// Timer sample in AssemblyScript, after WAMR's samples/simple timer app: a periodic 1 s timer,
// created idle and then started, prints "Timer update N" each time it fires.

import { Timer, log } from "../../sdk/assemblyscript";
export { malloc, free, __heap_base, on_timer_callback } from "../../sdk/assemblyscript/exports";

let updates = 0;

function onTick(timer: Timer): void {
  log("Timer update " + updates.toString());
  updates++;
}

export function on_init(): void {
  const timer = Timer.create(1000, true, false, onTick);
  if (timer !== null) timer.restart(1000);
}

export function on_destroy(): void {
  // Nothing to free: the runtime drops the app's timers when it stops.
}
