import * as tf from '@tensorflow/tfjs';
import { expectClose, seededValues } from '@heed/backends/testing';
import { expect } from 'vitest';
import { causalMask } from '../masks/causal-mask';
import { combineMasks } from '../masks/combine-masks';
import { paddingMask } from '../masks/padding-mask';
import type { ScoredAttention } from '../layers/scored-attention';
import { expectGradientsMatchFiniteDifferences } from './check-gradients';
import { saveAndLoad } from './expect-config-round-trip';

/** Tiny shapes, so finite differences stay cheap on every backend. */
export const SHAPES = { batch: 2, queryLength: 3, keyLength: 4, queryDim: 3, keyDim: 3, valueDim: 2 };
const { batch, queryLength, keyLength, queryDim, keyDim, valueDim } = SHAPES;

export interface AttentionInputs {
  query: tf.Tensor3D;
  key: tf.Tensor3D;
  value: tf.Tensor3D;
  dispose(): void;
}

/** Deterministic query `(2, 3, queryDim)`, key `(2, 4, keyDim)`, value `(2, 4, valueDim)`. */
export function attentionInputs(dims: { queryDim?: number; keyDim?: number } = {}): AttentionInputs {
  const q = dims.queryDim ?? queryDim;
  const k = dims.keyDim ?? keyDim;
  const query = tf.tensor3d(seededValues(batch * queryLength * q, 11), [batch, queryLength, q]);
  const key = tf.tensor3d(seededValues(batch * keyLength * k, 12), [batch, keyLength, k]);
  const value = tf.tensor3d(seededValues(batch * keyLength * valueDim, 13), [batch, keyLength, valueDim]);
  return { query, key, value, dispose: () => tf.dispose([query, key, value]) };
}

/** Reads a layer's weights by their short names (`kernel`, `score_vector`, ...) as flat arrays. */
export async function weightsByName(layer: tf.layers.Layer): Promise<Record<string, Float32Array>> {
  const entries = await Promise.all(layer.weights.map(async (w) => [w.originalName.split('/').pop()!, (await w.read().data()) as Float32Array] as const));
  return Object.fromEntries(entries);
}

/**
 * Float64 reference of a scored attention from a per-pair score function written in plain JS:
 * softmax over visible keys, optional reweighting, context = weights · value.
 */
export async function naiveScoredAttention(
  inputs: AttentionInputs,
  score: (b: number, query: number[], key: number[], t: number) => number,
  options: { visible?: (b: number, t: number, s: number) => boolean; reweight?: (b: number, t: number, s: number, query: number[]) => number } = {},
): Promise<{ context: number[]; weights: number[] }> {
  const query = (await inputs.query.array()) as number[][][];
  const key = (await inputs.key.array()) as number[][][];
  const value = (await inputs.value.array()) as number[][][];
  const context: number[] = [];
  const weights: number[] = [];
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < queryLength; t++) {
      const visible = Array.from({ length: keyLength }, (_, s) => options.visible?.(b, t, s) ?? true);
      const scores = key[b]!.map((k, s) => (visible[s] ? score(b, query[b]![t]!, k, t) : -Infinity));
      const max = Math.max(...scores);
      const exps = scores.map((x) => (Number.isFinite(x) ? Math.exp(x - max) : 0));
      const total = exps.reduce((sum, x) => sum + x, 0);
      const row = exps.map((x, s) => (total > 0 ? x / total : 0) * (options.reweight?.(b, t, s, query[b]![t]!) ?? 1));
      weights.push(...row);
      for (let d = 0; d < valueDim; d++) context.push(row.reduce((sum, w, s) => sum + w * value[b]![s]![d]!, 0));
    }
  return { context, weights };
}

/** Checks input and weight gradients of `layer` against central differences on the active backend. */
export async function expectLayerGradientsMatchFiniteDifferences(layer: ScoredAttention, inputs: AttentionInputs, kwargs: Record<string, unknown> = {}): Promise<void> {
  const query = tf.variable(inputs.query);
  const key = tf.variable(inputs.key);
  const value = tf.variable(inputs.value);
  const cotangent = tf.tensor3d(seededValues(batch * queryLength * valueDim, 14), [batch, queryLength, valueDim]);
  const loss = () => tf.sum(tf.mul(layer.apply([query, value, key], kwargs) as tf.Tensor, cotangent)) as tf.Scalar;
  const weights = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  await expectGradientsMatchFiniteDifferences(loss, [query, key, value, ...weights], { label: layer.getClassName() });
  tf.dispose([query, key, value, cotangent]);
}

/**
 * Masks by construction: with key padding + causal masks, masked keys get exactly zero weight,
 * visible weights sum to one (up to a post-softmax reweighting), and the context is the
 * weighted sum of visible values only.
 */
export async function expectMaskedKeysGetZeroWeight(layer: ScoredAttention, inputs: AttentionInputs, sumsToOne = true): Promise<void> {
  const lengths = [4, 2];
  const padding = paddingMask(lengths, keyLength);
  const causal = causalMask(queryLength, keyLength);
  const mask = combineMasks(padding, causal)!;
  const [, weights] = layer.apply([inputs.query, inputs.value, inputs.key], { attentionMask: padding, useCausalMask: true, returnAttentionScores: true }) as tf.Tensor[];
  const [, viaCombined] = layer.apply([inputs.query, inputs.value, inputs.key], { attentionMask: mask, returnAttentionScores: true }) as tf.Tensor[];
  await expectClose(viaCombined!, weights!, { rtol: 0, atol: 0, label: 'useCausalMask vs combined mask' });
  const values = (await weights!.array()) as number[][][];
  for (let b = 0; b < batch; b++)
    for (let t = 0; t < queryLength; t++) {
      for (let s = 0; s < keyLength; s++) if (s > t || s >= lengths[b]!) expect(values[b]![t]![s], `weight [${b}, ${t}, ${s}]`).toBe(0);
      if (sumsToOne) expect(values[b]![t]!.reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 5);
    }
  tf.dispose([padding, causal, mask, weights!, viaCombined!]);
}

/** The layer in a `tf.model` graph, saved and loaded through tf.io, equals the eager layer. */
export async function expectGraphAndSaveLoadMatchEager(layer: ScoredAttention, inputs: AttentionInputs): Promise<void> {
  const queryInput = tf.input({ shape: inputs.query.shape.slice(1) });
  const valueInput = tf.input({ shape: inputs.value.shape.slice(1) });
  const keyInput = tf.input({ shape: inputs.key.shape.slice(1) });
  const output = layer.apply([queryInput, valueInput, keyInput], { useCausalMask: true }) as tf.SymbolicTensor;
  expect(output.shape).toEqual([null, queryLength, valueDim]);
  const model = tf.model({ inputs: [queryInput, valueInput, keyInput], outputs: output });
  const loaded = await saveAndLoad(model);
  const feeds = [inputs.query, inputs.value, inputs.key];
  const eager = layer.apply(feeds, { useCausalMask: true }) as tf.Tensor;
  const [graph, reloaded] = [model.predict(feeds) as tf.Tensor, loaded.predict(feeds) as tf.Tensor];
  await expectClose(graph, eager, { rtol: 1e-5, atol: 1e-6, label: 'graph' });
  await expectClose(reloaded, eager, { rtol: 1e-5, atol: 1e-6, label: 'saved and loaded' });
  tf.dispose([eager, graph, reloaded]);
}

/** Builds `layer` on `inputs` and gives every weight deterministic values in [-1, 1). */
export function randomizeWeights(layer: tf.layers.Layer, inputs: AttentionInputs, seed = 100): void {
  tf.dispose(layer.apply([inputs.query, inputs.value, inputs.key]) as tf.Tensor);
  const values = layer.weights.map((w, index) => tf.tensor(seededValues(w.shape.reduce((a, b) => a! * b!, 1)!, seed + index), w.shape as number[]));
  layer.setWeights(values);
  tf.dispose(values);
}

/** Row-major `(rows, columns)` matrix-vector helpers for the float64 references. */
export function times(vector: number[], matrix: ArrayLike<number>, columns: number, rowOffset = 0): number[] {
  return Array.from({ length: columns }, (_, u) => vector.reduce((sum, x, i) => sum + x * matrix[(rowOffset + i) * columns + u]!, 0));
}
