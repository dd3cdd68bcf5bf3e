import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { checkPositiveInteger, initBackend, isBackendName } from '@heed/backends';
import {
  MAX_BEAM_SIZE,
  cmudictG2P,
  evaluateG2P,
  g2pPairs,
  g2pVocabularies,
  SEQ2SEQ_ATTENTIONS,
  Seq2Seq,
  tokenizerVocabSize,
  type Seq2SeqAttention,
} from '@heed/models';
import { loadCmudictNode } from '@heed/models/node';
import { adam, terminalProgressBar, Trainer, writeResultsRow } from '@heed/training';
import { choiceFlag } from './classifier-common';
import { G2PReplicas } from './g2p-data-parallel';
import { g2pBatches, seq2seqLoss, seq2seqTrainable } from './g2p-trainer';

export const TRAIN_G2P_USAGE = `heed train g2p [--attention bahdanau|luong-dot|luong-general|local-p|transformer] [--minutes M]
    [--epochs N] [--out DIR] [--resume] [--batch-size N] [--learning-rate LR] [--warmup-steps N] [--units U]
    [--embedding E] [--layers L] [--heads H] [--ff F] [--dropout R] [--beam K] [--validation-words N] [--limit N]
    [--workers N] [--results RESULTS.md] [--backend wasm|cpu] [--progress auto|bar|lines] [--json]

Trains a Seq2Seq grapheme-to-phoneme model on the CMUdict train split (every reference pronunciation
is a training pair) within a time budget (default --minutes 85, --epochs 100): Adam with linear warmup
and a cosine decay to 1% that ends when the budget (or the epochs) runs out, label smoothing 0.1,
length-bucketed batches. After every epoch it scores WER/PER on --validation-words words of the
validation split (greedy) and saves the best model so far to --out. Finally it scores the test split
with beam search (default --beam 5): WER (output equals no reference) and PER (edits to the closest
reference / its length). Writes <out>/results.json (with the learning curve) and the variant's row of
the g2p section of --results (default RESULTS.md). Progress (--progress, default auto): in a terminal
(bar) a progress bar per epoch on stderr with the batches done, loss, learning rate, minutes of the
budget used and the epoch's ETA; otherwise (lines: output to a file or pipe) a line every 50 batches.
Data-parallel (--workers, default: the cores, at most 4): tfjs runs one core per Node process, so
training forks workers − 1 replica processes; each step every replica takes its share of the batch's
rows, and the token-weighted mean of their gradients updates every copy alike (the same update as one
process on the whole batch, up to dropout and float rounding). --workers 1 trains in this process
only, through @heed/training's Trainer, and checkpoints after every epoch to <out>/checkpoint
(weights, Adam's moments, the step, the epoch and the data order; <out>/progress.json holds the
curve): --resume then continues exactly where the run stopped (with --dropout 0, bit for bit the
weights of an uninterrupted run). With --workers > 1, --resume restarts Adam from the best model.

Defaults (the recipe of the committed model): luong-general, --units 128 (BiLSTM encoder per direction;
decoder 2·units), --embedding 64, --dropout 0.2, --batch-size 256, --learning-rate 0.003,
--warmup-steps 300, --layers 2 (stacked BiLSTM encoder layers, dropout between them; --layers 1 is
the single-layer encoder of the earlier rows). Transformer: --embedding 128 (model width), --layers 2
(in encoder and decoder), --heads 4, --ff 4·width,
--dropout 0.1, --learning-rate 0.0015, --warmup-steps 800.`;

/** What `heed train g2p` reports (also written to `<out>/results.json`). */
export interface G2PRunReport {
  /** `g2p`: the name of the shipped weights this folder can become (`packages/models/weights/g2p`). */
  name: 'g2p';
  /** Test-split metrics, as `readPretrainedResults` reads them. */
  metrics: { wer: number; per: number; words: number; beam: number };
  /** ISO date of the run. */
  date: string;
  attention: Seq2SeqAttention;
  config: ReturnType<Seq2Seq['getConfig']>;
  params: number;
  steps: number;
  epochs: number;
  batchSize: number;
  lr: number;
  beam: number;
  backend: string;
  trainMinutes: number;
  evalMinutes: number;
  wer: number;
  per: number;
  words: number;
  command: string;
  /** Validation scores after each epoch (and at the end of the budget). */
  curve: G2PCurvePoint[];
}

/** One point of the learning curve of `heed train g2p`. */
export interface G2PCurvePoint {
  epoch: number;
  steps: number;
  minutes: number;
  learningRate: number;
  loss: number;
  validationWer: number;
  validationPer: number;
}

type Flags = Map<string, string | true>;

function parseFlags(args: readonly string[]): Flags {
  const flags: Flags = new Map();
  const booleans = new Set(['resume', 'json']);
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new Error(`heed train g2p: unexpected argument ${JSON.stringify(arg)}\n\n${TRAIN_G2P_USAGE}`);
    const name = arg.slice(2);
    if (booleans.has(name)) flags.set(name, true);
    else {
      const value = args[++i];
      if (value === undefined) throw new Error(`heed train g2p: --${name} needs a value`);
      flags.set(name, value);
    }
  }
  return flags;
}

function numberFlag(flags: Flags, name: string, fallback: number, integer = false): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`heed train g2p: --${name} must be a non-negative ${integer ? 'integer' : 'number'}; got ${JSON.stringify(raw)}`);
  }
  return value;
}

/**
 * Learning rate at `progress` ∈ [0, 1] of the budget: linear warmup over `warmupSteps`, then a
 * cosine decay from `peak` to `peak / 100` at progress 1.
 *
 * @example
 * ```ts
 * g2pLearningRate({ peak: 0.003, step: 10_000, warmupSteps: 300, progress: 0.5 }); // 0.0015150
 * ```
 */
export function g2pLearningRate(options: { peak: number; step: number; warmupSteps: number; progress: number }): number {
  const { peak, step, warmupSteps } = options;
  const progress = Math.min(1, Math.max(0, options.progress));
  const floor = peak / 100;
  const cosine = floor + (peak - floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
  return warmupSteps > 0 && step < warmupSteps ? Math.min(cosine, (peak * (step + 1)) / warmupSteps) : cosine;
}

/** `count` examples spread evenly over `examples` (all of them when count ≥ length or count is 0). */
function spread<T>(examples: readonly T[], count: number): T[] {
  if (count === 0 || count >= examples.length) return [...examples];
  return Array.from({ length: count }, (_, i) => examples[Math.floor((i * examples.length) / count)]!);
}

const HEADER = [
  '### CMUdict grapheme-to-phoneme (`heed train g2p`)',
  '',
  'Test split (FNV-1a 32-bit of the word mod 20 = 0, 6,191 words); a word is right if it equals any reference pronunciation; PER = edits to the closest reference / its length. 2 shared cores, wasm. Published for comparison: joint-sequence models ~24.5% WER / ~5.9% PER; attention encoder-decoders ~21-23% WER / ~5% PER.',
  '',
  '| model | WER | PER | test words | decoding | params | steps | batch | training time | backend | command |',
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
];

/**
 * The row name of a G2P variant in RESULTS.md: the attention and the sizes, e.g.
 * `luong-general (BiLSTM 128×2, LSTM 256, emb 64)` or `transformer (2+2 layers, d 128, 4 heads, ff 512)`.
 *
 * @example
 * ```ts
 * g2pVariantLabel(model.getConfig()); // 'luong-general (BiLSTM 128×2, LSTM 256, emb 64)'
 * ```
 */
export function g2pVariantLabel(config: Pick<G2PRunReport['config'], 'attention' | 'encoderCell' | 'encoderUnits' | 'decoderUnits' | 'embeddingDim' | 'numLayers' | 'numHeads' | 'intermediateDim'> & { encoderLayers?: number }): string {
  if (config.attention === 'transformer') return `transformer (${config.numLayers}+${config.numLayers} layers, d ${config.embeddingDim}, ${config.numHeads} heads, ff ${config.intermediateDim})`;
  const layers = (config.encoderLayers ?? 1) > 1 ? `${config.encoderLayers}-layer ` : ''; // 1-layer rows keep their names
  return `${config.attention} (${layers}Bi${config.encoderCell.toUpperCase()} ${config.encoderUnits}×2, LSTM ${config.decoderUnits}, emb ${config.embeddingDim})`;
}

/**
 * Writes (or replaces) the row of the report's variant (see {@link g2pVariantLabel}) in the `g2p` section of a results file, the
 * block between `<!-- results:g2p:start -->` and `<!-- results:g2p:end -->`, creating the file or
 * the block when missing; other sections and other variants' rows are kept.
 *
 * @example
 * ```ts
 * await writeG2PResults('RESULTS.md', report);
 * ```
 */
export async function writeG2PResults(path: string, report: G2PRunReport): Promise<void> {
  const percent = (x: number) => `${(100 * x).toFixed(2)}%`;
  const label = g2pVariantLabel(report.config);
  const rank = (key: string) => {
    const index = SEQ2SEQ_ATTENTIONS.indexOf(key.split(' ')[0] as Seq2SeqAttention);
    return index < 0 ? SEQ2SEQ_ATTENTIONS.length : index;
  };
  await writeResultsRow(path, {
    block: 'g2p',
    heading: HEADER.slice(0, 3).join('\n'),
    tableHeader: HEADER.slice(4).join('\n'),
    key: label,
    row: `| ${label} | ${percent(report.wer)} | ${percent(report.per)} | ${report.words} | ${report.beam > 1 ? `beam ${report.beam}` : 'greedy'} | ${report.params.toLocaleString('en-US')} | ${report.steps} | ${report.batchSize} | ${report.trainMinutes.toFixed(1)} min | ${report.backend} | \`${report.command}\` |`,
    keyOf: (line) => /^\| (.+?) \| \d+(?:\.\d+)?% \|/.exec(line)?.[1], // rows are keyed by their variant label
    order: (keys) => keys.map((key, order) => ({ key, order })).sort((a, b) => rank(a.key) - rank(b.key) || a.order - b.order).map(({ key }) => key),
    preamble: '# Results\n',
  });
}

/**
 * `heed train g2p`: trains a Seq2Seq G2P model on CMUdict, evaluates WER/PER on the test split and
 * records the result. See {@link TRAIN_G2P_USAGE}.
 *
 * @example
 * ```ts
 * const report = await trainG2P(['--attention', 'bahdanau', '--epochs', '10', '--out', 'g2p-bahdanau']);
 * ```
 */
export async function trainG2P(args: readonly string[], log: (line: string) => void = console.log): Promise<G2PRunReport> {
  const flags = parseFlags(args);
  const attention = (flags.get('attention') ?? 'luong-general') as Seq2SeqAttention;
  if (!SEQ2SEQ_ATTENTIONS.includes(attention)) throw new Error(`heed train g2p: --attention must be one of ${SEQ2SEQ_ATTENTIONS.join(', ')}; got ${JSON.stringify(attention)}`);
  const transformer = attention === 'transformer';
  const epochs = numberFlag(flags, 'epochs', 100, true);
  const minutes = numberFlag(flags, 'minutes', 85);
  const batchSize = checkPositiveInteger(numberFlag(flags, 'batch-size', 256, true), 'heed train g2p: --batch-size'); // 0 looped forever
  const lr = numberFlag(flags, 'learning-rate', transformer ? 1.5e-3 : 3e-3);
  const warmupSteps = numberFlag(flags, 'warmup-steps', transformer ? 800 : 300, true);
  const beam = checkPositiveInteger(numberFlag(flags, 'beam', 5, true) || 1, 'heed train g2p: --beam', MAX_BEAM_SIZE);
  const validationWords = numberFlag(flags, 'validation-words', 2000, true);
  const limit = numberFlag(flags, 'limit', 0, true);
  const out = resolve(String(flags.get('out') ?? `g2p-${attention}`));
  const resultsPath = resolve(String(flags.get('results') ?? 'RESULTS.md'));
  const progressMode = choiceFlag(flags, 'progress', ['auto', 'bar', 'lines'] as const, 'auto', 'heed train g2p');
  const workers = numberFlag(flags, 'workers', Math.min(4, availableParallelism()), true);
  if (workers < 1) throw new Error(`heed train g2p: --workers must be at least 1; got ${workers}`);
  const backend = String(flags.get('backend') ?? 'wasm');
  if (!isBackendName(backend)) throw new Error(`heed train g2p: --backend must be a tfjs backend name; got ${JSON.stringify(backend)}`);
  await initBackend({ backend }); // returns with heed's fast kernels (wasm: the SIMD module) ready

  const data = cmudictG2P(await loadCmudictNode());
  const train = limit ? data.train.slice(0, limit) : data.train;
  const test = limit ? data.test.slice(0, limit) : data.test;
  const validation = spread(limit ? data.validation.slice(0, limit) : data.validation, validationWords);
  await mkdir(out, { recursive: true });
  /** Where a resumed run stands: from progress.json (written after every epoch) or an older results.json. */
  let previous: { trainMinutes: number; steps: number; best?: number; bestPer?: number; curve?: G2PCurvePoint[] } = { trainMinutes: 0, steps: 0 };
  const resumed = flags.get('resume') === true && (existsSync(`${out}/config.json`) || existsSync(`${out}/model.json`)); // the heed format, or a run of an older heed
  let model: Seq2Seq;
  if (resumed) {
    model = await Seq2Seq.load(`file://${out}`);
    const progressFile = existsSync(`${out}/progress.json`) ? `${out}/progress.json` : `${out}/results.json`;
    if (existsSync(progressFile)) previous = JSON.parse(await readFile(progressFile, 'utf8')) as typeof previous;
    log(`[g2p] resumed ${out} (${previous.steps} steps, ${previous.trainMinutes.toFixed(1)} min so far)`);
  } else {
    const vocabularies = g2pVocabularies(data.train);
    const embeddingDim = numberFlag(flags, 'embedding', transformer ? 128 : 64, true);
    const layers = numberFlag(flags, 'layers', 2, true); // Transformer: encoder and decoder; RNN: stacked encoder
    model = new Seq2Seq(
      {
        sourceVocabSize: tokenizerVocabSize(vocabularies.graphemes),
        targetVocabSize: tokenizerVocabSize(vocabularies.phonemes),
        attention,
        embeddingDim,
        encoderUnits: numberFlag(flags, 'units', 128, true),
        ...(transformer ? { numLayers: layers } : { encoderLayers: layers }),
        numHeads: numberFlag(flags, 'heads', 4, true),
        intermediateDim: numberFlag(flags, 'ff', 4 * embeddingDim, true),
        dropout: numberFlag(flags, 'dropout', transformer ? 0.1 : 0.2),
        maxSourceLength: 40,
        maxTargetLength: 40,
      },
      { source: vocabularies.graphemes, target: vocabularies.phonemes },
    );
  }
  const pairs = g2pPairs(train, model.vocabularies!);
  log(`[g2p] ${tf.getBackend()} ${attention}: ${model.countParams()} parameters, ${pairs.length} training pairs, ${validation.length} validation words, ${test.length} test words`);
  const replicaOptimizer = tf.train.adam(lr); // the replicas' own Adam (the Trainer path below uses @heed/training's)
  const replicas = workers > 1 ? await G2PReplicas.start({ replicas: workers, model, optimizer: replicaOptimizer, pairs, batchSize, labelSmoothing: 0.1, scratchDir: `${out}/.replica-start` }) : undefined;
  if (replicas) log(`[g2p] data-parallel over ${replicas.size} processes (batches of ${batchSize} split ${replicas.size} ways)`);
  const started = Date.now();
  const budget = minutes * 60_000;
  const batchesPerEpoch = Math.ceil(pairs.length / batchSize);
  let steps = 0;
  let epochsRun = 0;
  let learningRate = lr;
  const curve: G2PCurvePoint[] = [...(previous.curve ?? [])];
  let best = previous.best ?? Number.POSITIVE_INFINITY;
  let bestPer = previous.bestPer ?? Number.POSITIVE_INFINITY;
  const validate = async (epoch: number, loss: number) => {
    const scores = await evaluateG2P(model, validation, { batchSize: 250 });
    const point = { epoch, steps: previous.steps + steps, minutes: previous.trainMinutes + (Date.now() - started) / 60_000, learningRate, loss, validationWer: scores.wer, validationPer: scores.per };
    curve.push(point);
    const improved = scores.wer < best || (scores.wer === best && scores.per < bestPer);
    if (improved) {
      best = scores.wer;
      bestPer = scores.per;
      await model.save(`file://${out}`);
    }
    log(`[g2p] epoch ${epoch}: validation WER ${(100 * scores.wer).toFixed(2)}% PER ${(100 * scores.per).toFixed(2)}% on ${scores.words} words${improved ? ' (best, saved)' : ''} ${point.minutes.toFixed(1)} min`);
  };
  const overBudget = () => Date.now() - started > budget;
  const rate = (step: number) => {
    const progress = Math.max(Number.isFinite(budget) ? (Date.now() - started) / budget : 0, step / (epochs * batchesPerEpoch));
    return g2pLearningRate({ peak: lr, step, warmupSteps, progress });
  };
  if (!replicas) {
    // One process: @heed/training's Trainer (Adam, the schedule above, a checkpoint of weights,
    // Adam's moments, the step and the epoch after every epoch, so --resume continues exactly).
    const trainer = new Trainer({
      model: seq2seqTrainable(model),
      loss: seq2seqLoss(model, 0.1),
      optimizer: adam(),
      schedule: { config: { name: 'g2p-warmup-cosine', peak: lr, warmupSteps }, at: rate },
      nanGuard: false,
    });
    const checkpoint = `file://${out}/checkpoint`;
    if (resumed && existsSync(`${out}/checkpoint`)) {
      await trainer.load(checkpoint);
      log(`[g2p] resumed the optimizer state at epoch ${trainer.state.epoch}, step ${trainer.state.step}`);
    }
    const firstStep = trainer.state.step;
    const bar = await terminalProgressBar({ terminal: progressMode === 'auto' ? 'auto' : progressMode === 'bar' });
    let sum = 0;
    let count = 0;
    await trainer.fit(g2pBatches(pairs, batchSize, model.config.padId, () => trainer.state.epoch, overBudget), {
      epochs,
      callbacks: [
        {
          onEpochBegin: (epoch) => {
            bar.begin(epoch, epochs, batchesPerEpoch);
            sum = 0;
            count = 0;
          },
          onBatchEnd: (logs) => {
            sum += logs.loss;
            count++;
            steps = logs.step - firstStep;
            learningRate = logs.learningRate;
            const minutesUsed = (Date.now() - started) / 60_000;
            bar.update(logs.batch, { loss: sum / count, learningRate, note: `${minutesUsed.toFixed(1)}/${minutes} min` });
            if (!bar.drawing && ((logs.batch + 1) % 50 === 0 || logs.batch === batchesPerEpoch - 1)) {
              log(`[g2p] epoch ${logs.epoch + 1}/${epochs} batch ${logs.batch + 1}/${batchesPerEpoch} loss ${(sum / count).toFixed(4)} lr ${learningRate.toExponential(2)} ${minutesUsed.toFixed(1)} min`);
            }
          },
          onEpochEnd: async (epoch, logs, context) => {
            bar.end();
            epochsRun++;
            if (overBudget()) {
              log(`[g2p] time budget of ${minutes} min reached in epoch ${epoch + 1}`);
              context.stop();
            }
            await validate(epoch + 1, logs.loss ?? Number.NaN);
            await trainer.save(checkpoint);
            await writeFile(`${out}/progress.json`, JSON.stringify({ trainMinutes: previous.trainMinutes + (Date.now() - started) / 60_000, steps: trainer.state.step, best, bestPer, curve }));
          },
        },
      ],
    });
  } else {
    const bar = await terminalProgressBar({ terminal: progressMode === 'auto' ? 'auto' : progressMode === 'bar' });
    try {
      training: for (let epoch = 0; epoch < epochs; epoch++) {
        const seed = previous.steps + epoch + 1;
        const batches = await replicas.epoch(seed);
        bar.begin(epoch, epochs, batches.length);
        let sum = 0;
        let count = 0;
        for (const index of batches.keys()) {
          learningRate = rate(steps);
          sum += await replicas.step(index, learningRate);
          count++;
          steps++;
          const minutesUsed = (Date.now() - started) / 60_000;
          bar.update(index, { loss: sum / count, learningRate, note: `${minutesUsed.toFixed(1)}/${minutes} min` });
          if (!bar.drawing && ((index + 1) % 50 === 0 || index === batches.length - 1)) {
            log(`[g2p] epoch ${epoch + 1}/${epochs} batch ${index + 1}/${batches.length} loss ${(sum / count).toFixed(4)} lr ${learningRate.toExponential(2)} ${minutesUsed.toFixed(1)} min`);
          }
          if (Date.now() - started > budget) {
            bar.end();
            log(`[g2p] time budget of ${minutes} min reached in epoch ${epoch + 1}`);
            epochsRun++;
            await validate(epoch + 1, sum / count);
            break training;
          }
        }
        bar.end();
        epochsRun++;
        await validate(epoch + 1, sum / Math.max(1, count));
      }
    } finally {
      await replicas.stop();
    }
  }
  const trainMinutes = previous.trainMinutes + (Date.now() - started) / 60_000;
  model.dispose();
  model = await Seq2Seq.load(`file://${out}`); // the best on validation
  const evalStart = Date.now();
  const scores = await evaluateG2P(model, test, { batchSize: 250, beamSize: beam });
  const report: G2PRunReport = {
    name: 'g2p',
    metrics: { wer: scores.wer, per: scores.per, words: scores.words, beam },
    date: new Date().toISOString(),
    attention: model.config.attention,
    config: model.getConfig(),
    params: model.countParams(),
    steps: previous.steps + steps,
    epochs: epochsRun,
    batchSize,
    lr,
    beam,
    backend: tf.getBackend(),
    trainMinutes,
    evalMinutes: (Date.now() - evalStart) / 60_000,
    wer: scores.wer,
    per: scores.per,
    words: scores.words,
    command: `heed train g2p ${args.join(' ')}`.trim(),
    curve,
  };
  await writeFile(`${out}/results.json`, JSON.stringify(report, null, 2));
  if (!limit) await writeG2PResults(resultsPath, report);
  log(`[g2p] test ${report.attention}: WER ${(100 * report.wer).toFixed(2)}% PER ${(100 * report.per).toFixed(2)}% on ${report.words} words, beam ${beam} (${report.trainMinutes.toFixed(1)} min training, ${report.evalMinutes.toFixed(1)} min test)`);
  replicaOptimizer.dispose();
  model.dispose();
  return report;
}
