import type { HfDistilBertConfig } from '../hf/config/hf-distilbert-config';
import type { HfModelOptions } from '../hf/hf-pretrained-model';
import { TokenClassificationModel } from '../bert/token-classification-model';

/**
 * transformers' `DistilBertForTokenClassification` (NER, POS tagging): DistilBERT, dropout
 * (`dropout`) and `classifier` on every token → `logits (batch, tokens, num_labels)`. Weights:
 * `distilbert.…`, `classifier.weight/bias`.
 *
 * @example
 * ```ts
 * const model = await fromPretrained<DistilBertForTokenClassification>(folderSource('distilbert-ner'));
 * const { logits } = model.forward({ input_ids, attention_mask }); // (batch, tokens, labels)
 * ```
 */
export class DistilBertForTokenClassification extends TokenClassificationModel<HfDistilBertConfig> {
  constructor(config: HfDistilBertConfig, options: HfModelOptions = {}) {
    super(config, 'DistilBertForTokenClassification', 'distilbert', config.dropout, options);
  }
}
