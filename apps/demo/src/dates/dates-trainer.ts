import { Seq2Seq, type Seq2SeqAttention } from '@heed/models';
import * as tf from '@tensorflow/tfjs';
import { batchOf, decodeTarget, encodeSource, sourceTokens, type DatesTask } from './dates-data';

/** Where the page saves its model (tfjs' IndexedDB handler) and its training curve (localStorage). */
export const SAVE_URL = 'indexeddb://heed-demo-dates';
const RUN_KEY = 'heed-demo-dates-run';

/** The prediction and alignment of one input, as drawn. */
export interface Alignment {
  input: string;
  output: string;
  /** Rows: output characters (and `</s>` when emitted); columns: input characters. */
  outputTokens: string[];
  inputTokens: string[];
  /** (rows, columns); for the Transformer, the mean over layers and heads. */
  weights: number[][];
}

/** The training curve saved next to the weights, so a loaded run continues its curve. */
interface RunRecord {
  step: number;
  steps: number[];
  losses: number[];
}

/**
 * Live training of @heed/models' `Seq2Seq` on the dates task in the tab: `start()` runs optimizer
 * steps until `stop()`, yielding to the browser after each; `save()` / `load()` go through tf.io
 * to IndexedDB (`Seq2Seq.save('indexeddb://…')`, `Seq2Seq.load`).
 */
export class DatesTrainer {
  readonly batchSize = 32;
  step = 0;
  readonly steps: number[] = [];
  readonly losses: number[] = [];
  private model: Seq2Seq;
  private optimizer: tf.Optimizer;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    readonly task: DatesTask,
    attention: Seq2SeqAttention,
    private readonly onStep: (trainer: DatesTrainer) => void | Promise<void>,
  ) {
    this.model = this.build(attention);
    this.optimizer = tf.train.adam(0.01);
  }

  private build(attention: Seq2SeqAttention): Seq2Seq {
    const { task } = this;
    return new Seq2Seq(
      {
        sourceVocabSize: task.sourceVocabSize,
        targetVocabSize: task.targetVocabSize,
        attention,
        encoderCell: 'gru',
        embeddingDim: 24,
        encoderUnits: 32,
        numLayers: 1,
        numHeads: 4,
        dropout: 0,
        maxSourceLength: task.maxSourceLength,
        maxTargetLength: task.maxTargetLength,
        seed: 1,
      },
      { source: task.vocabularies.inputs, target: task.vocabularies.targets },
    );
  }

  get attention(): Seq2SeqAttention {
    return this.model.config.attention;
  }

  get isRunning(): boolean {
    return this.running;
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  /** A fresh untrained model with `attention` (training must be stopped). */
  reset(attention: Seq2SeqAttention): void {
    this.replace(this.build(attention), { step: 0, steps: [], losses: [] });
  }

  private replace(model: Seq2Seq, run: RunRecord): void {
    this.model.dispose();
    this.optimizer.dispose();
    this.model = model;
    this.optimizer = tf.train.adam(0.01);
    this.step = run.step;
    this.steps.splice(0, Infinity, ...run.steps);
    this.losses.splice(0, Infinity, ...run.losses);
  }

  /** Starts (or resumes) training; resolves when it stops. Errors stop training and reject. */
  start(): Promise<void> {
    if (this.loop) return this.loop;
    this.running = true;
    this.loop = (async () => {
      try {
        while (this.running) {
          const batch = batchOf(this.task, this.task.train, this.step * this.batchSize, this.batchSize);
          const lossTensor = this.optimizer.minimize(() => this.model.loss(batch.source, batch.target), true)!;
          const loss = (await lossTensor.data())[0]!;
          lossTensor.dispose();
          if (!Number.isFinite(loss)) throw new Error(`Training stopped: the loss became ${loss} at step ${this.step + 1}.`);
          this.step += 1;
          this.steps.push(this.step);
          this.losses.push(loss);
          await this.onStep(this);
          await tf.nextFrame();
        }
      } finally {
        this.running = false;
        this.loop = undefined;
      }
    })();
    return this.loop;
  }

  /** Stops after the current step; resolves when it has stopped. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop?.catch(() => undefined);
  }

  /** Greedy prediction of `input` with its attention alignment. */
  async align(input: string): Promise<Alignment> {
    const [result] = await this.model.generate([encodeSource(this.task, input)]);
    const { tokens, alignment, finished } = result!;
    const emitted = finished ? [...tokens, this.model.config.eosId] : tokens;
    const outputTokens = emitted.map((id) => this.task.vocabularies.targets.idToToken(id) ?? '?');
    const heads = alignment.length;
    const weights = alignment[0]!.map((row, step) => row.map((_, column) => alignment.reduce((sum, head) => sum + head[step]![column]!, 0) / heads));
    return { input, output: decodeTarget(this.task, tokens), outputTokens, inputTokens: sourceTokens(this.task, input), weights };
  }

  /** Exact-match accuracy of greedy decoding on `count` held-out examples. */
  async accuracy(count = 64): Promise<number> {
    const batch = batchOf(this.task, this.task.test, 0, count);
    const results = await this.model.generate(batch.source);
    return results.filter((result, index) => decodeTarget(this.task, result.tokens) === this.task.test[index]!.target).length / count;
  }

  /** Saves the model to IndexedDB and the curve to localStorage. */
  async save(): Promise<void> {
    await this.model.save(SAVE_URL);
    const run: RunRecord = { step: this.step, steps: this.steps, losses: this.losses };
    localStorage.setItem(RUN_KEY, JSON.stringify(run));
  }

  /** Replaces the model by the one saved in IndexedDB (with a fresh optimizer); errors say what is missing. */
  async load(): Promise<void> {
    const models = await tf.io.listModels();
    if (!(SAVE_URL in models)) throw new Error('No saved dates model in this browser yet: train, then Save.');
    const model = await Seq2Seq.load(SAVE_URL);
    let run: RunRecord = { step: 0, steps: [], losses: [] };
    try {
      run = { ...run, ...(JSON.parse(localStorage.getItem(RUN_KEY) ?? '{}') as Partial<RunRecord>) };
    } catch {
      // A damaged curve record only loses the curve, not the model.
    }
    this.replace(model, run);
  }

  dispose(): void {
    this.running = false;
    this.model.dispose();
    this.optimizer.dispose();
  }
}
