import { ConfigFields, HfConfigError, describeValue, readJsonObject } from '../config/hf-config-error';

/**
 * The fields of a `tokenizer_config.json` that change how text is encoded for a model. The rest
 * (`tokenizer_class`, `do_lower_case`, …) is already part of `tokenizer.json`.
 */
export interface HfTokenizerConfig {
  /**
   * The longest input the model takes (`model_max_length`), or null when the file leaves it out
   * or gives transformers' "no limit" sentinel (`int(1e30)`).
   */
  readonly model_max_length: number | null;
  /** The padding token's text (`pad_token`, a string or an AddedToken `{content}`), or null. */
  readonly pad_token: string | null;
  /** Which end padding goes on (default `"right"`). */
  readonly padding_side: 'left' | 'right';
  /** Which end truncation cuts (default `"right"`). */
  readonly truncation_side: 'left' | 'right';
}

/** Above this, `model_max_length` is transformers' VERY_LARGE_INTEGER placeholder, not a limit. */
const NO_LIMIT = 1e12;

/**
 * Reads a `tokenizer_config.json` (parsed or as text) with transformers' defaults; a missing file
 * is `{}`. Errors name the file and the field.
 *
 * @example
 * ```ts
 * parseHfTokenizerConfig({ model_max_length: 512, pad_token: '[PAD]' }).model_max_length; // 512
 * parseHfTokenizerConfig({ model_max_length: 1e30 }).model_max_length; // null (no limit)
 * ```
 */
export function parseHfTokenizerConfig(value: unknown, file = 'tokenizer_config.json'): HfTokenizerConfig {
  const record = readJsonObject(value, file);
  const fields = new ConfigFields(record, file);
  const rawMax = record.model_max_length;
  let maxLength: number | null = null;
  if (rawMax !== undefined && rawMax !== null) {
    if (typeof rawMax !== 'number' || !(rawMax >= 1)) throw new HfConfigError(file, 'model_max_length', `expected a positive integer; got ${describeValue(rawMax)}`);
    maxLength = rawMax >= NO_LIMIT ? null : Math.floor(rawMax);
  }
  const side = (name: string): 'left' | 'right' => fields.oneOf(name, ['left', 'right'] as const, 'right');
  return { model_max_length: maxLength, pad_token: tokenText(record.pad_token, file, 'pad_token'), padding_side: side('padding_side'), truncation_side: side('truncation_side') };
}

/** A special token as tokenizer_config.json writes it: a string, an AddedToken dict, or null. */
function tokenText(value: unknown, file: string, field: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return value;
  const content = (value as { content?: unknown }).content;
  if (typeof value === 'object' && typeof content === 'string') return content;
  throw new HfConfigError(file, field, `expected a token string or {"content": string}; got ${describeValue(value)}`);
}
