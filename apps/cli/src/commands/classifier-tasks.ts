import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, isBackendName } from '@heed/backends';
import {
  HfTextClassifier,
  mnistDataset,
  parseEmail,
  sentimentCrossDomain,
  sentimentDataset,
  sklearnDigitsDataset,
  spamAssassinDataset,
  TextClassifier,
  VisionTransformer,
  type ImageSet,
  type TextExample,
} from '@heed/models';
import { folderSource, loadMnistNode, loadPretrained, loadSentimentNode, loadSklearnDigitsNode, loadSpamAssassinNode, pretrainedPath } from '@heed/models/node';
import { accuracy, confusionMatrix, precisionRecallF1 } from '@heed/training';
import { choiceFlag, numberFlag, parseFlags, stringFlag } from './classifier-common';
import { readImageFile } from './image-file';

/** The classifier tasks of `heed eval` / `heed predict`; each has shipped weights of the same name. */
export const CLASSIFIER_TASKS = ['digits', 'mnist', 'sentiment', 'sentiment-transformer', 'spam', 'sentiment-bert', 'sentiment-cross-bert'] as const;
export type ClassifierTask = (typeof CLASSIFIER_TASKS)[number];

const IMAGE_TASKS: readonly ClassifierTask[] = ['digits', 'mnist'];
/** Tasks whose weights are a Hugging Face folder (an HfTextClassifier: config.json, model.safetensors, tokenizer files). */
const HF_TASKS: readonly ClassifierTask[] = ['sentiment-bert', 'sentiment-cross-bert'];

export function isClassifierTask(task: unknown): task is ClassifierTask {
  return CLASSIFIER_TASKS.includes(task as ClassifierTask);
}

export const EVAL_CLASSIFIER_USAGE = `heed eval digits|mnist|sentiment|sentiment-transformer|spam|sentiment-bert|sentiment-cross-bert [--model DIR] [--split test|validation] [--limit N] [--json] [--backend wasm|cpu|webgpu]
    Scores a classifier on one of its task's fixed splits (--split, default test): accuracy, macro
    and per-class precision, recall and F1, and the confusion matrix (rows: true class, columns:
    predicted). --split validation is the split heed train text reports validation accuracy on
    (sentimentDataset's / spamAssassinDataset's validation examples, disjoint from train and test);
    digits and mnist have none (heed train vit learns from the whole train split), so there it is
    an error. sentiment-cross-bert is scored on the IMDb sentences (test) or every 20th Amazon+Yelp
    sentence (validation, held out of its training). Loads the shipped weights
    (packages/models/weights/<task>) unless --model names a folder saved by heed train
    (config.json + model.safetensors; for the -bert tasks a Hugging Face folder with its tokenizer).`;

export const PREDICT_CLASSIFIER_USAGE = `heed predict digits|mnist (--index N | --image FILE) [--model DIR] [--json]
heed predict sentiment|sentiment-transformer|spam|sentiment-bert|sentiment-cross-bert (TEXT... | --file FILE | --index N) [--model DIR] [--json]
    Images: --index picks test-split image N; --image reads a PNG (8-bit), PGM or JSON file of
    exactly the model's size (8×8 for digits, 28×28 for mnist), one grayscale channel, ink bright
    on a dark background, as in the training data; other sizes or channel counts are refused with
    the expected shape. Prints the class, its probability and the attention rollout over patches.
    Texts: prints the class and each token's explanation weight (attention pooling for BiLSTM,
    rollout of [CLS] attention for the Transformer and the BERTs). Texts longer than the model's maxLength tokens
    are truncated as the model was trained (spam: the first 64 and the last tokens are kept; the
    others: the end is cut), and the output says so. --file reads one text (for spam, a raw
    email: its subject and body are used, as in training; a file without email headers is read
    as plain text). Empty texts are refused.`;

const FLAGS_EVAL = { model: 'value', split: 'value', limit: 'value', json: 'flag', backend: 'value' } as const;

/** The splits `heed eval` scores. */
export const EVAL_SPLITS = ['test', 'validation'] as const;
export type EvalSplit = (typeof EVAL_SPLITS)[number];
const FLAGS_PREDICT = { model: 'value', index: 'value', image: 'value', file: 'value', json: 'flag', backend: 'value' } as const;

type TaskModel = VisionTransformer | TextClassifier | HfTextClassifier;

/** Splits `args` into `--flags` (with their values) and positional words, for `heed predict`'s free text. */
function splitArgs(args: readonly string[], known: Readonly<Record<string, 'value' | 'flag'>>): { flagArgs: string[]; words: string[] } {
  const flagArgs: string[] = [];
  const words: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg.startsWith('--')) {
      flagArgs.push(arg);
      if (known[arg.slice(2)] === 'value' && index + 1 < args.length) flagArgs.push(args[++index]!);
    } else {
      words.push(arg);
    }
  }
  return { flagArgs, words };
}

async function startBackend(backend: string, command: string): Promise<void> {
  if (!isBackendName(backend)) throw new Error(`${command}: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend)}`);
  await initBackend({ backend });
}

/** The task's model: `--model DIR` (saved by heed train or model.save('file://…')) or the shipped weights. */
export async function loadTaskModel(task: ClassifierTask, modelDir: string | undefined): Promise<{ model: TaskModel; source: string }> {
  const image = IMAGE_TASKS.includes(task);
  if (modelDir === undefined) return { model: await loadPretrained(task), source: pretrainedPath(task) };
  const directory = resolve(modelDir);
  const hf = HF_TASKS.includes(task);
  try {
    if (hf) return { model: await HfTextClassifier.fromPretrained(folderSource(directory)), source: directory };
    return { model: image ? await VisionTransformer.load(`file://${directory}`) : await TextClassifier.load(`file://${directory}`), source: directory };
  } catch (cause) {
    throw new Error(`--model ${modelDir}: cannot load a ${image ? 'VisionTransformer' : hf ? 'HfTextClassifier (a Hugging Face folder with tokenizer.json)' : 'TextClassifier'} for ${task} from ${directory}: ${(cause as Error).message}`, { cause });
  }
}

async function imageTestSet(task: ClassifierTask): Promise<ImageSet> {
  return task === 'mnist' ? mnistDataset(await loadMnistNode()).test : sklearnDigitsDataset(await loadSklearnDigitsNode()).test;
}

async function textTestSet(task: ClassifierTask, split: EvalSplit = 'test'): Promise<TextExample[]> {
  if (task === 'sentiment-cross-bert') {
    // As scripts/pretrain/export_sentiment.mjs splits it: every 20th Amazon+Yelp sentence is the validation split.
    const cross = sentimentCrossDomain(await loadSentimentNode());
    return split === 'test' ? cross.test : cross.train.filter((_, index) => index % 20 === 0);
  }
  const data = task === 'spam' ? spamAssassinDataset(await loadSpamAssassinNode()) : sentimentDataset(await loadSentimentNode());
  return data[split];
}

/** What `heed eval <task> --json` prints. */
export interface ClassifierEvalReport {
  task: ClassifierTask;
  model: string;
  /** The split scored (`--split`). */
  split: EvalSplit;
  examples: number;
  labels: string[];
  accuracy: number;
  macro: { precision: number; recall: number; f1: number };
  perClass: Array<{ label: string; precision: number; recall: number; f1: number; support: number }>;
  /** `confusion[true][predicted]`. */
  confusion: number[][];
}

/**
 * `heed eval <task>`: scores the shipped (or `--model`) classifier on the task's fixed test split
 * (or `--split validation`).
 *
 * @example
 * ```ts
 * const report = await evalClassifier('sentiment', ['--split', 'validation']);
 * report.accuracy; // on the validation sentences
 * ```
 */
export async function evalClassifier(task: ClassifierTask, args: string[]): Promise<ClassifierEvalReport> {
  const command = `heed eval ${task}`;
  const flags = parseFlags(args, FLAGS_EVAL, command);
  const limit = numberFlag(flags, 'limit', Infinity, command, { min: 1, integer: false });
  const split = choiceFlag(flags, 'split', EVAL_SPLITS, 'test', command);
  if (split === 'validation' && IMAGE_TASKS.includes(task)) {
    throw new Error(`${command}: --split validation: ${task} has no validation split (heed train vit learns from the whole train split and is scored on test); use --split test`);
  }
  await startBackend(stringFlag(flags, 'backend', 'wasm'), command);
  const { model, source } = await loadTaskModel(task, flags.has('model') ? stringFlag(flags, 'model', '') : undefined);
  try {
    let truth: number[];
    let predicted: number[];
    let labels: string[];
    if (model instanceof VisionTransformer) {
      const full = await imageTestSet(task);
      const count = Math.min(full.count, limit);
      const [, height, width, channels] = full.shape;
      const images = tf.tensor4d(full.images.subarray(0, count * height * width * channels), [count, height, width, channels]);
      predicted = Array.from(await model.classify(images).finally(() => images.dispose()));
      truth = Array.from(full.labels.subarray(0, count));
      labels = Array.from({ length: model.config.numClasses }, (_, index) => String(index));
    } else {
      const test = (await textTestSet(task, split)).slice(0, limit);
      predicted = Array.from(await model.classify(test.map((example) => example.text)));
      truth = test.map((example) => example.label);
      labels = [...model.config.labels];
    }
    const report = precisionRecallF1(truth, predicted, labels.length);
    return {
      task,
      model: source,
      split,
      examples: truth.length,
      labels,
      accuracy: accuracy(truth, predicted),
      macro: report.macro,
      perClass: report.perClass.map((entry, index) => ({ label: labels[index]!, ...entry })),
      confusion: confusionMatrix(truth, predicted, labels.length),
    };
  } finally {
    model.dispose();
  }
}

/** Human-readable form of {@link ClassifierEvalReport}. */
export function formatEvalReport(report: ClassifierEvalReport): string {
  const pct = (value: number) => `${(100 * value).toFixed(2)}%`;
  const lines = [
    `${report.task}: accuracy ${pct(report.accuracy)} on ${report.examples} ${report.split} examples; macro precision ${report.macro.precision.toFixed(4)}, recall ${report.macro.recall.toFixed(4)}, F1 ${report.macro.f1.toFixed(4)}  (model ${report.model})`,
    '',
    'class        precision  recall  F1      support',
    ...report.perClass.map((entry) => `${entry.label.padEnd(12)} ${entry.precision.toFixed(4).padStart(9)}  ${entry.recall.toFixed(4)}  ${entry.f1.toFixed(4)}  ${String(entry.support).padStart(7)}`),
    '',
    'confusion (rows: true, columns: predicted)',
    ...report.confusion.map((row, index) => `${report.labels[index]!.padEnd(12)} ${row.map((count) => String(count).padStart(5)).join('')}`),
  ];
  return lines.join('\n');
}

/** One prediction of `heed predict` for an image. */
export interface ImagePrediction {
  kind: 'image';
  source: string;
  /** The true label when the image comes from the test split (`--index`). */
  label?: number;
  predicted: number;
  probabilities: number[];
  /** `[rows, columns]` of patches. */
  grid: [number, number];
  /** Attention rollout of the class token over the patches (sums to 1), row-major. */
  rollout: number[];
}

/** One prediction of `heed predict` for a text. */
export interface TextPrediction {
  kind: 'text';
  source: string;
  label?: string;
  predicted: string;
  probabilities: Record<string, number>;
  /** Whether the text was longer than the model's maxLength tokens and cut. */
  truncated: boolean;
  /** The tokens the model saw and each one's explanation weight (sums to 1). */
  tokens: Array<{ token: string; weight: number }>;
}

function softmax(logits: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(logits));
  const exps = Array.from(logits, (value) => Math.exp(value - max));
  const total = exps.reduce((sum, value) => sum + value, 0);
  return exps.map((value) => value / total);
}

async function predictImage(model: VisionTransformer, task: ClassifierTask, flags: Map<string, string | true>, command: string): Promise<ImagePrediction> {
  const [height, width] = model.config.imageSize;
  const channels = model.config.channels;
  let pixels: Float32Array;
  let source: string;
  let label: number | undefined;
  if (flags.has('index') === flags.has('image')) throw new Error(`${command}: give exactly one of --index N (a test-split image) or --image FILE`);
  if (flags.has('index')) {
    const test = await imageTestSet(task);
    const index = numberFlag(flags, 'index', 0, command, { min: 0, max: test.count - 1, integer: true });
    const size = height * width * channels;
    if (test.shape[1] !== height || test.shape[2] !== width || test.shape[3] !== channels) {
      throw new Error(`${command}: the model expects ${height}×${width}×${channels} images but the ${task} test split has ${test.shape.slice(1).join('×')}; is --model a ${task} model?`);
    }
    pixels = test.images.slice(index * size, (index + 1) * size);
    source = `test[${index}]`;
    label = test.labels[index];
  } else {
    const file = stringFlag(flags, 'image', '');
    const image = await readImageFile(file);
    if (image.height !== height || image.width !== width || image.channels !== channels) {
      throw new Error(
        `${command}: --image ${file} is ${image.height}×${image.width}×${image.channels} (height×width×channels); the ${task} model expects ${height}×${width}×${channels} (${channels === 1 ? 'grayscale, ' : ''}ink bright on a dark background). Resize or convert it first.`,
      );
    }
    pixels = image.pixels;
    source = file;
  }
  const input = tf.tensor4d(pixels, [1, height, width, channels]);
  const maps = await model.attentionMaps(input).finally(() => input.dispose());
  const probabilities = softmax(maps.logits);
  return { kind: 'image', source, ...(label === undefined ? {} : { label }), predicted: probabilities.indexOf(Math.max(...probabilities)), probabilities, grid: maps.grid, rollout: Array.from(maps.rollout) };
}

async function predictTexts(model: TextClassifier | HfTextClassifier, task: ClassifierTask, words: string[], flags: Map<string, string | true>, command: string): Promise<TextPrediction[]> {
  const inputs: Array<{ text: string; source: string; label?: string }> = [];
  if (flags.has('index')) {
    const test = await textTestSet(task);
    const index = numberFlag(flags, 'index', 0, command, { min: 0, max: test.length - 1, integer: true });
    inputs.push({ text: test[index]!.text, source: `test[${index}]`, label: model.config.labels[test[index]!.label] });
  }
  if (flags.has('file')) {
    const file = stringFlag(flags, 'file', '');
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (cause) {
      throw new Error(`${command}: cannot read --file ${file}: ${(cause as Error).message}`, { cause });
    }
    // Spam reads a raw email (subject and body, as in training); a file that does not start with a
    // header line (`Name: value`, or mbox's `From `), or has no subject or body, is plain text.
    const email = task === 'spam' && /^(From |[!-9;-~]+:)/.test(raw) ? parseEmail(raw) : undefined;
    const fromEmail = email ? [email.subject, email.body].filter(Boolean).join('\n\n') : '';
    inputs.push({ text: fromEmail.trim() === '' ? raw : fromEmail, source: file });
  }
  if (words.length > 0) inputs.push({ text: words.join(' '), source: 'argument' });
  if (inputs.length === 0) throw new Error(`${command}: give a text (as arguments), --file FILE or --index N`);
  const out: TextPrediction[] = [];
  for (const input of inputs) {
    if (input.text.trim() === '') throw new Error(`${command}: the text from ${input.source} is empty; give at least one non-space character`);
    const why = await model.explain(input.text);
    out.push({
      kind: 'text',
      source: input.source,
      ...(input.label === undefined ? {} : { label: input.label }),
      predicted: why.labelName,
      probabilities: Object.fromEntries(model.config.labels.map((name, index) => [name, why.probabilities[index]!])),
      truncated: why.truncated,
      tokens: why.tokens.map((token, index) => ({ token, weight: why.weights[index]! })),
    });
  }
  return out;
}

/** `heed predict <task>`: classifies images or texts with the shipped (or `--model`) classifier and explains each decision. */
export async function predictClassifier(task: ClassifierTask, args: string[]): Promise<Array<ImagePrediction | TextPrediction>> {
  const command = `heed predict ${task}`;
  const { flagArgs, words } = splitArgs(args, FLAGS_PREDICT);
  const flags = parseFlags(flagArgs, FLAGS_PREDICT, command);
  const image = IMAGE_TASKS.includes(task);
  if (image && (words.length > 0 || flags.has('file'))) throw new Error(`${command}: ${task} classifies images; give --index N or --image FILE (got text ${JSON.stringify(words.join(' ') || stringFlag(flags, 'file', ''))})`);
  if (!image && flags.has('image')) throw new Error(`${command}: ${task} classifies texts; give TEXT, --file FILE or --index N`);
  await startBackend(stringFlag(flags, 'backend', 'wasm'), command);
  const { model } = await loadTaskModel(task, flags.has('model') ? stringFlag(flags, 'model', '') : undefined);
  try {
    return model instanceof VisionTransformer ? [await predictImage(model, task, flags, command)] : await predictTexts(model, task, words, flags, command);
  } finally {
    model.dispose();
  }
}

const SHADES = ' .:-=+*#%@';

/** Human-readable form of a prediction: the class, its probability and the explanation. */
export function formatPrediction(prediction: ImagePrediction | TextPrediction): string {
  if (prediction.kind === 'image') {
    const [rows, columns] = prediction.grid;
    const max = Math.max(...prediction.rollout);
    const heat = Array.from({ length: rows }, (_, row) =>
      Array.from({ length: columns }, (_, column) => SHADES[Math.min(SHADES.length - 1, Math.round(((prediction.rollout[row * columns + column] ?? 0) / max) * (SHADES.length - 1)))]!.repeat(2)).join(''),
    );
    const truth = prediction.label === undefined ? '' : ` (true label ${prediction.label})`;
    return [`${prediction.source}: ${prediction.predicted} with p=${prediction.probabilities[prediction.predicted]!.toFixed(4)}${truth}`, 'attention rollout over patches:', ...heat.map((line) => `  |${line}|`)].join('\n');
  }
  const top = [...prediction.tokens].filter((entry) => !/^\[(?:CLS|SEP)\]$/.test(entry.token)).sort((a, b) => b.weight - a.weight).slice(0, 10);
  const truth = prediction.label === undefined ? '' : ` (true label ${prediction.label})`;
  return [
    `${prediction.source}: ${prediction.predicted} with p=${prediction.probabilities[prediction.predicted]!.toFixed(4)}${truth}${prediction.truncated ? '  [text longer than the model reads: truncated]' : ''}`,
    `tokens with the most weight: ${top.map((entry) => `${entry.token} ${entry.weight.toFixed(3)}`).join(', ')}`,
  ].join('\n');
}
