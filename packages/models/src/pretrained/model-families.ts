import type * as tf from '@tensorflow/tfjs';
import { readModelJson } from '@heed/backends';
import { Seq2Seq } from '../seq2seq/seq2seq';
import { SEQ2SEQ_FAMILY, SEQ2SEQ_FORMAT } from '../seq2seq/seq2seq-io';
import { TEXT_FAMILY, TextClassifier } from '../text-classifier/text-classifier';
import { VIT_FAMILY, VitImageClassifier } from '../vit/vit-image-classifier';
import type { HeedSavedModel } from './heed-format';
import { HfTextClassifier } from './hf-text-classifier';
import { locateSavedModel, readHeedModel, type ReadHeedModelOptions } from './heed-model-io';

/** What a legacy `model.json` (tf.io layout) says about itself: enough for a family to recognize its own. */
export interface SavedModelJson {
  format?: string;
  userDefinedMetadata?: Record<string, unknown>;
}

/**
 * One model family: how to rebuild a model it saved in the heed format (`config.json` names the
 * family), how to recognize and load its legacy `model.json` files, and the Hugging Face
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
  /** Whether a legacy `model.json` holds a model of this family. */
  detect(json: SavedModelJson): boolean;
  /** Loads a model the family saved: a heed folder or URL, or any legacy `tf.io` URL or handler. */
  load(source: string | tf.io.IOHandler): Promise<Model>;
  /** Builds a model from a saved heed model whose `config.json` names this family. */
  fromSaved?(saved: HeedSavedModel): Model;
}

const hasMetadata = (key: string) => (json: SavedModelJson) => Boolean(json.userDefinedMetadata?.[key]);

const families = new Map<string, ModelFamily>([
  [SEQ2SEQ_FAMILY, { name: SEQ2SEQ_FAMILY, description: 'RNN or Transformer encoder-decoder with attention (Seq2Seq)', hfModelTypes: [], detect: (json) => json.format === SEQ2SEQ_FORMAT, load: (source) => Seq2Seq.load(source), fromSaved: (saved) => Seq2Seq.fromSaved(saved) }],
  [VIT_FAMILY, { name: VIT_FAMILY, description: 'Vision Transformer image classifier (VitBackbone + VitImageClassifier)', hfModelTypes: ['vit'], detect: hasMetadata('heedVisionTransformer'), load: (source) => VitImageClassifier.load(source), fromSaved: (saved) => VitImageClassifier.fromSaved(saved) }],
  [TEXT_FAMILY, { name: TEXT_FAMILY, description: 'text classifier (BilstmAttentionBackbone or TextTransformerBackbone + TextClassifier)', hfModelTypes: [], detect: hasMetadata('heedTextClassifier'), load: (source) => TextClassifier.load(source), fromSaved: (saved) => TextClassifier.fromSaved(saved) }],
  // Hugging Face layout (config.json + model.safetensors + tokenizer files), no model.json: loaded from the folder's base URL.
  ['hf-text', { name: 'hf-text', description: 'Hugging Face sequence classifier with its tokenizer (HfTextClassifier; a folder in HF layout, loaded from its base URL)', hfModelTypes: [], detect: () => false, load: loadHfText }],
]);

function loadHfText(source: string | tf.io.IOHandler): Promise<HfTextClassifier> {
  if (typeof source !== 'string') return Promise.reject(new TypeError('modelFamily("hf-text").load: source must be the base URL of a folder in Hugging Face layout (http(s)://…/<name>); a tf.io handler cannot read config.json and model.safetensors'));
  return HfTextClassifier.fromPretrained(source.replace(/\/config\.json$/, '').replace(/\/+$/, '')); // pretrainedUrl gives …/<name>/config.json
}

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

/**
 * Builds the model of a saved heed model through the family its `config.json` names; an unknown
 * family, or one that cannot rebuild saved models, is refused naming the file.
 *
 * @example
 * ```ts
 * const model = modelFromSaved(await readHeedModel('/tmp/digits')); // a VitImageClassifier
 * ```
 */
export function modelFromSaved(saved: HeedSavedModel): unknown {
  const file = saved.files?.config ?? 'config.json';
  const family = families.get(saved.json.family);
  if (!family?.fromSaved) throw new Error(`${file} names the family ${JSON.stringify(saved.json.family.slice(0, 60))}, which ${family ? 'cannot rebuild saved models' : `is not registered; known: ${[...families.keys()].join(', ')}`}`);
  return family.fromSaved(saved);
}

/**
 * Loads any saved heed model, whatever its family: a folder (Node) or the http(s) URL of its
 * folder or `config.json`; legacy `model.json` layouts load through the family that
 * {@link detectModelFamily} recognizes (Node folders) or through `family` when given.
 *
 * @example
 * ```ts
 * const model = await loadSavedModel('/tmp/digits'); // VitImageClassifier, TextClassifier or Seq2Seq
 * ```
 */
export async function loadSavedModel(source: string | tf.io.IOHandler, options: ReadHeedModelOptions & { family?: string } = {}): Promise<unknown> {
  const located = await locateSavedModel(source, options.where);
  if ('heed' in located) return modelFromSaved(await readHeedModel(located.heed, options));
  if (options.family) return modelFamily(options.family).load(located.legacy);
  const legacy = located.legacy;
  if (typeof legacy === 'string' && legacy.startsWith('file://')) {
    const family = detectModelFamily(await readModelJson(legacy, options.where));
    if (family) return family.load(legacy);
  }
  throw new Error(`${options.where ?? ''}loadSavedModel: cannot tell the family of ${typeof legacy === 'string' ? legacy : 'the given IOHandler'}; pass { family }`);
}
