import * as tf from '@tensorflow/tfjs';
import {
  Trainer, adamw, causalLmLoss, fromHfModel, groupTexts, linearScheduleWithWarmup, perplexity, type EpochLogs, type PerplexityResult, type TrainerCallback,
} from '@heed/training';
import type { GPT2LMHeadModel } from './gpt2-lm-head-model';

/** Options of {@link fineTuneCausalLm}; the defaults are transformers' Trainer's / run_clm's. */
export interface FineTuneCausalLmOptions {
  /** Tokens per training example (run_clm's `block_size`); at most `n_positions`. */
  readonly blockSize: number;
  /** Default 3. */
  readonly epochs?: number;
  /** Peak learning rate of the linear warm-up-and-decay schedule. Default 5e-5. */
  readonly learningRate?: number;
  /** Blocks per step. Default 8. */
  readonly batchSize?: number;
  /** Fraction of all steps spent warming up. Default 0. */
  readonly warmupRatio?: number;
  /** AdamW's decoupled weight decay (none on biases and LayerNorm weights). Default 0.01. */
  readonly weightDecay?: number;
  /** Seeds the shuffling and the dropout masks. Default 42. */
  readonly seed?: number;
  /** Measure the validation perplexity before the first step too (`initial`). Default true. */
  readonly evaluateBefore?: boolean;
  /** Called after each epoch's validation (write a checkpoint, print a line). */
  readonly onEpochEnd?: (entry: CausalLmEpoch) => void | Promise<void>;
  /** More Trainer callbacks (a progress bar, …). */
  readonly callbacks?: readonly TrainerCallback[];
  /**
   * A Trainer checkpoint (`Trainer.save`'s destination, e.g. `file://out/checkpoint-8/heed-trainer`)
   * to resume from: weights, AdamW moments, step, RNG state and place in the epoch are restored
   * before training, so the run continues as if it had never stopped (same data and options).
   */
  readonly resumeFrom?: string;
}

/** One epoch of {@link fineTuneCausalLm}, named as transformers' `log_history`. */
export interface CausalLmEpoch {
  /** 1-based. */
  readonly epoch: number;
  /** Optimizer steps so far. */
  readonly step: number;
  /** Mean training loss of the epoch (dropout on). */
  readonly loss: number;
  readonly learning_rate: number;
  /** Validation mean token loss and its exp, when there is validation text. */
  readonly eval_loss?: number;
  readonly perplexity?: number;
}

/** What {@link fineTuneCausalLm} returns. */
export interface FineTuneCausalLmResult {
  readonly trainBlocks: number;
  readonly evalBlocks: number;
  readonly steps: number;
  readonly warmupSteps: number;
  /** The validation perplexity before training (with `evaluateBefore`). */
  readonly initial?: PerplexityResult;
  readonly history: readonly CausalLmEpoch[];
  /** Seconds of training and evaluation. */
  readonly runtime: number;
}

/**
 * Causal-LM fine-tuning (continued pretraining) of a GPT-2 language model as Hugging Face's
 * `run_clm` does it: the token ids of every text are grouped into blocks of `blockSize`
 * (`groupTexts`, the remainder dropped), each block is its own labels (the loss shifts inside:
 * `causalLmLoss`), and heed's Trainer runs AdamW with a linear warm-up and decay, gradient
 * clipping at 1.0, dropout from config.json and seeded shuffling. After each epoch the validation
 * perplexity is measured on the validation blocks (`perplexity`: exp of the mean token loss, eval
 * mode). The model is trained in place; save it with `savePretrained`.
 *
 * @param train the training token ids, one array per text (line).
 * @param validation the held-out token ids (same shape), or empty for none.
 * @example
 * ```ts
 * const model = await fromPretrained<GPT2LMHeadModel>(folderSource('gpt2'));
 * const tokenizer = await loadGpt2Tokenizer(folderSource('gpt2'), model.config);
 * const ids = (lines: string[]) => lines.map((line) => tokenizer.tokenizer.encode(line).ids);
 * const { history } = await fineTuneCausalLm(model, ids(trainLines), ids(heldOutLines), { blockSize: 128, epochs: 2 });
 * history.at(-1)!.perplexity; // validation perplexity after the last epoch
 * ```
 */
export async function fineTuneCausalLm(
  model: GPT2LMHeadModel,
  train: readonly (readonly number[])[],
  validation: readonly (readonly number[])[],
  options: FineTuneCausalLmOptions,
): Promise<FineTuneCausalLmResult> {
  const { blockSize, epochs = 3, learningRate = 5e-5, batchSize = 8, warmupRatio = 0, weightDecay = 0.01, seed = 42, evaluateBefore = true } = options;
  const positions = model.config.n_positions;
  const check = (ok: boolean, message: string) => {
    if (!ok) throw new RangeError(`fineTuneCausalLm: ${message}`);
  };
  check(Number.isInteger(blockSize) && blockSize >= 2 && blockSize <= positions, `blockSize must be an integer in [2, n_positions ${positions}]; got ${blockSize}`);
  check(Number.isInteger(epochs) && epochs >= 1, `epochs must be a positive integer; got ${epochs}`);
  check(Number.isInteger(batchSize) && batchSize >= 1, `batchSize must be a positive integer; got ${batchSize}`);
  check(learningRate > 0, `learningRate must be positive; got ${learningRate}`);
  check(warmupRatio >= 0 && warmupRatio <= 1, `warmupRatio must be in [0, 1]; got ${warmupRatio}`);
  const vocab = model.config.vocab_size;
  for (const [name, texts] of [['train', train], ['validation', validation]] as const) {
    for (const [row, ids] of texts.entries()) {
      const bad = ids.findIndex((id) => !Number.isInteger(id) || id < 0 || id >= vocab);
      check(bad < 0, `${name}[${row}][${bad}] is ${ids[bad]}, outside the vocabulary [0, ${vocab}) of config.json vocab_size (tokenizer and model do not match?)`);
    }
  }
  const blocks = groupTexts(train, blockSize);
  const tokens = train.reduce((sum, ids) => sum + ids.length, 0);
  check(blocks.length > 0, `the training text has ${tokens} tokens, fewer than one block of blockSize ${blockSize}; give more text or a smaller blockSize`);
  const evalBlocks = groupTexts(validation, blockSize).length;
  const evaluate = async () => (evalBlocks > 0 ? await perplexity((input_ids) => model.forward({ input_ids }).logits, validation, { blockSize, batchSize }) : undefined);

  const started = performance.now();
  const initial = evaluateBefore ? await evaluate() : undefined;
  const totalSteps = epochs * Math.ceil(blocks.length / batchSize);
  const warmupSteps = Math.ceil(warmupRatio * totalSteps);
  const trainer = new Trainer({
    model: fromHfModel(model),
    loss: (labels, logits) => causalLmLoss(labels, logits),
    optimizer: adamw({ weightDecay }),
    schedule: linearScheduleWithWarmup({ peakLearningRate: learningRate, warmupSteps, totalSteps }),
    clipNorm: 1,
    seed,
  });
  if (options.resumeFrom !== undefined) await trainer.load(options.resumeFrom);
  const history: CausalLmEpoch[] = [];
  const epochEnd: TrainerCallback = {
    onEpochEnd: async (epoch: number, logs: EpochLogs) => {
      const measured = await evaluate();
      const entry: CausalLmEpoch = {
        epoch: epoch + 1, step: trainer.state.step, loss: logs.loss!, learning_rate: logs.learningRate!,
        ...(measured ? { eval_loss: measured.loss, perplexity: measured.perplexity } : {}),
      };
      history.push(entry);
      await options.onEpochEnd?.(entry);
    },
  };
  const inputIds = tf.tensor2d(blocks, [blocks.length, blockSize], 'int32'); // (blocks, blockSize)
  try {
    await trainer.fit({ x: { input_ids: inputIds }, y: inputIds }, { epochs, batchSize, callbacks: [...(options.callbacks ?? []), epochEnd] });
  } finally {
    inputIds.dispose();
    trainer.optimizer.dispose();
  }
  return { trainBlocks: blocks.length, evalBlocks, steps: trainer.state.step, warmupSteps, ...(initial ? { initial } : {}), history, runtime: (performance.now() - started) / 1000 };
}
