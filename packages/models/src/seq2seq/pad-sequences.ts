import * as tf from '@tensorflow/tfjs';

/**
 * Right-pads id sequences into an int32 `(batch, maxLength)` tensor, checking that every id is an
 * integer in `[0, vocabSize)`; errors name the row, position and value.
 *
 * @example
 * ```ts
 * padSequences([[5, 6, 7], [8]], { padId: 0, vocabSize: 10, name: 'source' }); // [[5,6,7],[8,0,0]]
 * ```
 */
export function padSequences(sequences: readonly (readonly number[])[], options: { padId: number; vocabSize: number; name: string; length?: number }): tf.Tensor2D {
  const { padId, vocabSize, name } = options;
  if (!Array.isArray(sequences) || sequences.length === 0) throw new RangeError(`${name}: expected a non-empty array of id sequences; got ${Array.isArray(sequences) ? '[]' : typeof sequences}`);
  const length = options.length ?? Math.max(...sequences.map((s) => s.length));
  if (length < 1) throw new RangeError(`${name}: every sequence is empty (shape [${sequences.length},0]); give at least one token`);
  const data = new Int32Array(sequences.length * length).fill(padId);
  sequences.forEach((sequence: readonly number[], row: number) => {
    if (sequence.length === 0) throw new RangeError(`${name}: sequence ${row} is empty; every sequence needs at least one token`);
    if (sequence.length > length) throw new RangeError(`${name}: sequence ${row} has ${sequence.length} tokens, more than the length ${length}`);
    sequence.forEach((id: number, position: number) => {
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
        throw new RangeError(`${name}: id ${id} at [${row},${position}] is outside the vocabulary [0, ${vocabSize})`);
      }
      data[row * length + position] = id;
    });
  });
  return tf.tensor2d(data, [sequences.length, length], 'int32');
}
