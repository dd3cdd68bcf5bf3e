import * as tf from '@tensorflow/tfjs';
import { expectClose } from '@heed/backends/testing';

/** Options of {@link expectGradientsMatchFiniteDifferences}. */
export interface FiniteDifferenceOptions {
  /** Step ε of the central difference. Default 1e-3 (float32). */
  epsilon?: number;
  rtol?: number;
  atol?: number;
  label?: string;
}

/**
 * Test-only gradient check: the autodiff gradient of `loss` with respect to each variable must
 * equal the central difference `(loss(x + εeᵢ) − loss(x − εeᵢ)) / 2ε`, element by element, on
 * the active backend (float32, so tolerances are loose: rtol 1e-2, atol 2e-3 by default).
 * Variables are restored afterwards.
 */
export async function expectGradientsMatchFiniteDifferences(loss: () => tf.Scalar, variables: tf.Variable[], options: FiniteDifferenceOptions = {}): Promise<void> {
  const epsilon = options.epsilon ?? 1e-3;
  const { value, grads } = tf.variableGrads(loss, variables);
  value.dispose();
  const evaluate = async () => {
    const result = tf.tidy(loss);
    const [scalar] = await result.data();
    result.dispose();
    return scalar!;
  };
  for (const variable of variables) {
    const original = Float32Array.from(await variable.data());
    const numeric: number[] = [];
    const point = Float32Array.from(original);
    const set = (values: Float32Array) => tf.tidy(() => variable.assign(tf.tensor(values, variable.shape)));
    for (let index = 0; index < point.length; index++) {
      point[index] = original[index]! + epsilon;
      set(point);
      const above = await evaluate();
      point[index] = original[index]! - epsilon;
      set(point);
      const below = await evaluate();
      point[index] = original[index]!;
      numeric.push((above - below) / (2 * epsilon));
    }
    set(original);
    await expectClose(await grads[variable.name]!.data(), numeric, {
      rtol: options.rtol ?? 1e-2,
      atol: options.atol ?? 2e-3,
      label: `${options.label ?? 'gradient'} of ${variable.name}`,
    });
  }
  tf.dispose(Object.values(grads));
}
