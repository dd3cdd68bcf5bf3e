// Work shared out at run time between the threads of one kernel call: each thread claims the next
// unit from a counter in the shared memory, so a thread the OS deschedules (a loaded machine, a busy
// browser tab) holds up only the unit it is on, not a fixed share. In the single-threaded builds
// (no atomics) the same counters are plain loads and stores; ASC_FEATURE_THREADS is a compile-time
// constant, so each build holds only its own branch.

/** Returns the counter's value and adds one to it (atomically in the threaded builds). */
// @ts-ignore: decorator
@inline
export function claim(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, 1);
  const value = load<i32>(counter);
  store<i32>(counter, value + 1);
  return value;
}

/** The counter's current value (an atomic load in the threaded builds). */
// @ts-ignore: decorator
@inline
export function counted(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.load<i32>(counter);
  return load<i32>(counter);
}

/** Waits until `counter` reaches `total`: threads finishing units that others still work on. */
// @ts-ignore: decorator
@inline
export function awaitCount(counter: usize, total: i32): void {
  while (counted(counter) < total) {
    // spin: the units being finished are short (one packed panel group), and a browser's main
    // thread may not block (memory.atomic.wait traps there)
  }
}
