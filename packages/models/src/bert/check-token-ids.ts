import type * as tf from '@tensorflow/tfjs';

/**
 * Checks that every id of `ids (batch, tokens)` is an integer in `[0, limit)`, as
 * `torch.nn.Embedding` does (it raises `IndexError: index out of range`); TensorFlow.js' gather
 * would silently read zeros or garbage on some backends. The error names the argument, the
 * position, the value and the limit: `forward: input_ids[1][3] = 99 is outside [0, vocab_size 40)`.
 *
 * Reads the ids synchronously (they are small and usually still on the CPU when given).
 *
 * @param argument - The argument's name in messages (`input_ids`, `token_type_ids`).
 * @param limitName - The config field the limit comes from (`vocab_size`, `type_vocab_size`).
 * @example
 * ```ts
 * checkTokenIds('input_ids', tf.tensor2d([[2, 99]], undefined, 'int32'), 40, 'vocab_size');
 * // throws RangeError: forward: input_ids[0][1] = 99 is outside [0, vocab_size 40)
 * ```
 */
export function checkTokenIds(argument: string, ids: tf.Tensor2D, limit: number, limitName: string): void {
  const values = ids.dataSync();
  const tokens = ids.shape[1];
  for (let i = 0; i < values.length; i += 1) {
    const id = values[i]!;
    if (Number.isInteger(id) && id >= 0 && id < limit) continue;
    const where = `${argument}[${Math.floor(i / tokens)}][${i % tokens}] = ${id}`;
    throw new RangeError(Number.isInteger(id) ? `forward: ${where} is outside [0, ${limitName} ${limit})` : `forward: ${where} is not an integer id`);
  }
}
