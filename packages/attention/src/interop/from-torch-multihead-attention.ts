import * as tf from '@tensorflow/tfjs';
import { MultiHeadAttention } from '../layers/multi-head-attention';

/** One state-dict entry as exported from PyTorch: `{shape: t.shape, data: t.flatten().tolist()}`. */
export interface TorchTensorJson {
  shape: number[];
  data: ArrayLike<number>;
}

/** Options of {@link fromTorchMultiheadAttention}. */
export interface FromTorchMultiheadAttentionOptions {
  /** `num_heads` of the PyTorch module. */
  numHeads: number;
  /** Name of the created layer. */
  name?: string;
}

const WHERE = 'fromTorchMultiheadAttention';

function entry(stateDict: Record<string, TorchTensorJson | undefined>, name: string, expectedShape: number[] | undefined): tf.Tensor | undefined {
  const value = stateDict[name];
  if (value === undefined) return undefined;
  const size = value.shape.reduce((product, dim) => product * dim, 1);
  if (value.data.length !== size) throw new Error(`${WHERE}: ${name} has shape [${value.shape}] but ${value.data.length} values`);
  if (expectedShape && value.shape.join() !== expectedShape.join()) {
    throw new Error(`${WHERE}: ${name} has shape [${value.shape}], expected [${expectedShape}]`);
  }
  return tf.tensor(Array.from(value.data), value.shape, 'float32');
}

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
export function fromTorchMultiheadAttention(stateDict: Record<string, TorchTensorJson | undefined>, options: FromTorchMultiheadAttentionOptions): MultiHeadAttention {
  const outWeight = stateDict['out_proj.weight'];
  if (!outWeight || outWeight.shape.length !== 2) throw new Error(`${WHERE}: stateDict needs out_proj.weight of shape (E, E)`);
  if (stateDict['bias_k'] || stateDict['bias_v']) throw new Error(`${WHERE}: add_bias_kv (bias_k, bias_v) is not supported`);
  const embedDim = outWeight.shape[0]!;
  const { numHeads } = options;
  if (!Number.isInteger(numHeads) || numHeads < 1 || embedDim % numHeads !== 0) {
    throw new Error(`${WHERE}: numHeads ${numHeads} must divide the embedding width ${embedDim} (out_proj.weight [${outWeight.shape}])`);
  }
  const headDim = embedDim / numHeads;
  const packed = stateDict['in_proj_weight'] !== undefined;
  const keyInDim = packed ? embedDim : stateDict['k_proj_weight']?.shape[1];
  const valueInDim = packed ? embedDim : stateDict['v_proj_weight']?.shape[1];
  if (keyInDim === undefined || valueInDim === undefined) {
    throw new Error(`${WHERE}: stateDict needs in_proj_weight, or q_proj_weight, k_proj_weight and v_proj_weight`);
  }
  const useBias = stateDict['in_proj_bias'] !== undefined;
  const layer = new MultiHeadAttention({ numHeads, keyDim: headDim, valueDim: headDim, useBias, name: options.name });
  // Build by one eager call on (1, 1, dim) zeros, so the layer is owned (disposable) as after any call.
  tf.tidy(() => layer.apply([tf.zeros([1, 1, embedDim]), tf.zeros([1, 1, valueInDim]), tf.zeros([1, 1, keyInDim])]) as tf.Tensor);
  const weights = tf.tidy(() => {
    let queryWeight: tf.Tensor; // (E, E) as PyTorch: (out, in)
    let keyWeight: tf.Tensor; // (E, kdim)
    let valueWeight: tf.Tensor; // (E, vdim)
    if (packed) {
      const parts = tf.split(entry(stateDict, 'in_proj_weight', [3 * embedDim, embedDim])!, 3, 0); // 3 × (E, E)
      [queryWeight, keyWeight, valueWeight] = [parts[0]!, parts[1]!, parts[2]!];
    } else {
      queryWeight = entry(stateDict, 'q_proj_weight', [embedDim, embedDim])!;
      keyWeight = entry(stateDict, 'k_proj_weight', [embedDim, keyInDim])!;
      valueWeight = entry(stateDict, 'v_proj_weight', [embedDim, valueInDim])!;
    }
    // PyTorch Linear computes x·Wᵀ: the Keras kernel is Wᵀ, split by head.
    const toKernel = (weight: tf.Tensor) => weight.transpose().reshape([weight.shape[1]!, numHeads, headDim]); // (inDim, heads, headDim)
    const outKernel = entry(stateDict, 'out_proj.weight', [embedDim, embedDim])!.transpose().reshape([numHeads, headDim, embedDim]); // (heads, headDim, E)
    const list = [toKernel(queryWeight), toKernel(keyWeight), toKernel(valueWeight), outKernel];
    if (useBias) {
      const [queryBias, keyBias, valueBias] = tf.split(entry(stateDict, 'in_proj_bias', [3 * embedDim])!, 3, 0).map((bias) => bias.reshape([numHeads, headDim])); // (heads, headDim)
      const outBias = entry(stateDict, 'out_proj.bias', [embedDim]) ?? tf.zeros([embedDim]);
      list.push(queryBias!, keyBias!, valueBias!, outBias);
    }
    return list;
  });
  // Order of MultiHeadAttention.weights: kernels of query, key, value, output, then their biases.
  const byName: Record<string, tf.Tensor> = {};
  const names = ['query/kernel', 'key/kernel', 'value/kernel', 'attention_output/kernel', 'query/bias', 'key/bias', 'value/bias', 'attention_output/bias'];
  weights.forEach((weight, index) => (byName[names[index]!] = weight));
  layer.setWeights(layer.weights.map((variable) => byName[variable.originalName.split('/').slice(-2).join('/')]!));
  tf.dispose(weights);
  return layer;
}
