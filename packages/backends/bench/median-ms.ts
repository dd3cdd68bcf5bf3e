import { Bench } from 'tinybench';

/**
 * Median wall time of `fn` in ms, measured by tinybench: `iterations` timed runs after one
 * warm-up run. `fn` must finish its tensor work (read the result) before it returns.
 */
export async function medianMs(name: string, fn: () => unknown, iterations: number): Promise<number> {
  const bench = new Bench({ name, iterations, time: 0, warmupIterations: 1, warmupTime: 0 });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0]?.result as { latency?: { p50: number }; error?: Error } | undefined;
  if (!result?.latency) throw new Error(`bench ${name} failed: ${result?.error?.message ?? 'no result'}`);
  return result.latency.p50;
}
