import type { HfGpt2Config } from '../hf/config/hf-gpt2-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { Gpt2PretrainedModel } from './gpt2-pretrained-model';

/**
 * transformers' `GPT2LMHeadModel`: the GPT-2 decoder under `transformer.` and an LM head tied to
 * the token embeddings (`logits = h · wteᵀ`, no bias) → `logits (batch, tokens, vocab_size)`. The
 * head is the `transformer.wte.weight` variable itself: training updates both as one, saving writes
 * it once (a stored `lm_head.weight` is read as the tied copy it is). Generate with
 * {@link gpt2Generate} / {@link Gpt2Session} (key/value cache).
 *
 * @example
 * ```ts
 * const model = await fromPretrained<GPT2LMHeadModel>(folderSource('gpt2'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 50257)
 * ```
 */
export class GPT2LMHeadModel extends Gpt2PretrainedModel {
  constructor(config: HfGpt2Config, options: HfModelOptions = {}) {
    super(config, 'GPT2LMHeadModel', 'transformer', options);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.run(inputs, options, ({ lastHiddenState }) => ({ logits: this.backbone.logits(lastHiddenState) }));
  }
}
