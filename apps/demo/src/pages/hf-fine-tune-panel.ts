import * as tf from '@tensorflow/tfjs';
import { serializePretrained, type CheckpointSource, type HfModel, type HfTokenizer } from '@heed/models';
import { Trainer, adamw, fromHfModel, linearScheduleWithWarmup, sparseCategoricalCrossEntropy } from '@heed/training';
import { createTrainingCurvesChart, type TrainingCurvesChart } from '@heed/viz';

/** One pasted example: its text and the label's id in the checkpoint's `id2label`. */
export interface LabelledExample {
  text: string;
  label: number;
}

/**
 * Parses pasted lines `label<TAB>text` (or `text,label`) into examples, the label given by its
 * name in `id2label` or by its id. Blank lines are skipped; a bad line is an error naming it.
 *
 * @example
 * ```ts
 * parseLabelledLines('positive\tA fine film.\nA dull film.,negative', { 0: 'negative', 1: 'positive' });
 * // [{ text: 'A fine film.', label: 1 }, { text: 'A dull film.', label: 0 }]
 * ```
 */
export function parseLabelledLines(pasted: string, id2label: Readonly<Record<number, string>>): LabelledExample[] {
  const ids = new Map<string, number>();
  for (const [id, name] of Object.entries(id2label)) {
    ids.set(name.toLowerCase(), Number(id));
    ids.set(id, Number(id));
  }
  const known = [...new Set(Object.values(id2label))].join(', ');
  return pasted.split(/\r?\n/).flatMap((line, index) => {
    if (line.trim() === '') return [];
    const tab = line.indexOf('\t');
    const comma = line.lastIndexOf(',');
    const [label, text] = tab >= 0 ? [line.slice(0, tab), line.slice(tab + 1)] : comma >= 0 ? [line.slice(comma + 1), line.slice(0, comma)] : ['', line];
    const id = ids.get(label.trim().toLowerCase());
    const shown = line.length > 60 ? `${line.slice(0, 60)}…` : line;
    if (id === undefined) throw new Error(`line ${index + 1} ("${shown}"): expected "label<TAB>text" or "text,label" with a label among ${known}, got label "${label.trim()}"`);
    if (text.trim() === '') throw new Error(`line ${index + 1} ("${shown}"): the text is empty`);
    return [{ text: text.trim(), label: id }];
  });
}

/** Options of one in-tab fine-tuning run. */
export interface FineTuneInTabOptions {
  epochs: number;
  learningRate: number;
  batchSize?: number;
  /** Called after every optimizer step with its loss. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * Fine-tunes a loaded sequence classifier in place on pasted examples with heed's Trainer, as
 * `heed hf fine-tune` does: AdamW (weight decay 0.01, none on biases and LayerNorm weights), linear
 * warmup (10%) and decay, clipping at 1.0. Returns the loss of every step.
 *
 * @example
 * ```ts
 * const losses = await fineTuneInTab(model, tokenizer, examples, { epochs: 2, learningRate: 5e-4, onStep: (step, loss) => chart.push(step, { loss }) });
 * ```
 */
export async function fineTuneInTab(model: HfModel, tokenizer: HfTokenizer, examples: readonly LabelledExample[], options: FineTuneInTabOptions): Promise<number[]> {
  const { epochs, learningRate, batchSize = 8 } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`epochs: expected a positive integer, got ${epochs}`);
  if (!(learningRate > 0)) throw new RangeError(`learning rate: expected a positive number, got ${learningRate}`);
  if (examples.length < 2) throw new Error(`paste at least 2 labelled lines, got ${examples.length}`);
  const totalSteps = epochs * Math.ceil(examples.length / batchSize);
  const trainer = new Trainer({
    model: fromHfModel(model),
    loss: (target, logits) => sparseCategoricalCrossEntropy(target, logits),
    optimizer: adamw({ weightDecay: 0.01 }),
    schedule: linearScheduleWithWarmup({ peakLearningRate: learningRate, warmupSteps: Math.ceil(0.1 * totalSteps), totalSteps }),
    clipNorm: 1,
    seed: 42,
  });
  const inputs = tokenizer.toTensors(tokenizer.encode(examples.map((example) => example.text), { truncation: true }));
  const labels = tf.tensor1d(examples.map((example) => example.label), 'int32');
  const losses: number[] = [];
  try {
    await trainer.fit({ x: inputs, y: labels }, {
      epochs,
      batchSize,
      callbacks: [{ onBatchEnd: (logs) => {
        losses.push(logs.loss);
        options.onStep?.(logs.step, logs.loss);
      } }],
    });
  } finally {
    trainer.optimizer.dispose();
    tf.dispose([...Object.values(inputs), labels]);
  }
  return losses;
}

/** The loss-per-step chart of the page. */
export function lossChart(element: HTMLElement): TrainingCurvesChart {
  return createTrainingCurvesChart(element, { width: 460, height: 220, xLabel: 'step', leftLabel: 'cross-entropy', series: [{ name: 'loss' }] });
}

/** The tokenizer files a checkpoint may hold, copied as they are into a saved model (as `save_pretrained` writes them). */
export const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'vocab.json', 'merges.txt'] as const;

/**
 * Reads the tokenizer files of `source` (those of {@link TOKENIZER_FILES} it has; `present` names
 * the ones known to be there, so no request asks for a missing file), to save them beside a
 * fine-tuned model.
 *
 * @example
 * ```ts
 * const files = await readTokenizerFiles(source, ['tokenizer.json', 'tokenizer_config.json']);
 * ```
 */
export async function readTokenizerFiles(source: CheckpointSource, present: readonly string[]): Promise<Array<[string, string]>> {
  const files: Array<[string, string]> = [];
  for (const file of TOKENIZER_FILES) if (present.includes(file)) files.push([file, await source.readText(file)]);
  return files;
}

/**
 * The files of `model` in the Hugging Face layout, as browser `File`s to download (or to load
 * back with `fileListSource`): `config.json`, `model.safetensors` (`serializePretrained`, float32,
 * one tensor read at a time) and the tokenizer files given. PyTorch's `from_pretrained` loads
 * the folder they make.
 *
 * @example
 * ```ts
 * const files = await pretrainedFiles(model, await readTokenizerFiles(source, ['tokenizer.json']));
 * const link = Object.assign(document.createElement('a'), { href: URL.createObjectURL(files[1]!), download: files[1]!.name });
 * ```
 */
export async function pretrainedFiles(model: HfModel, tokenizerFiles: ReadonlyArray<readonly [string, string]>): Promise<File[]> {
  const { config, weights } = await serializePretrained(model);
  return [
    new File([config], 'config.json', { type: 'application/json' }),
    new File(weights.chunks as unknown as BlobPart[], 'model.safetensors', { type: 'application/octet-stream' }),
    ...tokenizerFiles.map(([name, text]) => new File([text], name, { type: name.endsWith('.json') ? 'application/json' : 'text/plain' })),
  ];
}
