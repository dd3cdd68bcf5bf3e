import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import type { HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `DistilBertModel` (Sanh et al. 2019): BERT's post-norm encoder with half the
 * layers, no token types, no pooler, LayerNorm ε 1e-12 and, with `sinusoidal_pos_embds`, a fixed
 * (non-trainable) sinusoidal position table. Weights `transformer.layer.i.attention.q_lin`, …
 *
 * @example
 * ```ts
 * const model = new DistilBertModel(parseDistilBertConfig({ dim: 64, n_heads: 2, n_layers: 2, hidden_dim: 128 }));
 * model.forward({ input_ids, attention_mask }).last_hidden_state; // (batch, tokens, 64)
 * ```
 */
export class DistilBertModel extends HfPretrainedModel<HfDistilBertConfig> {
  readonly backbone: BertBackbone;

  constructor(config: HfDistilBertConfig, options: HfModelOptions = {}) {
    super(config, 'DistilBertModel', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: '', pooler: false, onWarning: this.onWarning });
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options);
  }
}
