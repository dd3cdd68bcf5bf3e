import * as tf from '@tensorflow/tfjs';

/** Shape of a Transformer encoder layer for the benchmark: (batch, time, model width), heads, FFN width. */
export interface EncoderShape {
  batch: number;
  time: number;
  width: number;
  heads: number;
  hidden: number;
}

/**
 * A plain tfjs composite post-norm Transformer encoder layer (as nn.TransformerEncoderLayer),
 * used only to measure what kernel overrides do to a realistic training step.
 */
export function createEncoderLayer(shape: EncoderShape) {
  const { width, hidden } = shape;
  const init = (rows: number, columns: number, seed: number) => tf.variable(tf.randomNormal([rows, columns], 0, 1 / Math.sqrt(rows), 'float32', seed));
  const weights = {
    query: init(width, width, 1),
    key: init(width, width, 2),
    value: init(width, width, 3),
    output: init(width, width, 4),
    up: init(width, hidden, 5),
    down: init(hidden, width, 6),
  };
  const headDim = width / shape.heads;
  const splitHeads = (x: tf.Tensor) =>
    x.reshape([shape.batch, shape.time, shape.heads, headDim]).transpose([0, 2, 1, 3]); // (B, H, T, hd)
  const forward = (input: tf.Tensor3D): tf.Tensor3D => {
    const flat = input.reshape([-1, width]) as tf.Tensor2D; // (B·T, E)
    const query = splitHeads(flat.matMul(weights.query));
    const key = splitHeads(flat.matMul(weights.key));
    const value = splitHeads(flat.matMul(weights.value));
    const scores = tf.matMul(query, key, false, true).div(Math.sqrt(headDim)); // (B, H, T, T)
    const context = tf.matMul(tf.softmax(scores), value); // (B, H, T, hd)
    const merged = context.transpose([0, 2, 1, 3]).reshape([-1, width]) as tf.Tensor2D; // (B·T, E)
    const attended = tf.add(flat, merged.matMul(weights.output)) as tf.Tensor2D;
    const normed = tf.sub(attended, attended.mean(-1, true)).div(tf.moments(attended, -1, true).variance.add(1e-5).sqrt()) as tf.Tensor2D;
    const fed = (tf.relu(normed.matMul(weights.up)) as tf.Tensor2D).matMul(weights.down);
    const out = tf.add(normed, fed);
    return tf.sub(out, out.mean(-1, true)).div(tf.moments(out, -1, true).variance.add(1e-5).sqrt()).reshape(input.shape);
  };
  const variables = Object.values(weights);
  return {
    forward,
    /** One training step's gradients (loss = mean of the output squared); returns nothing. */
    forwardBackward(input: tf.Tensor3D): void {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(() => forward(input).square().mean() as tf.Scalar, variables);
        return Object.values(grads);
      }).forEach((gradient) => gradient.dispose());
    },
    dispose: () => variables.forEach((variable) => variable.dispose()),
  };
}
