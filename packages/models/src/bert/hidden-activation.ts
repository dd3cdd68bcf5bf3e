import * as tf from '@tensorflow/tfjs';
import { gelu } from '@heed/attention';
import type { HfActivation } from '../hf/config/hf-activation';

/**
 * The function of an HF activation name (transformers' ACT2FN), for heads outside the encoder
 * blocks (BERT's MLM transform): `gelu` = x·Φ(x) (erf), `gelu_new` and aliases =
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))), `relu`, `silu`/`swish` = x·σ(x), `quick_gelu` = x·σ(1.702x).
 *
 * @example
 * ```ts
 * hiddenActivation('gelu_new')(tf.tensor([1])); // [0.8412]
 * ```
 */
export function hiddenActivation(name: HfActivation): (x: tf.Tensor) => tf.Tensor {
  switch (name) {
    case 'gelu':
      return gelu;
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return (x) => tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))));
    case 'relu':
      return tf.relu;
    case 'silu':
    case 'swish':
      return (x) => tf.tidy(() => tf.mul(x, tf.sigmoid(x)));
    case 'quick_gelu':
      return (x) => tf.tidy(() => tf.mul(x, tf.sigmoid(tf.mul(1.702, x))));
  }
}
