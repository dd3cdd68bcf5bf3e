import type { TrainerCallback } from '../trainer/trainer-callback';

/**
 * Records the learning rate of every optimizer update (`{ step, learningRate }`), e.g. to plot a
 * schedule as it was actually applied.
 *
 * @example
 * ```ts
 * const rates = learningRateLogger();
 * await trainer.fit(data, { epochs: 3, callbacks: [rates] });
 * rates.values[0]; // { step: 1, learningRate: ... }
 * ```
 */
export function learningRateLogger(): TrainerCallback & { readonly values: { step: number; learningRate: number }[] } {
  const values: { step: number; learningRate: number }[] = [];
  return {
    values,
    onBatchEnd(logs) {
      const last = values[values.length - 1];
      if (logs.step > 0 && (!last || last.step !== logs.step)) values.push({ step: logs.step, learningRate: logs.learningRate });
    },
  };
}
