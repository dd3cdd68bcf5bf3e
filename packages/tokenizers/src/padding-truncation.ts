import type { Encoding } from './encoding';

/**
 * How to pad a batch: to its longest member, or to a fixed `maxLength`.
 *
 * @example
 * ```ts
 * tokenizer.encodeBatch(texts, { padding: 'longest' });
 * ```
 */
export type PaddingStrategy = 'longest' | 'max_length';

/** The pad token to append: id, text and type id. */
export interface PadToken {
  id: number;
  token: string;
  typeId: number;
}

/**
 * Cuts an encoding (before special tokens are added) to `length` tokens, keeping the start.
 *
 * @example
 * ```ts
 * const encoding = { ids: [1, 2, 3], tokens: ['a', 'b', 'c'], offsets: [[0, 1], [1, 2], [2, 3]], attentionMask: [1, 1, 1], typeIds: [0, 0, 0], specialTokensMask: [0, 0, 0], sequenceIds: [0, 0, 0] };
 * truncateEncoding(encoding, 2).ids; // [1, 2]
 * ```
 */
export function truncateEncoding(encoding: Encoding, length: number): Encoding {
  if (encoding.ids.length <= length) return encoding;
  encoding.ids.length = length;
  encoding.tokens.length = length;
  encoding.offsets.length = length;
  encoding.attentionMask.length = length;
  encoding.typeIds.length = length;
  encoding.specialTokensMask.length = length;
  encoding.sequenceIds.length = length;
  return encoding;
}

/**
 * Hugging Face's `longest_first` truncation of a pair to `budget` tokens in total: the shorter
 * sequence keeps up to half, the longer gets the rest.
 *
 * @example
 * ```ts
 * truncationLengths(3, 20, 10); // [3, 7]
 * truncationLengths(8, 12, 10); // [5, 5]
 * ```
 */
export function truncationLengths(first: number, second: number, budget: number): [number, number] {
  if (first + second <= budget) return [first, second];
  const swap = first > second;
  const shorter = Math.min(swap ? second : first, Math.floor(budget / 2));
  const longer = budget - shorter;
  return swap ? [longer, shorter] : [shorter, longer];
}

/**
 * Pads `encoding` on the right to `length` tokens (attention mask 0, special-token mask 1).
 *
 * @example
 * ```ts
 * const encoding = { ids: [7], tokens: ['a'], offsets: [[0, 1]], attentionMask: [1], typeIds: [0], specialTokensMask: [0], sequenceIds: [0] };
 * padEncoding(encoding, 3, { id: 0, token: '[PAD]', typeId: 0 }).ids; // [7, 0, 0]
 * ```
 */
export function padEncoding(encoding: Encoding, length: number, pad: PadToken): Encoding {
  while (encoding.ids.length < length) {
    encoding.ids.push(pad.id);
    encoding.tokens.push(pad.token);
    encoding.offsets.push([0, 0]);
    encoding.attentionMask.push(0);
    encoding.typeIds.push(pad.typeId);
    encoding.specialTokensMask.push(1);
    encoding.sequenceIds.push(null);
  }
  return encoding;
}
