import * as tf from '@tensorflow/tfjs';

/**
 * `NaN` where any element of `x` along `axes` is NaN, else 0 (float32, axes kept as size 1): the
 * NaN themselves are summed, everything else as 0, so ±Infinity inputs count as numbers. No bool
 * tensor is reduced: tfjs 4.22's webgpu backend casts bool to float32 lazily and cannot transpose
 * it, which a reduction over a non-trailing axis needs.
 */
function nanWhereAny(x: tf.Tensor, axes: number | number[]): tf.Tensor {
  return tf.sum(tf.where(tf.isNaN(x), x, tf.zerosLike(x)), axes, true); // zerosLike: a scalar 0 would be tiled
}

/** `NaN` where `a` or `b` is NaN, else 0 (0 + 0 = 0, NaN + anything = NaN). */
const either = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.add(a, b);

/** `NaN` where any element of the 0/NaN `poison` along `axes` is NaN, else 0. */
const spread = (poison: tf.Tensor, axes: number[]): tf.Tensor => tf.sum(poison, axes, true);

/**
 * The NaN contract of scaled dot-product attention, as PyTorch 1.13's
 * `_scaled_dot_product_attention` with a boolean mask (an additive 0 / −∞ mask, then
 * `softmax(scores)·V`): a NaN **anywhere** in a slice reaches the outputs and gradients, masked
 * positions included (NaN + (−∞) = NaN, and a masked weight of exactly 0 still gives 0·NaN = NaN).
 * Per (batch, head) slice, with query rows i and key rows j:
 * - `output[i, :]` is NaN if query row i or any key row holds a NaN (its row of scores is NaN);
 *   `output[:, d]` is NaN if any value row holds a NaN in column d.
 *
 * The fused kernels skip masked keys (and, for a causal mask, every key after the query), so
 * they cannot see such NaN: this adds it to the output of kernels that do not do it themselves
 * (webgpu's; heed's cpu/wasm kernels run attention-nan-poison-js.ts) (`x + 0` leaves every other element as
 * the kernel computed it). Off the tape; see {@link poisonAttentionGradients} for the gradients.
 *
 * @param output (batch, heads, T, D) the kernel's context
 * @param query (batch, heads, T, D)
 * @param key (batch, heads, S, D)
 * @param value (batch, heads, S, D)
 * @returns (batch, heads, T, D)
 *
 * @example
 * ```ts
 * const context = poisonAttentionOutput(kernelOutput, query, key, value);
 * ```
 */
export function poisonAttentionOutput(output: tf.Tensor, query: tf.Tensor, key: tf.Tensor, value: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const rows = either(nanWhereAny(query, 3), nanWhereAny(key, [2, 3])); // (batch, heads, T, 1)
    const columns = nanWhereAny(value, 2); // (batch, heads, 1, D)
    return tf.add(tf.add(output, rows), columns);
  });
}

/**
 * The gradients' half of the NaN contract of {@link poisonAttentionOutput}: the chain rule of
 * the dense formulation (dW = dO·Vᵀ, dS = W ⊙ (dW − Σⱼ dW·W), dQ = scale·dS·K,
 * dK = scale·dSᵀ·Q, dV = Wᵀ·dO) in IEEE arithmetic, where a masked weight is an exact 0 and
 * 0·NaN = NaN. Per (batch, head) slice:
 * - `dQuery[i, :]` is NaN if output row i's scores are NaN (query row i or any key row holds a
 *   NaN), any value holds a NaN (then Σⱼ dW·W is NaN for every row), or `dOutput[i, :]` holds one;
 * - `dKey` is NaN everywhere if any `dQuery` row is (that row's dS is NaN for every key);
 * - `dValue` is NaN everywhere if any output row's scores are NaN, and `dValue[:, d]` is NaN if
 *   any `dOutput[:, d]` is.
 *
 * Matches PyTorch 1.13 element for element (`__fixtures__/attention-nan.json`).
 *
 * @example
 * ```ts
 * const [dQuery, dKey, dValue] = poisonAttentionGradients(kernelGradients, query, key, value, dOutput);
 * ```
 */
export function poisonAttentionGradients(
  gradients: readonly [tf.Tensor, tf.Tensor, tf.Tensor],
  query: tf.Tensor,
  key: tf.Tensor,
  value: tf.Tensor,
  dOutput: tf.Tensor,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const [dQuery, dKey, dValue] = gradients;
    const scoreRows = either(nanWhereAny(query, 3), nanWhereAny(key, [2, 3])); // (batch, heads, T, 1)
    const queryRows = either(either(scoreRows, nanWhereAny(value, [2, 3])), nanWhereAny(dOutput, 3)); // (batch, heads, T, 1)
    const valueColumns = either(spread(scoreRows, [2]), nanWhereAny(dOutput, 2)); // (batch, heads, 1, D)
    return [tf.add(dQuery, queryRows), tf.add(dKey, spread(queryRows, [2])), tf.add(dValue, valueColumns)];
  });
}
