import { appendEncoding, appendSpecialToken, emptyEncoding, type Encoding } from '../encoding';
import { describe, TokenizerConfigError, type JsonObject } from '../json-fields';
import { labelSequence, type PostProcessor, type PostProcessorJSON } from './post-processor';

/**
 * Options of {@link BertProcessing}: the `[token, id]` of the CLS and SEP tokens.
 *
 * @example
 * ```ts
 * new BertProcessing({ cls: ['[CLS]', 101], sep: ['[SEP]', 102] });
 * ```
 */
export interface BertProcessingOptions {
  cls: [string, number];
  sep: [string, number];
}

/**
 * BERT's layout: `[CLS] A [SEP]` (type 0) and, for pairs, `B [SEP]` (type 1).
 *
 * @example
 * ```ts
 * new BertProcessing({ cls: ['[CLS]', 101], sep: ['[SEP]', 102] }).addedTokens(true); // 3
 * ```
 */
export class BertProcessing implements PostProcessor {
  readonly cls: [string, number];
  readonly sep: [string, number];

  constructor(options: BertProcessingOptions) {
    this.cls = options.cls;
    this.sep = options.sep;
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): BertProcessing {
    return new BertProcessing({ cls: readTokenPair(json, 'cls', path), sep: readTokenPair(json, 'sep', path) });
  }

  addedTokens(isPair: boolean): number {
    return isPair ? 3 : 2;
  }

  process(encoding: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
    const result = emptyEncoding();
    if (addSpecialTokens) appendSpecialToken(result, this.cls[1], this.cls[0], 0);
    appendEncoding(result, labelSequence(encoding, 0, 0));
    if (addSpecialTokens) appendSpecialToken(result, this.sep[1], this.sep[0], 0);
    if (pair !== null) {
      appendEncoding(result, labelSequence(pair, 1, 1));
      if (addSpecialTokens) appendSpecialToken(result, this.sep[1], this.sep[0], 1);
    }
    return result;
  }

  toJSON(): PostProcessorJSON {
    return { type: 'BertProcessing', sep: this.sep, cls: this.cls };
  }
}

function readTokenPair(json: JsonObject, key: string, path: string): [string, number] {
  const value = json[key];
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== 'string' || !Number.isInteger(value[1])) {
    throw new TokenizerConfigError(`${path}.${key}`, `expected ["token", id], got ${describe(value)}`);
  }
  return [value[0], value[1] as number];
}
