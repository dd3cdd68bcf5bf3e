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
import { adam, budgetCosineSchedule, DataParallelReplicas, terminalProgressBar, Trainer, writeResultsRow } from '@heed/training';
import { choiceFlag, numberFlag as checkedNumberFlag, parseFlags, stringFlag, type Flags } from './classifier-common';
import { g2pBatches, g2pReplicaEntry, seq2seqLoss, seq2seqTrainable, type G2PReplicaOptions } from './g2p-trainer';

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
Training runs through @heed/training's Trainer, data-parallel (--workers, default: the cores, at
most 4): tfjs runs one core per Node process, so training forks workers − 1 replica processes; each
step every replica takes its share of the batch's rows, and the token-weighted mean of their
gradients is the one update (the same as one process on the whole batch, up to float rounding; each
replica's dropout masks are seeded). --workers 1 trains in this process only. It checkpoints after
every epoch to <out>/checkpoint (weights by name, Adam's moments, the step, the epoch and the data
order; <out>/progress.json holds the curve): --resume then continues exactly where the run stopped,
for any --workers (bit for bit the weights of an uninterrupted run with the same --workers).

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

const COMMAND = 'heed train g2p';

const FLAGS = {
  attention: 'value',
  minutes: 'value',
  epochs: 'value',
  out: 'value',
  resume: 'flag',
  'batch-size': 'value',
  'learning-rate': 'value',
  'warmup-steps': 'value',
  units: 'value',
  embedding: 'value',
  layers: 'value',
  heads: 'value',
  ff: 'value',
  dropout: 'value',
  beam: 'value',
  'validation-words': 'value',
  limit: 'value',
  workers: 'value',
  results: 'value',
  backend: 'value',
  progress: 'value',
  json: 'flag',
} as const;

/** A non-negative number flag (an integer when `integer`), or its default. */
function numberFlag(flags: Flags, name: string, fallback: number, integer = false): number {
  return checkedNumberFlag(flags, name, fallback, COMMAND, { min: 0, integer });
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
  const flags = parseFlags(args, FLAGS, COMMAND);
  const attention = choiceFlag(flags, 'attention', SEQ2SEQ_ATTENTIONS, 'luong-general', COMMAND);
  const transformer = attention === 'transformer';
  const epochs = numberFlag(flags, 'epochs', 100, true);
  const minutes = numberFlag(flags, 'minutes', 85);
  const batchSize = checkPositiveInteger(numberFlag(flags, 'batch-size', 256, true), 'heed train g2p: --batch-size'); // 0 looped forever
  const lr = numberFlag(flags, 'learning-rate', transformer ? 1.5e-3 : 3e-3);
  const warmupSteps = numberFlag(flags, 'warmup-steps', transformer ? 800 : 300, true);
  const beam = checkPositiveInteger(numberFlag(flags, 'beam', 5, true) || 1, 'heed train g2p: --beam', MAX_BEAM_SIZE);
  const validationWords = numberFlag(flags, 'validation-words', 2000, true);
  const limit = numberFlag(flags, 'limit', 0, true);
  const out = resolve(stringFlag(flags, 'out', `g2p-${attention}`));
  const resultsPath = resolve(stringFlag(flags, 'results', 'RESULTS.md'));
  const progressMode = choiceFlag(flags, 'progress', ['auto', 'bar', 'lines'] as const, 'auto', COMMAND);
  const workers = numberFlag(flags, 'workers', Math.min(4, availableParallelism()), true);
  if (workers < 1) throw new Error(`heed train g2p: --workers must be at least 1; got ${workers}`);
  const backend = stringFlag(flags, 'backend', 'wasm');
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
  const replicas = workers > 1 ? await DataParallelReplicas.start({ replicas: workers, ...g2pReplicaEntry(), options: { config: model.getConfig(), labelSmoothing: 0.1 } satisfies G2PReplicaOptions }) : undefined;
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
  // Adam, warm-up then a cosine that ends with the budget (time or epochs, whichever runs out
  // first), a checkpoint of weights, Adam's moments, the step and the epoch after every epoch, so
  // --resume continues exactly; data-parallel over the replicas when there are some.
  const trainer = new Trainer({
    model: seq2seqTrainable(model),
    loss: seq2seqLoss(model, 0.1),
    optimizer: adam(),
    schedule: budgetCosineSchedule({
      peakLearningRate: lr,
      warmupSteps,
      progress: (step) => Math.max(Number.isFinite(budget) ? (Date.now() - started) / budget : 0, step / (epochs * batchesPerEpoch)),
    }),
    nanGuard: false,
    padId: model.config.padId, // a replica's shard weighs as many as its target tokens
    ...(replicas ? { replicas } : {}),
  });
  try {
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
  } finally {
    await replicas?.stop();
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
  model.dispose();
  return report;
}
