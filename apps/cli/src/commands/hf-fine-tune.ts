import { mkdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { initBackend, isBackendName, writeFileAtomically } from '@heed/backends';
import { fromPretrained, loadHfTokenizer, robertaMaxTokens, type HfConfig, type HfModel, type HfTokenizer } from '@heed/models';
import { savePretrained } from '@heed/models/node';
import {
  SeededRandom, Trainer, adamw, fromHfModel, linearScheduleWithWarmup, progressCallback, sparseCategoricalCrossEntropy, tensorAccuracy, tensorF1, writeResultsRow, type EpochLogs,
} from '@heed/training';
import { numberFlag, parseFlags, stringFlag } from './classifier-common';
import { encodeExamples, readFineTuneJsonl, resolveLabels, type FineTuneExample } from './hf-fine-tune-data';
import { openHfCheckpoint, print, readHfConfig } from './hf-checkpoint';
import { resumeCheckpoint, TRAINER_CHECKPOINT_DIR } from './hf-fine-tune-resume';
import { HF_FINE_TUNE_CAUSAL_LM_USAGE, printCausalLmSummary, runHfFineTuneCausalLm } from './hf-fine-tune-causal-lm';

export const HF_FINE_TUNE_USAGE = `heed hf fine-tune <dir|url> --train <file.jsonl> [--validation <file.jsonl>] [--epochs N] [--lr X]
                  [--batch-size N] [--max-length 128] --out <dir>
                  [--warmup-ratio 0] [--weight-decay 0.01] [--seed 42] [--backend wasm|webgpu|cpu] [--results RESULTS.md]
                  [--save-steps N] [--resume | --resume-from-checkpoint <dir>]

Fine-tunes a Hugging Face sequence classifier (BERT, RoBERTa, DistilBERT; a base model gets a fresh
head) as transformers' Trainer does: AdamW (weight decay 0.01, none on biases and LayerNorm weights),
linear warm-up and decay of --lr (default 5e-5), gradient clipping at 1.0, dropout from config.json,
3 epochs of batches of 8 (defaults). Lines are {"text": "...", "label": ...} (optional "text_pair";
needs the checkpoint's tokenizer.json) or {"input_ids": [...], "label": ...} (optional
"attention_mask", "token_type_ids"); a label is a class id or a name from config.json's label2id.
Texts are cut to --max-length tokens (at most the model's positions) and padded to the longest.
Without --validation, a seeded 10% of --train is held out. Accuracy and F1 (binary for two labels,
else macro) on it are reported each epoch. Writes the HF layout to --out (config.json,
model.safetensors, the tokenizer files), which PyTorch's from_pretrained loads, and results.json.
--results FILE also writes the run as a row of FILE's Hugging Face fine-tuning table.
--save-steps N writes <out>/checkpoint-<step>/ every N optimizer steps, as transformers' Trainer does:
the HF layout of the model at that step, trainer_state.json (epoch, global_step, log_history) and
heed-trainer/ (optimizer moments, schedule position, RNG state, the place in the epoch).
--resume-from-checkpoint DIR (or --resume: the latest checkpoint-<step> in --out) continues such a
run bit for bit: give the same checkpoint, data and options (a differing option is an error).`;

const FLAGS = {
  train: 'value', validation: 'value', epochs: 'value', lr: 'value', 'batch-size': 'value', 'max-length': 'value', out: 'value',
  'warmup-ratio': 'value', 'weight-decay': 'value', seed: 'value', backend: 'value', results: 'value',
  'save-steps': 'value', resume: 'flag', 'resume-from-checkpoint': 'value',
} as const;

/** `checkpoint-<step>/trainer_state.json` (transformers' names, plus the options a resume must repeat). */
export interface HfFineTuneTrainerState {
  /** Epochs done, fractional inside an epoch (as transformers writes it). */
  epoch: number;
  global_step: number;
  /** The finished epochs' entries of results.json's `history`. */
  log_history: HfFineTuneResults['history'];
  /** The options that shape the run; a resume must give the same. */
  options: Record<string, number | string>;
}

const CLASSIFIERS: Record<string, string> = { bert: 'BertForSequenceClassification', roberta: 'RobertaForSequenceClassification', distilbert: 'DistilBertForSequenceClassification' };
const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.txt', 'vocab.json', 'merges.txt'];

/** What `heed hf fine-tune` writes to `<out>/results.json` (names as transformers' Trainer's `all_results.json`). */
export interface HfFineTuneResults {
  base: string;
  architecture: string;
  labels: string[];
  train_samples: number;
  eval_samples: number;
  /** Where the evaluation examples came from. */
  validation: string;
  epochs: number;
  learning_rate: number;
  batch_size: number;
  max_length: number;
  warmup_steps: number;
  weight_decay: number;
  seed: number;
  steps: number;
  train_loss: number;
  eval_loss: number | null;
  eval_accuracy: number | null;
  eval_f1: number | null;
  /** `binary` (F1 of label 1) for two labels, else `macro`. */
  f1_average: 'binary' | 'macro';
  train_runtime: number;
  /** One entry per epoch: mean training loss and the evaluation numbers after it. */
  history: Array<{ epoch: number; loss: number; learning_rate: number; eval_loss?: number; eval_accuracy?: number; eval_f1?: number }>;
  /** `checkpoint-<step>` folders this run wrote under --out (`--save-steps`). */
  checkpoints: string[];
  /** The checkpoint this run resumed from, or null. */
  resumed_from: string | null;
  warnings: string[];
}

/** The longest input the model's positions allow. */
function maxPositions(config: HfConfig): number {
  if (config.model_type === 'roberta') return robertaMaxTokens(config);
  return 'max_position_embeddings' in config ? config.max_position_embeddings : Infinity;
}

/**
 * `heed hf fine-tune <dir|url> --train FILE --out DIR`: fine-tunes a checkpoint's sequence
 * classifier with heed's Trainer and writes it back in the Hugging Face layout plus results.json.
 *
 * @example
 * ```ts
 * await hfFineTune(['checkpoints/bert-tiny', '--train', 'train.jsonl', '--validation', 'dev.jsonl', '--epochs', '2', '--out', 'out/bert-sst']);
 * ```
 */
export async function hfFineTune(args: readonly string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    await print(`${HF_FINE_TUNE_USAGE}\n\n${HF_FINE_TUNE_CAUSAL_LM_USAGE}\n`);
    return 0;
  }
  // A GPT-2 checkpoint fine-tunes as a causal LM on a text file (hf-fine-tune-causal-lm.ts).
  const checkpoint = await openHfCheckpoint(args[0], 'fine-tune');
  const config = await readHfConfig(checkpoint);
  if (config.model_type === 'gpt2') {
    await printCausalLmSummary(await runHfFineTuneCausalLm(checkpoint, config, args.slice(1), args));
    return 0;
  }
  const results = await runHfFineTune(args);
  const evaluation = results.eval_accuracy === null ? '' : `, eval_loss ${results.eval_loss!.toFixed(4)}, eval_accuracy ${results.eval_accuracy.toFixed(4)}, eval_f1 ${results.eval_f1!.toFixed(4)}`;
  await print(`fine-tuned ${results.architecture} on ${results.train_samples} examples for ${results.epochs} epochs (${results.steps} steps, ${results.train_runtime.toFixed(1)} s): train_loss ${results.train_loss.toFixed(4)}${evaluation}\n`);
  return 0;
}

/** Runs the fine-tuning of {@link hfFineTune} and returns what it wrote to results.json. */
export async function runHfFineTune(args: readonly string[], options: { log?: (line: string) => void } = {}): Promise<HfFineTuneResults> {
  const command = 'heed hf fine-tune';
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const [location, ...rest] = args;
  const checkpoint = await openHfCheckpoint(location, 'fine-tune');
  const flags = parseFlags(rest, FLAGS, command);
  for (const required of ['train', 'out'] as const) if (!flags.has(required)) throw new Error(`${command}: --${required} is required\n\n${HF_FINE_TUNE_USAGE}`);
  const epochs = numberFlag(flags, 'epochs', 3, command, { min: 1, integer: true });
  const learningRate = numberFlag(flags, 'lr', 5e-5, command, { min: Number.MIN_VALUE, max: 1 });
  const batchSize = numberFlag(flags, 'batch-size', 8, command, { min: 1, integer: true });
  const requestedLength = numberFlag(flags, 'max-length', 128, command, { min: 2, integer: true });
  const warmupRatio = numberFlag(flags, 'warmup-ratio', 0, command, { min: 0, max: 1 });
  const weightDecay = numberFlag(flags, 'weight-decay', 0.01, command, { min: 0, max: 1 });
  const seed = numberFlag(flags, 'seed', 42, command, { min: 0, max: 2 ** 32 - 1, integer: true });
  const out = stringFlag(flags, 'out', '');
  const backend = stringFlag(flags, 'backend', 'wasm');
  if (!isBackendName(backend)) throw new Error(`${command}: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend)}`);
  const saveSteps = flags.has('save-steps') ? numberFlag(flags, 'save-steps', 0, command, { min: 1, integer: true }) : undefined;
  const resumeFrom = await resumeCheckpoint(flags, out, command);
  let resumeState: HfFineTuneTrainerState | undefined;
  if (resumeFrom !== undefined) {
    const stateFile = join(resumeFrom, 'trainer_state.json');
    const text = await readFile(stateFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${command}: --resume-from-checkpoint ${resumeFrom}: cannot read ${stateFile} (${error.code ?? error.message}); expected a checkpoint-<step> folder written with --save-steps`);
    });
    resumeState = JSON.parse(text) as HfFineTuneTrainerState;
  }
  await initBackend({ backend });

  const config = await readHfConfig(checkpoint);
  const architecture = CLASSIFIERS[config.model_type];
  if (!architecture) throw new Error(`${command}: ${checkpoint.location}/config.json is a ${config.model_type} model; fine-tune trains text sequence classifiers of ${Object.keys(CLASSIFIERS).join(', ')}`);
  const named = config.architectures[0];
  if (named !== undefined && named !== architecture && !/Model$/.test(named)) {
    log(`warning: config.json names ${named}; fine-tune trains ${architecture} on its base model (a fresh classification head)`);
  }
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    log(`warning: ${message}`);
  };

  const train = await readFineTuneJsonl(stringFlag(flags, 'train', ''), '--train');
  let validation: FineTuneExample[] = [];
  let validationSource: string;
  if (flags.has('validation')) {
    validation = await readFineTuneJsonl(stringFlag(flags, 'validation', ''), '--validation');
    validationSource = `--validation ${stringFlag(flags, 'validation', '')}`;
  } else if (train.length >= 10) {
    const order = new SeededRandom(seed).permutation(train.length);
    const shuffled = Array.from(order, (index) => train[index]!);
    const held = Math.max(1, Math.round(train.length * 0.1));
    validation = shuffled.slice(shuffled.length - held);
    train.splice(0, train.length, ...shuffled.slice(0, shuffled.length - held));
    validationSource = `a seeded 10% of --train (${held} examples)`;
  } else {
    validationSource = 'none (fewer than 10 training examples and no --validation)';
  }
  const { labels, numLabels } = resolveLabels([...train, ...validation], config);
  const tokenizer: HfTokenizer | undefined = (await checkpoint.source.has('tokenizer.json')) ? await loadHfTokenizer(checkpoint.source) : undefined;
  const positions = maxPositions(config);
  const maxLength = Math.min(requestedLength, positions);
  if (maxLength < requestedLength) warn(`--max-length ${requestedLength} is longer than the model's ${positions} positions (max_position_embeddings in config.json): inputs are cut to ${maxLength} tokens`);
  const padId = (config as { pad_token_id?: number | null }).pad_token_id ?? 0;

  const model = await fromPretrained<HfModel>(checkpoint.source, {
    architecture,
    ...(numLabels !== Object.keys(config.id2label).length ? { numLabels } : {}),
    onWarning: warn,
  });
  try {
    const encode = (examples: readonly FineTuneExample[], flag: string) => {
      const encoded = encodeExamples(examples, tokenizer, maxLength, padId);
      if (encoded.truncated > 0) warn(`${encoded.truncated} of ${examples.length} ${flag} examples are longer than ${maxLength} tokens and were cut`);
      return encoded;
    };
    const trainInputs = encode(train, '--train');
    const trainLabels = labels.slice(0, train.length);
    const validationInputs = validation.length > 0 ? encode(validation, validationSource.startsWith('--') ? '--validation' : 'held-out') : undefined;
    const stepsPerEpoch = Math.ceil(train.length / batchSize);
    const totalSteps = epochs * stepsPerEpoch;
    const warmupSteps = Math.ceil(warmupRatio * totalSteps);
    const f1Average = model.config.id2label && Object.keys(model.config.id2label).length === 2 ? 'binary' : 'macro';
    // What a resumed run must repeat to continue the same run (the Trainer checks the batching and the optimizer itself).
    const runOptions: Record<string, number | string> = {
      base: checkpoint.location, epochs, learning_rate: learningRate, batch_size: batchSize, max_length: maxLength, warmup_steps: warmupSteps,
      weight_decay: weightDecay, seed, train_samples: train.length, eval_samples: validation.length, validation: validationSource,
    };
    if (resumeState) {
      const differing = Object.keys(runOptions).filter((key) => JSON.stringify(resumeState!.options?.[key]) !== JSON.stringify(runOptions[key]));
      if (differing.length > 0) {
        throw new Error(`${command}: --resume-from-checkpoint ${resumeFrom} was trained with ${differing.map((key) => `${key} ${JSON.stringify(resumeState!.options?.[key])}`).join(', ')} but this run has ${differing.map((key) => `${key} ${JSON.stringify(runOptions[key])}`).join(', ')}; resume with the same checkpoint, data and options`);
      }
    }
    const trainer = new Trainer({
      model: fromHfModel(model),
      loss: (target, logits) => sparseCategoricalCrossEntropy(target, logits),
      optimizer: adamw({ weightDecay }),
      schedule: linearScheduleWithWarmup({ peakLearningRate: learningRate, warmupSteps, totalSteps }),
      clipNorm: 1,
      metrics: { accuracy: tensorAccuracy, f1: tensorF1({ average: f1Average }) },
      seed,
    });
    if (resumeFrom !== undefined) {
      await trainer.load(`file://${resolve(resumeFrom, TRAINER_CHECKPOINT_DIR)}`);
      log(`resumed from ${resumeFrom} (epoch ${trainer.state.epoch + 1}, step ${trainer.state.step})`);
    }
    const earlier = resumeState ? resumeState.log_history.filter((entry) => entry.epoch <= trainer.state.epoch) : [];
    const historyEntry = (entry: { epoch: number } & EpochLogs) => ({
      epoch: entry.epoch + 1,
      loss: entry.loss!,
      learning_rate: entry.learningRate!,
      ...(entry.val_loss === undefined ? {} : { eval_loss: entry.val_loss, eval_accuracy: entry.val_accuracy!, eval_f1: entry.val_f1! }),
    });
    const finished: HfFineTuneResults['history'] = [...earlier];
    const checkpoints: string[] = [];
    const tokenizerFiles: Array<[string, string]> = [];
    for (const file of TOKENIZER_FILES) if (await checkpoint.source.has(file)) tokenizerFiles.push([file, await checkpoint.source.readText(file)]);
    const writeLayout = async (dir: string) => {
      await mkdir(dir, { recursive: true });
      await savePretrained(model, dir);
      for (const [file, text] of tokenizerFiles) await writeFileAtomically(join(dir, file), text);
    };
    const saver = {
      onEpochEnd: (epoch: number, logs: EpochLogs) => void finished.push(historyEntry({ epoch, ...logs })),
      onBatchEnd: async (logs: { step: number }) => {
        if (saveSteps === undefined || logs.step % saveSteps !== 0) return;
        const name = `checkpoint-${logs.step}`;
        const dir = join(out, name);
        await writeLayout(dir);
        await trainer.save(`file://${resolve(dir, TRAINER_CHECKPOINT_DIR)}`);
        const { state } = trainer;
        const trainerState: HfFineTuneTrainerState = { epoch: state.epoch + state.batch / stepsPerEpoch, global_step: state.step, log_history: finished, options: runOptions };
        await writeFileAtomically(join(dir, 'trainer_state.json'), `${JSON.stringify(trainerState, null, 2)}\n`);
        checkpoints.push(name);
      },
    };
    const asInputs = (inputs: typeof trainInputs) => ({ input_ids: inputs.input_ids, attention_mask: inputs.attention_mask, token_type_ids: inputs.token_type_ids });
    const started = performance.now();
    const epochLine = {
      onEpochEnd: (epoch: number, logs: EpochLogs) => {
        const parts = [`loss ${logs.loss!.toFixed(4)}`, ...['val_loss', 'val_accuracy', 'val_f1'].filter((key) => key in logs).map((key) => `${key.replace('val_', 'eval_')} ${logs[key]!.toFixed(4)}`)];
        log(`epoch ${epoch + 1}/${epochs}: ${parts.join(', ')}`);
      },
    };
    await trainer.fit(
      { x: asInputs(trainInputs), y: trainLabels },
      {
        epochs,
        batchSize,
        ...(validationInputs ? { validationData: { x: asInputs(validationInputs), y: labels.slice(train.length) } } : {}),
        callbacks: [progressCallback(), epochLine, saver],
      },
    );
    const runtime = (performance.now() - started) / 1000;
    trainer.optimizer.dispose();
    const history = finished;
    const last = history[history.length - 1]!;
    const results: HfFineTuneResults = {
      base: checkpoint.location,
      architecture,
      labels: Object.keys(model.config.id2label).sort((a, b) => Number(a) - Number(b)).map((id) => model.config.id2label[Number(id)]!),
      train_samples: train.length,
      eval_samples: validation.length,
      validation: validationSource,
      epochs,
      learning_rate: learningRate,
      batch_size: batchSize,
      max_length: maxLength,
      warmup_steps: warmupSteps,
      weight_decay: weightDecay,
      seed,
      steps: trainer.state.step,
      train_loss: last.loss,
      eval_loss: last.eval_loss ?? null,
      eval_accuracy: last.eval_accuracy ?? null,
      eval_f1: last.eval_f1 ?? null,
      f1_average: f1Average,
      train_runtime: runtime,
      history,
      checkpoints,
      resumed_from: resumeFrom ?? null,
      warnings,
    };
    await writeLayout(out);
    await writeFileAtomically(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (flags.has('results')) await writeFineTuneRow(resolve(stringFlag(flags, 'results', 'RESULTS.md')), results, args, backend);
    return results;
  } finally {
    model.dispose();
  }
}

/** One row of RESULTS.md's `hf-fine-tune` block: the run's numbers and the command that made it. */
async function writeFineTuneRow(file: string, results: HfFineTuneResults, args: readonly string[], backend: string): Promise<void> {
  const heading = `### Hugging Face fine-tuning (\`heed hf fine-tune\`; ${cpus().length} shared cores)`;
  const header = '| Checkpoint | Train / eval examples | Epochs (steps) | Train loss (first → last epoch) | Eval loss (first → last) | Eval accuracy | Eval F1 | Training time | Backend | Command |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |';
  const first = results.history[0]!;
  const f = (value: number | null | undefined) => (value === null || value === undefined ? '–' : value.toFixed(3));
  const command = `heed hf fine-tune ${args.filter((arg, index) => !(arg === '--results' || args[index - 1] === '--results')).join(' ')}`;
  const row = `| ${basename(results.base)} (${results.architecture}) | ${results.train_samples} / ${results.eval_samples} | ${results.epochs} (${results.steps}) | ${f(first.loss)} → ${f(results.train_loss)} | ${f(first.eval_loss)} → ${f(results.eval_loss)} | ${results.eval_accuracy === null ? '–' : `${(results.eval_accuracy * 100).toFixed(2)}%`} | ${f(results.eval_f1)} (${results.f1_average}) | ${results.train_runtime.toFixed(1)} s | ${backend} | \`${command}\` |`;
  await writeResultsRow(file, { block: 'hf-fine-tune', heading, tableHeader: header, key: basename(results.base), row });
}
