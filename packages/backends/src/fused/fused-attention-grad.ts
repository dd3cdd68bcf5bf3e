import * as tf from '@tensorflow/tfjs';
import type { GradConfig, NamedAttrMap, Tensor } from '@tensorflow/tfjs';
import { poisonAttentionGradients } from './attention-nan-poison';
import { FusedAttention, FusedAttentionGrad } from './fused-attention-kernel';
import { kernelAppliesNanContract } from './kernel-applies-nan-contract';

/**
 * Gradient of {@link FusedAttention}: one {@link FusedAttentionGrad} kernel call (recomputing the
 * probabilities from the saved log-sum-exp, no T×S buffer) gives dQuery, dKey and dValue, then
 * the NaN the kernels cannot see is added (by heed's cpu/wasm kernels themselves, else by
 * `poisonAttentionGradients`). The mask is not
 * differentiable (its gradient is zero).
 */
export const fusedAttentionGradConfig: GradConfig = {
  kernelName: FusedAttention,
  inputsToSave: ['query', 'key', 'value', 'mask'],
  outputsToSave: [true, true],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [query, key, value, mask, output, logSumExp] = saved as [Tensor, Tensor, Tensor, Tensor, Tensor, Tensor];
    const dOutput = Array.isArray(dy) ? (dy[0] as Tensor) : dy;
    // One kernel call for all three gradients, made here rather than in the per-input closures:
    // tfjs runs each closure in its own tidy, which would dispose the siblings.
    const kernelGradients = tf.engine().runKernel(
      FusedAttentionGrad,
      { query, key, value, mask, output, logSumExp, dOutput },
      attrs,
    ) as [Tensor, Tensor, Tensor];
    let [dQuery, dKey, dValue] = kernelGradients;
    if (!kernelAppliesNanContract(tf.getBackend())) {
      // The kernels skip masked keys; the NaN contract (PyTorch's) reaches them too.
      [dQuery, dKey, dValue] = poisonAttentionGradients(kernelGradients, query, key, value, dOutput);
      tf.dispose(kernelGradients);
    }
    return {
      query: () => dQuery,
      key: () => dKey,
      value: () => dValue,
      mask: () => tf.zerosLike(mask),
    };
  },
};
