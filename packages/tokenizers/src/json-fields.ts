/** A parsed JSON value whose shape is not yet checked. */
export type JsonValue = unknown;

/** A JSON object as read from a `tokenizer.json`. */
export type JsonObject = Record<string, unknown>;

/**
 * Raised when a `tokenizer.json` (or a component config) is malformed. The message names the
 * JSON field path, what was expected and what was found.
 *
 * @example
 * ```ts
 * try { Tokenizer.fromJSON({ model: { type: 'WordPiece' } }); }
 * catch (error) { error instanceof TokenizerConfigError; // true: "model.vocab: expected ..." }
 * ```
 */
export class TokenizerConfigError extends Error {
  constructor(
    /** JSON path of the offending field, e.g. `model.vocab`. */
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'TokenizerConfigError';
  }
}

/** Short, bounded description of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (typeof value === 'object') return 'an object';
  // JSON.stringify writes NaN and ±Infinity as "null": name them as they are.
  if (typeof value === 'number' && !Number.isFinite(value)) return `number ${value}`;
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`;
}

/** Checks that `value` is a plain JSON object. */
export function expectObject(value: unknown, path: string): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TokenizerConfigError(path, `expected an object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

/** Reads a required string field. */
export function readString(object: JsonObject, key: string, path: string): string {
  const value = object[key];
  if (typeof value !== 'string') {
    throw new TokenizerConfigError(`${path}.${key}`, `expected a string, got ${describe(value)}`);
  }
  return value;
}

/** Reads an optional string field (absent or null gives `fallback`). */
export function readOptionalString<T extends string | null>(
  object: JsonObject,
  key: string,
  path: string,
  fallback: T,
): string | T {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'string') {
    throw new TokenizerConfigError(`${path}.${key}`, `expected a string or null, got ${describe(value)}`);
  }
  return value;
}

/** Reads an optional boolean field (absent or null gives `fallback`). */
export function readBoolean<T extends boolean | null>(
  object: JsonObject,
  key: string,
  path: string,
  fallback: T,
): boolean | T {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') {
    throw new TokenizerConfigError(`${path}.${key}`, `expected a boolean, got ${describe(value)}`);
  }
  return value;
}

/** Reads an optional non-negative integer field. */
export function readInteger(object: JsonObject, key: string, path: string, fallback: number): number {
  const value = object[key];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TokenizerConfigError(
      `${path}.${key}`,
      `expected a non-negative integer, got ${describe(value)}`,
    );
  }
  return value;
}

/** Reads a required array field. */
export function readArray(object: JsonObject, key: string, path: string): unknown[] {
  const value = object[key];
  if (!Array.isArray(value)) {
    throw new TokenizerConfigError(`${path}.${key}`, `expected an array, got ${describe(value)}`);
  }
  return value;
}

/** Reads a `{ token: id }` vocabulary, checking every id is a distinct non-negative integer. */
export function readVocab(object: JsonObject, key: string, path: string): Map<string, number> {
  const vocab = expectObject(object[key], `${path}.${key}`);
  const result = new Map<string, number>();
  const seen = new Set<number>();
  for (const token of Object.keys(vocab)) {
    const id = vocab[token];
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0) {
      throw new TokenizerConfigError(
        `${path}.${key}[${JSON.stringify(token)}]`,
        `expected a non-negative integer id, got ${describe(id)}`,
      );
    }
    if (seen.has(id)) {
      throw new TokenizerConfigError(
        `${path}.${key}[${JSON.stringify(token)}]`,
        `expected distinct ids, but id ${id} is used twice`,
      );
    }
    seen.add(id);
    result.set(token, id);
  }
  return result;
}

/** Throws the "unknown component type" error, listing the supported types. */
export function unknownType(path: string, value: unknown, supported: readonly string[]): never {
  throw new TokenizerConfigError(
    `${path}.type`,
    `unsupported type ${describe(value)}; supported: ${supported.join(', ')}`,
  );
}
