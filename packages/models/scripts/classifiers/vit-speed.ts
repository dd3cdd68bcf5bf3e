/**
 * Times ViT training steps on the current machine (wasm) for a few configurations, to pick one that
 * fits `heed train vit`'s 20-minute budget. Run: `tsx scripts/classifiers/vit-speed.ts`.
 */
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '@heed/backends';
import { VisionTransformer } from '../../src/vit/vit-image-classifier';

await initBackend({ backend: (process.env.HEED_BACKEND as 'wasm' | 'cpu' | undefined) ?? 'wasm' });
const batch = Number(process.env.BATCH ?? 64);
const configs = [
  { patchSize: 7, dim: 64, depth: 4, heads: 4, mlpDim: 128 },
  { patchSize: 4, dim: 64, depth: 4, heads: 4, mlpDim: 128 },
];
for (const c of configs) {
  const vit = new VisionTransformer({ imageSize: 28, numClasses: 10, ...c });
  const optimizer = tf.train.adam(1e-3);
  const x = tf.randomUniform([batch, 28, 28, 1]);
  const y = tf.oneHot(tf.randomUniform([batch], 0, 10, 'int32'), 10);
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, vit.model.apply(x, { training: true }) as tf.Tensor), false);
  step();
  const start = performance.now();
  const steps = 5;
  for (let i = 0; i < steps; i++) step();
  const ms = (performance.now() - start) / steps;
  console.log(JSON.stringify({ ...c, params: vit.countParams(), batch, msPerStep: Math.round(ms), secondsPerEpoch8000: Math.round((ms * 8000) / batch / 1000) }));
  vit.dispose();
}
