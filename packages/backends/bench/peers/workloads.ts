import * as tf from '@tensorflow/tfjs';
import { attentionReference } from '../../src/fused/attention-reference';
import { fusedAttention } from '../../src/fused/fused-attention';
import { encoderLayer, multiHeadSelfAttention, transposeLinearWeights, type AttentionFn, type Weights } from './heed-models';
import type { PeerModel } from './peer-weights';

/** One benchmarked computation, runnable by heed (fused) and the tfjs composite. */
export interface Workload {
  name: string;
  /** Key of the ONNX model in the export folder (forward only). */
  onnx: string;
  /** Minimal FLOPs of the forward pass; fwd+bwd counts 3x (two matmuls per forward matmul). */
  forwardFlops: number;
  /** ONNX feeds (forward). */
  feeds: Record<string, { data: Float32Array; shape: number[] }>;
  forward(attention: AttentionFn): tf.Tensor;
  /** Gradients of sum(forward) w.r.t. the weights (models) or query/key/value (attention). */
  forwardBackward(attention: AttentionFn): tf.Tensor[];
  /** Reps to time (fewer for the long ones). */
  reps: number;
  /** Why the composite does not run this one, if it does not. */
  compositeSkip?: string;
  /** PyTorch's output for the shared input, when exported. */
  expected?: tf.Tensor;
}

export const FUSED: AttentionFn = fusedAttention;
export const COMPOSITE: AttentionFn = attentionReference;

function feedOf(tensor: tf.Tensor) {
  return { data: tensor.dataSync() as Float32Array, shape: tensor.shape };
}

function modelWorkload(name: string, onnx: string, model: PeerModel, forwardFlops: number, run: (x: tf.Tensor3D, weights: Weights, attention: AttentionFn) => tf.Tensor3D, reps: number): Workload {
  const weights = transposeLinearWeights(model.weights);
  const names = Object.keys(weights);
  const x = model.input as tf.Tensor3D;
  return {
    name, onnx, forwardFlops, reps,
    feeds: { x: feedOf(x) },
    expected: model.output,
    forward: (attention) => run(x, weights, attention),
    forwardBackward: (attention) =>
      tf.grads((...values: tf.Tensor[]) => {
        const bound: Weights = {};
        names.forEach((weightName, index) => (bound[weightName] = values[index] as tf.Tensor));
        return run(x, bound, attention).sum();
      })(names.map((weightName) => weights[weightName] as tf.Tensor)),
  };
}

/** nn.MultiheadAttention [B8, S128, E512, H8]. */
export function mhaWorkload(model: PeerModel): Workload {
  const { batch = 8, length = 128, embed = 512, heads = 8 } = model.config;
  const tokens = batch * length;
  const flops = 8 * tokens * embed * embed + 4 * batch * length * length * embed;
  return modelWorkload(`MultiheadAttention [B${batch},S${length},E${embed},H${heads}]`, 'mha', model, flops,
    (x, weights, attention) => multiHeadSelfAttention(x, weights, heads, attention), 5);
}

/** nn.TransformerEncoderLayer [B32, S64, D256, H4, FF1024]. */
export function encoderWorkload(model: PeerModel): Workload {
  const { batch = 32, length = 64, model: width = 256, heads = 4, feedforward = 1024 } = model.config;
  const tokens = batch * length;
  const flops = 8 * tokens * width * width + 4 * tokens * width * feedforward + 4 * batch * length * length * width;
  return modelWorkload(`TransformerEncoderLayer [B${batch},S${length},D${width},H${heads},FF${feedforward}]`, 'encoder', model, flops,
    (x, weights, attention) => encoderLayer(x, weights, heads, attention), 5);
}

/** Bare attention softmax(Q·Kᵀ/√D)·V at (1, 8, S, 64). */
export function attentionWorkload(length: number): Workload {
  const shape: [number, number, number, number] = [1, 8, length, 64];
  const [query, key, value] = [1, 2, 3].map((seed) => tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor4D) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
  const scoreMiB = (8 * length * length * 4) / 2 ** 20;
  return {
    name: `attention [B1,H8,S${length},D64]`,
    onnx: `attention-S${length}`,
    forwardFlops: 4 * 8 * length * length * 64,
    reps: length >= 4096 ? 1 : length >= 1024 ? 3 : 5,
    compositeSkip: length >= 4096 ? `each (1,8,${length},${length}) score tensor is ${scoreMiB} MiB` : undefined,
    feeds: { query: feedOf(query), key: feedOf(key), value: feedOf(value) },
    forward: (attention) => attention(query, key, value),
    forwardBackward: (attention) =>
      tf.grads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) => attention(q as tf.Tensor4D, k as tf.Tensor4D, v as tf.Tensor4D).sum())([query, key, value]),
  };
}
