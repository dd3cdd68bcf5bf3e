import type { HfGpt2Config } from '../hf/config/hf-gpt2-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { Gpt2PretrainedModel } from './gpt2-pretrained-model';

/**
 * transformers' `GPT2Model`: the GPT-2 decoder without a head → `last_hidden_state (batch, tokens,
 * n_embd)` (after `ln_f`). Weights are named without a prefix (`wte.weight`, `h.0.attn.c_attn.weight`,
 * …, `ln_f.bias`), as `GPT2Model.save_pretrained` writes them; `fromPretrained` also reads them from a
 * GPT2LMHeadModel checkpoint's `transformer.` tensors.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<GPT2Model>(folderSource('gpt2'), { architecture: 'GPT2Model' });
 * const { last_hidden_state, attentions } = model.forward({ input_ids }, { outputAttentions: true });
 * // (1, tokens, 768), 12 × (1, 12, tokens, tokens), causal: zero above the diagonal
 * ```
 */
export class GPT2Model extends Gpt2PretrainedModel {
  constructor(config: HfGpt2Config, options: HfModelOptions = {}) {
    super(config, 'GPT2Model', '', options);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.run(inputs, options, () => ({}));
  }
}
