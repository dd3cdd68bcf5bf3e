import * as tf from '@tensorflow/tfjs';
import { lstmSequence } from '@heed/backends';
import type { WeightRegistry } from './weight-registry';

/** A recurrent state: `[h]` (GRU) or `[h, c]` (LSTM), each `(batch, units)`. */
export type RecurrentState = tf.Tensor2D[];

/**
 * One LSTM or GRU cell with fused gate weights: `kernel (inputDim, G·units)`, `recurrent_kernel
 * (units, G·units)`, `bias (G·units)` with G = 4 (LSTM, gates i f g o, forget bias 1) or 3 (GRU,
 * gates z r n, reset after the recurrent product as in cuDNN/Keras `resetAfter`). The input
 * projection of a whole sequence is one matMul ({@link projectInputs}); each step adds the
 * recurrent product.
 *
 * @example
 * ```ts
 * const cell = new RecurrentCell(new WeightRegistry(0), 'encoder/forward', 'lstm', 8, 16);
 * ```
 */
export class RecurrentCell {
  readonly kernel: tf.Variable;
  readonly recurrentKernel: tf.Variable;
  readonly bias: tf.Variable;
  readonly gates: number;

  constructor(
    weights: WeightRegistry,
    prefix: string,
    readonly cell: 'lstm' | 'gru',
    readonly inputDim: number,
    readonly units: number,
  ) {
    this.gates = cell === 'lstm' ? 4 : 3;
    this.kernel = weights.add(`${prefix}/kernel`, [inputDim, this.gates * units], 'glorot');
    this.recurrentKernel = weights.add(`${prefix}/recurrent_kernel`, [units, this.gates * units], 'glorot');
    this.bias = weights.add(`${prefix}/bias`, [this.gates * units], 'zeros');
    if (cell === 'lstm') {
      // Forget-gate bias 1 (Jozefowicz et al. 2015): gates are laid out i | f | g | o.
      const forgetBias = tf.tidy(() => tf.concat([tf.zeros([units]), tf.ones([units]), tf.zeros([2 * units])]));
      this.bias.assign(forgetBias);
      forgetBias.dispose(); // assign shares the data; the tensor itself would stay counted (one leak per cell)
    }
  }

  /** Zero state for `batch` rows. */
  zeroState(batch: number): RecurrentState {
    return this.cell === 'lstm' ? [tf.zeros([batch, this.units]), tf.zeros([batch, this.units])] : [tf.zeros([batch, this.units])];
  }

  /** `x (batch, time, inputDim)` → `(batch, time, G·units)` = x·kernel + bias, in one matMul. */
  projectInputs(x: tf.Tensor3D): tf.Tensor3D {
    const [batch, time, dim] = x.shape;
    return tf.add(tf.matMul(x.reshape([batch * time, dim]), this.kernel), this.bias).reshape([batch, time, this.gates * this.units]); // (batch·time, G·units) → (batch, time, G·units)
  }

  /**
   * One step from the projected input `(batch, G·units)`. With `mask (batch, 1)` (1 = real
   * token) padded rows keep their previous state.
   */
  step(projected: tf.Tensor2D, state: RecurrentState, mask?: tf.Tensor2D): RecurrentState {
    const h = state[0]!;
    const recurrent = tf.matMul(h, this.recurrentKernel); // (batch, G·units)
    let next: RecurrentState;
    if (this.cell === 'lstm') {
      const c = state[1]!;
      const [i, f, g, o] = tf.split(tf.add(projected, recurrent), 4, 1) as tf.Tensor2D[];
      const c2 = tf.add(tf.mul(tf.sigmoid(f!), c), tf.mul(tf.sigmoid(i!), tf.tanh(g!))) as tf.Tensor2D;
      next = [tf.mul(tf.sigmoid(o!), tf.tanh(c2)), c2];
    } else {
      const [xz, xr, xn] = tf.split(projected, 3, 1) as tf.Tensor2D[];
      const [hz, hr, hn] = tf.split(recurrent, 3, 1) as tf.Tensor2D[];
      const z = tf.sigmoid(tf.add(xz!, hz!));
      const r = tf.sigmoid(tf.add(xr!, hr!));
      const n = tf.tanh(tf.add(xn!, tf.mul(r, hn!)));
      next = [tf.add(n, tf.mul(z, tf.sub(h, n)))]; // (1 − z)·n + z·h
    }
    if (!mask) return next;
    return next.map((value, index) => tf.add(state[index]!, tf.mul(mask, tf.sub(value, state[index]!))) as tf.Tensor2D); // keep state where mask = 0
  }

  /**
   * Runs over `projected (batch, time, G·units)` forwards (or backwards) with `mask (batch, time)`
   * float 1/0; returns outputs `(batch, time, units)` (zero at padding) and the final state. An
   * LSTM runs as one op, `lstmSequence` from @heed/backends (SIMD loops forward and backward on
   * wasm); a GRU step by step ({@link step}).
   */
  run(projected: tf.Tensor3D, mask: tf.Tensor2D, reverse: boolean, initial?: RecurrentState): { outputs: tf.Tensor3D; state: RecurrentState } {
    if (this.cell === 'lstm') {
      const { outputs, h, c } = lstmSequence(projected, this.recurrentKernel as tf.Tensor as tf.Tensor2D, { mask, reverse, initialState: initial ? [initial[0]!, initial[1]!] : undefined });
      return { outputs, state: [h, c] };
    }
    const [batch, time] = projected.shape;
    const steps = tf.unstack(projected, 1) as tf.Tensor2D[]; // time × (batch, G·units)
    const masks = tf.unstack(mask.expandDims(2), 1) as tf.Tensor2D[]; // time × (batch, 1)
    let state = initial ?? this.zeroState(batch);
    const outputs: tf.Tensor2D[] = new Array<tf.Tensor2D>(time);
    for (let k = 0; k < time; k++) {
      const t = reverse ? time - 1 - k : k;
      state = this.step(steps[t]!, state, masks[t]!);
      outputs[t] = tf.mul(state[0]!, masks[t]!);
    }
    return { outputs: tf.stack(outputs, 1) as tf.Tensor3D, state }; // (batch, time, units)
  }
}
