import * as tf from '@tensorflow/tfjs';
import { batchOf, decodeTarget, encodeSource, sourceTokens, type DatesTask } from './dates-data';
import { buildDatesModel, greedyDecode, trainStep } from './dates-model';

/** Where the page saves its model: tfjs' IndexedDB handler. */
export const SAVE_URL = 'indexeddb://heed-demo-dates';

/** The prediction and alignment of one input, as drawn. */
export interface Alignment {
  input: string;
  output: string;
  /** Rows: output characters (then `</s>`); columns: input characters. */
  outputTokens: string[];
  inputTokens: string[];
  weights: number[][];
}

/** What is saved with the weights (`userDefinedMetadata`), so a loaded run continues its curve. */
interface RunMetadata {
  step: number;
  steps: number[];
  losses: number[];
}

/**
 * Live training of the dates model in the tab: `start()` runs optimizer steps until `stop()`,
 * yielding to the browser after each step so the page stays responsive; losses are kept for the
 * curve; `save()` / `load()` go through `tf.io` to IndexedDB with the step count and the curve.
 */
export class DatesTrainer {
  readonly batchSize = 32;
  step = 0;
  readonly steps: number[] = [];
  readonly losses: number[] = [];
  private model: tf.LayersModel;
  private optimizer: tf.Optimizer;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(readonly task: DatesTask, private readonly onStep: (trainer: DatesTrainer, loss: number) => void | Promise<void>) {
    this.model = buildDatesModel(task);
    this.optimizer = tf.train.adam(0.005);
  }

  get isRunning(): boolean {
    return this.running;
  }

  get parameterCount(): number {
    return this.model.countParams();
  }

  /** Starts (or resumes) training; resolves when it stops. Errors stop training and reject. */
  start(): Promise<void> {
    if (this.loop) return this.loop;
    this.running = true;
    this.loop = (async () => {
      try {
        while (this.running) {
          const batch = batchOf(this.task, this.task.train, this.step * this.batchSize, this.batchSize);
          const loss = trainStep(this.model, this.optimizer, batch, this.task.targetVocabSize);
          if (!Number.isFinite(loss)) throw new Error(`the loss became ${loss} at step ${this.step + 1}`);
          this.step += 1;
          this.steps.push(this.step);
          this.losses.push(loss);
          await this.onStep(this, loss);
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
    const source = encodeSource(this.task, input);
    const { ids, attention } = await greedyDecode(this.model, [source], this.task.targetLength);
    const inputTokens = sourceTokens(this.task, input);
    const predicted = ids[0]!;
    const end = predicted.indexOf(3);
    const rows = end === -1 ? predicted.length : end + 1;
    const outputTokens = predicted.slice(0, rows).map((id) => this.task.vocabularies.targets.idToToken(id) ?? '?');
    return {
      input,
      output: decodeTarget(this.task, predicted),
      outputTokens,
      inputTokens,
      weights: attention[0]!.slice(0, rows).map((row) => row.slice(0, inputTokens.length)),
    };
  }

  /** Exact-match accuracy of greedy decoding on `count` held-out examples. */
  async accuracy(count = 64): Promise<number> {
    const batch = batchOf(this.task, this.task.test, 0, count);
    const { ids } = await greedyDecode(this.model, batch.source, this.task.targetLength);
    const correct = ids.filter((row, index) => decodeTarget(this.task, row) === this.task.test[index]!.target).length;
    return correct / count;
  }

  /** Saves weights, step and curve to IndexedDB. */
  async save(): Promise<void> {
    const metadata: RunMetadata = { step: this.step, steps: this.steps, losses: this.losses };
    this.model.setUserDefinedMetadata(metadata as unknown as Record<string, unknown>);
    await this.model.save(SAVE_URL);
  }

  /** Replaces the model by the one saved in IndexedDB (a fresh optimizer); errors say what is missing. */
  async load(): Promise<void> {
    const models = await tf.io.listModels();
    if (!(SAVE_URL in models)) throw new Error('No saved dates model in this browser yet: train, then Save.');
    const loaded = await tf.loadLayersModel(SAVE_URL);
    const metadata = loaded.getUserDefinedMetadata() as unknown as RunMetadata | undefined;
    this.model.dispose();
    this.optimizer.dispose();
    this.model = loaded;
    this.optimizer = tf.train.adam(0.005);
    this.step = metadata?.step ?? 0;
    this.steps.splice(0, Infinity, ...(metadata?.steps ?? []));
    this.losses.splice(0, Infinity, ...(metadata?.losses ?? []));
  }

  dispose(): void {
    this.running = false;
    this.model.dispose();
    this.optimizer.dispose();
  }
}
