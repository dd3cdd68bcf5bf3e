import type { HfBertConfig } from '../hf/config/hf-bert-config';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { TokenClassificationModel } from './token-classification-model';

/**
 * transformers' `BertForTokenClassification` (NER, POS tagging): BERT without a pooler, dropout
 * and `classifier` on every token → `logits (batch, tokens, num_labels)`.
 *
 * @example
 * ```ts
 * const model = new BertForTokenClassification(parseBertConfig({ num_labels: 9 }));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, 9)
 * ```
 */
export class BertForTokenClassification extends TokenClassificationModel<HfBertConfig> {
  constructor(config: HfBertConfig, options: HfModelOptions = {}) {
    super(config, 'BertForTokenClassification', 'bert', config.classifier_dropout ?? config.hidden_dropout_prob, options);
  }
}
