import * as tf from '@tensorflow/tfjs';
import { TensorLeakError } from './tensor-leak-error';

/**
 * Runs `fn` and throws a {@link TensorLeakError} if it leaves more live tensors than it found.
 * Whatever `fn` returns is disposed first when it is a tensor (or an array of tensors), so the
 * check sees only tensors nobody can reach. Returns `fn`'s result otherwise.
 *
 * @example
 * ```ts
 * await expectNoLeaks(() => tf.tidy(() => model.predict(x)), 'predict');
 * ```
 */
export async function expectNoLeaks<T>(fn: () => T | Promise<T>, label = 'the checked function'): Promise<T> {
  const before = tf.memory().numTensors;
  const result = await fn();
  const returned = collectTensors(result);
  const after = tf.memory().numTensors - returned.length;
  if (after > before) throw new TensorLeakError(label, before, after);
  return result;
}

function collectTensors(value: unknown): tf.Tensor[] {
  if (value instanceof tf.Tensor) return value.isDisposed ? [] : [value];
  if (Array.isArray(value)) return value.flatMap(collectTensors);
  return [];
}
