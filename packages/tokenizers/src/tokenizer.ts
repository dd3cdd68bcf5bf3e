import { AddedTokenMatcher, addedTokensFromJSON, addedTokensToJSON, type AddedToken } from './added-vocabulary';
import { decoderFromJSON } from './decoders/decoder-from-json';
import type { Decoder } from './decoders/decoder';
import { cleanupTokenizationSpaces } from './decoders/word-piece-decoder';
import { emptyEncoding, type Encoding } from './encoding';
import { describe, expectObject, TokenizerConfigError } from './json-fields';
import { modelFromJSON } from './models/model-from-json';
import type { Model } from './models/model';
import { identityText, type NormalizedText } from './normalized-text';
import { normalizerFromJSON } from './normalizers/normalizer-from-json';
import type { Normalizer } from './normalizers/normalizer';
import { padEncoding, truncateEncoding, truncationLengths, type PaddingStrategy, type PadToken } from './padding-truncation';
import { preTokenizerFromJSON } from './pre-tokenizers/pre-tokenizer-from-json';
import type { PreTokenizer } from './pre-tokenizers/pre-tokenizer';
import { postProcessorFromJSON } from './processors/post-processor-from-json';
import type { PostProcessor } from './processors/post-processor';

/**
 * The parts of a tokenizer: the Hugging Face pipeline normalizer → pre-tokenizer → model → post-processor, plus a decoder.
 *
 * @example
 * ```ts
 * new Tokenizer({ model: new WordLevel({ vocab }), preTokenizer: new WhitespaceSplit() });
 * ```
 */
export interface TokenizerParts {
  model: Model;
  normalizer?: Normalizer | null;
  preTokenizer?: PreTokenizer | null;
  postProcessor?: PostProcessor | null;
  decoder?: Decoder | null;
  addedTokens?: AddedToken[];
}

/**
 * Options of {@link Tokenizer.encode} and {@link Tokenizer.encodeBatch}.
 *
 * @example
 * ```ts
 * tokenizer.encodeBatch(texts, { maxLength: 128, truncation: true, padding: 'max_length' });
 * ```
 */
export interface EncodeOptions {
  /** Add the post-processor's special tokens (`[CLS]`, `[SEP]`). Default true. */
  addSpecialTokens?: boolean;
  /** Cut to at most `maxLength` tokens, special tokens included. Needs `maxLength`. Default false. */
  truncation?: boolean;
  /** Pad to the longest encoding of the batch or to `maxLength`. Default: no padding. */
  padding?: PaddingStrategy | false;
  /** Length limit for truncation and `padding: 'max_length'`. */
  maxLength?: number;
  /** Pad token; default the `padding.pad_token` of the tokenizer.json, else `[PAD]`, `<pad>` or `<|endoftext|>`. */
  padToken?: string;
}

/**
 * Options of {@link Tokenizer.decode}.
 *
 * @example
 * ```ts
 * tokenizer.decode(ids, { skipSpecialTokens: true });
 * ```
 */
export interface DecodeOptions {
  /** Leave out special tokens (`[CLS]`, `[PAD]`, …). Default false. */
  skipSpecialTokens?: boolean;
  /**
   * Also remove spaces before punctuation and contractions in the decoded string, as
   * transformers' `clean_up_tokenization_spaces=True` does ("isn ' t" → "isn't"). Default false
   * (the tokenizer.json decoder alone, as Hugging Face tokenizers' `decode`).
   */
  cleanUpTokenizationSpaces?: boolean;
}

const PAD_CANDIDATES = ['[PAD]', '<pad>', '<|endoftext|>'];

/**
 * A Hugging Face-compatible tokenizer: load a `tokenizer.json`, encode text to ids with offsets
 * into the original string, decode ids back, and write the same JSON out again.
 *
 * @example
 * ```ts
 * const tokenizer = Tokenizer.fromJSON(JSON.parse(tokenizerJsonText));
 * const { ids, tokens, offsets } = tokenizer.encode('Hello, my dog is cute');
 * // bert-base-uncased: ids [101, 7592, 1010, 2026, 3899, 2003, 10140, 102]
 * tokenizer.decode(ids, { skipSpecialTokens: true }); // 'hello, my dog is cute'
 * ```
 */
export class Tokenizer {
  readonly model: Model;
  readonly normalizer: Normalizer | null;
  readonly preTokenizer: PreTokenizer | null;
  readonly postProcessor: PostProcessor | null;
  readonly decoder: Decoder | null;
  readonly addedTokens: readonly AddedToken[];
  /** `padding` and `truncation` fields of the loaded tokenizer.json, kept for round trips. */
  private readonly extra: { padding: unknown; truncation: unknown };
  private readonly rawMatcher: AddedTokenMatcher;
  private readonly normalizedMatcher: AddedTokenMatcher;
  private readonly addedById = new Map<number, AddedToken>();

  constructor(parts: TokenizerParts, extra: { padding?: unknown; truncation?: unknown } = {}) {
    this.model = parts.model;
    this.normalizer = parts.normalizer ?? null;
    this.preTokenizer = parts.preTokenizer ?? null;
    this.postProcessor = parts.postProcessor ?? null;
    this.decoder = parts.decoder ?? null;
    this.addedTokens = parts.addedTokens ?? [];
    this.extra = { padding: extra.padding ?? null, truncation: extra.truncation ?? null };
    for (const token of this.addedTokens) this.addedById.set(token.id, token);
    const normalized = (token: AddedToken): boolean => (token.normalized ?? !token.special) && this.normalizer !== null;
    this.rawMatcher = new AddedTokenMatcher(this.addedTokens.filter((token) => !normalized(token)));
    this.normalizedMatcher = new AddedTokenMatcher(this.addedTokens.filter(normalized));
  }

  /**
   * Loads a Hugging Face `tokenizer.json`, parsed or as JSON text. Errors name the JSON path and
   * what was expected.
   *
   * @example
   * ```ts
   * const tokenizer = Tokenizer.fromJSON(JSON.parse(readFileSync('tokenizer.json', 'utf8')));
   * ```
   */
  static fromJSON(value: unknown): Tokenizer {
    if (typeof value === 'string') {
      try {
        value = JSON.parse(value) as unknown;
      } catch (error) {
        throw new TokenizerConfigError('(tokenizer.json)', `expected JSON text, but it does not parse: ${(error as Error).message}`);
      }
    }
    const json = expectObject(value, '(tokenizer.json)');
    for (const key of ['padding', 'truncation'] as const) {
      const field = json[key];
      if (field !== undefined && field !== null) expectObject(field, key);
    }
    return new Tokenizer(
      {
        model: modelFromJSON(json.model),
        normalizer: normalizerFromJSON(json.normalizer),
        preTokenizer: preTokenizerFromJSON(json.pre_tokenizer),
        postProcessor: postProcessorFromJSON(json.post_processor),
        decoder: decoderFromJSON(json.decoder),
        addedTokens: addedTokensFromJSON(json.added_tokens),
      },
      { padding: json.padding, truncation: json.truncation },
    );
  }

  /**
   * Writes the tokenizer as a Hugging Face `tokenizer.json` object (pass it to `JSON.stringify`).
   *
   * @example
   * ```ts
   * const copy = Tokenizer.fromJSON(JSON.parse(JSON.stringify(tokenizer.toJSON())));
   * ```
   */
  toJSON(): Record<string, unknown> {
    return {
      version: '1.0',
      truncation: this.extra.truncation,
      padding: this.extra.padding,
      added_tokens: addedTokensToJSON(this.addedTokens),
      normalizer: this.normalizer?.toJSON() ?? null,
      pre_tokenizer: this.preTokenizer?.toJSON() ?? null,
      post_processor: this.postProcessor?.toJSON() ?? null,
      decoder: this.decoder?.toJSON() ?? null,
      model: this.model.toJSON(),
    };
  }

  /**
   * Number of ids: one more than the largest id of the model vocabulary and added tokens (the
   * size of an embedding table for this tokenizer).
   *
   * @example
   * ```ts
   * bert.vocabSize; // 30522
   * ```
   */
  get vocabSize(): number {
    let largest = -1;
    for (const id of this.model.getVocab().values()) if (id > largest) largest = id;
    for (const token of this.addedTokens) if (token.id > largest) largest = token.id;
    return largest + 1;
  }

  /** Id of a token (model vocabulary or added tokens), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.model.tokenToId(token) ?? this.addedTokens.find((added) => added.content === token)?.id;
  }

  /** Token of an id, or undefined. */
  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.model.idToToken(id);
  }

  /**
   * Encodes one text (or a pair) into ids, tokens, offsets, attention mask and type ids.
   *
   * @example
   * ```ts
   * tokenizer.encode('Hello world').tokens; // bert: ['[CLS]', 'hello', 'world', '[SEP]']
   * tokenizer.encode('Question?', { pair: 'Answer.' }).typeIds; // [0, 0, 0, 0, 1, 1, 1]
   * ```
   */
  encode(text: string, options: EncodeOptions & { pair?: string } = {}): Encoding {
    return this.encodeBatch([options.pair === undefined ? text : [text, options.pair]], options)[0]!;
  }

  /**
   * Encodes many texts (or `[text, pair]` tuples) with shared truncation and padding, e.g.
   * `{ maxLength: 128, truncation: true, padding: 'max_length' }`.
   *
   * @example
   * ```ts
   * const batch = tokenizer.encodeBatch(['a b c', 'a'], { padding: 'longest' });
   * batch[1]!.attentionMask; // [1, 1, 1, 0, 0]
   * ```
   */
  encodeBatch(inputs: ReadonlyArray<string | readonly [string, string]>, options: EncodeOptions = {}): Encoding[] {
    const addSpecialTokens = options.addSpecialTokens ?? true;
    const { maxLength, truncation = false, padding = false } = options;
    if (!Array.isArray(inputs)) throw new TypeError(`encodeBatch: inputs: expected an array, got ${describe(inputs)}`);
    if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 0)) {
      throw new RangeError(`maxLength: expected a non-negative integer, got ${describe(maxLength)}`);
    }
    if ((truncation || padding === 'max_length') && maxLength === undefined) {
      throw new RangeError(`maxLength: required with truncation: true or padding: 'max_length', got undefined`);
    }
    if (padding !== false && padding !== 'longest' && padding !== 'max_length') {
      throw new RangeError(`padding: expected 'longest', 'max_length' or false, got ${describe(padding)}`);
    }
    const pad = padding === false ? null : this.padToken(options.padToken);
    const encodings = inputs.map((input, index) => {
      const valid = typeof input === 'string' || (Array.isArray(input) && input.length === 2 && typeof input[0] === 'string' && typeof input[1] === 'string');
      if (!valid) throw new TypeError(`inputs[${index}]: expected a string or [string, string], got ${describe(input)}`);
      const [first, second] = typeof input === 'string' ? [input, null] : input;
      let encoding = this.encodeSequence(first, 0);
      let pairEncoding = second === null ? null : this.encodeSequence(second, 1);
      if (truncation && maxLength !== undefined) {
        const added = addSpecialTokens && this.postProcessor !== null ? this.postProcessor.addedTokens(pairEncoding !== null) : 0;
        const budget = maxLength - added;
        if (budget < 0) {
          throw new RangeError(`maxLength: ${maxLength} is smaller than the ${added} special tokens every ${pairEncoding ? 'pair' : 'sequence'} needs`);
        }
        const [firstLength, secondLength] = truncationLengths(encoding.ids.length, pairEncoding?.ids.length ?? 0, budget);
        encoding = truncateEncoding(encoding, firstLength);
        if (pairEncoding !== null) pairEncoding = truncateEncoding(pairEncoding, secondLength);
      }
      return this.postProcess(encoding, pairEncoding, addSpecialTokens);
    });
    if (pad !== null) {
      const target = padding === 'max_length' ? maxLength! : encodings.reduce((longest, encoding) => Math.max(longest, encoding.ids.length), 0);
      for (const encoding of encodings) padEncoding(encoding, target, pad);
    }
    return encodings;
  }

  /**
   * Decodes ids back to text. Ids outside the vocabulary are an error naming the id.
   *
   * @example
   * ```ts
   * tokenizer.decode([101, 7592, 102], { skipSpecialTokens: true }); // 'hello'
   * ```
   */
  decode(ids: readonly number[], options: DecodeOptions = {}): string {
    if (!Array.isArray(ids)) throw new TypeError(`decode: ids: expected an array of integers, got ${describe(ids)}`);
    const tokens: string[] = [];
    ids.forEach((id, index) => {
      const added = this.addedById.get(id);
      const token = added?.content ?? (Number.isInteger(id) ? this.model.idToToken(id) : undefined);
      if (token === undefined) {
        throw new RangeError(`decode: ids[${index}] = ${describe(id)} is not an id of the vocabulary`);
      }
      if (options.skipSpecialTokens && added?.special) return;
      tokens.push(token);
    });
    const text = this.decoder === null ? tokens.join(' ') : this.decoder.decode(tokens);
    return options.cleanUpTokenizationSpaces ? cleanupTokenizationSpaces(text) : text;
  }

  private padToken(requested: string | undefined): PadToken {
    const padding = this.extra.padding as { pad_token?: unknown; pad_id?: unknown; pad_type_id?: unknown } | null;
    const name = requested ?? (typeof padding?.pad_token === 'string' ? padding.pad_token : PAD_CANDIDATES.find((candidate) => this.tokenToId(candidate) !== undefined));
    const id = name === undefined ? undefined : this.tokenToId(name);
    if (name === undefined || id === undefined) {
      throw new RangeError(`padToken: expected a token of the vocabulary, got ${describe(name)}`);
    }
    return { id, token: name, typeId: typeof padding?.pad_type_id === 'number' ? padding.pad_type_id : 0 };
  }

  private postProcess(encoding: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
    if (this.postProcessor !== null) return this.postProcessor.process(encoding, pair, addSpecialTokens);
    if (pair === null) return encoding;
    for (let index = 0; index < pair.ids.length; index++) {
      encoding.ids.push(pair.ids[index]!);
      encoding.tokens.push(pair.tokens[index]!);
      encoding.offsets.push(pair.offsets[index]!);
      encoding.attentionMask.push(1);
      encoding.typeIds.push(1);
      encoding.specialTokensMask.push(0);
      encoding.sequenceIds.push(1);
    }
    return encoding;
  }

  /** Added-token splitting, normalization, pre-tokenization and the model, for one text. */
  private encodeSequence(text: string, typeId: number): Encoding {
    const encoding = emptyEncoding();
    const emit = (id: number, token: string, start: number, end: number): void => {
      encoding.ids.push(id);
      encoding.tokens.push(token);
      encoding.offsets.push([start, end]);
      encoding.attentionMask.push(1);
      encoding.typeIds.push(typeId);
      encoding.specialTokensMask.push(0);
      encoding.sequenceIds.push(typeId);
    };
    let position = 0;
    const rawMatches = this.rawMatcher.isEmpty ? [] : this.rawMatcher.find(text);
    for (const match of [...rawMatches, { start: text.length, end: text.length, token: null }]) {
      if (match.start > position) this.encodeSection(text.slice(position, match.start), position, emit);
      if (match.token !== null) emit(match.token.id, match.token.content, match.start, match.end);
      position = match.end;
    }
    return encoding;
  }

  private encodeSection(section: string, offset: number, emit: (id: number, token: string, start: number, end: number) => void): void {
    const identity = identityText(section, offset);
    const normalized = this.normalizer === null ? identity : this.normalizer.normalize(identity);
    if (this.normalizedMatcher.isEmpty) {
      this.encodeNormalized(normalized, emit);
      return;
    }
    let position = 0;
    const matches = this.normalizedMatcher.find(normalized.text);
    for (const match of [...matches, { start: normalized.text.length, end: normalized.text.length, token: null }]) {
      if (match.start > position) this.encodeNormalized(sliceNormalized(normalized, position, match.start), emit);
      if (match.token !== null) emit(match.token.id, match.token.content, normalized.starts[match.start]!, normalized.ends[match.end - 1]!);
      position = match.end;
    }
  }

  private encodeNormalized(normalized: NormalizedText, emit: (id: number, token: string, start: number, end: number) => void): void {
    if (normalized.text.length === 0) return;
    const words = this.preTokenizer === null ? [{ ...normalized, base: 0 }] : this.preTokenizer.preTokenize(normalized);
    for (const word of words) {
      const { starts, ends, base } = word;
      for (const token of this.model.tokenize(word.text)) {
        emit(token.id, token.value, starts[base + token.start]!, ends[base + token.end - 1]!);
      }
    }
  }
}

function sliceNormalized(normalized: NormalizedText, from: number, to: number): NormalizedText {
  return { text: normalized.text.slice(from, to), starts: normalized.starts.slice(from, to), ends: normalized.ends.slice(from, to) };
}

