import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend, isBackendName } from '@heed/backends';
import { mnistDataset, sklearnDigitsDataset, VisionTransformer, type ImageSet, type VisionTransformerConfig } from '@heed/models';
import { loadMnistNode, loadSklearnDigitsNode } from '@heed/models/node';
import { patchAttentionOverlaySvg } from '@heed/viz';
import {
  accuracy,
  adam,
  checkpointCallback,
  confusionMatrix,
  precisionRecallF1,
  SeededRandom,
  sparseCategoricalCrossEntropy,
  Trainer,
  warmupCosineSchedule,
  writeResultsRow,
  type Batch,
  type TrainerCallback,
} from '@heed/training';
import { choiceFlag, exportWeights, formatDuration, numberFlag, parseFlags, stringFlag } from './classifier-common';

const COMMAND = 'heed train vit';

const FLAGS = {
  dataset: 'value',
  epochs: 'value',
  'batch-size': 'value',
  'learning-rate': 'value',
  'weight-decay': 'value',
  'patch-size': 'value',
  dim: 'value',
  depth: 'value',
  heads: 'value',
  'mlp-dim': 'value',
  dropout: 'value',
  pool: 'value',
  augment: 'value',
  'label-smoothing': 'value',
  seed: 'value',
  limit: 'value',
  out: 'value',
  results: 'value',
  'time-budget': 'value',
  export: 'value',
  backend: 'value',
  resume: 'flag',
  json: 'flag',
} as const;

export const TRAIN_VIT_USAGE = `heed train vit [--dataset mnist|digits] [--epochs N] [--batch-size N] [--learning-rate LR]
    [--patch-size P] [--dim D] [--depth L] [--heads H] [--mlp-dim M] [--dropout R] [--pool cls|mean]
    [--augment PIXELS] [--label-smoothing E] [--seed S] [--limit N] [--out DIR] [--resume]
    [--results RESULTS.md] [--export WEIGHTS_DIR] [--time-budget MINUTES] [--backend wasm|cpu|webgpu] [--json]`;

/** Defaults per dataset: the settings behind the numbers in RESULTS.md. */
const PRESETS = {
  mnist: { patchSize: 7, dim: 64, depth: 4, heads: 4, mlpDim: 128, epochs: 40, batchSize: 64, learningRate: 2e-3, augment: 1 },
  digits: { patchSize: 4, dim: 64, depth: 4, heads: 4, mlpDim: 128, epochs: 30, batchSize: 64, learningRate: 2e-3, augment: 1 },
} as const;

/** What `heed train vit` reports (also written to `<out>/results.json`). */
export interface VitRunReport {
  dataset: 'mnist' | 'digits';
  config: VisionTransformerConfig;
  params: number;
  trainExamples: number;
  testExamples: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  augment: number;
  seed: number;
  backend: string;
  testAccuracy: number;
  macroF1: number;
  confusion: number[][];
  trainingSeconds: number;
  totalSeconds: number;
  epochLosses: number[];
  command: string;
}

/** Images shifted by a random whole number of pixels in [−max, max] per axis (zeros fill in), in a new array. */
export function shiftImages(set: ImageSet, indices: ArrayLike<number>, max: number, random: SeededRandom): Float32Array {
  const [, height, width, channels] = set.shape;
  const size = height * width * channels;
  const out = new Float32Array(indices.length * size);
  for (let item = 0; item < indices.length; item++) {
    const source = indices[item]! * size;
    const dy = max > 0 ? Math.floor(random.next() * (2 * max + 1)) - max : 0;
    const dx = max > 0 ? Math.floor(random.next() * (2 * max + 1)) - max : 0;
    for (let y = 0; y < height; y++) {
      const sy = y - dy;
      if (sy < 0 || sy >= height) continue;
      for (let x = 0; x < width; x++) {
        const sx = x - dx;
        if (sx < 0 || sx >= width) continue;
        for (let c = 0; c < channels; c++) out[item * size + (y * width + x) * channels + c] = set.images[source + (sy * width + sx) * channels + c]!;
      }
    }
  }
  return out;
}

/** Refuses images whose labels are not class ids in [0, numClasses), naming the first bad one. */
export function checkImageLabels(set: ImageSet, numClasses: number, split: string): void {
  const index = set.labels.findIndex((label) => !Number.isInteger(label) || label < 0 || label >= numClasses);
  if (index >= 0) throw new Error(`${COMMAND}: ${split} image ${index} has label ${set.labels[index]}; labels must be integers in [0, ${numClasses - 1}]`);
}

function take(set: ImageSet, count: number): ImageSet {
  if (count >= set.count) return set;
  const [, height, width, channels] = set.shape;
  const size = height * width * channels;
  return { images: set.images.slice(0, count * size), labels: set.labels.slice(0, count), sources: set.sources.slice(0, count), count, shape: [count, height, width, channels] };
}

/** `heed train vit`: trains a Vision Transformer on MNIST (or scikit-learn's 8×8 digits), evaluates it on the fixed test split, saves it and its results. */
export async function trainVit(args: string[]): Promise<VitRunReport> {
  const started = performance.now();
  const flags = parseFlags(args, FLAGS, COMMAND);
  const dataset = choiceFlag(flags, 'dataset', ['mnist', 'digits'] as const, 'mnist', COMMAND);
  const preset = PRESETS[dataset];
  const backend = stringFlag(flags, 'backend', 'wasm');
  if (!isBackendName(backend)) throw new Error(`${COMMAND}: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend)}`);
  const epochs = numberFlag(flags, 'epochs', preset.epochs, COMMAND, { min: 1, max: 10000, integer: true });
  const batchSize = numberFlag(flags, 'batch-size', preset.batchSize, COMMAND, { min: 1, max: 4096, integer: true });
  const learningRate = numberFlag(flags, 'learning-rate', preset.learningRate, COMMAND, { min: 0, max: 1 });
  const weightDecay = numberFlag(flags, 'weight-decay', 0.05, COMMAND, { min: 0, max: 1 });
  const augment = numberFlag(flags, 'augment', preset.augment, COMMAND, { min: 0, max: 8, integer: true });
  const labelSmoothing = numberFlag(flags, 'label-smoothing', 0, COMMAND, { min: 0, max: 0.5 });
  const seed = numberFlag(flags, 'seed', 0, COMMAND, { min: 0, max: 2 ** 31, integer: true });
  const limit = numberFlag(flags, 'limit', Infinity, COMMAND, { min: 1, integer: false });
  const budgetMinutes = numberFlag(flags, 'time-budget', Infinity, COMMAND, { min: 0 });
  const out = resolve(stringFlag(flags, 'out', join('runs', `vit-${dataset}`)));
  const resultsFile = flags.has('results') ? resolve(stringFlag(flags, 'results', 'RESULTS.md')) : undefined;
  const log = flags.has('json') ? (line: string) => console.error(line) : (line: string) => console.log(line);

  const report = await initBackend({ backend });
  const data = dataset === 'mnist' ? mnistDataset(await loadMnistNode()) : sklearnDigitsDataset(await loadSklearnDigitsNode());
  const train = take(data.train, Number.isFinite(limit) ? limit : Infinity);
  const test = data.test;
  checkImageLabels(train, 10, 'training');
  checkImageLabels(test, 10, 'test');
  const [, height, width, channels] = train.shape;
  const config: VisionTransformerConfig = {
    imageSize: [height, width],
    channels,
    patchSize: numberFlag(flags, 'patch-size', preset.patchSize, COMMAND, { min: 1, integer: true }),
    dim: numberFlag(flags, 'dim', preset.dim, COMMAND, { min: 1, integer: true }),
    depth: numberFlag(flags, 'depth', preset.depth, COMMAND, { min: 1, integer: true }),
    heads: numberFlag(flags, 'heads', preset.heads, COMMAND, { min: 1, integer: true }),
    mlpDim: numberFlag(flags, 'mlp-dim', preset.mlpDim, COMMAND, { min: 1, integer: true }),
    numClasses: 10,
    dropout: numberFlag(flags, 'dropout', 0, COMMAND, { min: 0, max: 0.99 }),
    pool: choiceFlag(flags, 'pool', ['cls', 'mean'] as const, 'cls', COMMAND),
  };
  const vit = new VisionTransformer(config);
  const stepsPerEpoch = Math.ceil(train.count / batchSize);
  const trainer = new Trainer({
    model: vit.model,
    loss: (labels, logits) => sparseCategoricalCrossEntropy(labels, logits, { labelSmoothing }),
    optimizer: adam({ weightDecay }),
    schedule: warmupCosineSchedule({ peakLearningRate: learningRate, warmupSteps: Math.min(stepsPerEpoch, Math.ceil(0.1 * epochs * stepsPerEpoch), epochs * stepsPerEpoch - 1), totalSteps: epochs * stepsPerEpoch, minLearningRate: learningRate / 100 }),
    clipNorm: 1,
    seed,
  });
  await mkdir(out, { recursive: true });
  const checkpoint = `file://${join(out, 'checkpoint')}`;
  let previousSeconds = 0;
  const progressFile = join(out, 'progress.json');
  if (flags.has('resume')) {
    try {
      await trainer.load(checkpoint);
      previousSeconds = (JSON.parse(await readFile(progressFile, 'utf8')) as { trainingSeconds: number }).trainingSeconds;
      log(`resumed from ${checkpoint} at epoch ${trainer.state.epoch} (${formatDuration(previousSeconds)} of training so far)`);
    } catch (error) {
      log(`no checkpoint to resume in ${out} (${(error as Error).message}); starting fresh`);
    }
  }
  log(`${COMMAND}: ${dataset} ${train.count} train / ${test.count} test, ${vit.countParams().toLocaleString('en')} params, backend ${report.name}, ${cpus().length} cores`);

  // Each epoch's order and shifts come from (seed, epoch), so a resumed run sees the same batches.
  let epoch = trainer.state.epoch;
  const batches = function* (): Generator<Batch> {
    const random = new SeededRandom(seed * 7919 + epoch + 1);
    const order = random.permutation(train.count);
    for (let start = 0; start < train.count; start += batchSize) {
      const indices = order.subarray(start, Math.min(train.count, start + batchSize));
      const pixels = shiftImages(train, indices, augment, random);
      const labels = Int32Array.from(indices, (index) => train.labels[index]!);
      yield { xs: tf.tensor4d(pixels, [indices.length, height, width, channels]), ys: tf.tensor1d(labels, 'int32') };
    }
  };
  const trainingStarted = performance.now();
  let epochStarted = trainingStarted;
  const trainingSeconds = () => previousSeconds + (performance.now() - trainingStarted) / 1000;
  const epochLosses: number[] = [];
  const progress: TrainerCallback = {
    onEpochBegin(index) {
      epoch = index;
      epochStarted = performance.now();
    },
    async onEpochEnd(index, logs, context) {
      const seconds = (performance.now() - epochStarted) / 1000;
      epochLosses.push(logs.loss ?? NaN);
      log(`epoch ${index + 1}/${epochs}  loss ${(logs.loss ?? NaN).toFixed(4)}  lr ${(logs.learningRate ?? NaN).toExponential(2)}  ${seconds.toFixed(0)}s  (training ${formatDuration(trainingSeconds())})`);
      await writeFile(progressFile, JSON.stringify({ epoch: index + 1, trainingSeconds: trainingSeconds() }));
      if (trainingSeconds() + seconds > budgetMinutes * 60) {
        log(`stopping: another epoch would pass the ${budgetMinutes}-minute budget`);
        context.stop();
      }
    },
  };
  await trainer.fit(batches, { epochs, callbacks: [progress, checkpointCallback({ destination: checkpoint })] });
  const trained = trainingSeconds();

  const testImages = tf.tensor4d(test.images, test.shape);
  const predicted = await vit.classify(testImages);
  const testAccuracy = accuracy(test.labels, predicted);
  const classification = precisionRecallF1(test.labels, predicted, 10);
  const confusion = confusionMatrix(test.labels, predicted, 10);
  const firstImage = testImages.slice(0, 1);
  const maps = await vit.attentionMaps(firstImage);
  firstImage.dispose();
  testImages.dispose();
  await vit.save(`file://${join(out, 'model')}`);
  await writeFile(
    join(out, 'attention-example.json'),
    JSON.stringify({ label: test.labels[0], predicted: predicted[0], grid: maps.grid, rollout: Array.from(maps.rollout), classAttention: maps.classAttention.map((layer) => layer.map((head) => Array.from(head))) }),
  );
  const pixels = test.images.subarray(0, height * width * channels);
  await writeFile(
    join(out, 'attention-example.svg'),
    patchAttentionOverlaySvg({ image: { width, height, pixels, channels: channels as 1 | 3 | 4, range: 'unit' }, weights: maps.rollout, grid: maps.grid, title: `Attention rollout, test image 0 (label ${test.labels[0]}, predicted ${predicted[0]})` }),
  );
  const result: VitRunReport = {
    dataset,
    config: vit.getConfig(),
    params: vit.countParams(),
    trainExamples: train.count,
    testExamples: test.count,
    epochs: trainer.state.epoch,
    batchSize,
    learningRate,
    augment,
    seed,
    backend: report.name,
    testAccuracy,
    macroF1: classification.macro.f1,
    confusion,
    trainingSeconds: trained,
    totalSeconds: previousSeconds + (performance.now() - started) / 1000,
    epochLosses,
    command: `heed train vit ${args.join(' ')}`.trim(),
  };
  await writeFile(join(out, 'results.json'), JSON.stringify(result, null, 2));
  if (flags.has('export')) {
    const directory = resolve(stringFlag(flags, 'export', ''));
    await exportWeights(directory, (url) => vit.save(url), {
      name: basename(directory), task: dataset, model: 'vit', params: result.params, epochs: result.epochs, backend: result.backend, trainingSeconds: trained, command: result.command,
      metrics: { accuracy: testAccuracy, macroF1: classification.macro.f1, testExamples: test.count, confusion },
    });
    log(`weights exported to ${directory}`);
  }
  log(`test accuracy ${(100 * testAccuracy).toFixed(2)}% (${test.count} images), macro F1 ${classification.macro.f1.toFixed(4)}, training ${formatDuration(trained)}; model saved to ${join(out, 'model')}`);
  if (resultsFile) {
    await writeResultsRow(resultsFile, {
      block: 'vit',
      heading: '### Vision Transformer (`heed train vit`)',
      tableHeader: '| Dataset (train / test) | Model | Params | Test accuracy | Macro F1 | Epochs | Training time | Machine | Command |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- |',
      key: dataset,
      row: `| ${dataset === 'mnist' ? 'MNIST' : 'scikit-learn 8×8 digits'} (${train.count} / ${test.count}) | ViT patch ${config.patchSize}, dim ${config.dim}, depth ${config.depth}, heads ${config.heads}, MLP ${config.mlpDim}, ${config.pool} | ${result.params.toLocaleString('en')} | ${(100 * testAccuracy).toFixed(2)}% | ${classification.macro.f1.toFixed(4)} | ${result.epochs} | ${formatDuration(trained)} | ${cpus().length} cores (shared), ${report.name} | \`${result.command}\` |`,
    });;
    log(`results written to ${resultsFile}`);
  }
  vit.dispose();
  return result;
}
