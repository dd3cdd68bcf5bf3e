import type { NamedAttrMap } from '@tensorflow/tfjs';

/**
 * Kernel name of the fused LSTM sequence forward pass. Inputs: `projected` (batch, time, 4·units)
 * (x·W + b per step, gates i | f | g | o), `recurrentKernel` (units, 4·units), `mask` (batch, time)
 * float 1/0, `initialH` and `initialC` (batch, units). Outputs: `outputs` (batch, time, units)
 * (h, 0 at padding), the final `h` and `c` (batch, units), and what the backward pass reads, time
 * major: `states` (time, batch, units) h after each step, `cells` (time, batch, units) c after
 * each step, `gates` (time, batch, 4·units) σ(i), σ(f), tanh(g), σ(o).
 *
 * @example
 * ```ts
 * const [outputs, h, c] = tf.engine().runKernel(LstmSequence,
 *   { projected, recurrentKernel, mask, initialH, initialC }, { reverse: false }) as tf.Tensor[];
 * ```
 */
export const LstmSequence = 'HeedLstmSequence';

/**
 * Kernel name of the fused LSTM sequence backward pass (backpropagation through time). Inputs:
 * `recurrentKernel`, `mask`, `initialC`, the forward's `cells` and `gates`, and the gradients
 * `dOutputs` (batch, time, units), `dH` and `dC` (batch, units). Outputs: `dGates`, the gradient
 * of the projections time-major (time, batch, 4·units), `dInitialH` and `dInitialC` (batch, units).
 *
 * @example
 * ```ts
 * const [dGates, dInitialH, dInitialC] = tf.engine().runKernel(LstmSequenceGrad,
 *   { recurrentKernel, mask, initialC, cells, gates, dOutputs, dH, dC }, { reverse: false }) as tf.Tensor[];
 * ```
 */
export const LstmSequenceGrad = 'HeedLstmSequenceGrad';

/** Attributes of {@link LstmSequence} and {@link LstmSequenceGrad}. */
export interface LstmSequenceAttrs extends NamedAttrMap {
  /** Run from the last step to the first (the backward half of a bidirectional LSTM). */
  reverse: boolean;
}
