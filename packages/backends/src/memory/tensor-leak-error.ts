/** Thrown when a piece of work leaves tensors behind. */
export class TensorLeakError extends Error {
  constructor(
    /** What leaked (a label or "step 12"). */
    readonly where: string,
    /** Live tensors before the work. */
    readonly before: number,
    /** Live tensors after the work. */
    readonly after: number,
  ) {
    super(
      `${where} leaked ${after - before} tensor(s): tf.memory().numTensors was ${before} before and ${after} after. ` +
        'Wrap the work in tf.tidy() or dispose what it creates.',
    );
    this.name = 'TensorLeakError';
  }
}
