import * as tf from '@tensorflow/tfjs';

/** One state-dict entry as exported from PyTorch: `{shape: t.shape, data: t.flatten().tolist()}`. */
export interface TorchTensorJson {
  shape: number[];
  data: ArrayLike<number>;
}

/** A PyTorch state dict of {@link TorchTensorJson} entries. */
export type TorchStateDict = Record<string, TorchTensorJson | undefined>;

/** Reads `stateDict[name]` as a float32 tensor, checking its size and (optionally) its shape. */
export function torchEntry(stateDict: TorchStateDict, name: string, expectedShape: number[] | undefined, where: string): tf.Tensor | undefined {
  const value = stateDict[name];
  if (value === undefined) return undefined;
  const size = value.shape.reduce((product, dim) => product * dim, 1);
  if (value.data.length !== size) throw new Error(`${where}: ${name} has shape [${value.shape}] but ${value.data.length} values`);
  if (expectedShape && value.shape.join() !== expectedShape.join()) {
    throw new Error(`${where}: ${name} has shape [${value.shape}], expected [${expectedShape}]`);
  }
  return tf.tensor(Array.from(value.data), value.shape, 'float32');
}

/** The dimensions of a PyTorch `nn.MultiheadAttention` found in a state dict. */
export interface TorchAttentionDims {
  embedDim: number;
  keyInDim: number;
  valueInDim: number;
  headDim: number;
  useBias: boolean;
}

/**
 * Reads the `nn.MultiheadAttention` under `prefix` (e.g. `self_attn.`) and returns its weights in
 * Keras layout keyed `query/kernel`, ..., `attention_output/bias`.
 */
export function torchAttentionToKeras(stateDict: TorchStateDict, prefix: string, numHeads: number, where: string): { dims: TorchAttentionDims; weights: Record<string, tf.Tensor> } {
  const outWeight = stateDict[`${prefix}out_proj.weight`];
  if (!outWeight || outWeight.shape.length !== 2) throw new Error(`${where}: stateDict needs ${prefix}out_proj.weight of shape (E, E)`);
  if (stateDict[`${prefix}bias_k`] || stateDict[`${prefix}bias_v`]) throw new Error(`${where}: add_bias_kv (bias_k, bias_v) is not supported`);
  const embedDim = outWeight.shape[0]!;
  if (!Number.isInteger(numHeads) || numHeads < 1 || embedDim % numHeads !== 0) {
    throw new Error(`${where}: numHeads ${numHeads} must divide the embedding width ${embedDim} (${prefix}out_proj.weight [${outWeight.shape}])`);
  }
  const headDim = embedDim / numHeads;
  const packed = stateDict[`${prefix}in_proj_weight`] !== undefined;
  const keyInDim = packed ? embedDim : stateDict[`${prefix}k_proj_weight`]?.shape[1];
  const valueInDim = packed ? embedDim : stateDict[`${prefix}v_proj_weight`]?.shape[1];
  if (keyInDim === undefined || valueInDim === undefined) {
    throw new Error(`${where}: stateDict needs ${prefix}in_proj_weight, or ${prefix}q_proj_weight, k_proj_weight and v_proj_weight`);
  }
  const useBias = stateDict[`${prefix}in_proj_bias`] !== undefined;
  const read = (name: string, shape: number[]) => torchEntry(stateDict, `${prefix}${name}`, shape, where);
  const weights = tf.tidy(() => {
    let queryWeight: tf.Tensor; // (E, E) as PyTorch: (out, in)
    let keyWeight: tf.Tensor; // (E, kdim)
    let valueWeight: tf.Tensor; // (E, vdim)
    if (packed) {
      const parts = tf.split(read('in_proj_weight', [3 * embedDim, embedDim])!, 3, 0); // 3 × (E, E)
      [queryWeight, keyWeight, valueWeight] = [parts[0]!, parts[1]!, parts[2]!];
    } else {
      queryWeight = read('q_proj_weight', [embedDim, embedDim])!;
      keyWeight = read('k_proj_weight', [embedDim, keyInDim])!;
      valueWeight = read('v_proj_weight', [embedDim, valueInDim])!;
    }
    // PyTorch Linear computes x·Wᵀ: the Keras kernel is Wᵀ, split by head.
    const toKernel = (weight: tf.Tensor) => weight.transpose().reshape([weight.shape[1]!, numHeads, headDim]); // (inDim, heads, headDim)
    const result: Record<string, tf.Tensor> = {
      'query/kernel': toKernel(queryWeight),
      'key/kernel': toKernel(keyWeight),
      'value/kernel': toKernel(valueWeight),
      'attention_output/kernel': read('out_proj.weight', [embedDim, embedDim])!.transpose().reshape([numHeads, headDim, embedDim]), // (heads, headDim, E)
    };
    if (useBias) {
      const biases = tf.split(read('in_proj_bias', [3 * embedDim])!, 3, 0).map((bias) => bias.reshape([numHeads, headDim])); // 3 × (heads, headDim)
      result['query/bias'] = biases[0]!;
      result['key/bias'] = biases[1]!;
      result['value/bias'] = biases[2]!;
      result['attention_output/bias'] = read('out_proj.bias', [embedDim]) ?? tf.zeros([embedDim]);
    }
    return result;
  });
  return { dims: { embedDim, keyInDim, valueInDim, headDim, useBias }, weights };
}

/** Sets each of `layer.weights` from `byName`, keyed by the weight's name within the layer. */
export function setWeightsByName(layer: tf.layers.Layer, byName: Record<string, tf.Tensor>, where: string): void {
  const layerPrefix = `${layer.name}/`;
  const values = layer.weights.map((variable) => {
    const name = variable.originalName.startsWith(layerPrefix) ? variable.originalName.slice(layerPrefix.length) : variable.originalName;
    const value = byName[name];
    if (!value) throw new Error(`${where}: no PyTorch weight maps to ${name}`);
    if (value.shape.join() !== variable.shape.join()) throw new Error(`${where}: ${name} is [${value.shape}] in PyTorch but [${variable.shape}] here`);
    return value;
  });
  layer.setWeights(values);
}
