import * as tf from '@tensorflow/tfjs';

/** Options of {@link causalLmLoss}. */
export interface CausalLmLossOptions {
  /** Label value left out of the loss and of the token count (PyTorch's `ignore_index`). Default -100. */
  readonly ignoreIndex?: number;
}

/** The per-token losses and the 0/1 mask of the counted tokens, `(batch·(time − 1),)` each. @internal */
export interface CausalLmTokenLosses {
  readonly losses: tf.Tensor1D;
  readonly counted: tf.Tensor1D;
}

/**
 * The causal language-modeling loss as Hugging Face transformers computes it when a causal LM
 * (`GPT2LMHeadModel`, …) is given `labels`: the labels are shifted **inside** (`logits[:, :-1]`
 * predict `labels[:, 1:]`, so `labels` are simply the input ids), positions labelled
 * `ignoreIndex` (-100: padding, a masked-out prompt) are left out, and the result is the mean
 * negative log-likelihood over the counted tokens of the whole batch,
 *
 *   `loss = −(1/N) Σ_{b,t: y[b,t+1] ≠ −100} log softmax(logits[b,t])[y[b,t+1]]`.
 *
 * A batch with no counted token gives NaN, as PyTorch's `CrossEntropyLoss` does (the Trainer's
 * nan guard stops on it). `exp(loss)` is the batch's per-token perplexity. The arguments follow the
 * Trainer's `(labels, predictions)` order, so it is a `LossFunction` as it stands. Labels are not
 * range-checked here (that would read the tensor back): ids outside `[0, vocab)` other than
 * `ignoreIndex` contribute 0 (GPT2LMHeadModel.forward checks them).
 *
 * @param labels `(batch, time)` token ids, `ignoreIndex` where not predicted.
 * @param logits `(batch, time, vocab)`.
 * @returns a scalar.
 * @example
 * ```ts
 * const ids = tf.tensor2d([[464, 3797, 3332, 319, 262, 2603]], undefined, 'int32'); // (batch 1, time 6)
 * const logits = model.forward({ input_ids: ids }).logits as tf.Tensor3D;              // (1, 6, vocab)
 * const loss = causalLmLoss(ids, logits);                                             // mean over 5 predicted tokens
 * // as a Trainer loss: new Trainer({ model: fromHfModel(model), loss: (labels, logits) => causalLmLoss(labels, logits) })
 * ```
 */
export function causalLmLoss(labels: tf.Tensor, logits: tf.Tensor, options: CausalLmLossOptions = {}): tf.Scalar {
  return tf.tidy(() => {
    const { losses, counted } = causalLmTokenLosses(labels, logits, options);
    return tf.div(tf.sum(tf.mul(losses, counted)), tf.sum(counted)) as tf.Scalar;
  });
}

/**
 * The shifted per-token negative log-likelihoods and the mask of the counted ones (the pieces of
 * {@link causalLmLoss}; perplexity sums them over many batches). @internal
 */
export function causalLmTokenLosses(labels: tf.Tensor, logits: tf.Tensor, options: CausalLmLossOptions = {}): CausalLmTokenLosses {
  const { ignoreIndex = -100 } = options;
  if (!(labels instanceof tf.Tensor) || !(logits instanceof tf.Tensor) || labels.rank !== 2 || logits.rank !== 3) {
    throw new RangeError(`causalLmLoss expects labels (batch, time) and logits (batch, time, vocab); got ${describe(labels)} and ${describe(logits)}`);
  }
  const [batch, time, vocab] = logits.shape as [number, number, number];
  if (labels.shape[0] !== batch || labels.shape[1] !== time) {
    throw new RangeError(`causalLmLoss: labels have shape [${labels.shape.join(', ')}] but logits [${logits.shape.join(', ')}] need labels of shape [${batch}, ${time}] (the labels are shifted inside: pass the input ids)`);
  }
  if (time < 2) throw new RangeError(`causalLmLoss: sequences of ${time} token have nothing to predict (the first token is never a target); need time >= 2`);
  if (!Number.isInteger(ignoreIndex)) throw new RangeError(`causalLmLoss: ignoreIndex must be an integer; got ${ignoreIndex}`);
  return tf.tidy(() => {
    const n = batch * (time - 1);
    const shiftedLogits = tf.slice(logits, [0, 0, 0], [batch, time - 1, vocab]).reshape([n, vocab]); // (batch·(time − 1), vocab)
    const shiftedLabels = tf.slice(labels.toInt(), [0, 1], [batch, time - 1]).reshape([n]); // (batch·(time − 1),)
    const inVocabulary = tf.logicalAnd(tf.greaterEqual(shiftedLabels, tf.scalar(0, 'int32')), tf.less(shiftedLabels, tf.scalar(vocab, 'int32')));
    const counted = tf.notEqual(shiftedLabels, tf.scalar(ignoreIndex, 'int32'));
    const safe = tf.where(inVocabulary, shiftedLabels, tf.zerosLike(shiftedLabels)); // ignored → 0 (masked out below)
    const logProbability = tf.logSoftmax(shiftedLogits); // (batch·(time − 1), vocab)
    // A one-hot product, not a gather: gather's gradient (UnsortedSegmentSum) has no wasm kernel.
    const picked = tf.sum(tf.mul(tf.oneHot(safe, vocab), logProbability), -1); // (batch·(time − 1),) log p of each target
    const losses = tf.neg(tf.mul(picked, tf.logicalAnd(inVocabulary, counted).toFloat())) as tf.Tensor1D;
    return { losses, counted: counted.toFloat() as tf.Tensor1D };
  }) as unknown as CausalLmTokenLosses;
}

function describe(value: unknown): string {
  return value instanceof tf.Tensor ? `shape [${value.shape.join(', ')}]` : typeof value;
}
