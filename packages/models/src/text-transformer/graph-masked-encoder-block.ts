import * as tf from '@tensorflow/tfjs';
import { TransformerEncoderBlock } from '@heed/attention';

/**
 * @heed/attention's {@link TransformerEncoderBlock} under the class name
 * `HeedGraphMaskedEncoderBlock`, kept only so that text classifiers saved with that name still
 * load. It once cast the float32 0/1 padding mask that tfjs 4.22's graph executor produces (every
 * layer output is float32) back to int32; the block itself now reads a float32 mask that arrives
 * as a graph input as 0/1 (nonzero = may attend), so this class adds nothing. New models can use
 * `TransformerEncoderBlock` directly.
 *
 * @example
 * ```ts
 * const mask = new PaddingMaskFromIds().apply(ids) as tf.SymbolicTensor; // (batch, 1, time), float32 in the graph
 * x = new GraphMaskedEncoderBlock({ numHeads: 4, intermediateDim: 128, normalizeFirst: true }).apply([x, mask]) as tf.SymbolicTensor;
 * ```
 */
export class GraphMaskedEncoderBlock extends TransformerEncoderBlock {
  static override className = 'HeedGraphMaskedEncoderBlock';
}
tf.serialization.registerClass(GraphMaskedEncoderBlock);
