import { initBackend } from '@heed/backends';
import { attentionHeatmapSvg } from '@heed/viz';
import * as tf from '@tensorflow/tfjs';

async function main(): Promise<void> {
  const report = await initBackend();
  document.querySelector('#backend')!.textContent = report.name;
  document.querySelector('#report')!.textContent = JSON.stringify(report, null, 2);
  // Scaled dot-product attention weights of a tiny sentence against itself, computed on the
  // chosen backend: softmax(QKᵀ/√d).
  const tokens = ['the', 'cat', 'sat', 'down'];
  const embeddings = tf.randomNormal([tokens.length, 8], 0, 1, 'float32', 1); // (T, d)
  const weights = tf.tidy(() => tf.softmax(tf.matMul(embeddings, embeddings, false, true).div(Math.sqrt(8)))); // (T, T)
  const values = (await weights.array()) as number[][];
  tf.dispose([embeddings, weights]);
  document.querySelector('#heatmap')!.innerHTML = attentionHeatmapSvg({ weights: values, rowLabels: tokens, columnLabels: tokens });
}

main().catch((error: Error) => {
  document.querySelector('#backend')!.textContent = `failed: ${error.message}`;
});
