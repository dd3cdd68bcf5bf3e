import { parseHfConfig, type HfConfig } from './config/hf-architectures';
import { HfConfigError } from './config/hf-config-error';
import { numLabels } from './config/pretrained-config';
import { hfWeightLayout } from './convert/hf-weight-layout';
import { HfWeightsError, matchCheckpoint } from './convert/match-checkpoint';
import type { HfModel } from './hf-model';
import { HF_BASE_CLASSES, HF_MODEL_CLASSES } from './hf-model-classes';
import type { HfPretrainedModel } from './hf-pretrained-model';
import type { SafetensorsEntry } from './safetensors/parse-safetensors-header';
import { isIntegerDtype } from './safetensors/safetensors-dtype';
import type { CheckpointSource } from './sources/checkpoint-source';
import { openCheckpointWeights } from './sources/open-checkpoint-weights';
import { resolveCheckpointSource } from './sources/resolve-checkpoint-source';

/** Options of {@link fromPretrained}. */
export interface FromPretrainedOptions {
  /** The HF class to build (default: the config's first `architectures`, else the family's base model). */
  readonly architecture?: string;
  /**
   * A new number of labels (`from_pretrained(…, num_labels=N)`): labels become `LABEL_0…`, and a
   * checkpoint head of another size is replaced by a fresh one, with a warning
   * (`ignore_mismatched_sizes=True`).
   */
  readonly numLabels?: number;
  /** Where warnings go (fresh heads, unused tensors). Default `console.warn`. */
  readonly onWarning?: (message: string) => void;
}

const WORD_EMBEDDINGS = /(?:^|\.)(?:embeddings\.word_embeddings|wte)\.weight$/;

/**
 * Loads a Hugging Face checkpoint (`config.json` + `model.safetensors` or shards) into the heed
 * class its config names, as transformers' `AutoModel…from_pretrained`: the family comes from
 * `model_type` (else `architectures`), the class from `options.architecture` or `architectures[0]`.
 * Tensors stream one by one into the model's variables (Linear weights transposed to heed's
 * layout), found with or without the base prefix (`bert.`); tied copies and integer buffers are
 * skipped. A checkpoint without the task head gets a fresh head and a warning; unused tensors are
 * reported. On any error nothing stays allocated (`tf.memory().numTensors` is unchanged): a
 * missing base tensor or a shape mismatch names each tensor with both shapes.
 *
 * @param source - A {@link CheckpointSource} (`folderSource(dir)` from `@heed/models/node`,
 * `fileListSource(files)`), or a base URL in the Hub's layout (`…/resolve/main`).
 * @example
 * ```ts
 * const model = await fromPretrained<BertForSequenceClassification>(folderSource('bert-base-uncased'), {
 *   architecture: 'BertForSequenceClassification', numLabels: 2,
 * }); // warns: classifier.weight, classifier.bias newly initialized
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, 2)
 * ```
 */
export async function fromPretrained<T extends HfModel = HfModel>(source: CheckpointSource | string, options: FromPretrainedOptions = {}): Promise<T> {
  const checkpoint = resolveCheckpointSource(source);
  const configFile = `${checkpoint.location}/config.json`;
  let config = parseHfConfig(await checkpoint.readText('config.json'), configFile);
  const architecture = options.architecture ?? config.architectures[0] ?? HF_BASE_CLASSES[config.model_type];
  const known = HF_MODEL_CLASSES[architecture];
  if (!known || known.modelType !== config.model_type) {
    const supported = Object.entries(HF_MODEL_CLASSES).filter(([, entry]) => entry.modelType === config.model_type).map(([name]) => name);
    throw new HfConfigError(options.architecture ? 'options' : configFile, 'architecture', `${JSON.stringify(architecture)} is not a class heed implements for model_type ${config.model_type}; implemented: ${supported.join(', ') || 'none'}`);
  }
  if (options.numLabels !== undefined) {
    if (!Number.isSafeInteger(options.numLabels) || options.numLabels < 1) throw new RangeError(`fromPretrained: numLabels must be a positive integer; got ${String(options.numLabels)}`);
    if (options.numLabels !== numLabels(config)) {
      const id2label = Object.fromEntries(Array.from({ length: options.numLabels }, (_, i) => [i, `LABEL_${i}`]));
      config = { ...config, id2label, label2id: Object.fromEntries(Object.entries(id2label).map(([id, label]) => [label, Number(id)])) };
    }
  }
  config = { ...config, architectures: [architecture] };
  const warn = options.onWarning ?? ((message: string) => console.warn(message));
  const reader = await openCheckpointWeights(checkpoint);
  let model: HfPretrainedModel | undefined;
  try {
    const file = (reader as { name?: string }).name ?? `${checkpoint.location}/model.safetensors.index.json`;
    const layout = hfWeightLayout(config, architecture);
    let entries = reader.names.map((name) => reader.entry(name)!) as SafetensorsEntry[];
    checkVocabulary(config, entries, file);
    const warnings: string[] = [];
    if (options.numLabels !== undefined) entries = dropMismatchedHead(layout, entries, warnings, architecture, file);
    const match = matchCheckpoint(layout, entries, file);
    // Zeros instead of random draws: every tensor is loaded below, and only the fresh ones are drawn.
    model = new (known.create as unknown as new (config: HfConfig, options: { onWarning: typeof warn; initialize: boolean }) => HfPretrainedModel)(config, { onWarning: warn, initialize: false });
    const names = model.parameters.all.map((parameter) => parameter.name);
    const expected = layout.tensors.map((tensor) => tensor.name);
    if (names.join('\n') !== expected.join('\n')) {
      throw new Error(`fromPretrained: ${architecture} holds [${names.join(', ')}] but its HF layout lists [${expected.join(', ')}] (a heed bug)`);
    }
    for (const [, stored] of match.found) {
      const { dtype } = reader.entry(stored)!;
      if (isIntegerDtype(dtype)) throw new HfWeightsError(file, `${stored}: expected a floating-point tensor (F32, F16, BF16, F64); got ${dtype}`);
    }
    // Piece by piece into the variables' own memory: no second copy of any tensor (bert-base peaks near 1.1x its file).
    for (const [name, stored] of match.found) await model.parameters.load(name, reader, stored);
    for (const name of match.fresh) model.parameters.reinitialize(name, config.initializer_range);
    for (const warning of [...warnings, ...match.warnings]) warn(warning);
    return model as unknown as T;
  } catch (error) {
    model?.dispose();
    throw error;
  } finally {
    await reader.close();
  }
}

/** config.json `vocab_size` must equal the rows of the word embeddings. */
function checkVocabulary(config: HfConfig, entries: readonly SafetensorsEntry[], file: string): void {
  if (config.model_type === 'vit') return;
  const embeddings = entries.find((entry) => WORD_EMBEDDINGS.test(entry.name));
  if (embeddings && embeddings.shape[0] !== config.vocab_size) {
    throw new HfWeightsError(file, `config.json vocab_size is ${config.vocab_size} but ${embeddings.name} has ${embeddings.shape[0]} rows (shape [${embeddings.shape.join(', ')}]): the vocabulary and the embedding table disagree`);
  }
}

/** With a new `numLabels`: head tensors of another shape are left out (and fresh), as `ignore_mismatched_sizes=True`. */
function dropMismatchedHead(layout: ReturnType<typeof hfWeightLayout>, entries: SafetensorsEntry[], warnings: string[], architecture: string, file: string): SafetensorsEntry[] {
  const heads = new Map(layout.tensors.filter((tensor) => tensor.part === 'head').map((tensor) => [tensor.name, tensor.shape]));
  const mismatched: string[] = [];
  const kept = entries.filter((entry) => {
    const shape = heads.get(entry.name);
    if (!shape || shape.join() === entry.shape.join()) return true;
    mismatched.push(`${entry.name}: found shape [${entry.shape.join(', ')}] in the checkpoint and [${shape.join(', ')}] in the model instantiated`);
    return false;
  });
  if (mismatched.length > 0) {
    warnings.push(`Some weights of ${architecture} were not initialized from ${file} and are newly initialized because the shapes did not match: ${mismatched.join('; ')}. Train the model on a downstream task before using it for predictions.`);
  }
  return kept;
}
