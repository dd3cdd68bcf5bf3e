// Shared by the bundle pages: loads a saved tf.LayersModel by URL and predicts one input on tfjs's
// cpu backend, so the test can compare the numbers with the same model run in Node.
import * as tf from '@tensorflow/tfjs';

/**
 * @param {string} url the saved model's model.json
 * @param {number[]} values the input, flattened
 * @param {number[]} shape the input's shape, batch first
 * @returns {Promise<{ classNames: string[]; output: number[] }>} the model's layer classes and its output, flattened
 */
export async function predict(url, values, shape) {
  await tf.setBackend('cpu');
  const model = await tf.loadLayersModel(url);
  const input = tf.tensor(values, shape);
  const output = /** @type {tf.Tensor} */ (model.predict(input));
  const result = { classNames: model.layers.map((layer) => layer.getClassName()), output: Array.from(await output.data()) };
  tf.dispose([input, output]);
  model.dispose();
  return result;
}
