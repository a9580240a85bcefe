// The SDK's registries (timers, routes, transactions, sensors, connections) are singly linked
// lists threaded through the objects themselves (`_next`), newest first: less code than
// AssemblyScript's Array (no growth or splice), and registries hold a handful of entries.

/** `head` without `node` (unchanged if `node` is not in it). */
export function unlink<T>(head: T | null, node: T): T | null {
  if (head === node) return node._next;
  let p: T | null = head;
  while (p !== null) {
    const n = p._next;
    if (n === node) {
      p._next = node._next;
      break;
    }
    p = n;
  }
  return head;
}
