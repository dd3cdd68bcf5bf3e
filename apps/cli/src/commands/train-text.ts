import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, isBackendName } from '@heed/backends';
import {
  SENTIMENT_LABELS,
  sentimentCrossDomain,
  sentimentDataset,
  SPAM_LABELS,
  spamAssassinDataset,
  TextClassifier,
  trainWordPieceTokenizer,
  type TextClassifierConfig,
  type TextExample,
} from '@heed/models';
import { loadSentimentNode, loadSpamAssassinNode } from '@heed/models/node';
import type { Tokenizer } from '@heed/tokenizers';
import {
  accuracy,
  adam,
  confusionMatrix,
  precisionRecallF1,
  SeededRandom,
  sparseCategoricalCrossEntropy,
  tensorAccuracy,
  Trainer,
  warmupCosineSchedule,
  writeResultsRow,
  type TrainerCallback,
} from '@heed/training';
import { choiceFlag, exportWeights, formatDuration, numberFlag, parseFlags, stringFlag } from './classifier-common';

const COMMAND = 'heed train text';

const FLAGS = {
  dataset: 'value',
  kind: 'value',
  epochs: 'value',
  'batch-size': 'value',
  'learning-rate': 'value',
  'max-length': 'value',
  truncation: 'value',
  'head-tokens': 'value',
  'vocab-size': 'value',
  'embedding-dim': 'value',
  'hidden-dim': 'value',
  depth: 'value',
  heads: 'value',
  'mlp-dim': 'value',
  dropout: 'value',
  seed: 'value',
  limit: 'value',
  out: 'value',
  results: 'value',
  backend: 'value',
  export: 'value',
  json: 'flag',
} as const;

type Dataset = 'sentiment' | 'sentiment-cross' | 'spam';

interface TextPreset {
  kind: 'bilstm' | 'transformer';
  maxLength: number;
  truncation: 'end' | 'middle';
  headTokens?: number;
  epochs: number;
  batchSize: number;
  vocabSize: number;
}

/** Defaults per dataset: the settings behind the shipped weights and the numbers in RESULTS.md. */
export const TEXT_PRESETS: Record<Dataset, TextPreset> = {
  sentiment: { kind: 'bilstm', maxLength: 40, truncation: 'end', epochs: 3, batchSize: 64, vocabSize: 4000 },
  'sentiment-cross': { kind: 'bilstm', maxLength: 40, truncation: 'end', epochs: 3, batchSize: 64, vocabSize: 4000 },
  spam: { kind: 'transformer', maxLength: 192, truncation: 'middle', headTokens: 64, epochs: 4, batchSize: 64, vocabSize: 8000 },
};

export const TRAIN_TEXT_USAGE = `heed train text [--dataset sentiment|sentiment-cross|spam] [--kind bilstm|transformer]
    [--epochs N] [--batch-size N] [--learning-rate LR] [--max-length TOKENS] [--truncation end|middle] [--head-tokens N] [--vocab-size N]
    [--embedding-dim D] [--hidden-dim H] [--depth L] [--heads H] [--mlp-dim M] [--dropout R]
    [--seed S] [--limit N] [--out DIR] [--results RESULTS.md] [--export WEIGHTS_DIR] [--backend wasm|cpu|webgpu] [--json]

Presets (the shipped weights; flags override):
${presetLines()}
AdamW with warmup and cosine decay from --learning-rate 0.002, dropout 0.1.`;

/** One line per dataset of {@link TEXT_PRESETS}, for the usage text. */
function presetLines(): string {
  return Object.entries(TEXT_PRESETS)
    .map(([dataset, preset]) => {
      const tokens = preset.truncation === 'middle' ? `${preset.maxLength} tokens (the first ${preset.headTokens} and the last ${preset.maxLength - 2 - preset.headTokens!})` : `${preset.maxLength} tokens`;
      return `  ${dataset}: ${preset.kind}, ${tokens}, ${preset.epochs} epochs, batch ${preset.batchSize}, vocabulary ${preset.vocabSize}`;
    })
    .join('\n');
}

/** Held-out scores of one classifier: accuracy and precision/recall/F1 of the positive class (1: positive / spam). */
export interface TextScores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
  confusion: number[][];
}

/** What `heed train text` reports (also written to `<out>/results.json`). */
export interface TextRunReport {
  dataset: Dataset;
  kind: 'bilstm-attention' | 'transformer';
  config: TextClassifierConfig;
  params: number;
  trainExamples: number;
  testExamples: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  backend: string;
  test: TextScores;
  baselines: { majority: TextScores; bagOfWordsLogistic: TextScores };
  validationAccuracy: number[];
  truncatedTestTexts: number;
  trainingSeconds: number;
  example: { text: string; tokens: string[]; weights: number[]; label: string };
  command: string;
}

function scores(truth: ArrayLike<number>, predicted: ArrayLike<number>): TextScores {
  const report = precisionRecallF1(Array.from(truth), Array.from(predicted), 2);
  const positive = report.perClass[1]!;
  return { accuracy: accuracy(Array.from(truth), Array.from(predicted)), precision: positive.precision, recall: positive.recall, f1: positive.f1, macroF1: report.macro.f1, confusion: confusionMatrix(Array.from(truth), Array.from(predicted), 2) };
}

/**
 * Bag-of-words logistic regression baseline on the same WordPiece tokens (binary presence
 * features, L2 0.0001, 20 epochs of SGD with a seeded order): the simple baseline the neural
 * classifiers must beat.
 */
export function bagOfWordsLogistic(tokenizer: Tokenizer, train: readonly TextExample[], test: readonly TextExample[], seed = 0): Int32Array {
  const features = (text: string) => [...new Set(tokenizer.encode(text, { addSpecialTokens: false }).ids)];
  const trainFeatures = train.map((example) => features(example.text));
  const weights = new Float64Array(tokenizer.vocabSize);
  let bias = 0;
  const random = new SeededRandom(seed + 1);
  for (let epoch = 0; epoch < 20; epoch++) {
    const rate = 0.1 / (1 + epoch);
    for (const index of random.permutation(train.length)) {
      const ids = trainFeatures[index]!;
      let z = bias;
      for (const id of ids) z += weights[id]!;
      const gradient = 1 / (1 + Math.exp(-z)) - train[index]!.label;
      bias -= rate * gradient;
      for (const id of ids) weights[id] = weights[id]! - rate * (gradient + 1e-4 * weights[id]!);
    }
  }
  return Int32Array.from(test, (example) => {
    let z = bias;
    for (const id of features(example.text)) z += weights[id]!;
    return z > 0 ? 1 : 0;
  });
}

/** Refuses training data whose labels are not 0 or 1 (the binary tasks' class ids), naming the first bad example. */
export function checkLabels(examples: readonly TextExample[], split: string): void {
  examples.forEach((example, index) => {
    if (example.label !== 0 && example.label !== 1) throw new Error(`${COMMAND}: ${split} example ${index} has label ${typeof example.label === 'string' ? JSON.stringify(example.label) : String(example.label)}; labels must be 0 or 1`);
  });
}

/** `heed train text`: trains a BiLSTM+attention or Transformer text classifier, scores it against baselines on the held-out split, saves it. */
export async function trainText(args: string[]): Promise<TextRunReport> {
  const flags = parseFlags(args, FLAGS, COMMAND);
  const dataset = choiceFlag(flags, 'dataset', ['sentiment', 'sentiment-cross', 'spam'] as const, 'sentiment', COMMAND);
  const preset = TEXT_PRESETS[dataset];
  const kind = choiceFlag(flags, 'kind', ['bilstm', 'transformer'] as const, preset.kind, COMMAND) === 'bilstm' ? 'bilstm-attention' : 'transformer';
  const backend = stringFlag(flags, 'backend', 'wasm');
  if (!isBackendName(backend)) throw new Error(`${COMMAND}: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend)}`);
  const epochs = numberFlag(flags, 'epochs', preset.epochs, COMMAND, { min: 1, max: 1000, integer: true });
  const batchSize = numberFlag(flags, 'batch-size', preset.batchSize, COMMAND, { min: 1, max: 4096, integer: true });
  const learningRate = numberFlag(flags, 'learning-rate', 2e-3, COMMAND, { min: 0, max: 1 });
  const seed = numberFlag(flags, 'seed', 0, COMMAND, { min: 0, max: 2 ** 31, integer: true });
  const limit = numberFlag(flags, 'limit', Infinity, COMMAND, { min: 1 });
  const out = resolve(stringFlag(flags, 'out', join('runs', `text-${dataset}-${kind}`)));
  const resultsFile = flags.has('results') ? resolve(stringFlag(flags, 'results', 'RESULTS.md')) : undefined;
  const log = flags.has('json') ? (line: string) => console.error(line) : (line: string) => console.log(line);
  const maxLength = numberFlag(flags, 'max-length', preset.maxLength, COMMAND, { min: 3, integer: true });
  const vocabSize = numberFlag(flags, 'vocab-size', preset.vocabSize, COMMAND, { min: 100, integer: true });
  const truncation = choiceFlag(flags, 'truncation', ['end', 'middle'] as const, preset.truncation, COMMAND);
  const headTokens = flags.has('head-tokens') || (preset.headTokens !== undefined && maxLength === preset.maxLength) ? numberFlag(flags, 'head-tokens', preset.headTokens ?? 0, COMMAND, { min: 0, max: maxLength - 2, integer: true }) : undefined;

  const report = await initBackend({ backend });
  let train: TextExample[];
  let validation: TextExample[];
  let test: TextExample[];
  if (dataset === 'spam') {
    ({ train, validation, test } = spamAssassinDataset(await loadSpamAssassinNode()));
  } else if (dataset === 'sentiment') {
    ({ train, validation, test } = sentimentDataset(await loadSentimentNode()));
  } else {
    const cross = sentimentCrossDomain(await loadSentimentNode());
    // Amazon + Yelp for training (every 20th held out for validation), IMDb for test.
    train = cross.train.filter((_, index) => index % 20 !== 0);
    validation = cross.train.filter((_, index) => index % 20 === 0);
    test = cross.test;
  }
  if (Number.isFinite(limit)) train = train.slice(0, limit);
  checkLabels(train, 'training');
  const labels = dataset === 'spam' ? [...SPAM_LABELS] : [...SENTIMENT_LABELS];
  const started = performance.now();
  const tokenizer = trainWordPieceTokenizer(train.map((example) => example.text), { vocabSize });
  const config: TextClassifierConfig = {
    kind,
    vocabSize: tokenizer.vocabSize,
    maxLength,
    truncation,
    ...(headTokens === undefined ? {} : { headTokens }),
    numClasses: 2,
    labels,
    embeddingDim: numberFlag(flags, 'embedding-dim', 64, COMMAND, { min: 1, integer: true }),
    hiddenDim: numberFlag(flags, 'hidden-dim', 32, COMMAND, { min: 1, integer: true }),
    depth: numberFlag(flags, 'depth', 2, COMMAND, { min: 1, integer: true }),
    heads: numberFlag(flags, 'heads', 4, COMMAND, { min: 1, integer: true }),
    mlpDim: numberFlag(flags, 'mlp-dim', 128, COMMAND, { min: 1, integer: true }),
    dropout: numberFlag(flags, 'dropout', 0.1, COMMAND, { min: 0, max: 0.99 }),
  };
  const classifier = new TextClassifier(config, tokenizer);
  log(`${COMMAND}: ${dataset} ${kind}, ${train.length} train / ${validation.length} validation / ${test.length} test, vocabulary ${tokenizer.vocabSize}, ${classifier.countParams().toLocaleString('en')} params, backend ${report.name}`);
  const x = classifier.encode(train.map((example) => example.text));
  const y = tf.tensor1d(train.map((example) => example.label), 'int32');
  const validationX = classifier.encode(validation.map((example) => example.text));
  const validationY = tf.tensor1d(validation.map((example) => example.label), 'int32');
  const stepsPerEpoch = Math.ceil(train.length / batchSize);
  const trainer = new Trainer({
    model: classifier.model,
    loss: (labelsTensor, logits) => sparseCategoricalCrossEntropy(labelsTensor, logits),
    optimizer: adam({ weightDecay: 0.01 }),
    schedule: warmupCosineSchedule({ peakLearningRate: learningRate, warmupSteps: Math.min(stepsPerEpoch, Math.ceil(0.1 * epochs * stepsPerEpoch), epochs * stepsPerEpoch - 1), totalSteps: epochs * stepsPerEpoch, minLearningRate: learningRate / 100 }),
    clipNorm: 1,
    seed,
    metrics: { accuracy: tensorAccuracy },
  });
  const validationAccuracy: number[] = [];
  let epochStarted = performance.now();
  const progress: TrainerCallback = {
    onEpochBegin() {
      epochStarted = performance.now();
    },
    onEpochEnd(index, logs) {
      validationAccuracy.push(logs.val_accuracy ?? NaN);
      log(`epoch ${index + 1}/${epochs}  loss ${(logs.loss ?? NaN).toFixed(4)}  val_accuracy ${((logs.val_accuracy ?? NaN) * 100).toFixed(2)}%  ${((performance.now() - epochStarted) / 1000).toFixed(0)}s`);
    },
  };
  await trainer.fit({ x, y }, { epochs, batchSize, validationData: { x: validationX, y: validationY }, callbacks: [progress] });
  const trainingSeconds = (performance.now() - started) / 1000;
  tf.dispose([x, y, validationX, validationY]);

  const truth = Int32Array.from(test, (example) => example.label);
  const predicted = await classifier.classify(test.map((example) => example.text));
  const testScores = scores(truth, predicted);
  const majorityLabel = train.filter((example) => example.label === 1).length * 2 > train.length ? 1 : 0;
  const majority = scores(truth, new Int32Array(test.length).fill(majorityLabel));
  const bow = scores(truth, bagOfWordsLogistic(tokenizer, train, test, seed));
  const truncatedTestTexts = classifier.encodeIds(test.map((example) => example.text)).truncated.filter(Boolean).length;
  const exampleText = test[0]!.text;
  const explanation = await classifier.explain(exampleText);
  await mkdir(out, { recursive: true });
  await classifier.save(`file://${join(out, 'model')}`);
  const result: TextRunReport = {
    dataset,
    kind,
    config: classifier.getConfig(),
    params: classifier.countParams(),
    trainExamples: train.length,
    testExamples: test.length,
    epochs,
    batchSize,
    learningRate,
    backend: report.name,
    test: testScores,
    baselines: { majority, bagOfWordsLogistic: bow },
    validationAccuracy,
    truncatedTestTexts,
    trainingSeconds,
    example: { text: exampleText.slice(0, 500), tokens: explanation.tokens, weights: explanation.weights, label: explanation.labelName },
    command: `heed train text ${args.join(' ')}`.trim(),
  };
  await writeFile(join(out, 'results.json'), JSON.stringify(result, null, 2));
  if (flags.has('export')) {
    const directory = resolve(stringFlag(flags, 'export', ''));
    await exportWeights(directory, (url) => classifier.save(url), {
      name: basename(directory), task: dataset, model: kind, params: result.params, epochs, backend: result.backend, trainingSeconds, command: result.command,
      metrics: { accuracy: testScores.accuracy, precision: testScores.precision, recall: testScores.recall, f1: testScores.f1, macroF1: testScores.macroF1, positiveClass: labels[1], testExamples: test.length, confusion: testScores.confusion },
    });
    log(`weights exported to ${directory}`);
  }
  const pct = (value: number) => `${(100 * value).toFixed(2)}%`;
  log(`test (${test.length}): accuracy ${pct(testScores.accuracy)}, ${labels[1]} P/R/F1 ${testScores.precision.toFixed(3)}/${testScores.recall.toFixed(3)}/${testScores.f1.toFixed(3)}; bag-of-words LR ${pct(bow.accuracy)} (F1 ${bow.f1.toFixed(3)}), majority ${pct(majority.accuracy)}; ${formatDuration(trainingSeconds)}`);
  if (resultsFile) {
    const name = { sentiment: 'UCI sentiment', 'sentiment-cross': 'UCI sentiment, Amazon+Yelp → IMDb', spam: 'SpamAssassin' }[dataset];
    const header = '| Dataset (train / test) | Model | Params | Accuracy | Precision | Recall | F1 (positive class) | Training time | Command |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |';
    const row = (model: string, params: string, s: TextScores, time: string, command: string) =>
      `| ${name} (${train.length} / ${test.length}) | ${model} | ${params} | ${pct(s.accuracy)} | ${s.precision.toFixed(3)} | ${s.recall.toFixed(3)} | ${s.f1.toFixed(3)} | ${time} | ${command} |`;
    const resolved = classifier.getConfig();
    const lengthNote = resolved.truncation === 'middle' ? `max ${resolved.maxLength} tokens: first ${resolved.headTokens} + last ${resolved.maxLength - 2 - resolved.headTokens}` : `max ${resolved.maxLength} tokens`;
    const heading = `### Text classifiers (\`heed train text\`; positive class: positive sentiment / spam; ${cpus().length} shared cores, ${report.name})`;
    await writeResultsRow(resultsFile, { block: 'text', heading, tableHeader: header, key: `${dataset}-${kind}`, row: row(kind === 'transformer' ? `Transformer (depth ${config.depth}, dim ${config.embeddingDim}, ${config.heads} heads, ${lengthNote})` : `BiLSTM ${config.hiddenDim}×2 + additive attention (${lengthNote})`, result.params.toLocaleString('en'), testScores, formatDuration(trainingSeconds), `\`${result.command}\``) });
    await writeResultsRow(resultsFile, { block: 'text', heading, tableHeader: header, key: `${dataset}-baseline-bow`, row: row('Bag-of-words logistic regression (baseline)', `${tokenizer.vocabSize + 1}`, bow, '< 10s', 'same command') });
    await writeResultsRow(resultsFile, { block: 'text', heading, tableHeader: header, key: `${dataset}-baseline-majority`, row: row(`Majority class (${labels[majorityLabel]})`, '0', majority, '–', 'same command') });
    log(`results written to ${resultsFile}`);
  }
  classifier.dispose();
  return result;
}
