import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { LstmSequence, LstmSequenceGrad, type LstmSequenceAttrs } from './lstm-sequence-kernel';

/**
 * Gradient of {@link LstmSequence}: one {@link LstmSequenceGrad} kernel call (backpropagation
 * through time over the saved cells and gates) gives the gradients of the projections and of the
 * initial state; the recurrent kernel's is one matmul over all steps, `Σₜ hₜ₋₁ᵀ·dzₜ`. The mask is
 * not differentiable (its gradient is zero).
 */
export const lstmSequenceGradConfig: GradConfig = {
  kernelName: LstmSequence,
  inputsToSave: ['recurrentKernel', 'mask', 'initialH', 'initialC'],
  outputsToSave: [false, false, false, true, true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [recurrentKernel, mask, initialH, initialC, states, cells, gates] = saved as [Tensor, Tensor, Tensor, Tensor, tf.Tensor3D, Tensor, Tensor];
    const [dOutputs, dH, dC] = dy as Tensor[];
    const { reverse } = attrs as LstmSequenceAttrs;
    const [time, batch, units] = states.shape;
    // One kernel call for every gradient, made here rather than in the per-input closures:
    // tfjs runs each closure in its own tidy, which would dispose the siblings.
    const [dGates, dInitialH, dInitialC] = tf.engine().runKernel(
      LstmSequenceGrad,
      { recurrentKernel, mask, initialC, cells, gates, dOutputs: dOutputs!, dH: dH!, dC: dC! },
      attrs,
    ) as [tf.Tensor3D, Tensor, Tensor];
    const dProjected = tf.transpose(dGates, [1, 0, 2]); // (batch, time, 4·units)
    const dRecurrentKernel = tf.tidy(() => {
      // h before each step, time-major: the initial state at the first step processed, else the state after the previous one
      const initial = initialH.expandDims(0); // (1, batch, units)
      const previous =
        time === 1 ? initial : reverse ? tf.concat([states.slice([1, 0, 0], [time - 1, batch, units]), initial], 0) : tf.concat([initial, states.slice([0, 0, 0], [time - 1, batch, units])], 0); // (time, batch, units)
      return tf.matMul(previous.reshape([time * batch, units]), dGates.reshape([time * batch, 4 * units]), true, false); // Σₜ hₜ₋₁ᵀ·dzₜ (units, 4·units)
    });
    dGates.dispose();
    return {
      projected: () => dProjected,
      recurrentKernel: () => dRecurrentKernel,
      mask: () => tf.zerosLike(mask),
      initialH: () => dInitialH,
      initialC: () => dInitialC,
    };
  },
};
