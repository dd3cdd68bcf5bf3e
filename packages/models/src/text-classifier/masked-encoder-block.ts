import * as tf from '@tensorflow/tfjs';
import { TransformerEncoderBlock } from '@heed/attention';

/**
 * @heed/attention's {@link TransformerEncoderBlock} for `tf.model` graphs whose padding mask is a
 * second input computed in the graph: tfjs 4.22's graph executor stores every layer output as
 * float32 (`guessOutputDType` always answers float32), so the 0/1 mask arrives as float32, which
 * the block rightly refuses (float masks are additive in PyTorch). This block casts a float 0/1
 * mask back to int32 first. Everything else is the parent's.
 *
 * @example
 * ```ts
 * const mask = new PaddingMaskFromIds().apply(ids) as tf.SymbolicTensor; // (batch, 1, time)
 * x = new GraphMaskedEncoderBlock({ numHeads: 4, intermediateDim: 128, normalizeFirst: true }).apply([x, mask]) as tf.SymbolicTensor;
 * ```
 */
export class GraphMaskedEncoderBlock extends TransformerEncoderBlock {
  static override className = 'HeedGraphMaskedEncoderBlock';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    if (!Array.isArray(inputs) || inputs.length < 2 || inputs[1]!.dtype !== 'float32') return super.call(inputs, kwargs);
    const mask = inputs[1]!.toInt(); // (batch, 1, time) 0/1
    try {
      return super.call([inputs[0]!, mask], kwargs);
    } finally {
      mask.dispose();
    }
  }
}
tf.serialization.registerClass(GraphMaskedEncoderBlock);
