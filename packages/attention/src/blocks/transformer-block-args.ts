import { assertPositiveInteger, assertRate, makeInitializer, type InitializerName, type LayerArgs } from '../layers/layer-utils';
import { FEED_FORWARD_ACTIVATIONS, type FeedForwardActivation } from './block-weights';

/** Configuration shared by {@link TransformerEncoderBlock} and {@link TransformerDecoderBlock} (Keras-hub names). */
export interface TransformerBlockArgs extends LayerArgs {
  /** Attention heads; must divide the model width. */
  numHeads: number;
  /** Hidden width of the feed-forward network (PyTorch `dim_feedforward`). */
  intermediateDim: number;
  /**
   * Dropout on attention weights, sublayer outputs and the feed-forward hidden layer (PyTorch's
   * one `dropout` of `nn.TransformerEncoderLayer`); the three rates below override it per place.
   * Default 0.
   */
  dropout?: number;
  /**
   * Dropout on the softmax attention weights (HF `attention_probs_dropout_prob`, DistilBERT
   * `attention_dropout`). Default `dropout`.
   */
  attentionDropout?: number;
  /**
   * Dropout on each attention sublayer's output, before the residual add (HF
   * `hidden_dropout_prob`; DistilBERT has none: 0). Default `dropout`.
   */
  attentionOutputDropout?: number;
  /**
   * Dropout on the feed-forward hidden layer, after the activation (PyTorch's
   * `nn.TransformerEncoderLayer` has it; BERT, DistilBERT and ViT do not: 0). The feed-forward
   * output always takes `dropout`. Default `dropout`.
   */
  intermediateDropout?: number;
  /** Feed-forward activation: `relu`, `gelu` (erf) or `gelu_new` (tanh approximation). Default `relu`. */
  activation?: FeedForwardActivation;
  /** Pre-norm (`x + f(norm(x))`, PyTorch `norm_first=True`) instead of post-norm. Default false. */
  normalizeFirst?: boolean;
  /** ε of the layer norms. Default 1e-5 (PyTorch). */
  layerNormEpsilon?: number;
  /** Default `glorotUniform`. */
  kernelInitializer?: InitializerName;
  /** Default `zeros`. */
  biasInitializer?: InitializerName;
}

/** The validated, defaulted values of {@link TransformerBlockArgs}. */
export type TransformerBlockConfig = Required<Omit<TransformerBlockArgs, keyof LayerArgs>>;

/** Validates and defaults a block's arguments, naming the bad one. */
export function transformerBlockConfig(args: TransformerBlockArgs, where: string): TransformerBlockConfig {
  assertPositiveInteger(args.numHeads, 'numHeads', where);
  assertPositiveInteger(args.intermediateDim, 'intermediateDim', where);
  assertRate(args.dropout ?? 0, 'dropout', where);
  for (const name of ['attentionDropout', 'attentionOutputDropout', 'intermediateDropout'] as const) {
    if (args[name] !== undefined) assertRate(args[name], name, where);
  }
  const activation = args.activation ?? 'relu';
  if (!FEED_FORWARD_ACTIVATIONS.includes(activation)) throw new Error(`${where}: activation must be one of ${FEED_FORWARD_ACTIVATIONS.join(', ')}; got ${String(activation).slice(0, 40)}`);
  const layerNormEpsilon = args.layerNormEpsilon ?? 1e-5;
  if (!(layerNormEpsilon > 0)) throw new Error(`${where}: layerNormEpsilon must be positive; got ${layerNormEpsilon}`);
  const config: TransformerBlockConfig = {
    numHeads: args.numHeads,
    intermediateDim: args.intermediateDim,
    dropout: args.dropout ?? 0,
    attentionDropout: args.attentionDropout ?? args.dropout ?? 0,
    attentionOutputDropout: args.attentionOutputDropout ?? args.dropout ?? 0,
    intermediateDropout: args.intermediateDropout ?? args.dropout ?? 0,
    activation,
    normalizeFirst: args.normalizeFirst ?? false,
    layerNormEpsilon,
    kernelInitializer: args.kernelInitializer ?? 'glorotUniform',
    biasInitializer: args.biasInitializer ?? 'zeros',
  };
  makeInitializer(config.kernelInitializer, where, 'kernelInitializer');
  makeInitializer(config.biasInitializer, where, 'biasInitializer');
  return config;
}

/** Throws unless `numHeads` divides the model width, naming both. */
export function assertHeadsDivideWidth(numHeads: number, width: number | null | undefined, inputShape: unknown, where: string): asserts width is number {
  if (typeof width !== 'number' || width % numHeads !== 0) {
    throw new Error(`${where}: numHeads ${numHeads} must divide the model width; got inputs of shape [${String(inputShape)}] (width ${width})`);
  }
}
