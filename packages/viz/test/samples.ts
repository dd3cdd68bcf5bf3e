// Sample inputs for the visual and browser tests: small, deterministic, attention-like.
import type { AttentionHeatmapOptions } from '../src/attention-heatmap';
import type { HeadViewOptions } from '../src/head-view';
import type { PatchAttentionOverlayOptions } from '../src/patch-attention-overlay';
import type { TokenHighlightOptions } from '../src/token-highlight';
import type { TrainingCurvesOptions } from '../src/training-curves';

export const tokens = ['[CLS]', 'the', 'cat', 'sat', 'on', 'the', 'mat', '[SEP]'];

/** Softmax rows of (layers=2, heads=4, T=8, T=8): each head prefers a different offset. */
export function attentionTensor(layers = 2, heads = 4, T = tokens.length): Float32Array {
  const out = new Float32Array(layers * heads * T * T);
  for (let l = 0; l < layers; l++)
    for (let h = 0; h < heads; h++)
      for (let q = 0; q < T; q++) {
        const logits = Array.from({ length: T }, (_, k) => -Math.abs(k - q - (h - 1) * (l + 1)) * (1 + h * 0.5) + (k === 0 ? 1.5 * l : 0));
        const max = Math.max(...logits);
        const exps = logits.map((value) => Math.exp(value - max));
        const sum = exps.reduce((a, b) => a + b, 0);
        exps.forEach((value, k) => (out[((l * heads + h) * T + q) * T + k] = value / sum));
      }
  return out;
}

export const heatmap: AttentionHeatmapOptions = { weights: attentionTensor(), shape: [2, 4, 8, 8], layer: 1, head: 2, rowLabels: tokens, columnLabels: tokens, showValues: true };

export const headView: HeadViewOptions = { weights: attentionTensor(), shape: [2, 4, 8, 8], layer: 0, heads: [0, 1, 2], tokens };

export const highlight: TokenHighlightOptions = {
  tokens: ['this', 'movie', 'was', 'not', 'bad', 'at', 'all', ',', 'really', 'great', '<3'],
  scores: [0.02, 0.1, 0.01, -0.55, -0.3, 0.0, 0.05, 0, 0.2, 0.9, 0.4],
  title: 'Why positive?',
};

/** A 28 × 28 gray "7" in [0, 1]. */
export function digitSeven(): Float32Array {
  const pixels = new Float32Array(28 * 28);
  for (let x = 6; x < 22; x++) for (let y = 5; y < 8; y++) pixels[y * 28 + x] = 1;
  for (let y = 8; y < 24; y++) {
    const x = Math.round(21 - (y - 8) * 0.55);
    for (let dx = -1; dx <= 1; dx++) pixels[y * 28 + x + dx] = 0.9;
  }
  return pixels;
}

/** 7 × 7 patch weights peaking on the stroke of the seven. */
export function sevenPatchWeights(): Float32Array {
  const image = digitSeven();
  const weights = new Float32Array(49);
  for (let py = 0; py < 7; py++)
    for (let px = 0; px < 7; px++) {
      let ink = 0;
      for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) ink += image[(py * 4 + y) * 28 + px * 4 + x]!;
      weights[py * 7 + px] = ink / 16 + 0.02;
    }
  const sum = weights.reduce((a, b) => a + b, 0);
  return weights.map((value) => value / sum);
}

export const overlay: PatchAttentionOverlayOptions = { image: { width: 28, height: 28, pixels: digitSeven() }, weights: sevenPatchWeights(), grid: [7, 7] };

export function curves(): TrainingCurvesOptions {
  const steps = Array.from({ length: 60 }, (_, index) => index + 1);
  return {
    steps,
    series: [
      { name: 'loss', values: steps.map((step) => 2.3 * Math.exp(-step / 15) + 0.1 + 0.05 * Math.sin(step)) },
      { name: 'val_loss', values: steps.map((step) => (step % 10 === 0 ? 2.3 * Math.exp(-step / 18) + 0.2 : null)) },
      { name: 'accuracy', values: steps.map((step) => 1 - 0.9 * Math.exp(-step / 12)) },
    ],
    styles: { val_loss: { dashed: true }, accuracy: { axis: 'right' } },
    rightLabel: 'accuracy',
  };
}
