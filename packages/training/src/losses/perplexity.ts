import * as tf from '@tensorflow/tfjs';
import { groupTexts } from '../data/group-texts';
import { causalLmTokenLosses } from './causal-lm-loss';

/** Options of {@link perplexity}. */
export interface PerplexityOptions {
  /** Tokens per block (run_clm's `block_size`; at most the model's `n_positions`). */
  readonly blockSize: number;
  /** Blocks per forward pass. Default 8. */
  readonly batchSize?: number;
}

/** What {@link perplexity} measured. */
export interface PerplexityResult {
  /** `exp(loss)`. */
  readonly perplexity: number;
  /** Mean negative log-likelihood per predicted token (nats), HF's `eval_loss`. */
  readonly loss: number;
  /** Predicted tokens counted: `blocks · (blockSize − 1)`. */
  readonly tokens: number;
  /** Blocks evaluated (the remainder that fills no block is dropped, as run_clm drops it). */
  readonly blocks: number;
}

/**
 * Perplexity of a causal language model on a held-out text, as Hugging Face's `run_clm` reports
 * it: the token ids are grouped into blocks of `blockSize` ({@link groupTexts}; the remainder is
 * dropped), each block is its own labels (shifted inside, {@link causalLmLoss}), and
 * `perplexity = exp(mean NLL over every predicted token)`. All blocks are full, so this equals
 * `exp(eval_loss)` of transformers' Trainer. Sums are kept in float64; the model runs in eval mode
 * (the caller's `logitsOf` decides that) and nothing leaks.
 *
 * @param logitsOf the model: `(blocks, blockSize)` int32 ids → `(blocks, blockSize, vocab)` logits.
 * @param texts the held-out token ids, one array per text (or one for the whole text).
 * @example
 * ```ts
 * const ids = tokenizer.encode(heldOutText).ids;
 * const { perplexity: ppl } = await perplexity((input_ids) => model.forward({ input_ids }).logits as tf.Tensor3D, [ids], { blockSize: 128 });
 * ```
 */
export async function perplexity(logitsOf: (inputIds: tf.Tensor2D) => tf.Tensor, texts: readonly (readonly number[])[], options: PerplexityOptions): Promise<PerplexityResult> {
  const { blockSize, batchSize = 8 } = options;
  if (!Number.isInteger(blockSize) || blockSize < 2) throw new RangeError(`perplexity: blockSize must be an integer >= 2 (a block predicts blockSize − 1 tokens); got ${blockSize}`);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`perplexity: batchSize must be a positive integer; got ${batchSize}`);
  const blocks = groupTexts(texts, blockSize);
  if (blocks.length === 0) {
    throw new RangeError(`perplexity: the held-out text has ${texts.reduce((sum, text) => sum + text.length, 0)} tokens, fewer than one block of blockSize ${blockSize}; give more text or a smaller blockSize`);
  }
  let sum = 0;
  let count = 0;
  for (let start = 0; start < blocks.length; start += batchSize) {
    const [lossSum, counted] = tf.tidy(() => {
      const ids = tf.tensor2d(blocks.slice(start, start + batchSize), undefined, 'int32'); // (batch, blockSize)
      const { losses, counted: mask } = causalLmTokenLosses(ids, logitsOf(ids));
      return [tf.sum(losses), tf.sum(mask)];
    }) as [tf.Scalar, tf.Scalar];
    sum += (await lossSum.data())[0]!;
    count += (await counted.data())[0]!;
    tf.dispose([lossSum, counted]);
  }
  const loss = sum / count;
  return { perplexity: Math.exp(loss), loss, tokens: count, blocks: blocks.length };
}
