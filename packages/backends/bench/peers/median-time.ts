import * as tf from '@tensorflow/tfjs';

/** Median wall time in ms of `run` (after `warmup` untimed runs); reads every output back. */
export async function medianTime(run: () => tf.Tensor | tf.Tensor[] | Promise<unknown>, reps: number, warmup = 1): Promise<number> {
  const times: number[] = [];
  for (let rep = -warmup; rep < reps; rep++) {
    const start = performance.now();
    const result = await run();
    if (result instanceof tf.Tensor || Array.isArray(result)) {
      const tensors = Array.isArray(result) ? (result as tf.Tensor[]) : [result];
      for (const tensor of tensors) await tensor.data();
      tf.dispose(tensors);
    }
    const elapsed = performance.now() - start;
    if (rep >= 0) times.push(elapsed);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] ?? Number.NaN;
}
