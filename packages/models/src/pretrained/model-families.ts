import type * as tf from '@tensorflow/tfjs';
import { Seq2Seq } from '../seq2seq/seq2seq';
import { SEQ2SEQ_FORMAT } from '../seq2seq/seq2seq-io';
import { TextClassifier } from '../text-classifier/text-classifier';
import { VitImageClassifier } from '../vit/vit-image-classifier';

/** What a saved `model.json` says about itself: enough for a family to recognize its own. */
export interface SavedModelJson {
  format?: string;
  userDefinedMetadata?: Record<string, unknown>;
}

/**
 * One model family: how to recognize and load a model it saved, and the Hugging Face
 * `model_type`s it can express (for the `hf/` loaders).
 *
 * @example
 * ```ts
 * const family: ModelFamily = modelFamily('vit');
 * const vit = await family.load('https://example.org/weights/digits/model.json');
 * ```
 */
export interface ModelFamily<Model = unknown> {
  /** The registry key, e.g. `vit`. */
  readonly name: string;
  /** What the family is, in words. */
  readonly description: string;
  /** Hugging Face `config.json` `model_type`s this family's backbone expresses (e.g. `['vit']`). */
  readonly hfModelTypes: readonly string[];
  /** Whether a saved `model.json` holds a model of this family. */
  detect(json: SavedModelJson): boolean;
  /** Loads a model the family saved (any `tf.io` URL or handler). */
  load(source: string | tf.io.IOHandler): Promise<Model>;
}

const hasMetadata = (key: string) => (json: SavedModelJson) => Boolean(json.userDefinedMetadata?.[key]);

const families = new Map<string, ModelFamily>([
  ['seq2seq', { name: 'seq2seq', description: 'RNN or Transformer encoder-decoder with attention (Seq2Seq)', hfModelTypes: [], detect: (json) => json.format === SEQ2SEQ_FORMAT, load: (source) => Seq2Seq.load(source) }],
  ['vit', { name: 'vit', description: 'Vision Transformer image classifier (VitBackbone + VitImageClassifier)', hfModelTypes: ['vit'], detect: hasMetadata('heedVisionTransformer'), load: (source) => VitImageClassifier.load(source) }],
  ['text', { name: 'text', description: 'text classifier (BilstmAttentionBackbone or TextTransformerBackbone + TextClassifier)', hfModelTypes: [], detect: hasMetadata('heedTextClassifier'), load: (source) => TextClassifier.load(source) }],
]);

/**
 * Adds a family to the registry (a new architecture, or one for a Hugging Face `model_type`);
 * a name already taken is refused.
 *
 * @example
 * ```ts
 * registerModelFamily({ name: 'bert', description: 'BERT', hfModelTypes: ['bert'], detect: (json) => Boolean(json.userDefinedMetadata?.heedBert), load: loadBert });
 * ```
 */
export function registerModelFamily(family: ModelFamily): void {
  if (typeof family?.name !== 'string' || family.name === '') throw new Error(`registerModelFamily: family.name must be a non-empty string; got ${JSON.stringify(family?.name)}`);
  if (families.has(family.name)) throw new Error(`registerModelFamily: a family named ${JSON.stringify(family.name)} is already registered`);
  families.set(family.name, family);
}

/**
 * The family registered under `name`; an unknown name is refused, naming the known ones.
 *
 * @example
 * ```ts
 * await modelFamily('text').load(handler); // a TextClassifier
 * ```
 */
export function modelFamily(name: string): ModelFamily {
  const family = families.get(name);
  if (!family) throw new Error(`modelFamily: unknown family ${JSON.stringify(String(name).slice(0, 60))}; known: ${[...families.keys()].join(', ')}`);
  return family;
}

/**
 * Every registered family, in registration order.
 *
 * @example
 * ```ts
 * modelFamilies().map((family) => family.name); // ['seq2seq', 'vit', 'text', …]
 * ```
 */
export function modelFamilies(): ModelFamily[] {
  return [...families.values()];
}

/**
 * The family whose saved model `json` is (see {@link ModelFamily.detect}), or undefined.
 *
 * @example
 * ```ts
 * detectModelFamily(JSON.parse(modelJsonText))?.name; // 'vit'
 * ```
 */
export function detectModelFamily(json: SavedModelJson): ModelFamily | undefined {
  return modelFamilies().find((family) => family.detect(json));
}

/**
 * The family of a Hugging Face `model_type` (`config.json`), or undefined when none expresses it.
 *
 * @example
 * ```ts
 * familyOfHfModelType('vit')?.name; // 'vit'
 * ```
 */
export function familyOfHfModelType(modelType: string): ModelFamily | undefined {
  return modelFamilies().find((family) => family.hfModelTypes.includes(modelType));
}
