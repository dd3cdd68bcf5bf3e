import type { FeedForwardActivation } from '@heed/attention';

const VIT_ACTIVATIONS: readonly FeedForwardActivation[] = ['gelu', 'gelu_new', 'relu'];

/**
 * Configuration of a ViT (the names of lucidrains' `vit-pytorch`): the {@link VitBackbone}'s fields and
 * `numClasses` of the {@link VitImageClassifier} head. HF ViT's `ViTConfig` maps onto it
 * (`hidden_size` → `dim`, `num_hidden_layers` → `depth`, `num_attention_heads` → `heads`,
 * `intermediate_size` → `mlpDim`, `layer_norm_eps` → `layerNormEpsilon`, `hidden_act` → `activation`);
 * the attention projections carry biases (HF `qkv_bias: false` makes them fixed, untrainable zeros: see `registerVitWeights`).
 *
 * @example
 * ```ts
 * const config: VisionTransformerConfig = { imageSize: 28, patchSize: 7, channels: 1, dim: 64, depth: 4, heads: 4, mlpDim: 128, numClasses: 10, dropout: 0, pool: 'cls' };
 * ```
 */
export interface VisionTransformerConfig {
  /** Image side in pixels, or `[height, width]`. Each must be divisible by `patchSize`. */
  imageSize: number | readonly [number, number];
  /** Side of the square patches. */
  patchSize: number;
  /** Channels of the images (1 for grayscale). Default 1. */
  channels?: number;
  /** Width of the token embeddings. */
  dim: number;
  /** Number of encoder blocks. */
  depth: number;
  /** Attention heads per block; must divide `dim`. */
  heads: number;
  /** Hidden width of each block's MLP. */
  mlpDim: number;
  /** Output classes. */
  numClasses: number;
  /** Dropout after the embeddings and inside the blocks. Default 0. */
  dropout?: number;
  /** Dropout on the blocks' attention weights (HF `attention_probs_dropout_prob`). Default `dropout`. */
  attentionDropout?: number;
  /** Dropout on the blocks' MLP hidden layer (HF ViT has none: 0). Default `dropout`. */
  intermediateDropout?: number;
  /** `cls`: classify from a learned class token (default); `mean`: from the mean of the patch tokens. */
  pool?: 'cls' | 'mean';
  /** ε of every layer norm (the blocks' and the final one). Default 1e-6 (the shipped ViTs; HF ViT's `layer_norm_eps` is 1e-12). */
  layerNormEpsilon?: number;
  /** The blocks' MLP activation: `gelu` (erf, HF `hidden_act: "gelu"`, default), `gelu_new` (tanh) or `relu`. */
  activation?: FeedForwardActivation;
  /** Pre-norm blocks `x + f(LN(x))` (ViT and HF ViT, default) instead of post-norm `LN(x + f(x))`. */
  normalizeFirst?: boolean;
}

/**
 * A validated, defaulted {@link VisionTransformerConfig} (`imageSize` as `[height, width]`).
 *
 * @example
 * ```ts
 * const resolved: ResolvedVitConfig = resolveVitConfig({ imageSize: 8, patchSize: 2, dim: 32, depth: 2, heads: 2, mlpDim: 64, numClasses: 10 });
 * ```
 */
export interface ResolvedVitConfig {
  imageSize: [number, number];
  patchSize: number;
  channels: number;
  dim: number;
  depth: number;
  heads: number;
  mlpDim: number;
  numClasses: number;
  dropout: number;
  attentionDropout: number;
  intermediateDropout: number;
  pool: 'cls' | 'mean';
  layerNormEpsilon: number;
  activation: FeedForwardActivation;
  normalizeFirst: boolean;
}

const WHERE = 'VisionTransformer';

function positiveInteger(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw new Error(`${WHERE}: ${name} must be a positive integer; got ${String(value)}`);
  return value;
}

/**
 * Validates and defaults a ViT configuration; every error names the offending values and shapes.
 *
 * @example
 * ```ts
 * resolveVitConfig({ imageSize: 28, patchSize: 7, dim: 64, depth: 4, heads: 4, mlpDim: 128, numClasses: 10 });
 * // { imageSize: [28, 28], channels: 1, dropout: 0, pool: 'cls', ... }
 * ```
 */
export function resolveVitConfig(config: VisionTransformerConfig): ResolvedVitConfig {
  if (typeof config !== 'object' || config === null) throw new Error(`${WHERE}: config must be an object; got ${String(config)}`);
  const size = config.imageSize;
  const imageSize: [number, number] = Array.isArray(size) ? [size[0], size[1]] : [size as number, size as number];
  if (Array.isArray(size) && size.length !== 2) throw new Error(`${WHERE}: imageSize must be a number or [height, width]; got [${size.join(', ')}]`);
  positiveInteger(imageSize[0], 'imageSize (height)');
  positiveInteger(imageSize[1], 'imageSize (width)');
  const patchSize = positiveInteger(config.patchSize, 'patchSize');
  if (imageSize[0] % patchSize !== 0 || imageSize[1] % patchSize !== 0) {
    throw new Error(`${WHERE}: image size ${imageSize[0]}×${imageSize[1]} is not divisible by patchSize ${patchSize}`);
  }
  const dim = positiveInteger(config.dim, 'dim');
  const heads = positiveInteger(config.heads, 'heads');
  if (dim % heads !== 0) throw new Error(`${WHERE}: dim ${dim} is not divisible by heads ${heads}`);
  const rate = (value: unknown, name: string): number => {
    if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new Error(`${WHERE}: ${name} must be in [0, 1); got ${String(value)}`);
    return value;
  };
  const dropout = rate(config.dropout ?? 0, 'dropout');
  const attentionDropout = rate(config.attentionDropout ?? dropout, 'attentionDropout');
  const intermediateDropout = rate(config.intermediateDropout ?? dropout, 'intermediateDropout');
  const pool = config.pool ?? 'cls';
  if (pool !== 'cls' && pool !== 'mean') throw new Error(`${WHERE}: pool must be 'cls' or 'mean'; got ${JSON.stringify(pool)}`);
  const layerNormEpsilon = config.layerNormEpsilon ?? 1e-6;
  if (typeof layerNormEpsilon !== 'number' || !(layerNormEpsilon > 0 && layerNormEpsilon < 1)) throw new Error(`${WHERE}: layerNormEpsilon must be in (0, 1); got ${String(layerNormEpsilon)}`);
  const activation = config.activation ?? 'gelu';
  if (!VIT_ACTIVATIONS.includes(activation)) throw new Error(`${WHERE}: activation must be one of ${VIT_ACTIVATIONS.join(', ')}; got ${JSON.stringify(activation).slice(0, 40)}`);
  const normalizeFirst = config.normalizeFirst ?? true;
  if (typeof normalizeFirst !== 'boolean') throw new Error(`${WHERE}: normalizeFirst must be true or false; got ${JSON.stringify(normalizeFirst).slice(0, 40)}`);
  return {
    imageSize,
    patchSize,
    channels: positiveInteger(config.channels ?? 1, 'channels'),
    dim,
    depth: positiveInteger(config.depth, 'depth'),
    heads,
    mlpDim: positiveInteger(config.mlpDim, 'mlpDim'),
    numClasses: positiveInteger(config.numClasses, 'numClasses'),
    dropout,
    attentionDropout,
    intermediateDropout,
    pool,
    layerNormEpsilon,
    activation,
    normalizeFirst,
  };
}

/**
 * Patches along each axis `[rows, columns]` of a resolved config.
 *
 * @example
 * ```ts
 * patchGrid(resolveVitConfig({ imageSize: 28, patchSize: 7, dim: 64, depth: 4, heads: 4, mlpDim: 128, numClasses: 10 })); // [4, 4]
 * ```
 */
export function patchGrid(config: ResolvedVitConfig): [number, number] {
  return [config.imageSize[0] / config.patchSize, config.imageSize[1] / config.patchSize];
}
