import type { HfTokenizer } from '@heed/models';

/**
 * How each token reads on its own (byte-level BPE: `Ġwhale` → ` whale`): every id decoded alone,
 * special tokens kept. A token holding only part of a UTF-8 character reads as U+FFFD.
 *
 * @example
 * ```ts
 * tokenStrings(tokenizer, [464, 6450]); // ['The', ' whale']
 * ```
 */
export function tokenStrings(tokenizer: HfTokenizer, ids: readonly number[]): string[] {
  return ids.map((id) => tokenizer.tokenizer.decode([id], { skipSpecialTokens: false }));
}

/**
 * The text of `ids` that is settled while tokens still stream: the decoded text without a
 * trailing U+FFFD, which is a UTF-8 character whose remaining bytes have not come yet (as
 * `heed hf generate` holds it back). Pass `final` for the last call.
 *
 * @example
 * ```ts
 * output.textContent = settledText(tokenizer, newIds, done);
 * ```
 */
export function settledText(tokenizer: HfTokenizer, ids: readonly number[], final = false): string {
  const text = tokenizer.tokenizer.decode([...ids], { skipSpecialTokens: true });
  return final ? text : text.replace(/\uFFFD+$/u, '');
}
