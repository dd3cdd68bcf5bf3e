/**
 * The gradients of one replica's shard of a batch, in the order of the model's trainable weights.
 *
 * @example
 * ```ts
 * const shard: ShardGradients = { grads: [Float32Array.of(0.1, -0.2), null], count: 12, loss: 2.3 };
 * ```
 */
export interface ShardGradients {
  /** One array per trainable weight; `null` where the loss does not reach the weight. */
  grads: (Float32Array | null)[];
  /** What the shard's loss averages over (labels that are not padding, or examples): its weight in the mean. */
  count: number;
  /** The shard's loss (a mean over its `count`). */
  loss: number;
}

/**
 * The `count`-weighted mean of the replicas' gradients and losses: for a loss that is a mean over
 * labels (or examples), the gradient and the loss of the whole batch. Summed in replica order, so
 * every process that averages the same shards gets the same bits. Empty shards (`count` 0) and
 * weights without a gradient are skipped.
 *
 * @example
 * ```ts
 * averageShards([
 *   { grads: [Float32Array.of(1, 2)], count: 3, loss: 1 },
 *   { grads: [Float32Array.of(5, 6)], count: 1, loss: 3 },
 * ]); // { grads: [Float32Array [2, 3]], count: 4, loss: 1.5 }
 * ```
 */
export function averageShards(shards: readonly ShardGradients[]): ShardGradients {
  const count = shards.reduce((sum, shard) => sum + shard.count, 0);
  const weights = Math.max(0, ...shards.map((shard) => shard.grads.length));
  const grads: (Float32Array | null)[] = [];
  for (let i = 0; i < weights; i++) {
    let sum: Float32Array | null = null;
    for (const shard of shards) {
      const grad = shard.grads[i];
      if (!grad || shard.count === 0) continue;
      if (sum && sum.length !== grad.length) throw new Error(`averageShards: gradient ${i} has ${grad.length} values in one shard and ${sum.length} in another`);
      sum ??= new Float32Array(grad.length);
      const weight = shard.count / count;
      for (let j = 0; j < grad.length; j++) sum[j]! += weight * grad[j]!;
    }
    grads.push(sum);
  }
  const loss = count > 0 ? shards.reduce((sum, shard) => sum + (shard.loss * shard.count) / count, 0) : 0;
  return { grads, count, loss };
}
