import { readString, type JsonObject } from '../json-fields';
import type { NormalizedText } from '../normalized-text';
import type { Normalizer, NormalizerJSON } from './normalizer';

/**
 * Hugging Face's `Prepend` normalizer: puts `prepend` before any non-empty text (SentencePiece's
 * dummy prefix "▁"). The added units point at the first character.
 *
 * @example
 * ```ts
 * new Prepend('▁').normalize(identityText('hi')).text; // '▁hi'
 * ```
 */
export class Prepend implements Normalizer {
  constructor(readonly prepend: string) {}

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): Prepend {
    return new Prepend(readString(json, 'prepend', path));
  }

  normalize(input: NormalizedText): NormalizedText {
    const { text, starts, ends } = input;
    if (text.length === 0 || this.prepend.length === 0) return input;
    const extra = this.prepend.length;
    const outStarts = new Array<number>(extra).fill(starts[0]!);
    const outEnds = new Array<number>(extra).fill(starts[0]!);
    for (let index = 0; index < text.length; index++) {
      outStarts.push(starts[index]!);
      outEnds.push(ends[index]!);
    }
    return { text: this.prepend + text, starts: outStarts, ends: outEnds };
  }

  toJSON(): NormalizerJSON {
    return { type: 'Prepend', prepend: this.prepend };
  }
}
