import type { HfBertConfig } from '../hf/config/hf-bert-config';
import type { HfForwardOptions, HfModelInputs, HfModelOutput } from '../hf/hf-model';
import { HfPretrainedModel, type HfModelOptions } from '../hf/hf-pretrained-model';
import { BertBackbone } from './bert-backbone';
import { bertBackboneConfig } from './bert-config';
import { hiddenActivation } from './hidden-activation';
import { createMaskedLmHead, maskedLmLogits, type MaskedLmHead } from './masked-lm-head';

/**
 * transformers' `BertForMaskedLM`: BERT without a pooler, the prediction transform
 * `LN(act(W·h + b))` and a decoder tied to the word embeddings (`h · Eᵀ + cls.predictions.bias`)
 * → `logits (batch, tokens, vocab_size)`. The decoder weight is the word-embedding variable itself:
 * training updates both as one, and saving writes it once (as `save_pretrained` does).
 *
 * @example
 * ```ts
 * const model = await fromPretrained(folderSource('bert-base-uncased')) as BertForMaskedLM;
 * const { logits } = model.forward({ input_ids }); // (1, tokens, 30522): argMax at [MASK] is the guess
 * ```
 */
export class BertForMaskedLM extends HfPretrainedModel<HfBertConfig> {
  readonly backbone: BertBackbone;
  private readonly head: MaskedLmHead;

  constructor(config: HfBertConfig, options: HfModelOptions = {}) {
    super(config, 'BertForMaskedLM', options);
    this.backbone = new BertBackbone(bertBackboneConfig(config), this.parameters, { prefix: 'bert', pooler: false, onWarning: this.onWarning });
    const names = { dense: 'cls.predictions.transform.dense', layerNorm: 'cls.predictions.transform.LayerNorm', decoderBias: 'cls.predictions.bias' };
    this.head = createMaskedLmHead(this.parameters, names, config.hidden_size, config.vocab_size, config.initializer_range);
  }

  forward(inputs: HfModelInputs, options: HfForwardOptions = {}): HfModelOutput {
    const activation = hiddenActivation(this.config.hidden_act);
    return this.backbone.run(this.textInputs(inputs), options, ({ last_hidden_state }) =>
      maskedLmLogits(last_hidden_state, this.head, this.backbone.wordEmbeddings, activation, this.config.layer_norm_eps)); // (batch, tokens, vocab)
  }
}
