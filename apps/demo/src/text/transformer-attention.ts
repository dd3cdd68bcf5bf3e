import { TextTransformerBackbone, type TextClassifier } from '@heed/models';
import * as tf from '@tensorflow/tfjs';

/** Every self-attention map of a Transformer classifier for one text, trimmed to its tokens. */
export interface TextAttentionMaps {
  /** `(layers, heads, tokens, tokens)` row-major: query rows, key columns. */
  weights: Float32Array;
  shape: [number, number, number, number];
}

/**
 * The full per-layer, per-head self-attention of a `transformer` {@link TextClassifier} for `text`
 * (`explain()` gives only the `[CLS]` row of each map), as the encoder blocks return it
 * (`TextTransformerBackbone.forward` with `outputAttentions`), trimmed to the text's tokens.
 */
export async function transformerAttention(classifier: TextClassifier, text: string): Promise<TextAttentionMaps> {
  const backbone = classifier.backbone;
  if (!(backbone instanceof TextTransformerBackbone)) throw new Error(`transformerAttention: a ${classifier.config.kind} classifier has no self-attention heads`);
  const { ids } = classifier.encodeIds([text]);
  const length = classifier.tokenize(text).ids.length; // the tokens the model sees, after truncation
  const stacked = tf.tidy(() => {
    const idTensor = tf.tensor2d(ids, [1, classifier.config.maxLength], 'int32'); // (1, time)
    const perLayer = backbone.attention(idTensor).squeeze([1]); // (layers, 1, heads, time, time) → (layers, heads, time, time)
    return perLayer.slice([0, 0, 0, 0], [-1, -1, length, length]); // (layers, heads, tokens, tokens)
  });
  const weights = (await stacked.data()) as Float32Array;
  const shape = stacked.shape as [number, number, number, number];
  stacked.dispose();
  return { weights, shape };
}
