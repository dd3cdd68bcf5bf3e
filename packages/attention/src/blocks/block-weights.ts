import * as tf from '@tensorflow/tfjs';
import type { MultiHeadWeights } from '../ops/multi-head-attention-forward';
import { gelu } from '../ops/gelu';
import { geluNew } from '../ops/gelu-new';
import { denseLastAxis, type Initializer } from '../layers/layer-utils';

/** `addWeight` of the block that owns the weights (it is protected on tf.layers.Layer). */
export type AddWeight = (name: string, shape: number[], initializer: Initializer) => tf.LayerVariable;

/** The variables of one multi-head attention, named `<prefix>/query/kernel`, ... as Keras. */
export interface AttentionVariables {
  queryKernel: tf.LayerVariable;
  keyKernel: tf.LayerVariable;
  valueKernel: tf.LayerVariable;
  outputKernel: tf.LayerVariable;
  queryBias: tf.LayerVariable;
  keyBias: tf.LayerVariable;
  valueBias: tf.LayerVariable;
  outputBias: tf.LayerVariable;
}

/** Creates the weights of a `width → numHeads × headDim → width` attention under `prefix`. */
export function addAttentionWeights(add: AddWeight, prefix: string, width: number, keyInDim: number, numHeads: number, kernel: Initializer, bias: Initializer): AttentionVariables {
  const headDim = width / numHeads;
  return {
    queryKernel: add(`${prefix}/query/kernel`, [width, numHeads, headDim], kernel),
    keyKernel: add(`${prefix}/key/kernel`, [keyInDim, numHeads, headDim], kernel),
    valueKernel: add(`${prefix}/value/kernel`, [keyInDim, numHeads, headDim], kernel),
    outputKernel: add(`${prefix}/attention_output/kernel`, [numHeads, headDim, width], kernel),
    queryBias: add(`${prefix}/query/bias`, [numHeads, headDim], bias),
    keyBias: add(`${prefix}/key/bias`, [numHeads, headDim], bias),
    valueBias: add(`${prefix}/value/bias`, [numHeads, headDim], bias),
    outputBias: add(`${prefix}/attention_output/bias`, [width], bias),
  };
}

/** Reads attention variables as the tensors {@link multiHeadAttentionForward} takes. */
export function readAttention(variables: AttentionVariables): MultiHeadWeights {
  return {
    queryKernel: variables.queryKernel.read(),
    keyKernel: variables.keyKernel.read(),
    valueKernel: variables.valueKernel.read(),
    outputKernel: variables.outputKernel.read(),
    queryBias: variables.queryBias.read(),
    keyBias: variables.keyBias.read(),
    valueBias: variables.valueBias.read(),
    outputBias: variables.outputBias.read(),
  };
}

/** A layer norm's `gamma` (ones) and `beta` (zeros) under `prefix`. */
export function addLayerNormWeights(add: AddWeight, prefix: string, width: number): { gamma: tf.LayerVariable; beta: tf.LayerVariable } {
  return { gamma: add(`${prefix}/gamma`, [width], tf.initializers.ones()), beta: add(`${prefix}/beta`, [width], tf.initializers.zeros()) };
}

/** The position-wise feed-forward network's variables (Vaswani et al. 2017, eq. 2). */
export interface FeedForwardVariables {
  intermediateKernel: tf.LayerVariable;
  intermediateBias: tf.LayerVariable;
  outputKernel: tf.LayerVariable;
  outputBias: tf.LayerVariable;
}

export function addFeedForwardWeights(add: AddWeight, width: number, intermediateDim: number, kernel: Initializer, bias: Initializer): FeedForwardVariables {
  return {
    intermediateKernel: add('feedforward_intermediate_dense/kernel', [width, intermediateDim], kernel),
    intermediateBias: add('feedforward_intermediate_dense/bias', [intermediateDim], bias),
    outputKernel: add('feedforward_output_dense/kernel', [intermediateDim, width], kernel),
    outputBias: add('feedforward_output_dense/bias', [width], bias),
  };
}

/**
 * Activations of the feed-forward network, named as Hugging Face's `hidden_act`: `gelu` is the
 * exact (erf) GELU (BERT, ViT, PyTorch `'gelu'`), `gelu_new` its tanh approximation (GPT-2).
 */
export type FeedForwardActivation = 'relu' | 'gelu' | 'gelu_new';

/** The names {@link FeedForwardActivation} takes, for validation. */
export const FEED_FORWARD_ACTIVATIONS: readonly FeedForwardActivation[] = ['relu', 'gelu', 'gelu_new'];

const ACTIVATIONS: Record<FeedForwardActivation, (t: tf.Tensor) => tf.Tensor> = { relu: tf.relu, gelu, gelu_new: geluNew };

/** `FFN(x) = W₂·dropout(activation(W₁·x + b₁)) + b₂` on `(batch, time, width)`. */
export function feedForward(x: tf.Tensor, variables: FeedForwardVariables, activation: FeedForwardActivation, dropout: (t: tf.Tensor) => tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const hidden = denseLastAxis(x, variables.intermediateKernel.read() as tf.Tensor2D, variables.intermediateBias.read() as tf.Tensor1D); // (batch, time, intermediateDim)
    const activated = ACTIVATIONS[activation](hidden);
    return denseLastAxis(dropout(activated), variables.outputKernel.read() as tf.Tensor2D, variables.outputBias.read() as tf.Tensor1D); // (batch, time, width)
  });
}
