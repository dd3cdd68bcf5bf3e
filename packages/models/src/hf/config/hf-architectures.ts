import { bertLikeConfigToJson, parseBertConfig, type HfBertConfig } from './hf-bert-config';
import { HfConfigError, describeValue, readJsonObject } from './hf-config-error';
import { distilBertConfigToJson, parseDistilBertConfig, type HfDistilBertConfig } from './hf-distilbert-config';
import { parseRobertaConfig, type HfRobertaConfig } from './hf-roberta-config';
import { gpt2ConfigToJson, parseGpt2Config, type HfGpt2Config } from './hf-gpt2-config';
import { parseVitConfig, vitConfigToJson, type HfVitConfig } from './hf-vit-config';

/** Any supported HF config, told apart by `model_type`. */
export type HfConfig = HfBertConfig | HfRobertaConfig | HfDistilBertConfig | HfVitConfig | HfGpt2Config;

/** A supported `model_type`. */
export type HfModelType = HfConfig['model_type'];

/** One architecture family: how to read its config and which HF classes (tasks) it has. */
export interface HfArchitectureEntry<C extends HfConfig = HfConfig> {
  readonly modelType: C['model_type'];
  /** The prefix of the base model's weights in task checkpoints (`bert.` in BertForMaskedLM). */
  readonly basePrefix: string;
  /** HF class names (`architectures` values) heed knows for this family. */
  readonly classes: readonly string[];
  /** Reads and validates a `config.json` of this family. */
  readonly parse: (json: Readonly<Record<string, unknown>>, file?: string) => C;
  /** Writes the config back as HF does. */
  readonly toJson: (config: C) => Record<string, unknown>;
}

const bert: HfArchitectureEntry<HfBertConfig> = {
  modelType: 'bert',
  basePrefix: 'bert',
  classes: ['BertModel', 'BertForSequenceClassification', 'BertForMaskedLM', 'BertForTokenClassification', 'BertForPreTraining'],
  parse: parseBertConfig,
  toJson: bertLikeConfigToJson,
};
const roberta: HfArchitectureEntry<HfRobertaConfig> = {
  modelType: 'roberta',
  basePrefix: 'roberta',
  classes: ['RobertaModel', 'RobertaForSequenceClassification', 'RobertaForMaskedLM', 'RobertaForTokenClassification'],
  parse: parseRobertaConfig,
  toJson: bertLikeConfigToJson,
};
const distilbert: HfArchitectureEntry<HfDistilBertConfig> = {
  modelType: 'distilbert',
  basePrefix: 'distilbert',
  classes: ['DistilBertModel', 'DistilBertForSequenceClassification', 'DistilBertForMaskedLM', 'DistilBertForTokenClassification'],
  parse: parseDistilBertConfig,
  toJson: distilBertConfigToJson,
};
const vit: HfArchitectureEntry<HfVitConfig> = {
  modelType: 'vit',
  basePrefix: 'vit',
  classes: ['ViTModel', 'ViTForImageClassification'],
  parse: parseVitConfig,
  toJson: vitConfigToJson,
};

const gpt2: HfArchitectureEntry<HfGpt2Config> = {
  modelType: 'gpt2',
  basePrefix: 'transformer',
  classes: ['GPT2Model', 'GPT2LMHeadModel'],
  parse: parseGpt2Config,
  toJson: gpt2ConfigToJson,
};

/** The registry: `model_type` → family. */
export const HF_ARCHITECTURES: Readonly<Record<HfModelType, HfArchitectureEntry>> = {
  bert, roberta, distilbert, vit, gpt2,
} as Record<HfModelType, HfArchitectureEntry>;

/** Supported `model_type`s. */
export const HF_MODEL_TYPES = Object.keys(HF_ARCHITECTURES) as HfModelType[];

const supported = () => HF_MODEL_TYPES.map((type) => `${type} (${HF_ARCHITECTURES[type].classes.join(', ')})`).join('; ');

/**
 * The family of a config: its `model_type`, else the family of its first `architectures` class
 * (old checkpoints lack `model_type`). An unknown one is an error that lists the supported ones.
 *
 * @example
 * ```ts
 * hfArchitecture({ architectures: ['DistilBertForSequenceClassification'] }).modelType; // "distilbert"
 * ```
 */
export function hfArchitecture(json: Readonly<Record<string, unknown>>, file = 'config.json'): HfArchitectureEntry {
  const modelType = json.model_type;
  if (modelType !== undefined) {
    if (typeof modelType === 'string' && Object.hasOwn(HF_ARCHITECTURES, modelType)) return HF_ARCHITECTURES[modelType as HfModelType];
    throw new HfConfigError(file, 'model_type', `${describeValue(modelType)} is not supported; supported: ${supported()}`);
  }
  const classes = Array.isArray(json.architectures) ? (json.architectures as unknown[]) : [];
  for (const name of classes) {
    const entry = Object.values(HF_ARCHITECTURES).find((candidate) => candidate.classes.includes(name as string));
    if (entry) return entry;
  }
  throw new HfConfigError(file, 'model_type', `missing, and architectures ${describeValue(json.architectures)} name no supported class; supported: ${supported()}`);
}

/**
 * Reads a `config.json` (text or parsed) into the typed config of its family, with HF's field
 * names and defaults. A class in `architectures` heed does not know for that family is an error
 * listing the known ones.
 *
 * @example
 * ```ts
 * const config = parseHfConfig(await source.readText('config.json'));
 * if (config.model_type === 'vit') console.log(config.image_size, config.patch_size);
 * ```
 */
export function parseHfConfig(json: string | Readonly<Record<string, unknown>>, file = 'config.json'): HfConfig {
  const object = readJsonObject(json, file);
  const entry = hfArchitecture(object, file);
  const config = entry.parse(object, file);
  const unknown = config.architectures.filter((name) => !entry.classes.includes(name));
  if (unknown.length > 0) {
    throw new HfConfigError(file, 'architectures', `${describeValue(unknown)} not supported for model_type ${entry.modelType}; supported: ${entry.classes.join(', ')}`);
  }
  return config;
}

/**
 * A config as HF writes `config.json` (`model_type`, `architectures`, every field), for saving
 * a checkpoint PyTorch can load.
 *
 * @example
 * ```ts
 * const text = JSON.stringify(hfConfigToJson({ ...config, architectures: ['BertForSequenceClassification'] }), null, 2);
 * ```
 */
export function hfConfigToJson(config: HfConfig): Record<string, unknown> {
  const entry = HF_ARCHITECTURES[config.model_type] as HfArchitectureEntry<typeof config>;
  return { model_type: config.model_type, ...entry.toJson(config) };
}
