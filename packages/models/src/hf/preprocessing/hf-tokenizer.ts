import * as tf from '@tensorflow/tfjs';
import { Tokenizer, type Encoding } from '@heed/tokenizers';
import { parseHfTokenizerConfig, type HfTokenizerConfig } from './hf-tokenizer-config';

/** The length texts are cut and padded to when nothing else is asked: 128, or the model's `model_max_length` if smaller. */
export const DEFAULT_MAX_LENGTH = 128;

/**
 * Options of {@link HfTokenizer.encode}, as transformers' `tokenizer(texts, padding=…, truncation=…, max_length=…)`.
 *
 * @example
 * ```ts
 * tokenizer.encode(texts, { maxLength: 128, padding: 'max_length' });
 * ```
 */
export interface HfEncodeOptions {
  /** Cut and pad length, special tokens included. Default min(128, `model_max_length`). */
  maxLength?: number;
  /** Cut longer inputs to `maxLength`. Default true. */
  truncation?: boolean;
  /** `'longest'` (default: to the longest input of the call), `'max_length'`, or false. */
  padding?: 'longest' | 'max_length' | false;
  /** Add `[CLS]`/`[SEP]` (the tokenizer.json post-processor). Default true. */
  addSpecialTokens?: boolean;
}

/**
 * A batch encoded for a model, with HF's names; one row per input, all rows of equal length
 * when padded. `tokens` and `encodings` (offsets into the texts) are for explanations.
 */
export interface HfEncodedBatch {
  input_ids: number[][];
  attention_mask: number[][];
  token_type_ids: number[][];
  tokens: string[][];
  encodings: Encoding[];
}

/** One input text, or a `[text, pair]` (question/answer, premise/hypothesis). */
export type HfTextInput = string | readonly [string, string];

/**
 * A checkpoint's tokenizer as transformers' `AutoTokenizer` gives it: `tokenizer.json` run by
 * @heed/tokenizers, with `tokenizer_config.json`'s `model_max_length`, `pad_token` and
 * `padding_side`. Encodes texts to `input_ids`, `attention_mask` and `token_type_ids`, cut and
 * padded (default: truncation to min(128, model_max_length), padding to the longest).
 *
 * @example
 * ```ts
 * const tokenizer = await loadHfTokenizer(folderSource('checkpoints/bert-tiny'));
 * const batch = tokenizer.encode(['Hello, my dog is cute', ['a question', 'its answer']]);
 * batch.input_ids; // [[101, 7592, 1010, …, 102, 0, 0], [101, …, 102, …, 102]]
 * const { input_ids, attention_mask, token_type_ids } = tokenizer.toTensors(batch); // int32 (batch, tokens)
 * ```
 */
export class HfTokenizer {
  constructor(
    /** The tokenizer.json pipeline. */
    readonly tokenizer: Tokenizer,
    /** The tokenizer_config.json fields that shape the encoding. */
    readonly config: HfTokenizerConfig = parseHfTokenizerConfig({}),
  ) {}

  /**
   * A tokenizer from the two files' contents (parsed or as text); `tokenizerConfig` may be left out.
   *
   * @example
   * ```ts
   * const tokenizer = HfTokenizer.fromJSON(tokenizerJsonText, tokenizerConfigText);
   * ```
   */
  static fromJSON(tokenizerJson: unknown, tokenizerConfig: unknown = {}, file = 'tokenizer_config.json'): HfTokenizer {
    return new HfTokenizer(Tokenizer.fromJSON(tokenizerJson), parseHfTokenizerConfig(tokenizerConfig, file));
  }

  /** The default cut/pad length: min(128, `model_max_length`). */
  get maxLength(): number {
    return Math.min(DEFAULT_MAX_LENGTH, this.config.model_max_length ?? Infinity);
  }

  /** Number of ids (embedding rows this tokenizer needs). */
  get vocabSize(): number {
    return this.tokenizer.vocabSize;
  }

  /**
   * Encodes texts (or `[text, pair]` tuples) for a model. Errors name the argument and the value.
   *
   * @example
   * ```ts
   * tokenizer.encode('This film was not very good.').attention_mask; // [[1, 1, 1, 1, 1, 1, 1, 1, 1]]
   * tokenizer.encode(['a b', 'a'], { padding: 'max_length', maxLength: 8 }).input_ids[1]!.length; // 8
   * ```
   */
  encode(texts: string | readonly HfTextInput[], options: HfEncodeOptions = {}): HfEncodedBatch {
    // A string is one input; an array is a batch (as transformers: a pair alone is `[[text, pair]]`).
    const inputs = (typeof texts === 'string' ? [texts] : texts) as readonly HfTextInput[];
    if (!Array.isArray(inputs)) throw new TypeError(`texts: expected a string or an array of strings and [text, pair] tuples, got ${typeof texts}`);
    const maxLength = options.maxLength ?? this.maxLength;
    if (!Number.isInteger(maxLength) || maxLength < 1) throw new RangeError(`maxLength: expected a positive integer, got ${String(maxLength)}`);
    const truncation = options.truncation ?? true;
    const padding = options.padding ?? 'longest';
    const addSpecialTokens = options.addSpecialTokens ?? true;
    if (truncation && this.config.truncation_side === 'left') {
      const lengths = this.tokenizer.encodeBatch(inputs, { addSpecialTokens }).map((encoding) => encoding.ids.length);
      const longest = Math.max(0, ...lengths);
      if (longest > maxLength) {
        throw new RangeError(`truncation_side: "left" (tokenizer_config.json) is not supported; an input has ${longest} tokens > maxLength ${maxLength} (pass truncation: false or a shorter text)`);
      }
    }
    const encodings = this.tokenizer.encodeBatch(inputs, {
      addSpecialTokens,
      truncation,
      maxLength,
      padding,
      ...(this.config.pad_token !== null && padding !== false ? { padToken: this.config.pad_token } : {}),
    });
    if (padding !== false && this.config.padding_side === 'left') for (const encoding of encodings) padLeft(encoding);
    return {
      input_ids: encodings.map((encoding) => encoding.ids),
      attention_mask: encodings.map((encoding) => encoding.attentionMask),
      token_type_ids: encodings.map((encoding) => encoding.typeIds),
      tokens: encodings.map((encoding) => encoding.tokens),
      encodings,
    };
  }

  /**
   * The batch as int32 tensors `(batch, tokens)` for a model's `forward`. The rows must be of
   * equal length (padded); the caller disposes the tensors.
   *
   * @example
   * ```ts
   * const inputs = tokenizer.toTensors(tokenizer.encode(texts));
   * const { logits } = model.forward(inputs);
   * ```
   */
  toTensors(batch: Pick<HfEncodedBatch, 'input_ids' | 'attention_mask' | 'token_type_ids'>): { input_ids: tf.Tensor2D; attention_mask: tf.Tensor2D; token_type_ids: tf.Tensor2D } {
    const rows = batch.input_ids.length;
    const length = batch.input_ids[0]?.length ?? 0;
    for (const name of ['input_ids', 'attention_mask', 'token_type_ids'] as const) {
      const uneven = batch[name].findIndex((row) => row.length !== length);
      if (batch[name].length !== rows || uneven >= 0) {
        throw new RangeError(`${name}: every row must have ${length} tokens (pad the batch); row ${uneven} has ${batch[name][uneven]?.length ?? 'none'}`);
      }
    }
    const tensor = (values: number[][]) => tf.tensor2d(Int32Array.from(values.flat()), [rows, length], 'int32');
    return { input_ids: tensor(batch.input_ids), attention_mask: tensor(batch.attention_mask), token_type_ids: tensor(batch.token_type_ids) };
  }
}

/** Moves an encoding's right padding to the left (transformers' `padding_side="left"`). */
function padLeft(encoding: Encoding): void {
  const pads = encoding.attentionMask.length - encoding.attentionMask.reduce((sum, value) => sum + value, 0);
  if (pads === 0) return;
  for (const key of ['ids', 'tokens', 'offsets', 'attentionMask', 'typeIds', 'specialTokensMask', 'sequenceIds'] as const) {
    const values = encoding[key] as unknown[];
    values.unshift(...values.splice(values.length - pads, pads));
  }
}
