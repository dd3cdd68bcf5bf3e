import {
  AdditiveAttention,
  causalMask,
  combineMasks,
  CosineAttention,
  LocalAttention,
  LuongAttention,
  MultiHeadAttention,
  paddingMask,
  scaledDotProductAttention,
  windowMask,
} from '@heed/attention';
import * as tf from '@tensorflow/tfjs';
import type { MechanismId } from './mechanisms';
import { allowedCells, embedTokens, playgroundTokens, scaledDotInputs, seededMatrix, type MaskSettings } from './seeded-inputs';

/** Everything the playground's controls set. */
export interface PlaygroundSettings extends MaskSettings {
  mechanism: MechanismId;
  sentence: string;
  /** Embedding width d. */
  dim: number;
  /** Heads of multi-head attention (divides `dim`). */
  heads: number;
  /** Seed of the embeddings and of every weight. */
  seed: number;
  /** Cosine attention's τ. */
  temperature: number;
}

/** The weights to draw: `(heads, T, T)` row-major, with the tokens and the masked cells. */
export interface PlaygroundResult {
  tokens: string[];
  weights: Float32Array;
  shape: [number, number, number];
  /** (T, T), true = masked (drawn gray). */
  masked: boolean[][];
}

const isLocal = (mechanism: MechanismId) => mechanism === 'local-m' || mechanism === 'local-p';

/** The attention layer of a mechanism (every one but scaled dot-product, which is an op). */
function makeLayer(settings: PlaygroundSettings): tf.layers.Layer {
  const { mechanism, dim, heads, temperature } = settings;
  switch (mechanism) {
    case 'multi-head':
      return new MultiHeadAttention({ numHeads: heads, keyDim: dim / heads });
    case 'additive':
      return new AdditiveAttention({ units: dim });
    case 'luong-dot':
      return new LuongAttention({ scoreMode: 'dot' });
    case 'luong-general':
      return new LuongAttention({ scoreMode: 'general' });
    case 'luong-concat':
      return new LuongAttention({ scoreMode: 'concat', units: dim });
    case 'cosine':
      return new CosineAttention({ temperature });
    case 'local-m':
    case 'local-p':
      return new LocalAttention({ window: settings.window ?? 1, mode: mechanism, scoreMode: 'general' });
    case 'scaled-dot':
      throw new Error('scaled dot-product attention is an op, not a layer');
  }
}

/** Replaces every matrix weight of a built layer by seeded N(0, 1/fanIn) values (biases keep theirs). */
function seedWeights(layer: tf.layers.Layer, seed: number): void {
  const weights = layer.getWeights();
  const seeded = weights.map((weight, index) => {
    if (weight.rank < 2) return weight;
    const fanIn = weight.shape[0]!;
    return tf.tensor(seededMatrix(fanIn, weight.size / fanIn, seed + 100 + index), weight.shape);
  });
  layer.setWeights(seeded);
  tf.dispose(seeded.filter((tensor, index) => tensor !== weights[index]));
}

/**
 * Computes the attention weights of the playground's settings on the active backend with
 * @heed/attention's public ops and layers: self-attention over the sentence's seeded embeddings,
 * with the padding / causal / window masks built by `paddingMask`, `causalMask`, `windowMask`.
 */
export async function computeWeights(settings: PlaygroundSettings): Promise<PlaygroundResult> {
  const { mechanism, dim, seed } = settings;
  const tokens = playgroundTokens(settings.sentence, settings.padding);
  const length = tokens.length;
  if (mechanism === 'multi-head' && dim % settings.heads !== 0) throw new Error(`d = ${dim} must be divisible by the number of heads (${settings.heads}).`);
  // Local attention's window is the layer's own D (around pₜ), not an extra mask.
  const masks: MaskSettings = { padding: settings.padding, causal: settings.causal, window: isLocal(mechanism) ? undefined : settings.window };
  const mask = tf.tidy(() =>
    combineMasks(
      masks.padding > 0 ? paddingMask([length - masks.padding], length) : undefined, // (1, 1, S)
      masks.causal ? causalMask(length) : undefined, // (T, S)
      masks.window !== undefined ? windowMask(length, length, masks.window) : undefined, // (T, S)
    ),
  );
  let weights: tf.Tensor;
  if (mechanism === 'scaled-dot') {
    const inputs = scaledDotInputs(tokens, dim, seed);
    weights = tf.tidy(() => {
      const [query, key, value] = [inputs.query, inputs.key, inputs.value].map((data) => tf.tensor3d(data, [1, length, dim]));
      const [, attention] = scaledDotProductAttention(query!, key!, value!, { mask, returnWeights: true });
      return attention; // (1, T, S)
    });
  } else {
    const layer = makeLayer(settings);
    const x = tf.tensor3d(embedTokens(tokens, dim, seed), [1, length, dim]); // (1, T, d)
    const options = { attentionMask: mask, returnAttentionScores: true };
    try {
      tf.dispose(layer.apply([x, x], options) as tf.Tensor[]); // builds the weights
      seedWeights(layer, seed);
      weights = tf.tidy(() => (layer.apply([x, x], options) as tf.Tensor[])[1]!); // (1, T, S) or (1, heads, T, S)
    } finally {
      x.dispose();
      layer.dispose();
    }
  }
  mask?.dispose();
  const heads = weights.rank === 4 ? weights.shape[1]! : 1;
  const values = (await weights.data()) as Float32Array;
  weights.dispose();
  // local-m's window is hard (pₜ = t), so its outside is drawn as masked; local-p's moves with pₜ.
  const allowed = allowedCells(length, mechanism === 'local-m' ? { ...masks, window: settings.window ?? 1 } : masks);
  return { tokens, weights: values, shape: [heads, length, length], masked: allowed.map((row) => row.map((cell) => !cell)) };
}
