import { gelu } from '@heed/attention';
import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { createMaskedLmHead, maskedLmLogits, type MaskedLmHead } from '../bert/masked-lm-head';
import type { HfRobertaConfig } from '../hf/config/hf-roberta-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `RobertaForMaskedLM`: RoBERTa without a pooler and `RobertaLMHead`
 * `LN(gelu(dense(h))) · Eᵀ + lm_head.bias` with the decoder tied to the word embeddings →
 * `logits (batch, tokens, vocab_size)`. The head's GELU is always the erf form, whatever
 * `hidden_act` says (as modeling_roberta.py).
 *
 * @example
 * ```ts
 * const model = await fromPretrained<RobertaForMaskedLM>(folderSource('roberta-base'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 50265)
 * ```
 */
export class RobertaForMaskedLM extends HfPretrainedModel<HfRobertaConfig> {
  readonly backbone: BertBackbone;
  private readonly head: MaskedLmHead;

  constructor(config: HfRobertaConfig, options: HfModelOptions = {}) {
    super(config, 'RobertaForMaskedLM', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'roberta', pooler: false, onWarning: this.onWarning });
    const names = { dense: 'lm_head.dense', layerNorm: 'lm_head.layer_norm', decoderBias: 'lm_head.bias' };
    this.head = createMaskedLmHead(this.parameters, names, config.hidden_size, config.vocab_size, config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      maskedLmLogits(last_hidden_state, this.head, this.backbone.wordEmbeddings, gelu, this.config.layer_norm_eps)); // (batch, tokens, vocab)
  }
}
