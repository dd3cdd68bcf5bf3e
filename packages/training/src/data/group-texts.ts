/**
 * Hugging Face `run_clm`'s `group_texts`: concatenates the token ids of every text and cuts them
 * into blocks of exactly `blockSize` tokens, dropping the remainder that does not fill a block (so
 * every block is a full training example and `labels` are the block itself). Texts run on into each
 * other; put an end-of-text id at the end of each text first if they should be told apart.
 *
 * @param texts the token ids of each text (or of one text).
 * @returns `⌊total / blockSize⌋` blocks of `blockSize` ids, in order.
 * @example
 * ```ts
 * groupTexts([[1, 2, 3], [4, 5], [6, 7, 8]], 3); // [[1, 2, 3], [4, 5, 6]] (7, 8 are dropped)
 * ```
 */
export function groupTexts(texts: readonly (readonly number[])[], blockSize: number): number[][] {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`groupTexts: blockSize must be a positive integer; got ${blockSize}`);
  if (!Array.isArray(texts)) throw new TypeError(`groupTexts: texts must be an array of token-id arrays; got ${typeof texts}`);
  const ids = texts.flat();
  const blocks: number[][] = [];
  for (let start = 0; start + blockSize <= ids.length; start += blockSize) blocks.push(ids.slice(start, start + blockSize));
  return blocks;
}
