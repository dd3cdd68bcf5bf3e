import * as tf from '@tensorflow/tfjs';
import { MultiHeadAttention } from '../layers/multi-head-attention';
import { setWeightsByName, torchAttentionToKeras, type TorchStateDict } from './torch-state-dict';

export type { TorchTensorJson, TorchStateDict } from './torch-state-dict';

/** Options of {@link fromTorchMultiheadAttention}. */
export interface FromTorchMultiheadAttentionOptions {
  /** `num_heads` of the PyTorch module. */
  numHeads: number;
  /** Name of the created layer. */
  name?: string;
}

const WHERE = 'fromTorchMultiheadAttention';

/**
 * Builds a {@link MultiHeadAttention} equal to a PyTorch `nn.MultiheadAttention` from its state
 * dict: packed `in_proj_weight (3E, E)` + `in_proj_bias (3E,)`, or separate `q_proj_weight (E, E)`,
 * `k_proj_weight (E, kdim)`, `v_proj_weight (E, vdim)`; plus `out_proj.weight (E, E)` and
 * `out_proj.bias (E,)`. The layer has `keyDim = valueDim = E / numHeads`, output width E, and
 * is built for `query (·, ·, E)`, `key (·, ·, kdim)`, `value (·, ·, vdim)`. `bias_k`/`bias_v`
 * (add_bias_kv) are not supported. PyTorch masks convert with {@link fromTorchKeyPaddingMask} /
 * {@link fromTorchAttnMask}.
 *
 * @example
 * ```ts
 * // python: {k: {'shape': list(v.shape), 'data': v.flatten().tolist()} for k, v in mha.state_dict().items()}
 * const mha = fromTorchMultiheadAttention(stateDict, { numHeads: 8 });
 * const [output, weights] = mha.apply([query, value, key], { returnAttentionScores: true }) as tf.Tensor[];
 * ```
 */
export function fromTorchMultiheadAttention(stateDict: TorchStateDict, options: FromTorchMultiheadAttentionOptions): MultiHeadAttention {
  const { numHeads } = options;
  const { dims, weights } = torchAttentionToKeras(stateDict, '', numHeads, WHERE);
  const layer = new MultiHeadAttention({ numHeads, keyDim: dims.headDim, valueDim: dims.headDim, useBias: dims.useBias, name: options.name });
  // Build by one eager call on (1, 1, dim) zeros, so the layer is owned (disposable) as after any call.
  tf.tidy(() => layer.apply([tf.zeros([1, 1, dims.embedDim]), tf.zeros([1, 1, dims.valueInDim]), tf.zeros([1, 1, dims.keyInDim])]) as tf.Tensor);
  setWeightsByName(layer, weights, WHERE);
  tf.dispose(Object.values(weights));
  return layer;
}
