/**
 * A `config.json` (or other HF JSON file) that cannot be used: the message names the file, the
 * field, what was expected and what was found.
 *
 * @example
 * ```ts
 * try { parseHfConfig({ model_type: 'bert', hidden_act: 'swiglu' }); }
 * catch (error) { (error as HfConfigError).field; } // "hidden_act"
 * ```
 */
export class HfConfigError extends Error {
  constructor(
    /** The file, e.g. `config.json` or its URL. */
    readonly file: string,
    /** The field, e.g. `hidden_act` (empty for the whole file). */
    readonly field: string,
    message: string,
  ) {
    super(`${file}${field ? ` ${field}` : ''}: ${message}`);
    this.name = 'HfConfigError';
  }
}

/** A short description of a JSON value for messages. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

/**
 * Parses an HF JSON file given as text (or already parsed) and checks it is one JSON object;
 * errors name the file.
 *
 * @example
 * ```ts
 * readJsonObject('{"model_type": "bert"}', 'config.json'); // { model_type: 'bert' }
 * readJsonObject('[1]', 'config.json'); // throws "config.json: expected a JSON object; got [1]"
 * ```
 */
export function readJsonObject(value: unknown, file: string): Record<string, unknown> {
  let json = value;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json) as unknown;
    } catch (error) {
      throw new HfConfigError(file, '', `not valid JSON (${(error as Error).message})`);
    }
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new HfConfigError(file, '', `expected a JSON object; got ${describeValue(json)}`);
  return json as Record<string, unknown>;
}

/** Reads typed fields of one JSON object with HF defaults; errors name the file and the field. */
export class ConfigFields {
  constructor(
    readonly json: Readonly<Record<string, unknown>>,
    readonly file: string,
  ) {}

  private fail(field: string, expected: string, value: unknown): never {
    throw new HfConfigError(this.file, field, `expected ${expected}; got ${describeValue(value)}`);
  }

  /** The first of `names` present (HF aliases such as DistilBERT's `dim` / `hidden_size`). */
  private pick(names: readonly string[]): [string, unknown] {
    for (const name of names) if (Object.hasOwn(this.json, name) && this.json[name] !== undefined) return [name, this.json[name]];
    return [names[0]!, undefined];
  }

  /** A positive integer (or, with `min: 0`, a non-negative one). */
  int(names: string | readonly string[], fallback: number, min = 1): number {
    const [name, value] = this.pick(typeof names === 'string' ? [names] : names);
    if (value === undefined) return fallback;
    if (!Number.isSafeInteger(value) || (value as number) < min) this.fail(name, `an integer ≥ ${min}`, value);
    return value as number;
  }

  /** An integer id or null (pad/bos/eos token ids). */
  id(name: string, fallback: number | null): number | null {
    const value = this.json[name];
    if (value === undefined) return fallback;
    if (value === null) return null;
    if (!Number.isSafeInteger(value) || (value as number) < 0) this.fail(name, 'a non-negative integer token id or null', value);
    return value as number;
  }

  /** A finite number in [min, max). */
  number(names: string | readonly string[], fallback: number, min: number, max = Infinity, minExclusive = false): number {
    const [name, value] = this.pick(typeof names === 'string' ? [names] : names);
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (minExclusive && value === min) || value >= max) {
      this.fail(name, `a number in ${minExclusive ? '(' : '['}${min}, ${max === Infinity ? '∞' : max})`, value);
    }
    return value;
  }

  /** A number in [0, 1) or null (`classifier_dropout`). */
  optionalProbability(name: string): number | null {
    const value = this.json[name];
    if (value === undefined || value === null) return null;
    return this.number(name, 0, 0, 1);
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.json[name];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') this.fail(name, 'true or false', value);
    return value;
  }

  /** One of `choices`. */
  oneOf<T extends string>(names: string | readonly string[], choices: readonly T[], fallback: T): T {
    const [name, value] = this.pick(typeof names === 'string' ? [names] : names);
    if (value === undefined) return fallback;
    if (!choices.includes(value as T)) this.fail(name, `one of ${choices.map((choice) => JSON.stringify(choice)).join(', ')}`, value);
    return value as T;
  }
}
