import {
  HfWeightsError, hfWeightLayout, isIntegerDtype, loadHfTokenizer, matchCheckpoint, numLabels, type HfConfig,
} from '@heed/models';
import { listHfFiles, openHfCheckpoint, openWeightHeaders, print, readHfConfig } from './hf-checkpoint';

export const HF_INFO_USAGE = `heed hf info <dir|url> [--json]

What a Hugging Face checkpoint is, from its config.json and its safetensors headers only (at a URL,
through range requests: the weights are not downloaded): architecture, sizes, labels, parameters,
dtype, files, tokenizer. <url> is a base URL in the Hub's layout, e.g.
https://huggingface.co/prajjwal1/bert-tiny/resolve/main.`;

/** The report of `heed hf info --json`. */
export interface HfInfoReport {
  location: string;
  architecture: string;
  model_type: string;
  hidden_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  vocab_size: number | null;
  max_position_embeddings: number | null;
  image_size: number | null;
  patch_size: number | null;
  labels: string[];
  /** Trainable parameters stored (buffers and stored tied copies left out). */
  parameters: number;
  /** Float dtypes of the stored parameters (F32, F16, BF16). */
  dtype: string[];
  torch_dtype: string | null;
  tensors: number;
  files: Array<{ name: string; bytes: number | null }>;
  tokenizer: { model: string; vocab_size: number; model_max_length: number | null; max_length: number } | null;
  /** from_pretrained's warnings (a fresh head), or why the weights do not fit the config. */
  warnings: string[];
}

/** Sizes of a config under the BERT names (DistilBERT's dim/n_layers/n_heads read as such). */
export function hfSizes(config: HfConfig): Pick<HfInfoReport, 'hidden_size' | 'num_hidden_layers' | 'num_attention_heads' | 'vocab_size' | 'max_position_embeddings' | 'image_size' | 'patch_size'> {
  if (config.model_type === 'distilbert') {
    return { hidden_size: config.dim, num_hidden_layers: config.n_layers, num_attention_heads: config.n_heads, vocab_size: config.vocab_size, max_position_embeddings: config.max_position_embeddings, image_size: null, patch_size: null };
  }
  if (config.model_type === 'gpt2') {
    return { hidden_size: config.n_embd, num_hidden_layers: config.n_layer, num_attention_heads: config.n_head, vocab_size: config.vocab_size, max_position_embeddings: config.n_positions, image_size: null, patch_size: null };
  }
  if (config.model_type === 'vit') {
    return { hidden_size: config.hidden_size, num_hidden_layers: config.num_hidden_layers, num_attention_heads: config.num_attention_heads, vocab_size: null, max_position_embeddings: null, image_size: config.image_size, patch_size: config.patch_size };
  }
  return { hidden_size: config.hidden_size, num_hidden_layers: config.num_hidden_layers, num_attention_heads: config.num_attention_heads, vocab_size: config.vocab_size, max_position_embeddings: config.max_position_embeddings, image_size: null, patch_size: null };
}

/** The base model's class when config.json names none (`BertModel`, `ViTModel`, …). */
export function hfArchitectureName(config: HfConfig): string {
  return config.architectures[0] ?? { bert: 'BertModel', roberta: 'RobertaModel', distilbert: 'DistilBertModel', vit: 'ViTModel', gpt2: 'GPT2Model' }[config.model_type];
}

/**
 * `heed hf info <dir|url>`: a checkpoint's architecture, sizes, parameters, dtype, files and
 * tokenizer, read from config.json and the safetensors headers.
 *
 * @example
 * ```ts
 * await hfInfo(['checkpoints/bert-tiny', '--json']); // {"architecture":"BertForSequenceClassification","parameters":4386051,…}
 * ```
 */
export async function hfInfo(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await print(`${HF_INFO_USAGE}\n`);
    return 0;
  }
  const unknown = args.slice(1).find((arg) => arg !== '--json');
  if (unknown !== undefined) throw new Error(`heed hf info: unknown argument ${JSON.stringify(unknown)}\n\n${HF_INFO_USAGE}`);
  const report = await hfInfoReport(args[0]);
  await print(args.includes('--json') ? `${JSON.stringify(report)}\n` : formatHfInfo(report));
  return 0;
}

/** Builds the {@link HfInfoReport} of a checkpoint folder or URL. */
export async function hfInfoReport(location: string | undefined): Promise<HfInfoReport> {
  const checkpoint = await openHfCheckpoint(location, 'info');
  const config = await readHfConfig(checkpoint);
  const architecture = hfArchitectureName(config);
  const weights = await openWeightHeaders(checkpoint);
  const entries = weights.names.map((name) => weights.entry(name)!);
  await weights.close();
  const warnings: string[] = [];
  let ignored = new Set<string>();
  try {
    const match = matchCheckpoint(hfWeightLayout(config, architecture), entries, `${checkpoint.location}/model.safetensors`);
    ignored = new Set(match.ignored);
    warnings.push(...match.warnings);
  } catch (error) {
    if (!(error instanceof HfWeightsError)) throw error;
    warnings.push(error.message);
  }
  const stored = entries.filter((entry) => !isIntegerDtype(entry.dtype) && !ignored.has(entry.name));
  const parameters = stored.reduce((total, entry) => total + entry.shape.reduce((size, dim) => size * dim, 1), 0);
  let tokenizer: HfInfoReport['tokenizer'] = null;
  if (await checkpoint.source.has('tokenizer.json')) {
    const loaded = await loadHfTokenizer(checkpoint.source);
    tokenizer = {
      model: String(loaded.tokenizer.model.toJSON().type ?? loaded.tokenizer.model.constructor.name),
      vocab_size: loaded.vocabSize,
      model_max_length: loaded.config.model_max_length,
      max_length: loaded.maxLength,
    };
  }
  return {
    location: checkpoint.location,
    architecture,
    model_type: config.model_type,
    ...hfSizes(config),
    labels: architecture.endsWith('Classification') ? Array.from({ length: numLabels(config) }, (_, id) => config.id2label[id]!) : [],
    parameters,
    dtype: [...new Set(stored.map((entry) => entry.dtype))],
    torch_dtype: config.torch_dtype,
    tensors: entries.length,
    files: await listHfFiles(checkpoint),
    tokenizer,
    warnings,
  };
}

const bytes = (size: number | null) => (size === null ? '?' : size < 1024 ? `${size} B` : size < 1024 ** 2 ? `${(size / 1024).toFixed(1)} KiB` : size < 1024 ** 3 ? `${(size / 1024 ** 2).toFixed(1)} MiB` : `${(size / 1024 ** 3).toFixed(2)} GiB`);
const count = (value: number) => (value >= 1e9 ? `${(value / 1e9).toFixed(2)}B` : value >= 1e6 ? `${(value / 1e6).toFixed(1)}M` : value >= 1e3 ? `${(value / 1e3).toFixed(1)}K` : String(value));

/** The text form of {@link hfInfoReport}. */
export function formatHfInfo(report: HfInfoReport): string {
  const rows: Array<[string, string]> = [
    ['checkpoint', report.location],
    ['architecture', `${report.architecture} (model_type ${report.model_type})`],
    ['sizes', `${report.num_hidden_layers} layers, hidden ${report.hidden_size}, ${report.num_attention_heads} heads${report.vocab_size === null ? '' : `, vocabulary ${report.vocab_size}`}${report.max_position_embeddings === null ? '' : `, ${report.max_position_embeddings} positions`}${report.image_size === null ? '' : `, ${report.image_size}×${report.image_size} images in ${report.patch_size}×${report.patch_size} patches`}`],
    ...(report.labels.length > 0 ? [['labels', `${report.labels.length}: ${report.labels.join(', ')}`] as [string, string]] : []),
    ['parameters', `${report.parameters.toLocaleString('en-US')} (${count(report.parameters)}) in ${report.tensors} tensors`],
    ['dtype', `${report.dtype.join(', ') || 'none'}${report.torch_dtype ? ` (torch_dtype ${report.torch_dtype})` : ''}`],
    ['files', report.files.map((file) => `${file.name} (${bytes(file.bytes)})`).join(', ')],
    ['tokenizer', report.tokenizer ? `${report.tokenizer.model}, ${report.tokenizer.vocab_size} tokens, model_max_length ${report.tokenizer.model_max_length ?? 'none'} (texts cut to ${report.tokenizer.max_length})` : 'none'],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  return `${rows.map(([name, value]) => `${name.padEnd(width)}  ${value}`).join('\n')}\n${report.warnings.map((warning) => `warning: ${warning}\n`).join('')}`;
}
