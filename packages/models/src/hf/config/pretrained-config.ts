import type { ConfigFields} from './hf-config-error';
import { HfConfigError, describeValue } from './hf-config-error';

/** The fields every HF config shares (PretrainedConfig), with transformers' defaults. */
export interface PretrainedConfigFields {
  /** Class names the checkpoint was saved from, e.g. `["BertForSequenceClassification"]`. */
  readonly architectures: readonly string[];
  /** Label names by class index (default LABEL_0, LABEL_1: `num_labels` 2). */
  readonly id2label: Readonly<Record<number, string>>;
  /** Class index by label name (the inverse of `id2label`). */
  readonly label2id: Readonly<Record<string, number>>;
  /** `"single_label_classification"`, `"multi_label_classification"`, `"regression"` or null. */
  readonly problem_type: string | null;
  /** The dtype the weights were saved in, when recorded (`"float32"`, `"float16"`, …). */
  readonly torch_dtype: string | null;
}

const PROBLEM_TYPES = ['single_label_classification', 'multi_label_classification', 'regression'];

/**
 * Reads the shared PretrainedConfig fields. `id2label` keys are strings in JSON (`{"0": "NEG"}`);
 * `num_labels` alone gives `LABEL_i` names, as transformers does; `label2id` must agree with
 * `id2label` when both are given.
 */
export function readPretrainedFields(fields: ConfigFields): PretrainedConfigFields {
  const { json, file } = fields;
  const architectures = json.architectures ?? [];
  if (!Array.isArray(architectures) || !architectures.every((name) => typeof name === 'string')) {
    throw new HfConfigError(file, 'architectures', `expected a list of class names; got ${describeValue(architectures)}`);
  }
  let id2label: Record<number, string> = {};
  if (json.id2label !== undefined) {
    if (typeof json.id2label !== 'object' || json.id2label === null || Array.isArray(json.id2label)) {
      throw new HfConfigError(file, 'id2label', `expected an object {"0": "label", …}; got ${describeValue(json.id2label)}`);
    }
    for (const [key, label] of Object.entries(json.id2label as Record<string, unknown>)) {
      const id = Number(key);
      if (!/^\d+$/.test(key) || typeof label !== 'string') throw new HfConfigError(file, `id2label.${key}`, `expected an integer key and a string label; got ${describeValue(label)}`);
      id2label[id] = label;
    }
    const ids = Object.keys(id2label).map(Number).sort((a, b) => a - b);
    if (ids.some((id, i) => id !== i)) throw new HfConfigError(file, 'id2label', `ids must be 0..${ids.length - 1}; got ${ids.join(', ')}`);
  }
  const labelCount = Object.keys(id2label).length;
  const numLabels = fields.int('num_labels', labelCount || 2);
  if (labelCount === 0) id2label = Object.fromEntries(Array.from({ length: numLabels }, (_, i) => [i, `LABEL_${i}`]));
  else if (json.num_labels !== undefined && numLabels !== labelCount) {
    throw new HfConfigError(file, 'num_labels', `is ${numLabels} but id2label has ${labelCount} labels`);
  }
  const label2id: Record<string, number> = {};
  for (const [id, label] of Object.entries(id2label)) label2id[label] = Number(id);
  if (json.label2id !== undefined) {
    const given = json.label2id as Record<string, unknown>;
    if (typeof given !== 'object' || given === null) throw new HfConfigError(file, 'label2id', `expected an object; got ${describeValue(given)}`);
    for (const [label, id] of Object.entries(given)) {
      if (label2id[label] !== id) throw new HfConfigError(file, `label2id.${label}`, `is ${describeValue(id)} but id2label gives ${describeValue(label2id[label])}`);
    }
  }
  const problem = json.problem_type ?? null;
  if (problem !== null && !PROBLEM_TYPES.includes(problem as string)) {
    throw new HfConfigError(file, 'problem_type', `expected one of ${PROBLEM_TYPES.join(', ')} or null; got ${describeValue(problem)}`);
  }
  const dtype = json.torch_dtype ?? null;
  if (dtype !== null && typeof dtype !== 'string') throw new HfConfigError(file, 'torch_dtype', `expected a string; got ${describeValue(dtype)}`);
  return { architectures: [...(architectures as string[])], id2label, label2id, problem_type: problem as string | null, torch_dtype: dtype as string | null };
}

/** Number of labels of a config (`len(id2label)`). */
export function numLabels(config: PretrainedConfigFields): number {
  return Object.keys(config.id2label).length;
}

/** The shared fields as HF writes them (`id2label` with string keys). */
export function pretrainedFieldsToJson(config: PretrainedConfigFields): Record<string, unknown> {
  return {
    architectures: [...config.architectures],
    id2label: Object.fromEntries(Object.entries(config.id2label).map(([id, label]) => [String(id), label])),
    label2id: { ...config.label2id },
    ...(config.problem_type === null ? {} : { problem_type: config.problem_type }),
    ...(config.torch_dtype === null ? {} : { torch_dtype: config.torch_dtype }),
  };
}
