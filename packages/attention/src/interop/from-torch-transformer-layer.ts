import * as tf from '@tensorflow/tfjs';
import type { FeedForwardActivation } from '../blocks/block-weights';
import { TransformerDecoderBlock } from '../blocks/transformer-decoder-block';
import { TransformerEncoderBlock } from '../blocks/transformer-encoder-block';
import { setWeightsByName, torchAttentionToKeras, torchEntry, type TorchStateDict } from './torch-state-dict';

/** Options of {@link fromTorchTransformerEncoderLayer} and {@link fromTorchTransformerDecoderLayer}. */
export interface FromTorchTransformerLayerOptions {
  /** `nhead` of the PyTorch layer. */
  numHeads: number;
  /** PyTorch `activation`: `'relu'`, `'gelu'`, or `'gelu_new'` for `GELU(approximate='tanh')`. Default `relu`. */
  activation?: FeedForwardActivation;
  /** PyTorch `norm_first`. Default false. */
  normFirst?: boolean;
  /** PyTorch `layer_norm_eps`. Default 1e-5. */
  layerNormEpsilon?: number;
  /** PyTorch `dropout` (only active while training). Default 0. */
  dropout?: number;
  name?: string;
}

function convert(stateDict: TorchStateDict, kind: 'encoder' | 'decoder', options: FromTorchTransformerLayerOptions): TransformerEncoderBlock | TransformerDecoderBlock {
  const where = kind === 'encoder' ? 'fromTorchTransformerEncoderLayer' : 'fromTorchTransformerDecoderLayer';
  const linear1 = stateDict['linear1.weight'];
  if (!linear1 || linear1.shape.length !== 2) throw new Error(`${where}: stateDict needs linear1.weight of shape (dim_feedforward, d_model)`);
  const [intermediateDim, width] = linear1.shape as [number, number];
  const selfAttention = torchAttentionToKeras(stateDict, 'self_attn.', options.numHeads, where);
  const crossAttention = kind === 'decoder' ? torchAttentionToKeras(stateDict, 'multihead_attn.', options.numHeads, where) : undefined;
  const args = {
    numHeads: options.numHeads,
    intermediateDim,
    activation: options.activation ?? 'relu',
    normalizeFirst: options.normFirst ?? false,
    layerNormEpsilon: options.layerNormEpsilon ?? 1e-5,
    dropout: options.dropout ?? 0,
    name: options.name,
  };
  const block = kind === 'encoder' ? new TransformerEncoderBlock(args) : new TransformerDecoderBlock(args);
  // Build by one eager call, so the layer is owned (disposable) as after any call.
  tf.tidy(() => block.apply(kind === 'encoder' ? tf.zeros([1, 1, width]) : [tf.zeros([1, 1, width]), tf.zeros([1, 1, crossAttention!.dims.keyInDim])]) as tf.Tensor);
  const byName: Record<string, tf.Tensor> = {};
  for (const [prefix, attention] of [
    ['self_attention', selfAttention],
    ['cross_attention', crossAttention],
  ] as const) {
    if (attention) for (const [name, value] of Object.entries(attention.weights)) byName[`${prefix}/${name}`] = value;
  }
  const norms = kind === 'encoder' ? ['self_attention_layer_norm', 'feedforward_layer_norm'] : ['self_attention_layer_norm', 'cross_attention_layer_norm', 'feedforward_layer_norm'];
  const read = (name: string, shape: number[]) => {
    const value = torchEntry(stateDict, name, shape, where);
    if (!value) throw new Error(`${where}: stateDict needs ${name}`);
    return value;
  };
  norms.forEach((norm, index) => {
    byName[`${norm}/gamma`] = read(`norm${index + 1}.weight`, [width]);
    byName[`${norm}/beta`] = read(`norm${index + 1}.bias`, [width]);
  });
  // PyTorch Linear computes x·Wᵀ: the kernels are the transposed weights.
  const intermediate = read('linear1.weight', [intermediateDim, width]);
  const output = read('linear2.weight', [width, intermediateDim]);
  byName['feedforward_intermediate_dense/kernel'] = intermediate.transpose(); // (width, intermediateDim)
  byName['feedforward_intermediate_dense/bias'] = read('linear1.bias', [intermediateDim]);
  byName['feedforward_output_dense/kernel'] = output.transpose(); // (intermediateDim, width)
  byName['feedforward_output_dense/bias'] = read('linear2.bias', [width]);
  try {
    setWeightsByName(block, byName, where);
  } finally {
    tf.dispose([intermediate, output, ...Object.values(byName)]);
  }
  return block;
}

/**
 * Builds a {@link TransformerEncoderBlock} equal to PyTorch's `nn.TransformerEncoderLayer`
 * (`batch_first=True`) from its state dict (`self_attn.*`, `linear1.*`, `linear2.*`, `norm1.*`,
 * `norm2.*`), each entry `{shape, data}`.
 *
 * @example
 * ```ts
 * const block = fromTorchTransformerEncoderLayer(stateDict, { numHeads: 8, activation: 'gelu', normFirst: true });
 * ```
 */
export function fromTorchTransformerEncoderLayer(stateDict: TorchStateDict, options: FromTorchTransformerLayerOptions): TransformerEncoderBlock {
  return convert(stateDict, 'encoder', options) as TransformerEncoderBlock;
}

/**
 * Builds a {@link TransformerDecoderBlock} equal to PyTorch's `nn.TransformerDecoderLayer`
 * (`batch_first=True`) from its state dict (`self_attn.*`, `multihead_attn.*`, `linear1.*`,
 * `linear2.*`, `norm1.*` … `norm3.*`). PyTorch applies no causal mask unless given `tgt_mask`;
 * call the block with `useCausalMask` to match.
 *
 * @example
 * ```ts
 * const block = fromTorchTransformerDecoderLayer(stateDict, { numHeads: 8 });
 * const out = block.apply([target, memory], { useCausalMask: true }) as tf.Tensor;
 * ```
 */
export function fromTorchTransformerDecoderLayer(stateDict: TorchStateDict, options: FromTorchTransformerLayerOptions): TransformerDecoderBlock {
  return convert(stateDict, 'decoder', options) as TransformerDecoderBlock;
}
