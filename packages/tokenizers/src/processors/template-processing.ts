import { appendEncoding, appendSpecialToken, emptyEncoding, type Encoding } from '../encoding';
import { describe, expectObject, readArray, TokenizerConfigError, type JsonObject } from '../json-fields';
import type { PostProcessor, PostProcessorJSON } from './post-processor';

/**
 * One piece of a template: a special token or one of the input sequences.
 *
 * @example
 * ```ts
 * const piece: TemplatePiece = { Sequence: { id: 'A', type_id: 0 } };
 * ```
 */
export type TemplatePiece =
  | { SpecialToken: { id: string; type_id: number } }
  | { Sequence: { id: 'A' | 'B'; type_id: number } };

/**
 * A special token a template refers to: its name, ids and tokens.
 *
 * @example
 * ```ts
 * const cls: TemplateSpecialToken = { id: '[CLS]', ids: [101], tokens: ['[CLS]'] };
 * ```
 */
export interface TemplateSpecialToken {
  id: string;
  ids: number[];
  tokens: string[];
}

/**
 * Options of {@link TemplateProcessing}; shapes as in `tokenizer.json`.
 *
 * @example
 * ```ts
 * new TemplateProcessing({ single: [{ Sequence: { id: 'A', type_id: 0 } }], pair: [], specialTokens: {} });
 * ```
 */
export interface TemplateProcessingOptions {
  single: TemplatePiece[];
  pair: TemplatePiece[];
  specialTokens: Record<string, TemplateSpecialToken>;
}

/**
 * Hugging Face's `TemplateProcessing`: the output is laid out by a template such as
 * `[CLS]:0 $A:0 [SEP]:0` for one sequence and `[CLS]:0 $A:0 [SEP]:0 $B:1 [SEP]:1` for pairs.
 *
 * @example
 * ```ts
 * const processor = new TemplateProcessing({
 *   single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
 *   pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
 *   specialTokens: { '[CLS]': { id: '[CLS]', ids: [101], tokens: ['[CLS]'] } },
 * });
 * processor.addedTokens(false); // 1
 * ```
 */
export class TemplateProcessing implements PostProcessor {
  readonly single: TemplatePiece[];
  readonly pair: TemplatePiece[];
  readonly specialTokens: Record<string, TemplateSpecialToken>;

  constructor(options: TemplateProcessingOptions) {
    this.single = options.single;
    this.pair = options.pair;
    this.specialTokens = options.specialTokens;
    for (const [name, template] of [['single', this.single], ['pair', this.pair]] as const) {
      template.forEach((piece, index) => {
        if ('SpecialToken' in piece && this.specialTokens[piece.SpecialToken.id] === undefined) {
          throw new TokenizerConfigError(
            `post_processor.${name}[${index}].SpecialToken.id`,
            `expected a key of post_processor.special_tokens, got ${describe(piece.SpecialToken.id)}`,
          );
        }
      });
    }
  }

  /** Builds one from its `tokenizer.json` form. */
  static fromJSON(json: JsonObject, path: string): TemplateProcessing {
    const readTemplate = (key: string): TemplatePiece[] =>
      readArray(json, key, path).map((item, index) => {
        const piecePath = `${path}.${key}[${index}]`;
        const piece = expectObject(item, piecePath);
        if (piece.SpecialToken !== undefined) {
          const special = expectObject(piece.SpecialToken, `${piecePath}.SpecialToken`);
          if (typeof special.id !== 'string') throw new TokenizerConfigError(`${piecePath}.SpecialToken.id`, `expected a string, got ${describe(special.id)}`);
          return { SpecialToken: { id: special.id, type_id: readTypeId(special, `${piecePath}.SpecialToken`) } };
        }
        if (piece.Sequence !== undefined) {
          const sequence = expectObject(piece.Sequence, `${piecePath}.Sequence`);
          if (sequence.id !== 'A' && sequence.id !== 'B') throw new TokenizerConfigError(`${piecePath}.Sequence.id`, `expected "A" or "B", got ${describe(sequence.id)}`);
          return { Sequence: { id: sequence.id, type_id: readTypeId(sequence, `${piecePath}.Sequence`) } };
        }
        throw new TokenizerConfigError(piecePath, 'expected {"SpecialToken": …} or {"Sequence": …}');
      });
    const specialJSON = expectObject(json.special_tokens, `${path}.special_tokens`);
    const specialTokens: Record<string, TemplateSpecialToken> = {};
    for (const [name, value] of Object.entries(specialJSON)) {
      const entryPath = `${path}.special_tokens[${JSON.stringify(name)}]`;
      const entry = expectObject(value, entryPath);
      const ids = readArray(entry, 'ids', entryPath);
      const tokens = readArray(entry, 'tokens', entryPath);
      if (!ids.every((id) => Number.isInteger(id)) || !tokens.every((token) => typeof token === 'string') || ids.length !== tokens.length) {
        throw new TokenizerConfigError(entryPath, 'expected "ids" (integers) and "tokens" (strings) of the same length');
      }
      specialTokens[name] = { id: typeof entry.id === 'string' ? entry.id : name, ids: ids as number[], tokens: tokens as string[] };
    }
    return new TemplateProcessing({ single: readTemplate('single'), pair: readTemplate('pair'), specialTokens });
  }

  addedTokens(isPair: boolean): number {
    let count = 0;
    for (const piece of isPair ? this.pair : this.single) {
      if ('SpecialToken' in piece) count += this.specialTokens[piece.SpecialToken.id]!.ids.length;
    }
    return count;
  }

  process(encoding: Encoding, pair: Encoding | null, addSpecialTokens: boolean): Encoding {
    const result = emptyEncoding();
    for (const piece of pair === null ? this.single : this.pair) {
      if ('Sequence' in piece) {
        const source = piece.Sequence.id === 'A' ? encoding : pair;
        if (source === null) continue;
        const sequenceId = piece.Sequence.id === 'A' ? 0 : 1;
        source.typeIds.fill(piece.Sequence.type_id);
        source.sequenceIds.fill(sequenceId);
        appendEncoding(result, source);
      } else if (addSpecialTokens) {
        const special = this.specialTokens[piece.SpecialToken.id]!;
        special.ids.forEach((id, index) => appendSpecialToken(result, id, special.tokens[index]!, piece.SpecialToken.type_id));
      }
    }
    return result;
  }

  toJSON(): PostProcessorJSON {
    return { type: 'TemplateProcessing', single: this.single, pair: this.pair, special_tokens: this.specialTokens };
  }
}

function readTypeId(object: JsonObject, path: string): number {
  const value = object.type_id ?? 0;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new TokenizerConfigError(`${path}.type_id`, `expected a non-negative integer, got ${describe(value)}`);
  }
  return value;
}
