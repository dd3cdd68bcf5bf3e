import * as tf from '@tensorflow/tfjs';
import { causalLmLoss } from '@heed/training';
import type { HfGpt2Config } from '../hf/config/hf-gpt2-config';
import type { HfForwardOptions, HfModelInputs } from '../hf/hf-model';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { Gpt2PretrainedModel, type Gpt2Inputs, type Gpt2LmHeadOutput } from './gpt2-pretrained-model';

/**
 * transformers' `GPT2LMHeadModel`: the GPT-2 decoder under `transformer.` and an LM head tied to
 * the token embeddings (`logits = h · wteᵀ`, no bias) → `logits (batch, tokens, vocab_size)`. The
 * head is the `transformer.wte.weight` variable itself: training updates both as one, saving writes
 * it once (a stored `lm_head.weight` is read as the tied copy it is). Generate with
 * {@link gpt2Generate} / {@link Gpt2Session} (key/value cache).
 *
 * Given `labels` (`(batch, tokens)`, the input ids themselves, -100 where nothing is predicted)
 * `forward` also returns `loss`, transformers' causal-LM loss: the labels are shifted inside
 * (`logits[:, :-1]` predict `labels[:, 1:]`) and the mean is over the counted tokens
 * (`causalLmLoss` of @heed/training). Labels other than -100 must be ids of the vocabulary.
 * `savePretrained(model, dir)` writes the HF layout (`transformer.*`, Conv1D `(in, out)`, the tied
 * head once as `wte`), which transformers' and the PyTorch reference's GPT2LMHeadModel load.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<GPT2LMHeadModel>(folderSource('gpt2'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 50257)
 * const { loss } = model.forward({ input_ids, attention_mask, labels: input_ids }); // scalar; mask padding with -100 in labels
 * ```
 */
export class GPT2LMHeadModel extends Gpt2PretrainedModel {
  constructor(config: HfGpt2Config, options: HfModelOptions = {}) {
    super(config, 'GPT2LMHeadModel', 'transformer', options);
  }

  forward(inputs: HfModelInputs | Gpt2Inputs, options: HfForwardOptions = {}): Gpt2LmHeadOutput {
    const labels = (inputs as Gpt2Inputs | undefined)?.labels;
    if (labels !== undefined) this.validateLabels(labels, (inputs as Gpt2Inputs).input_ids);
    return this.run(inputs, options, ({ lastHiddenState }): Record<string, tf.Tensor> => {
      const logits = this.backbone.logits(lastHiddenState);
      return labels === undefined ? { logits } : { loss: causalLmLoss(labels, logits), logits };
    }) as Gpt2LmHeadOutput;
  }

  private validateLabels(labels: tf.Tensor2D, inputIds: tf.Tensor2D | undefined): void {
    const where = `${this.architecture}.forward`;
    if (!(labels instanceof tf.Tensor) || (inputIds instanceof tf.Tensor && labels.shape.join() !== inputIds.shape.join())) {
      throw new Error(`${where}: labels must be a tf.Tensor2D of the shape of input_ids [${inputIds instanceof tf.Tensor ? inputIds.shape.join(', ') : '?'}] (not shifted: the loss shifts inside); got ${labels instanceof tf.Tensor ? `[${labels.shape.join(', ')}]` : typeof labels}`);
    }
    if (tf.getBackend() === 'webgpu') return; // no synchronous read there (as for input_ids)
    const vocab = this.config.vocab_size;
    const values = labels.dataSync();
    const bad = values.findIndex((id) => id !== -100 && (!Number.isInteger(id) || id < 0 || id >= vocab));
    const n = labels.shape[1];
    if (bad >= 0) throw new RangeError(`${where}: labels[${Math.floor(bad / n)}][${bad % n}] is ${values[bad]}, neither -100 (ignored) nor an id of the vocabulary [0, ${vocab})`);
  }
}
