import { initBackend, isBackendName, type BackendName } from '@heed/backends';
import { attentionHeatmapSvg } from '@heed/viz';
import * as tf from '@tensorflow/tfjs';

/** `?backend=wasm` forces a backend; otherwise heed picks the best one. */
function requestedBackend(): BackendName | undefined {
  const requested = new URLSearchParams(location.search).get('backend');
  return requested !== null && isBackendName(requested) ? requested : undefined;
}

async function main(): Promise<void> {
  const backend = requestedBackend();
  const report = await initBackend(backend ? { backend } : {});
  document.querySelector('#backend')!.textContent = report.name;
  document.querySelector('#report')!.textContent = JSON.stringify(report, null, 2);
  // Scaled dot-product self-attention weights of a tiny sentence, computed on the chosen
  // backend: softmax(QKᵀ/√d) with Q = K = the embeddings.
  const tokens = ['the', 'cat', 'sat', 'down'];
  const embeddings = tf.randomNormal([tokens.length, 8], 0, 1, 'float32', 1); // (T, d)
  const weights = tf.tidy(() => tf.softmax(tf.matMul(embeddings, embeddings, false, true).div(Math.sqrt(8)))); // (T, T)
  const values = (await weights.array()) as number[][];
  tf.dispose([embeddings, weights]);
  document.querySelector('#heatmap')!.innerHTML = attentionHeatmapSvg({ weights: values, rowLabels: tokens, columnLabels: tokens });
  document.body.dataset.ready = 'true';
}

main().catch((error: Error) => {
  document.querySelector('#backend')!.textContent = `failed: ${error.message}`;
  document.body.dataset.ready = 'error';
});
