// A turn of the event loop's macrotask queue. A training loop whose awaits all resolve as microtasks (wasm and cpu
// kernels finish synchronously, `data()` of a CPU tensor resolves at once) never lets Node deliver a signal or fire a
// timer until it ends: Ctrl-C in `bert pretrain` waited for the last step. Awaiting this once per step costs
// microseconds in Node (setImmediate) and at most a clamped timer tick in a browser.

/** Resolves after the pending macrotasks (signals, timers, I/O callbacks) have run. */
export function macrotask(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') setImmediate(resolve);
    else setTimeout(resolve, 0);
  });
}
