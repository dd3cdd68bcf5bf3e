/**
 * Speed of heed's composite attention on the wasm backend (with @heed/backends' kernel
 * overrides), at the shapes of the peer figures in shared/ENVIRONMENT.md:
 * MHA forward [B8, S128, E512, H8] (PyTorch 27 ms, onnxruntime-node 20 ms, stock tfjs ~290 ms) and
 * a transformer encoder layer [B32, S64, D256, H4, FF1024] forward (PyTorch 37 ms) and
 * forward + backward (PyTorch 180 ms). Run: `pnpm --filter @heed/attention bench`.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { bench, describe } from 'vitest';
import { MultiHeadAttention } from '../src/layers/multi-head-attention';
import { TransformerEncoderBlock } from '../src/blocks/transformer-encoder-block';

await initBackend({ backend: 'wasm' });
const options = { iterations: 5, warmupIterations: 1, time: 0 };

describe('wasm', () => {
  const mha = new MultiHeadAttention({ numHeads: 8, keyDim: 64 });
  const tokens = tf.randomNormal([8, 128, 512]);
  bench('MultiHeadAttention forward [B8, S128, E512, H8]', async () => {
    const output = mha.apply(tokens) as tf.Tensor;
    await output.data();
    output.dispose();
  }, options);

  const block = new TransformerEncoderBlock({ numHeads: 4, intermediateDim: 1024 });
  const x = tf.randomNormal([32, 64, 256]);
  bench('TransformerEncoderBlock forward [B32, S64, D256, H4, FF1024]', async () => {
    const output = block.apply(x) as tf.Tensor;
    await output.data();
    output.dispose();
  }, options);

  bench('TransformerEncoderBlock forward + backward [B32, S64, D256, H4, FF1024]', async () => {
    const { value, grads } = tf.variableGrads(() => tf.mean(block.apply(x) as tf.Tensor) as tf.Scalar);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  }, options);
});
