import type { Gpt2StepTrace } from '@heed/models';

/** A head of a layer, or the mean over the layer's heads. */
export type HeadChoice = number | 'mean';

/**
 * One step's attention weights for a layer and a head (or the mean over heads) from a
 * {@link Gpt2StepTrace}: the fed token's weights over every earlier token and itself, summing to 1.
 * Errors name the layer or head that does not exist.
 *
 * @example
 * ```ts
 * selectAttention(trace, 3, 'mean'); // Float32Array(n): last layer, heads averaged
 * ```
 */
export function selectAttention(trace: Gpt2StepTrace, layer: number, head: HeadChoice): Float32Array {
  const heads = trace.attention[layer];
  if (!heads) throw new RangeError(`layer: expected 0 to ${trace.attention.length - 1}; got ${layer}`);
  if (head !== 'mean') {
    const weights = heads[head];
    if (!weights) throw new RangeError(`head: expected 0 to ${heads.length - 1} or 'mean'; got ${head}`);
    return weights;
  }
  const mean = new Float32Array(heads[0]!.length);
  for (const weights of heads) for (let key = 0; key < mean.length; key++) mean[key]! += weights[key]! / heads.length;
  return mean;
}

/**
 * Every step's weights for one layer/head as rows of a (steps, tokens) matrix for a heatmap: row
 * `s` is the attention that chose new token `s`, over the `tokens − steps + s + 1` tokens it saw;
 * the later columns (tokens that did not exist yet) are 0 and flagged in `masked`.
 *
 * @example
 * ```ts
 * const { weights, masked } = attentionHistory(traces, 0, 'mean', promptTokens + traces.length - 1);
 * attentionHeatmapSvg({ weights, masked, rowLabels, columnLabels });
 * ```
 */
export function attentionHistory(traces: readonly Gpt2StepTrace[], layer: number, head: HeadChoice, tokens: number): { weights: number[][]; masked: boolean[][] } {
  const weights = traces.map((trace) => {
    const row = Array.from(selectAttention(trace, layer, head));
    if (row.length > tokens) throw new RangeError(`tokens: expected at least ${row.length} (the longest step's keys); got ${tokens}`);
    return [...row, ...new Array<number>(tokens - row.length).fill(0)];
  });
  const masked = traces.map((trace) => Array.from({ length: tokens }, (_, key) => key >= trace.attention[layer]![0]!.length));
  return { weights, masked };
}
