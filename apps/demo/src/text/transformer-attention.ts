import { TransformerEncoderBlock } from '@heed/attention';
import { AddPositionEmbedding, encoderAttentionWeights, PaddingMaskFromIds, TokenEmbedding, type TextClassifier } from '@heed/models';
import * as tf from '@tensorflow/tfjs';

/** Every self-attention map of a Transformer classifier for one text, trimmed to its tokens. */
export interface TextAttentionMaps {
  /** `(layers, heads, tokens, tokens)` row-major: query rows, key columns. */
  weights: Float32Array;
  shape: [number, number, number, number];
}

/**
 * The full per-layer, per-head self-attention of a `transformer` {@link TextClassifier} for `text`
 * (`explain()` gives only the `[CLS]` row of each map): the model's own layers are applied as in
 * its forward pass — token embedding, position embedding, padding mask from the ids — and each
 * encoder block's weights are read with `encoderAttentionWeights` before the block runs.
 */
export async function transformerAttention(classifier: TextClassifier, text: string): Promise<TextAttentionMaps> {
  if (classifier.config.kind !== 'transformer') throw new Error(`transformerAttention: a ${classifier.config.kind} classifier has no self-attention heads`);
  const { ids } = classifier.encodeIds([text]);
  const length = classifier.tokenize(text).ids.length; // the tokens the model sees, after truncation
  const find = <T extends tf.layers.Layer>(type: abstract new (...args: never[]) => T): T => {
    const layer = classifier.model.layers.find((candidate): candidate is T => candidate instanceof type);
    if (!layer) throw new Error(`transformerAttention: the classifier has no ${type.name} layer`);
    return layer;
  };
  const stacked = tf.tidy(() => {
    const idTensor = tf.tensor2d(ids, [1, classifier.config.maxLength], 'int32'); // (1, time)
    let x = find(AddPositionEmbedding).apply(find(TokenEmbedding).apply(idTensor)) as tf.Tensor; // (1, time, dim)
    const mask = find(PaddingMaskFromIds).apply(idTensor) as tf.Tensor; // (1, 1, time)
    const perLayer: tf.Tensor[] = [];
    for (const block of classifier.model.layers.filter((layer): layer is TransformerEncoderBlock => layer instanceof TransformerEncoderBlock)) {
      perLayer.push(encoderAttentionWeights(block, x, mask).squeeze([0])); // (heads, time, time)
      x = block.apply([x, mask]) as tf.Tensor;
    }
    return tf.stack(perLayer).slice([0, 0, 0, 0], [-1, -1, length, length]); // (layers, heads, tokens, tokens)
  });
  const weights = (await stacked.data()) as Float32Array;
  const shape = stacked.shape as [number, number, number, number];
  stacked.dispose();
  return { weights, shape };
}
