/**
 * Thrown by the trainer's NaN/Inf guard. The offending update was not applied, so the model's
 * weights (and any checkpoint already written) are the last good ones.
 *
 * @example
 * ```ts
 * try {
 *   await trainer.fit(data, { epochs: 10, callbacks: [checkpointCallback({ destination: 'file://./ckpt' })] });
 * } catch (error) {
 *   if (error instanceof NonFiniteError) console.log(error.step, error.epoch, error.batch); // then trainer.load('file://./ckpt')
 * }
 * ```
 */
export class NonFiniteError extends Error {
  constructor(
    /** What was not finite. */
    readonly quantity: 'loss' | 'gradient norm',
    /** Its value (NaN, Infinity or -Infinity). */
    readonly value: number,
    /** Optimizer updates applied before it (the failed update would have been number `step`). */
    readonly step: number,
    /** The epoch. */
    readonly epoch: number,
    /** The batch index within the epoch. */
    readonly batch: number,
  ) {
    super(
      `${quantity} is ${value} at step ${step} (epoch ${epoch}, batch ${batch}); training stopped before that update, ` +
        `so the weights are the last good ones (after ${step} updates)`,
    );
    this.name = 'NonFiniteError';
  }
}
