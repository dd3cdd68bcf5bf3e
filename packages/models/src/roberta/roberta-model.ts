import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import type { HfRobertaConfig } from '../hf/config/hf-roberta-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `RobertaModel` (Liu et al. 2019): BERT's encoder and pooler with RoBERTa's
 * positions, which count real tokens from `pad_token_id + 1` (padding keeps position
 * `pad_token_id`), so `max_position_embeddings` 514 allows 512 tokens; usually one token type.
 *
 * @example
 * ```ts
 * const model = new RobertaModel(parseRobertaConfig({ hidden_size: 64, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 128 }));
 * model.forward({ input_ids, attention_mask }).last_hidden_state; // (batch, tokens, 64)
 * ```
 */
export class RobertaModel extends HfPretrainedModel<HfRobertaConfig> {
  readonly backbone: BertBackbone;

  constructor(config: HfRobertaConfig, options: HfModelOptions = {}) {
    super(config, 'RobertaModel', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: '', pooler: true, onWarning: this.onWarning });
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options);
  }
}
