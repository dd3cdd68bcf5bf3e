import type { HfBertConfig } from '../hf/config/hf-bert-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';
import { BertBackbone } from './bert-backbone';
import { bertBackboneConfig } from './bert-config';

/**
 * transformers' `BertModel`: the BERT encoder with its pooler, no task head. Weights are named
 * without a prefix (`embeddings.word_embeddings.weight`, …, `pooler.dense.weight`), as
 * `BertModel.save_pretrained` writes them; `fromPretrained` also reads them from a task
 * checkpoint's `bert.` tensors.
 *
 * @example
 * ```ts
 * const model = new BertModel(parseBertConfig({ hidden_size: 128, num_attention_heads: 2, num_hidden_layers: 2, intermediate_size: 512 }));
 * const { last_hidden_state, pooler_output, attentions } = model.forward({ input_ids, attention_mask }, { outputAttentions: true });
 * // (batch, tokens, 128), (batch, 128), 2 × (batch, 2, tokens, tokens)
 * ```
 */
export class BertModel extends HfPretrainedModel<HfBertConfig> {
  readonly backbone: BertBackbone;

  constructor(config: HfBertConfig, options: HfModelOptions = {}) {
    super(config, 'BertModel', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: '', pooler: true, onWarning: this.onWarning });
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    return this.backbone.run(this.textInputs(inputs), options);
  }
}
