import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';

interface Encoded {
  shape: number[];
  data: string;
}

/** A model exported by scripts/peers/export_peers.py: its config, PyTorch weights, input and output. */
export interface PeerModel {
  config: Record<string, number>;
  weights: Record<string, tf.Tensor>;
  input: tf.Tensor;
  /** PyTorch's output for `input`. */
  output: tf.Tensor;
}

function decode({ shape, data }: Encoded): tf.Tensor {
  const bytes = Buffer.from(data, 'base64');
  return tf.tensor(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4).slice(), shape);
}

/** Loads `<dir>/<name>.json` as tensors on the active backend. */
export function loadPeerModel(path: string): PeerModel {
  const json = JSON.parse(readFileSync(path, 'utf8')) as {
    config: Record<string, number>;
    weights: Record<string, Encoded>;
    input: Encoded;
    output: Encoded;
  };
  const weights: Record<string, tf.Tensor> = {};
  for (const [name, encoded] of Object.entries(json.weights)) weights[name] = decode(encoded);
  return { config: json.config, weights, input: decode(json.input), output: decode(json.output) };
}
