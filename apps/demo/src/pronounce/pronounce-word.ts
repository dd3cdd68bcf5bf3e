import type { Seq2Seq } from '@heed/models';

/** Beam width of the page's beam search (the CLI's `--beam` default for G2P evaluation is 1 = greedy). */
export const BEAM_SIZE = 5;

/** What the G2P model says for one word. */
export interface Pronunciation {
  /** The word as the model saw it (lower case). */
  word: string;
  /** Its letters, one per encoder step (the alignment's columns). */
  letters: string[];
  /** ARPAbet phonemes without stress. */
  phonemes: string[];
  /** Decoder attention over the letters, one row per output step (the phonemes, then `</s>` when the model ended). */
  alignment: number[][];
  /** Row labels of `alignment`. */
  steps: string[];
  /** Log-probability of the output (length-normalized for beam search). */
  score: number;
  search: 'greedy' | 'beam';
}

/**
 * Checks a typed word against the model's letters and returns its source ids, or throws a message
 * for the page: empty, several words, too long, or letters the model never saw.
 */
export function encodeWord(model: Seq2Seq, typed: string): { word: string; letters: string[]; ids: number[] } {
  const source = model.vocabularies?.source;
  if (!source) throw new Error('This G2P model has no letter vocabulary; it cannot read words.');
  const word = typed.trim().toLowerCase();
  if (word === '') throw new Error('Type a word (letters a–z, and apostrophes as in “don’t”).');
  if (/\s/.test(word)) throw new Error('One word at a time: remove the spaces.');
  const letters = Array.from(word.replaceAll('’', "'"));
  const unknown = [...new Set(letters.filter((letter) => source.tokenToId(letter) === undefined))];
  if (unknown.length > 0) throw new Error(`The model only knows the letters a–z and the apostrophe; “${unknown.join('', )}” ${unknown.length === 1 ? 'is' : 'are'} not among them.`);
  const max = model.config.maxSourceLength;
  if (letters.length > max) throw new Error(`At most ${max} letters (the model's longest input); this word has ${letters.length}.`);
  return { word: letters.join(''), letters, ids: letters.map((letter) => source.tokenToId(letter)!) };
}

/** Pronounces one word greedily or with beam search ({@link BEAM_SIZE}), with the alignment. */
export async function pronounceWord(model: Seq2Seq, typed: string, search: 'greedy' | 'beam'): Promise<Pronunciation> {
  const { word, letters, ids } = encodeWord(model, typed);
  const [best] = await model.generate([ids], { beamSize: search === 'beam' ? BEAM_SIZE : 1 });
  const target = model.vocabularies!.target;
  const phonemes = best!.tokens.map((id) => target.idToToken(id) ?? '<unk>');
  const alignment = best!.alignment[0]!;
  const steps = alignment.map((_, step) => phonemes[step] ?? '</s>');
  return { word, letters, phonemes, alignment, steps, score: best!.score, search };
}
