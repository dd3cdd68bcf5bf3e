import * as tf from '@tensorflow/tfjs';
import { assertMaskDtypeAndRank, toRank4Mask, type AttentionMask } from './attention-mask';

/**
 * Logical AND of attention masks (true = may attend): a key is visible only where every mask
 * allows it. `undefined` entries are skipped, so optional masks can be passed as they are.
 * Masks of equal rank broadcast as in NumPy; when a rank-4 mask is present the others are first
 * brought to `(batch|1, heads|1, T, S)` (rank 3 gains the heads axis at position 1).
 * Returns `undefined` when no mask is given.
 *
 * @example
 * ```ts
 * const mask = combineMasks(causalMask(3), paddingMask([2, 3])); // (2, 3, 3)
 * ```
 */
export function combineMasks(...masks: Array<AttentionMask | undefined>): tf.Tensor | undefined {
  const given = masks.filter((mask): mask is tf.Tensor => mask !== undefined);
  given.forEach((mask, index) => assertMaskDtypeAndRank(mask, `masks[${index}]`, 'combineMasks'));
  if (given.length === 0) return undefined;
  return tf.tidy(() => {
    const maxRank = Math.max(...given.map((mask) => mask.rank));
    const aligned = given.map((mask) => {
      if (maxRank === 4) return toRank4Mask(mask);
      return mask.dtype === 'bool' ? mask : tf.notEqual(mask, 0);
    });
    let combined = aligned[0]!;
    for (const mask of aligned.slice(1)) {
      try {
        tf.broadcast_util.assertAndGetBroadcastShape(combined.shape, mask.shape);
      } catch {
        throw new Error(`combineMasks: masks of shapes [${combined.shape}] and [${mask.shape}] do not broadcast`);
      }
      combined = tf.logicalAnd(combined, mask);
    }
    return combined === given[0] ? combined.clone() : combined;
  });
}
