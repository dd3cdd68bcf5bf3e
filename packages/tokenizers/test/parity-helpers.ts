// Shared by the parity tests: the corpus, reference tokenizers and offset checks.
import { Tokenizer as ReferenceTokenizer } from '@huggingface/tokenizers';
import { Tokenizer } from '../src/index';
import { HARD_CASES, realSentences, REFERENCE_CONFIG } from '../src/__fixtures__/pretrained';
import { hasFinalSigma } from '../src/__fixtures__/reference-differences';

/** 20,000+ real sentences plus the hand-written hard cases. */
export const PARITY_TEXTS: string[] = [...HARD_CASES, ...realSentences(21_000)];

/** heed and the independent reference, both built from the same tokenizer.json. */
export function buildPair(json: Record<string, unknown>): { heed: Tokenizer; reference: ReferenceTokenizer } {
  return { heed: Tokenizer.fromJSON(json), reference: new ReferenceTokenizer(json, REFERENCE_CONFIG) };
}

export { hasFinalSigma, JS_SPACE_DIFFERENCE } from '../src/__fixtures__/reference-differences';

/** The first text where ids or tokens differ (with both results), or null. */
export function firstMismatch(
  heed: Tokenizer,
  reference: ReferenceTokenizer,
  texts: readonly string[],
): { text: string; heed: string[]; reference: string[] } | null {
  for (const text of texts) {
    if (hasFinalSigma(text)) continue;
    const expected = reference.encode(text);
    const actual = heed.encode(text);
    if (
      expected.ids.length !== actual.ids.length ||
      expected.ids.some((id, index) => id !== actual.ids[index]) ||
      expected.tokens.some((token, index) => token !== actual.tokens[index])
    ) {
      return { text, heed: actual.tokens, reference: expected.tokens };
    }
  }
  return null;
}
