import { BertBackbone } from '../bert/bert-backbone';
import { bertBackboneConfig } from '../bert/bert-config';
import { hiddenActivation } from '../bert/hidden-activation';
import { createMaskedLmHead, maskedLmLogits, type MaskedLmHead } from '../bert/masked-lm-head';
import { DISTILBERT_LAYER_NORM_EPS, type HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';

/**
 * transformers' `DistilBertForMaskedLM`: DistilBERT, `vocab_layer_norm(act(vocab_transform(h)))`,
 * then `vocab_projector` tied to the word embeddings (its own bias `vocab_projector.bias`) →
 * `logits (batch, tokens, vocab_size)`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<DistilBertForMaskedLM>(folderSource('distilbert-base-uncased'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 30522)
 * ```
 */
export class DistilBertForMaskedLM extends HfPretrainedModel<HfDistilBertConfig> {
  readonly backbone: BertBackbone;
  private readonly head: MaskedLmHead;

  constructor(config: HfDistilBertConfig, options: HfModelOptions = {}) {
    super(config, 'DistilBertForMaskedLM', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'distilbert', pooler: false, onWarning: this.onWarning });
    const names = { dense: 'vocab_transform', layerNorm: 'vocab_layer_norm', decoderBias: 'vocab_projector.bias' };
    this.head = createMaskedLmHead(this.parameters, names, config.dim, config.vocab_size, config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const activation = hiddenActivation(this.config.activation);
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      maskedLmLogits(last_hidden_state, this.head, this.backbone.wordEmbeddings, activation, DISTILBERT_LAYER_NORM_EPS)); // (batch, tokens, vocab)
  }
}
