import { mkdir, readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { initBackend, isBackendName, writeFileAtomically } from '@heed/backends';
import { fineTuneCausalLm, fromPretrained, loadGpt2Tokenizer, type CausalLmEpoch, type GPT2LMHeadModel, type HfGpt2Config } from '@heed/models';
import { savePretrained } from '@heed/models/node';
import { progressCallback, writeResultsRow, type TrainerCallback } from '@heed/training';
import { choiceFlag, numberFlag, parseFlags, stringFlag } from './classifier-common';
import { print, type HfCheckpoint } from './hf-checkpoint';
import { resumeCheckpoint, TRAINER_CHECKPOINT_DIR } from './hf-fine-tune-resume';

export const HF_FINE_TUNE_CAUSAL_LM_USAGE = `heed hf fine-tune <gpt2 dir|url> --train <file.txt> [--validation <file.txt>] [--validation-split-percentage 5]
                  [--block-size N] [--epochs N] [--lr X] [--batch-size N] --out <dir>
                  [--warmup-ratio 0] [--weight-decay 0.01] [--seed 42] [--save-strategy no|epoch]
                  [--backend wasm|webgpu|cpu] [--results RESULTS.md] [--resume | --resume-from-checkpoint <dir>]

For a GPT-2 checkpoint (model_type gpt2), fine-tunes GPT2LMHeadModel as a causal language model on a
plain text file (continued pretraining), as transformers' run_clm.py does: each line (with its line
break) is tokenized with the checkpoint's tokenizer, the ids are concatenated and cut into blocks of
--block-size tokens (default n_positions, at most 1024; the remainder is dropped), and each block is
its own labels (shifted inside). Without --validation the first --validation-split-percentage % of
the lines (default 5) are held out. AdamW, linear warm-up and decay of --lr (default 5e-5), clipping
at 1.0, dropout from config.json, 3 epochs of batches of 8 (defaults, as for classifiers). The
validation perplexity (exp of the mean token loss) is measured before training and after each
epoch. Writes the HF layout to --out (config.json, model.safetensors, the tokenizer files), which
PyTorch's from_pretrained loads, and results.json (eval_loss, perplexity, history);
--save-strategy epoch also writes <out>/checkpoint-<step>/ (the same files, trainer_state.json and
heed-trainer/, the Trainer's checkpoint) after each epoch; --resume-from-checkpoint DIR (or --resume:
the latest in --out) continues from one bit for bit, given the same checkpoint, text and options.`;

const FLAGS = {
  train: 'value', validation: 'value', 'validation-split-percentage': 'value', 'block-size': 'value', epochs: 'value', lr: 'value', 'batch-size': 'value', out: 'value',
  'warmup-ratio': 'value', 'weight-decay': 'value', seed: 'value', 'save-strategy': 'value', backend: 'value', results: 'value',
  resume: 'flag', 'resume-from-checkpoint': 'value',
} as const;

const TOKENIZER_FILES = ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json', 'vocab.json', 'merges.txt'];

/** What the causal-LM `heed hf fine-tune` writes to `<out>/results.json` (names as run_clm's `all_results.json`). */
export interface HfFineTuneCausalLmResults {
  base: string;
  architecture: 'GPT2LMHeadModel';
  task: 'causal-lm';
  train_file: string;
  /** Where the evaluation text came from. */
  validation: string;
  /** Blocks of `block_size` tokens. */
  train_samples: number;
  eval_samples: number;
  train_tokens: number;
  eval_tokens: number;
  block_size: number;
  epochs: number;
  learning_rate: number;
  batch_size: number;
  warmup_steps: number;
  weight_decay: number;
  seed: number;
  steps: number;
  train_loss: number;
  /** Validation mean token loss and `exp(eval_loss)` after the last epoch; null without validation text. */
  eval_loss: number | null;
  perplexity: number | null;
  /** The same before the first step. */
  initial_eval_loss: number | null;
  initial_perplexity: number | null;
  train_runtime: number;
  history: CausalLmEpoch[];
  /** `checkpoint-<step>` folders written with `--save-strategy epoch`. */
  checkpoints: string[];
  /** The checkpoint this run resumed from, or null. */
  resumed_from: string | null;
  warnings: string[];
}

/** The lines of a text file with their line breaks, as the `text` loader of datasets with `keep_linebreaks`. */
export function textLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * The causal-LM half of `heed hf fine-tune` (GPT-2 checkpoints): reads the text, tokenizes it,
 * calls {@link fineTuneCausalLm} and writes the HF layout and results.json.
 *
 * @example
 * ```ts
 * await runHfFineTuneCausalLm(checkpoint, ['--train', 'moby.txt', '--block-size', '128', '--epochs', '1', '--out', 'out/gpt2-moby'], ['checkpoints/gpt2', …]);
 * ```
 */
export async function runHfFineTuneCausalLm(
  checkpoint: HfCheckpoint,
  config: HfGpt2Config,
  rest: readonly string[],
  args: readonly string[],
  options: { log?: (line: string) => void } = {},
): Promise<HfFineTuneCausalLmResults> {
  const command = 'heed hf fine-tune';
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const flags = parseFlags(rest, FLAGS, `${command} (causal LM, GPT-2)`);
  for (const required of ['train', 'out'] as const) if (!flags.has(required)) throw new Error(`${command}: --${required} is required\n\n${HF_FINE_TUNE_CAUSAL_LM_USAGE}`);
  const epochs = numberFlag(flags, 'epochs', 3, command, { min: 1, integer: true });
  const learningRate = numberFlag(flags, 'lr', 5e-5, command, { min: Number.MIN_VALUE, max: 1 });
  const batchSize = numberFlag(flags, 'batch-size', 8, command, { min: 1, integer: true });
  const positions = config.n_positions;
  const requestedBlock = numberFlag(flags, 'block-size', Math.min(1024, positions), command, { min: 2, integer: true });
  const split = numberFlag(flags, 'validation-split-percentage', 5, command, { min: 0, max: 99 });
  const warmupRatio = numberFlag(flags, 'warmup-ratio', 0, command, { min: 0, max: 1 });
  const weightDecay = numberFlag(flags, 'weight-decay', 0.01, command, { min: 0, max: 1 });
  const seed = numberFlag(flags, 'seed', 42, command, { min: 0, max: 2 ** 32 - 1, integer: true });
  const saveStrategy = choiceFlag(flags, 'save-strategy', ['no', 'epoch'] as const, 'no', command);
  const out = stringFlag(flags, 'out', '');
  const backend = stringFlag(flags, 'backend', 'wasm');
  if (!isBackendName(backend)) throw new Error(`${command}: --backend must be one of webgpu, webgl, wasm, cpu; got ${JSON.stringify(backend)}`);
  if (flags.has('validation') && flags.has('validation-split-percentage')) throw new Error(`${command}: give --validation FILE or --validation-split-percentage P, not both`);
  const warnings: string[] = [];
  const warn = (message: string) => {
    warnings.push(message);
    log(`warning: ${message}`);
  };
  const blockSize = Math.min(requestedBlock, positions);
  if (blockSize < requestedBlock) warn(`--block-size ${requestedBlock} is longer than the model's ${positions} positions (n_positions in config.json): blocks of ${blockSize} tokens are used`);

  const trainFile = stringFlag(flags, 'train', '');
  const readText = async (path: string, flag: string) => {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new Error(`${command}: cannot read ${flag} ${path}: ${(error as Error).message}`, { cause: error });
    }
    if (text.trim() === '') throw new Error(`${command}: ${flag} ${path} is empty; a causal LM trains on the text itself`);
    return textLines(text);
  };
  let trainLines = await readText(trainFile, '--train');
  let validationLines: string[];
  let validationSource: string;
  if (flags.has('validation')) {
    const file = stringFlag(flags, 'validation', '');
    validationLines = await readText(file, '--validation');
    validationSource = `--validation ${file}`;
  } else {
    const held = Math.round((trainLines.length * split) / 100);
    validationLines = trainLines.slice(0, held);
    trainLines = trainLines.slice(held);
    validationSource = `the first ${split}% of the lines of --train (${held} line${held === 1 ? '' : 's'})`;
  }
  const hasTokenizer = (await checkpoint.source.has('tokenizer.json')) || ((await checkpoint.source.has('vocab.json')) && (await checkpoint.source.has('merges.txt')));
  if (!hasTokenizer) throw new Error(`${command}: ${checkpoint.location} has neither tokenizer.json nor vocab.json + merges.txt; fine-tuning on a text needs the checkpoint's tokenizer`);
  const tokenizer = await loadGpt2Tokenizer(checkpoint.source, config);
  const encode = (lines: readonly string[]) => lines.map((line) => tokenizer.tokenizer.encode(line).ids);
  const train = encode(trainLines);
  const validation = encode(validationLines);
  const count = (texts: readonly number[][]) => texts.reduce((sum, ids) => sum + ids.length, 0);
  if (count(train) < blockSize) throw new Error(`${command}: --train ${trainFile} has ${count(train)} tokens${flags.has('validation') ? '' : ' after the validation split'}, fewer than one block of ${blockSize} (--block-size); give more text or a smaller --block-size`);
  if (validation.length > 0 && count(validation) < blockSize) warn(`the validation text has ${count(validation)} tokens, fewer than one block of ${blockSize}: no perplexity is measured`);
  else if (validation.length === 0) warn('no validation text (--validation-split-percentage 0 or too few lines): no perplexity is measured');

  const resumeFrom = await resumeCheckpoint(flags, out, command);
  let resumeState: { log_history: CausalLmEpoch[]; options?: Record<string, unknown> } | undefined;
  if (resumeFrom !== undefined) {
    const stateFile = join(resumeFrom, 'trainer_state.json');
    resumeState = JSON.parse(await readFile(stateFile, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(`${command}: --resume-from-checkpoint ${resumeFrom}: cannot read ${stateFile} (${error.code ?? error.message}); expected a checkpoint-<step> folder written with --save-strategy epoch`);
    })) as typeof resumeState;
  }
  const runOptions: Record<string, unknown> = { base: checkpoint.location, epochs, learning_rate: learningRate, batch_size: batchSize, block_size: blockSize, warmup_ratio: warmupRatio, weight_decay: weightDecay, seed, train_tokens: count(train), eval_tokens: count(validation) };
  if (resumeState) {
    const differing = Object.keys(runOptions).filter((key) => JSON.stringify(resumeState!.options?.[key]) !== JSON.stringify(runOptions[key]));
    if (differing.length > 0) {
      throw new Error(`${command}: --resume-from-checkpoint ${resumeFrom} was trained with ${differing.map((key) => `${key} ${JSON.stringify(resumeState!.options?.[key])}`).join(', ')} but this run has ${differing.map((key) => `${key} ${JSON.stringify(runOptions[key])}`).join(', ')}; resume with the same checkpoint, text and options`);
    }
  }

  await initBackend({ backend });
  const model = await fromPretrained<GPT2LMHeadModel>(checkpoint.source, { architecture: 'GPT2LMHeadModel', onWarning: warn });
  const tokenizerFiles: Array<[string, string]> = [];
  for (const file of TOKENIZER_FILES) if (await checkpoint.source.has(file)) tokenizerFiles.push([file, await checkpoint.source.readText(file)]);
  const writeFolder = async (dir: string) => {
    await mkdir(dir, { recursive: true });
    await savePretrained(model, dir);
    for (const [file, text] of tokenizerFiles) await writeFileAtomically(join(dir, file), text);
  };
  try {
    const checkpoints: string[] = [];
    const history: CausalLmEpoch[] = [...(resumeState?.log_history ?? [])];
    const saveTrainer: TrainerCallback = {
      onEpochEnd: async (_epoch, _logs, context) => {
        if (saveStrategy === 'epoch') await context.trainer.save(`file://${resolve(out, `checkpoint-${context.trainer.state.step}`, TRAINER_CHECKPOINT_DIR)}`);
      },
    };
    const result = await fineTuneCausalLm(model, train, validation, {
      blockSize, epochs, learningRate, batchSize, warmupRatio, weightDecay, seed,
      ...(resumeFrom !== undefined ? { resumeFrom: `file://${resolve(resumeFrom, TRAINER_CHECKPOINT_DIR)}` } : {}),
      callbacks: [progressCallback(), saveTrainer],
      onEpochEnd: async (entry) => {
        history.push(entry);
        log(`epoch ${entry.epoch}/${epochs}: loss ${entry.loss.toFixed(4)}${entry.perplexity === undefined ? '' : `, eval_loss ${entry.eval_loss!.toFixed(4)}, perplexity ${entry.perplexity.toFixed(2)}`}`);
        if (saveStrategy !== 'epoch') return;
        const name = `checkpoint-${entry.step}`;
        await writeFolder(join(out, name));
        await writeFileAtomically(join(out, name, 'trainer_state.json'), `${JSON.stringify({ epoch: entry.epoch, global_step: entry.step, log_history: history, options: runOptions }, null, 2)}\n`);
        checkpoints.push(name);
      },
    });
    if (resumeFrom !== undefined) log(`resumed from ${resumeFrom}`);
    if (result.initial) log(`before training: eval_loss ${result.initial.loss.toFixed(4)}, perplexity ${result.initial.perplexity.toFixed(2)}`);
    const last = history[history.length - 1]!;
    const results: HfFineTuneCausalLmResults = {
      base: checkpoint.location,
      architecture: 'GPT2LMHeadModel',
      task: 'causal-lm',
      train_file: trainFile,
      validation: validationSource,
      train_samples: result.trainBlocks,
      eval_samples: result.evalBlocks,
      train_tokens: count(train),
      eval_tokens: count(validation),
      block_size: blockSize,
      epochs,
      learning_rate: learningRate,
      batch_size: batchSize,
      warmup_steps: result.warmupSteps,
      weight_decay: weightDecay,
      seed,
      steps: result.steps,
      train_loss: last.loss,
      eval_loss: last.eval_loss ?? null,
      perplexity: last.perplexity ?? null,
      initial_eval_loss: result.initial?.loss ?? null,
      initial_perplexity: result.initial?.perplexity ?? null,
      train_runtime: result.runtime,
      history: [...history],
      checkpoints,
      resumed_from: resumeFrom ?? null,
      warnings,
    };
    await writeFolder(out);
    await writeFileAtomically(join(out, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
    if (flags.has('results')) await writeCausalLmRow(resolve(stringFlag(flags, 'results', 'RESULTS.md')), results, args, backend);
    return results;
  } finally {
    model.dispose();
  }
}

/** The line `heed hf fine-tune` prints at the end of a causal-LM run. */
export async function printCausalLmSummary(results: HfFineTuneCausalLmResults): Promise<void> {
  const evaluation = results.perplexity === null ? '' : `, eval_loss ${results.eval_loss!.toFixed(4)}, perplexity ${results.initial_perplexity!.toFixed(2)} → ${results.perplexity.toFixed(2)}`;
  await print(`fine-tuned ${results.architecture} (causal LM) on ${results.train_samples} blocks of ${results.block_size} tokens for ${results.epochs} epochs (${results.steps} steps, ${results.train_runtime.toFixed(1)} s): train_loss ${results.train_loss.toFixed(4)}${evaluation}\n`);
}

/** One row of RESULTS.md's `hf-fine-tune-causal-lm` block. */
async function writeCausalLmRow(file: string, results: HfFineTuneCausalLmResults, args: readonly string[], backend: string): Promise<void> {
  const heading = `### Hugging Face causal-LM fine-tuning (\`heed hf fine-tune\` on a text; ${cpus().length} shared cores)`;
  const header = '| Checkpoint | Train / eval blocks (block size) | Epochs (steps) | Train loss (first → last epoch) | Eval perplexity (before → after) | Training time | Backend | Command |\n| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |';
  const f = (value: number | null | undefined, digits = 3) => (value === null || value === undefined ? '–' : value.toFixed(digits));
  const command = `heed hf fine-tune ${args.filter((arg, index) => !(arg === '--results' || args[index - 1] === '--results')).join(' ')}`;
  const row = `| ${basename(results.base)} (${results.architecture}) | ${results.train_samples} / ${results.eval_samples} (${results.block_size}) | ${results.epochs} (${results.steps}) | ${f(results.history[0]?.loss)} → ${f(results.train_loss)} | ${f(results.initial_perplexity, 2)} → ${f(results.perplexity, 2)} | ${results.train_runtime.toFixed(1)} s | ${backend} | \`${command}\` |`;
  await writeResultsRow(file, { block: 'hf-fine-tune-causal-lm', heading, tableHeader: header, key: basename(results.base), row });
}
