import * as tf from '@tensorflow/tfjs';
import { afterEach, expect, it } from 'vitest';
import { describeBackends, expectNoLeaks } from '../../testing/index';
import { registerSharedIdentity, sharedIdentityKernels, unregisterSharedIdentity } from './shared-identity';

afterEach(() => registerSharedIdentity('wasm'));

/** Gradients of a small two-layer network with LayerNorm-like reductions: Identity on every path. */
function gradients(): Float32Array[] {
  const x = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
  const w1 = tf.randomNormal([5, 7], 0, 1, 'float32', 2);
  const w2 = tf.randomNormal([7, 3], 0, 1, 'float32', 3);
  const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => {
    const hidden = tf.relu(tf.matMul(x, a));
    const centred = tf.sub(hidden, tf.mean(hidden, -1, true));
    return tf.sum(tf.square(tf.matMul(tf.clone(centred), b)));
  })([w1, w2]);
  const values = grads.map((gradient) => gradient.dataSync() as Float32Array);
  tf.dispose([x, w1, w2, ...grads]);
  return values;
}

await describeBackends(['wasm'], () => {
  it('is registered by initBackend, and a clone shares the buffer: values stay after the original is disposed', async () => {
    expect(sharedIdentityKernels('wasm')).toEqual(['Identity']);
    await expectNoLeaks(async () => {
      const buffers = () => (tf.memory() as tf.MemoryInfo & { numDataBuffers: number }).numDataBuffers;
      const before = buffers();
      const original = tf.tensor2d([[1, 2, NaN], [4, -0, 6]]);
      const copy = tf.clone(original);
      expect(buffers() - before).toBe(1); // one buffer for both
      original.dispose();
      expect(Array.from(await copy.data())).toEqual([1, 2, NaN, 4, -0, 6]);
      const twice = tf.clone(copy);
      copy.dispose();
      expect(Array.from(await twice.data())).toEqual([1, 2, NaN, 4, -0, 6]);
      twice.dispose();
      expect(buffers()).toBe(before); // freed with the last reference
      const strings = tf.tensor1d(['a', 'b'], 'string');
      const stringCopy = tf.clone(strings);
      expect(stringCopy.dataSync()).toEqual(['a', 'b']);
      tf.dispose([strings, stringCopy]);
    });
  });

  it('gives the stock (copying) kernel\'s gradients exactly', () => {
    const shared = gradients();
    unregisterSharedIdentity('wasm');
    expect(sharedIdentityKernels('wasm')).toEqual([]);
    const copied = gradients();
    expect(shared).toEqual(copied);
  });

  it('a variable assigned from a clone keeps its value when the clone is disposed', () => {
    const source = tf.tensor1d([1, 2, 3]);
    const variable = tf.variable(tf.zeros([3]));
    const copy = tf.clone(source);
    variable.assign(copy);
    tf.dispose([copy, source]);
    expect(Array.from(variable.dataSync())).toEqual([1, 2, 3]);
    variable.dispose();
  });
});
