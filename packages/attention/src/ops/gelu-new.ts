import * as tf from '@tensorflow/tfjs';

/**
 * The tanh approximation of GELU (Hendrycks & Gimpel 2016, §2), Hugging Face's `gelu_new`
 * (GPT-2's activation) and PyTorch's `nn.GELU(approximate='tanh')`:
 * `½x(1 + tanh(√(2/π)·(x + 0.044715·x³)))`. For the exact (erf) GELU see {@link gelu}.
 *
 * @example
 * ```ts
 * geluNew(tf.tensor([-1, 0, 1])); // [-0.1588, 0, 0.8412]
 * ```
 */
export function geluNew<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => {
    const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))); // √(2/π)·(x + 0.044715·x³)
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner))) as T;
  });
}
